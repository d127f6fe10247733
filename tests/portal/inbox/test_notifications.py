"""The built-in content rules: publishing tells the section's members, rejecting tells the
author why, approving tells the submitter; everyone reads their own notifications at /inbox/."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.content.services import section_create
from portal.inbox.context_processors import inbox
from portal.inbox.services import notifications_send
from portal.models import Notification, Role
from portal.registry import services
from portal.registry.factories import MemberFactory, UserFactory
from portal.rules.tasks import rules_event_run
from tests.portal.content.publishing_support import (
    sections_for,
    study_material,
    submit,
    workflow_action,
)

Kind = Notification.Kind


@pytest.fixture
def sections(tree):
    return sections_for(tree)


@pytest.fixture
def accounts(members):
    """Logins for the three members; a fourth member in A never activated an account."""
    for member in (members.a1, members.a2, members.b1):
        services.member_account_issue(member=member, issued_by=None)
        member.refresh_from_db()
    MemberFactory(origin=members.a1.origin)
    return members


def _published(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=Kind.PUBLISHED))


def _publish(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        revision = page.save_revision()
        revision.publish()
    return revision


def test_publishing_tells_the_members_of_the_section_once(
    sections, accounts, django_capture_on_commit_callbacks
):
    page = study_material(sections.a)
    _publish(page, django_capture_on_commit_callbacks)

    for member in (accounts.a1, accounts.a2):
        [notification] = _published(member.user)
        assert notification.title == page.title
        assert notification.url == page.url
        assert notification.body == page.summary
        assert notification.read_at is None
    assert _published(accounts.b1.user) == []

    # A retried or duplicated task, and republishing a correction: nobody is told twice.
    rules_event_run.delay("page_published", f"published:{page.pk}", {"page_id": page.pk})
    rules_event_run.delay("page_published", f"published:{page.pk}", {"page_id": page.pk})
    _publish(page, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind=Kind.PUBLISHED).count() == 2


def test_members_hosted_in_a_host_organisation_are_told_by_its_section(
    tree, accounts, django_capture_on_commit_callbacks
):
    """Dual management: the host centre's section reaches the members living there."""
    section = section_create(organization=tree.centre)
    _publish(study_material(section), django_capture_on_commit_callbacks)
    assert len(_published(accounts.b1.user)) == 1
    assert _published(accounts.a1.user) == []


def test_the_county_section_tells_every_member(
    sections, accounts, django_capture_on_commit_callbacks
):
    _publish(study_material(sections.county), django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind=Kind.PUBLISHED).count() == 3


def test_sections_and_unpublished_pages_tell_nobody(
    sections, accounts, django_capture_on_commit_callbacks
):
    _publish(sections.a, django_capture_on_commit_callbacks)
    page = study_material(sections.a, publish=True)
    page.unpublish()
    rules_event_run.delay("page_published", f"published:{page.pk}", {"page_id": page.pk})
    assert not Notification.objects.exists()


def test_handler_only_enqueues_after_commit(sections, accounts, django_capture_on_commit_callbacks):
    page = study_material(sections.a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.save_revision().publish()
    assert not Notification.objects.exists()
    # The publication's one rules task (the search index's drain is queued too).
    notify = [
        callback
        for callback in callbacks
        if getattr(getattr(getattr(callback, "func", None), "__self__", None), "name", "")
        == rules_event_run.name
    ]
    assert len(notify) == 1


def test_large_audiences_go_in_batches(tree, accounts):
    user_ids = [m.user_id for m in (accounts.a1, accounts.a2, accounts.b1)]
    notifications_send(
        recipient_ids=user_ids, kind=Kind.REMINDER, title="报到", source_key="t", batch_size=2
    )
    notifications_send(
        recipient_ids=user_ids, kind=Kind.REMINDER, title="报到", source_key="t", batch_size=2
    )
    assert Notification.objects.filter(source_key="t").count() == 3


# --- Moderation outcomes ---------------------------------------------------------------------


@pytest.fixture
def moderation(tree, sections, user_with_role):
    return (
        user_with_role(Role.EDITOR, tree.township_a, "editor_a"),
        user_with_role(Role.REVIEWER, tree.township_a, "reviewer_a"),
    )


def test_rejecting_tells_the_author_why(
    client, sections, moderation, django_capture_on_commit_callbacks
):
    editor, reviewer = moderation
    page = study_material(sections.a, owner=editor)
    client.force_login(editor)
    submit(client, page)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(client, page, "reject", comment="请补充文件出处")

    [notification] = Notification.objects.filter(recipient=editor)
    assert notification.kind == Kind.REJECTED
    assert notification.body == "请补充文件出处"
    assert notification.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not Notification.objects.filter(recipient=reviewer).exists()


def test_rejection_reaches_the_author_and_the_submitter_not_the_reviewer(
    sections, moderation, user_with_role, tree, django_capture_on_commit_callbacks
):
    editor, reviewer = moderation
    colleague = user_with_role(Role.EDITOR, tree.township_a, "editor_a2")
    page = study_material(sections.a, owner=colleague)
    page.get_workflow().start(page, editor)
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, reviewer, "reject", comment="重写")
    rejected = Notification.objects.filter(kind=Kind.REJECTED)
    assert {n.recipient for n in rejected} == {editor, colleague}
    assert {n.body for n in rejected} == {"重写"}


