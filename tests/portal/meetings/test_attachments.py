"""Documents attached to a closed meeting's record: chosen among the documents Wagtail lets
the secretary choose, kept by each revision, listed for those who may see the meeting, and
fetched through the meeting by them only, Wagtail's collection privacy still applying."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from portal.meetings import services
from portal.meetings.documents import (
    SOURCE_NAME,
    documents_attachable,
    meeting_collection,
    meeting_collection_ensure,
    meeting_collection_name,
)
from portal.models import MeetingAttachment, MeetingAttendance, Role
from portal.registry.factories import UserFactory
from portal.registry.services import role_group

pytestmark = pytest.mark.usefixtures("media_in_tmp")
Status = MeetingAttendance.Status
HOUR = datetime.timedelta(hours=1)


def _document(title: str, collection=None, by: str = "host_admin") -> Document:
    """A document uploaded by ``by`` (the host branch's secretary unless told)."""
    return Document.objects.create(
        title=title,
        file=ContentFile(f"{title}\n".encode(), "record.txt"),
        collection=collection or meeting_collection(),
        uploaded_by_user=get_user_model().objects.filter(username=by).first(),
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def closed(plan, people, members):
    """Yesterday's host-side 主题党日 (乙一党员 expected), closed with two documents."""
    meeting = plan(starts_in=-24 * HOUR)
    documents = [_document("签到表"), _document("会议纪要")]
    services.meeting_close(
        meeting=meeting,
        user=people["host"],
        statuses={members.b1.pk: Status.PRESENT},
        attachments=documents,
    )
    return meeting, documents


def test_the_meeting_records_collection_is_behind_the_login_for_org_admins(people):
    collection = meeting_collection()
    assert [r.restriction_type for r in collection.get_view_restrictions()] == ["login"]
    codenames = set(
        role_group(Role.ORG_ADMIN)
        .collection_permissions.filter(collection=collection)
        .values_list("permission__codename", flat=True)
    )
    assert codenames == {"add_document", "choose_document"}  # "change": their own uploads only
    document = _document("会议纪要")
    assert document in documents_attachable(people["host"])
    assert document not in documents_attachable(people["member"])
    # Every secretary shares the collection; one branch's records are not another's.
    assert document not in documents_attachable(people["unrelated"])


def test_a_collection_named_before_the_catalog_was_compiled_is_renamed_not_doubled(people):
    collection = meeting_collection()
    collection.name = SOURCE_NAME
    collection.save(update_fields=["name"])
    assert meeting_collection_ensure().pk == collection.pk
    collection.refresh_from_db()
    assert collection.name == meeting_collection_name()
    assert Collection.objects.filter(name__in=[SOURCE_NAME, collection.name]).count() == 1


def test_each_revision_keeps_its_list(closed, people, members):
    meeting, (sign_in, minutes) = closed
    assert [a.document for a in meeting.attachments.all()] == [sign_in, minutes]
    first = meeting.revisions.get()
    later = _document("补充材料")
    services.meeting_correct(
        meeting=meeting,
        user=people["host"],
        statuses={members.b1.pk: Status.PRESENT},
        minutes="",
        decisions="",
        attachments=[later, sign_in],
    )
    assert [a.document for a in meeting.attachments.all()] == [later, sign_in]
    first.refresh_from_db()
    assert [a["title"] for a in first.content["attachments"]] == ["签到表", "会议纪要"]
    newest = meeting.revisions.order_by("-created_at", "-pk").first()
    assert [a["document"] for a in newest.content["attachments"]] == [later.pk, sign_in.pk]
    # A correction that says nothing of attachments keeps them.
    services.meeting_correct(
        meeting=meeting,
        user=people["host"],
        statuses={members.b1.pk: Status.ABSENT},
        minutes="",
        decisions="",
    )
    assert meeting.attachments.count() == 2


def test_a_document_the_secretary_may_not_choose_is_refused(plan, people, members):
    meeting = plan(starts_in=-24 * HOUR)
    elsewhere = _document("别处的文件", Collection.get_first_root_node())
    with pytest.raises(ValidationError) as refused:
        services.meeting_close(
            meeting=meeting, user=people["host"], statuses={}, attachments=[elsewhere]
        )
    assert "attachments" in refused.value.message_dict
    assert not MeetingAttachment.objects.exists()


def test_those_who_may_see_the_meeting_fetch_its_documents(client, closed, people):
    meeting, (sign_in, _minutes) = closed
    admin_url = reverse("portal_meeting:document", args=[meeting.pk, sign_in.pk])
    member_url = reverse("my_meeting_document", args=[meeting.pk, sign_in.pk])
    for who, url in (("member", member_url), ("host", admin_url), ("origin", admin_url)):
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, who
        assert _body(response) == "签到表\n".encode()
    for who, url in (("other_member", member_url), ("unrelated", admin_url)):
        client.force_login(people[who])
        assert client.get(url).status_code == 404, who


def test_a_member_not_expected_cannot_fetch_it_around_the_meeting(client, closed, people):
    meeting, (sign_in, _minutes) = closed
    client.force_login(people["other_member"])
    response = client.get(sign_in.url)
    assert response.status_code == 404
    client.force_login(people["member"])
    assert client.get(sign_in.url).status_code == 404  # through the meeting only
    client.force_login(people["host"])
    assert client.get(sign_in.url).status_code == 200  # who uploaded it
    for who in ("origin", "unrelated"):  # secretaries sharing the collection: not by address
        client.force_login(people[who])
        assert client.get(sign_in.url).status_code == 404, who


def test_another_branchs_secretary_cannot_attach_the_records_to_a_meeting_of_theirs(
    plan, people, members, tree
):
    theirs = plan(starts_in=-24 * HOUR, organization=tree.village_a1)
    hosts_minutes = _document("会议纪要")
    with pytest.raises(ValidationError) as refused:
        services.meeting_close(
            meeting=theirs, user=people["unrelated"], statuses={}, attachments=[hosts_minutes]
        )
    assert "attachments" in refused.value.message_dict
    own = _document("本支部纪要", by="unrelated_admin")
    services.meeting_close(meeting=theirs, user=people["unrelated"], statuses={}, attachments=[own])
    assert [a.document for a in theirs.attachments.all()] == [own]


def test_a_detached_document_is_no_longer_fetched_through_the_meeting(client, closed, people):
    meeting, (sign_in, minutes) = closed
    services.meeting_correct(
        meeting=meeting,
        user=people["host"],
        statuses={},
        minutes="",
        decisions="",
        attachments=[minutes],
    )
    client.force_login(people["member"])
    assert (
        client.get(reverse("my_meeting_document", args=[meeting.pk, sign_in.pk])).status_code == 404
    )
    assert (
        client.get(reverse("my_meeting_document", args=[meeting.pk, minutes.pk])).status_code == 200
    )


def test_the_collections_privacy_still_applies(client, closed, people):
    """A group restriction on the collection keeps the document from a member outside the
    group, even one expected at the meeting."""
    meeting, (sign_in, _minutes) = closed
    collection = meeting_collection()
    collection.get_view_restrictions().delete()
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(role_group(Role.ORG_ADMIN))
    client.force_login(people["member"])
    response = client.get(reverse("my_meeting_document", args=[meeting.pk, sign_in.pk]))
    assert response.status_code != 200 and b"\xe7\xad\xbe" not in _body(response)


def test_a_planned_meeting_gives_no_documents(client, plan, people, members):
    meeting = plan()
    document = _document("议程")
    MeetingAttachment.objects.create(meeting=meeting, document=document)
    client.force_login(people["member"])
    assert (
        client.get(reverse("my_meeting_document", args=[meeting.pk, document.pk])).status_code
        == 404
    )


def test_the_pages_list_the_documents(client, closed, people, members):
    meeting, (sign_in, minutes) = closed
    client.force_login(people["member"])
    page = client.get(reverse("my_meeting", args=[meeting.pk])).content.decode()
    assert reverse("my_meeting_document", args=[meeting.pk, minutes.pk]) in page
    client.force_login(people["host"])
    page = client.get(reverse("portal_meeting:detail", args=[meeting.pk])).content.decode()
    assert reverse("portal_meeting:document", args=[meeting.pk, sign_in.pk]) in page
    assert "签到表、会议纪要" in page  # the revision's list
    client.force_login(people["origin"])
    page = client.get(reverse("portal_meeting:member", args=[members.b1.pk])).content.decode()
    assert reverse("portal_meeting:document", args=[meeting.pk, minutes.pk]) in page


def test_the_close_form_takes_documents_in_the_order_given(client, plan, people, members):
    meeting = plan(starts_in=-24 * HOUR)
    first, second = _document("签到表"), _document("会议纪要")
    client.force_login(people["host"])
    url = reverse("portal_meeting:close", args=[meeting.pk])
    form = client.get(url).content.decode()
    assert 'name="attachments-0-document"' in form
    data = {
        f"member_{members.b1.pk}": "present",
        "minutes": "",
        "decisions": "",
        "attachments-TOTAL_FORMS": "2",
        "attachments-INITIAL_FORMS": "0",
        "attachments-0-document": first.pk,
        "attachments-0-ORDER": "2",
        "attachments-1-document": second.pk,
        "attachments-1-ORDER": "1",
    }
    assert client.post(url, data).status_code == 302
    assert [a.document for a in meeting.attachments.all()] == [second, first]
    # A correction deletes one.
    data |= {"attachments-INITIAL_FORMS": "2", "attachments-0-DELETE": "on"}
    data |= {"attachments-0-document": second.pk, "attachments-1-document": first.pk}
    assert client.post(url, data).status_code == 302
    assert [a.document for a in meeting.attachments.all()] == [first]
    assert meeting.revisions.count() == 2


def test_wagtail_keeps_a_records_document_from_deletion(client, closed):
    """The reference index knows the record uses it: Wagtail's delete view refuses."""
    _meeting, (sign_in, _minutes) = closed
    client.force_login(UserFactory(username="root_admin", is_superuser=True, is_staff=True))
    page = client.get(reverse("wagtaildocs:delete", args=[sign_in.pk])).content.decode()
    assert "签到表" in page or "sign" in page.lower()
    client.post(reverse("wagtaildocs:delete", args=[sign_in.pk]))
    assert Document.objects.filter(pk=sign_in.pk).exists()
