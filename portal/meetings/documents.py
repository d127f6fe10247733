"""Documents attached to a closed meeting's record: where secretaries keep them, which they
may attach, and how a document goes out through the meeting.

Secretaries (org admins) upload and choose documents with Wagtail's document chooser in the
collection of meeting records (会议记录), created after every migrate with a login
restriction and the org admin role's group allowed to add and choose there (so each changes
only their own uploads, and attaches or fetches by address only those); a
document from another collection they may choose (a section's handbook) can be attached too.

A meeting's document goes out through the meeting (``attachment_serve``): the caller has
checked that the person may see the meeting; Wagtail's own document view then applies the
collection's privacy as everywhere else. A document of the meeting records' collection
fetched by its plain ``/documents/`` address is served only to whoever uploaded it and to
superusers (``meeting_document_guard``, a ``before_serve_document`` hook): a member not
expected at the meeting cannot fetch it, through the meeting or around it.
"""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission
from wagtail.permissions import policy_registry

from portal.meetings.models import Meeting, MeetingAttachment
from portal.registry.models import Role
from portal.registry.services import role_group

# "add" lets a secretary upload and change their own uploads (Wagtail's ownership policy);
# without "change", one branch's secretary cannot edit or replace another branch's records.
DOCUMENT_PERMISSIONS = ("add_document", "choose_document")
# Set on the request by ``attachment_serve`` for the one document it hands to Wagtail.
SERVED_THROUGH_MEETING = "_guiyan_meeting_document"
SOURCE_NAME = "Meeting records"


def _policy():
    return policy_registry.get_by_type(get_document_model())


def meeting_collection_name() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Meeting records")


def meeting_collection() -> Collection | None:
    """Found by its name in the site language, or by the source name a database migrated
    before the catalog was compiled gave it (``meeting_collection_ensure`` renames that one)."""
    root = Collection.get_first_root_node()
    if root is None:
        return None
    names = {meeting_collection_name(), SOURCE_NAME}
    return root.get_children().filter(name__in=names).order_by("path").first()


def meeting_collection_ensure() -> Collection | None:
    """The collection of meeting records, behind the login, where org admins add, change and
    choose documents (after every migrate; running again changes nothing)."""
    root = Collection.get_first_root_node()
    if root is None:
        return None
    name = meeting_collection_name()
    collection = meeting_collection() or root.add_child(name=name)
    if collection.name != name:
        collection.name = name
        collection.save(update_fields=["name"])
    group = role_group(Role.ORG_ADMIN)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )
    GroupCollectionPermission.objects.filter(
        group=group, collection=collection, permission__content_type__app_label="wagtaildocs"
    ).exclude(permission__codename__in=DOCUMENT_PERMISSIONS).delete()
    if not collection.get_view_restrictions().exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def _others_records(user):
    """Meeting-record documents someone else uploaded: every secretary shares the collection,
    but one branch's records are not another's to attach or fetch."""
    Document = get_document_model()
    collection = meeting_collection()
    if collection is None or (user.is_active and user.is_superuser):
        return Document.objects.none()
    return Document.objects.filter(collection=collection).exclude(uploaded_by_user=user)


def documents_attachable(user, meeting: Meeting | None = None):
    """What ``user`` may attach: the documents Wagtail lets them choose (of the meeting
    records, only those they uploaded), and those already on the meeting's record (a
    correction keeps them without choosing them again)."""
    Document = get_document_model()
    choosable = (
        _policy()
        .instances_user_has_permission_for(user, "choose")
        .exclude(pk__in=_others_records(user).values("pk"))
    )
    attached = meeting.attachments.values("document_id") if meeting else []
    return Document.objects.filter(pk__in=choosable.values("pk")) | Document.objects.filter(
        pk__in=attached
    )


def attachments_apply(*, meeting: Meeting, documents: list, user) -> None:
    """The record's documents, in this order: each one the user may choose in Wagtail, or
    already on the record. The revision saved next keeps the list."""
    ids = list(dict.fromkeys(document.pk for document in documents))
    allowed = documents_attachable(user, meeting).filter(pk__in=ids).values_list("pk", flat=True)
    if set(ids) - set(allowed):
        raise ValidationError(
            {"attachments": _("You may not attach this document.")}, code="attachment"
        )
    meeting.attachments.all().delete()
    for order, pk in enumerate(ids):  # one by one: Wagtail's reference index follows saves
        MeetingAttachment.objects.create(meeting=meeting, document_id=pk, sort_order=order)


def attachment_serve(request, meeting: Meeting, document_id: int):
    """One document of the meeting's current record, through Wagtail's document view (which
    applies the collection's privacy). The caller checked the meeting is the person's."""
    if not meeting.is_closed:
        raise Http404
    attachment = get_object_or_404(
        meeting.attachments.select_related("document"), document_id=document_id
    )
    document = attachment.document
    setattr(request, SERVED_THROUGH_MEETING, document.pk)
    return serve(request, document.pk, document.filename)


def meeting_document_guard(document, request):
    """``before_serve_document``: a meeting record's document goes out through its meeting,
    or by its plain address to whoever uploaded it and to superusers; another branch's
    secretary, who shares the collection, gets it only through a meeting of theirs."""
    if getattr(request, SERVED_THROUGH_MEETING, None) == document.pk:
        return None
    collection = meeting_collection()
    if collection is None or document.collection_id != collection.pk:
        return None
    user = request.user
    if user.is_active and (user.is_superuser or document.uploaded_by_user_id == user.pk):
        return None
    raise Http404