def test_approving_tells_the_submitter(
    client, sections, moderation, django_capture_on_commit_callbacks
):
    editor, reviewer = moderation
    page = study_material(sections.a, owner=editor)
    client.force_login(editor)
    submit(client, page)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(client, page, "approve")
    page.refresh_from_db()
    [notification] = Notification.objects.filter(recipient=editor)
    assert notification.kind == Kind.APPROVED
    assert notification.url == page.url


# --- The inbox ----------------------------------------------------------------------------


def _notify(user, key: str, title: str = "新资料") -> Notification:
    notifications_send(
        recipient_ids=[user.pk], kind=Kind.PUBLISHED, title=title, url="/a/x/", source_key=key
    )
    return Notification.objects.get(recipient=user, source_key=key)


def test_inbox_needs_a_login(client):
    response = client.get(reverse("inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_inbox_shows_only_your_own_newest_first_and_marks_them_read(client, db):
    me, other = UserFactory(), UserFactory()
    older = _notify(me, "1", "第一条")
    newer = _notify(me, "2", "第二条")
    theirs = _notify(other, "1", "别人的通知")
    client.force_login(me)

    response = client.get(reverse("inbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f'id="notification-{newer.pk}"') < html.index(f'id="notification-{older.pk}"')
    assert f'id="notification-{theirs.pk}"' not in html and "别人的通知" not in html
    assert html.count("is-unread") == 2

    older.refresh_from_db()
    theirs.refresh_from_db()
    assert older.read_at is not None
    assert theirs.read_at is None
    assert "is-unread" not in client.get(reverse("inbox")).content.decode()


def test_inbox_pages_through_many(client, db):
    me = UserFactory()
    for number in range(25):
        _notify(me, str(number))
    client.force_login(me)
    first = client.get(reverse("inbox"))
    assert first.content.decode().count('id="notification-') == 20
    second = client.get(reverse("inbox"), {"page": 2})
    assert second.content.decode().count('id="notification-') == 5
    assert Notification.objects.filter(recipient=me, read_at=None).count() == 0


def test_header_badge_counts_unread(client, db):
    me = UserFactory()
    _notify(me, "1")
    _notify(me, "2")
    client.force_login(me)
    html = client.get("/").content.decode()
    assert '<span class="badge"' in html
    assert f'href="{reverse("inbox")}"' in html
    client.get(reverse("inbox"))
    assert '<span class="badge"' not in client.get("/").content.decode()


def test_badge_costs_one_count_and_nothing_for_visitors(db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert inbox(request) == {}

    request.user = UserFactory()
    _notify(request.user, "1")
    with django_assert_num_queries(1):
        count = inbox(request)["inbox_unread_count"]
        assert str(count) == "1" and count


def test_a_member_sent_back_is_pointed_to_their_submissions_not_the_admin(
    sections, moderation, accounts, django_capture_on_commit_callbacks
):
    _editor, reviewer = moderation
    member_user = accounts.a1.user
    page = study_material(sections.a, owner=member_user)
    page.get_workflow().start(page, member_user)
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, reviewer, "reject", comment="声音太小")
    [notification] = Notification.objects.filter(recipient=member_user, kind=Kind.REJECTED)
    assert notification.url == reverse("lecture_mine")
    assert notification.body == "声音太小"
