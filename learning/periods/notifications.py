"""Telling the members of an organisation's subtree that a quarter's points are out; run in
the background (``tasks.publication_notify``) once ``services.quarter_publish`` has saved the
publication."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.inbox.services import notifications_send, organization_member_user_ids
from portal.models import Notification

from ..models import QuarterlyPublication


def publication_notify(*, publication_id: int) -> None:
    """Tell the members of the organisation's subtree that the quarter's points are out;
    each once, however often this runs."""
    publication = (
        QuarterlyPublication.objects.select_related("organization")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Points of %(year)s, quarter %(quarter)s: %(organization)s") % {
            "year": publication.year,
            "quarter": publication.quarter,
            "organization": publication.organization.name,
        }
    notifications_send(
        recipient_ids=organization_member_user_ids(publication.organization),
        kind=Notification.Kind.PUBLISHED,
        title=title,
        body=publication.note,
        url=reverse("learning:publication", kwargs={"pk": publication.pk}),
        source_key=f"publication:{publication.pk}",
    )
