"""Go-live and expiry times are kept by Celery beat running Wagtail's publish_scheduled."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import Revision

from portal.content import tasks
from portal.models import Notification, Role
from portal.registry import services

from .publishing_support import (
    edit_url,
    page_form_data,
    sections_for,
    study_material,
    workflow_action,
)


@pytest.fixture
def sections(tree):
    return sections_for(tree)


def test_beat_runs_the_schedule_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]
    assert entry["task"] == "portal.content.tasks.pages_publish_scheduled"
    assert entry["schedule"] == timedelta(minutes=1)


def test_an_approved_page_goes_live_when_its_time_comes(
    client, tree, sections, members, user_with_role, django_capture_on_commit_callbacks
):
    """An editor sets a go-live time and submits; the reviewer's approval schedules the
    revision; once the time has passed, the beat task publishes it (and the rules run)."""
    services.member_account_issue(member=members.a1, issued_by=None)
    members.a1.refresh_from_db()
    editor = user_with_role(Role.EDITOR, tree.township_a, "editor_a")
    reviewer = user_with_role(Role.REVIEWER, tree.township_a, "reviewer_a")
    page = study_material(sections.a, owner=editor)
    go_live = timezone.localtime() + timedelta(days=1)
    client.force_login(editor)
    data = page_form_data(page.title, page.slug, go_live_at=f"{go_live:%Y-%m-%d %H:%M}")
    client.post(edit_url(page), {**data, "action-submit": "1"})
    client.force_login(reviewer)
    workflow_action(client, page, "approve")

    page.refresh_from_db()
    assert not page.live
    scheduled = Revision.page_revisions.get(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    )

    tasks.pages_publish_scheduled.delay()
    page.refresh_from_db()
    assert not page.live  # not yet

    later = go_live + timedelta(minutes=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.pages_publish_scheduled.delay()
    page.refresh_from_db()
    assert page.live
    assert page.live_revision_id == scheduled.pk
    [notification] = Notification.objects.filter(recipient=members.a1.user)
    assert notification.kind == Notification.Kind.PUBLISHED


def test_a_page_past_its_expiry_is_unpublished(sections):
    page = study_material(sections.a, publish=True)
    type(page).objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    tasks.pages_publish_scheduled.delay()
    tasks.pages_publish_scheduled.delay()
    page.refresh_from_db()
    assert not page.live
    assert page.expired


def test_a_page_expiring_later_stays_live(sections):
    page = study_material(sections.a, publish=True)
    type(page).objects.filter(pk=page.pk).update(expire_at=timezone.now() + timedelta(hours=1))
    tasks.pages_publish_scheduled.delay()
    page.refresh_from_db()
    assert page.live
