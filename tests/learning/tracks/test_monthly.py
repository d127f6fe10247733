"""The monthly pack: a draft copy of each template track per month, with its steps and
assignments, made once however often the job or the button runs, and the editors told."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from learning.models import TrackAssignment, TrackPage, TrackStep
from learning.tracks import tasks
from learning.tracks.services import monthly_packs_create
from portal.content.services import section_create
from portal.models import Notification, Role
from tests.portal.content.helpers import material, publish


@pytest.fixture
def section(tree):
    return section_create(organization=tree.township_a)


@pytest.fixture
def editor_a(tree, section, user_with_role):
    return user_with_role(Role.EDITOR, tree.township_a, "editor_a")


@pytest.fixture
def template(tree, section):
    study = publish(section, material("一月一课", slug="yike"))
    track = TrackPage(title="一月一课一片一实践", slug="yiyue", is_template=True)
    track.steps = [
        TrackStep(kind=TrackStep.Kind.MATERIAL, page=study, sort_order=0),
        TrackStep(
            kind=TrackStep.Kind.OFFLINE,
            title="主题党日",
            session_starts_at=timezone.now(),
            required=False,
            sort_order=1,
        ),
    ]
    publish(section, track, private=True)
    TrackAssignment.objects.create(track=track, organization=tree.township_a)
    return track


def _packs():
    return TrackPage.objects.filter(kind=TrackPage.Kind.MONTHLY_PACK)


def test_a_draft_pack_is_made_from_each_template_in_its_section(tree, section, template):
    assert monthly_packs_create(year=2026, month=12) == 1
    pack = _packs().get()
    assert pack.get_parent().pk == section.pk
    assert (pack.title, pack.slug) == ("2026年12月 一月一课一片一实践", "yiyue-2026-12")
    assert not pack.live and not pack.is_template
    assert pack.deadline == datetime.date(2026, 12, 31)
    assert [s.kind for s in pack.steps.order_by("sort_order")] == ["material", "offline"]
    assert pack.steps.first().page_id == template.steps.first().page_id
    assert list(pack.assignments.values_list("organization", flat=True)) == [tree.township_a.pk]
    assert pack.get_view_restrictions().get().restriction_type == PageViewRestriction.LOGIN
    template.refresh_from_db()
    assert template.is_template and template.live


def test_running_it_again_in_the_month_makes_nothing_even_after_a_rename(template):
    monthly_packs_create(year=2026, month=12)
    pack = _packs().get()
    pack.title, pack.slug = "十二月学习包", "shieryue"
    pack.save_revision().publish()
    assert monthly_packs_create(year=2026, month=12) == 0
    assert tasks.monthly_packs_create.delay(2026, 12).get() == 0
    assert _packs().count() == 1
    assert monthly_packs_create(year=2027, month=1) == 1
    assert _packs().count() == 2


def test_the_default_is_this_month_in_china(template):
    assert monthly_packs_create() == 1
    today = timezone.localdate()
    assert _packs().get().slug == f"yiyue-{today:%Y-%m}"


def test_tracks_that_are_not_templates_are_left_alone(section, template):
    TrackPage.objects.filter(pk=template.pk).update(is_template=False)
    assert monthly_packs_create(year=2026, month=12) == 0


def test_the_sections_editors_are_told_the_draft_waits(template, editor_a):
    monthly_packs_create(year=2026, month=12)
    pack = _packs().get()
    notice = Notification.objects.get(recipient=editor_a)
    assert notice.source_key == f"monthly_pack:{pack.pk}"
    assert notice.url == reverse("wagtailadmin_pages:edit", args=[pack.pk])


# --- The button in the admin -------------------------------------------------------------


def test_an_editor_makes_this_months_pack_from_the_template_page(client, template, editor_a):
    client.force_login(editor_a)
    url = reverse("learning_monthly:create", args=[template.pk])
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[template.pk]))
    assert url in edit_page.content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url)
    pack = _packs().get()
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[pack.pk])
    assert pack.owner == editor_a
    response = client.post(url)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[pack.pk])
    assert _packs().count() == 1


def test_an_editor_of_another_section_has_no_button(client, tree, template, user_with_role):
    section_create(organization=tree.township_b)
    editor_b = user_with_role(Role.EDITOR, tree.township_b, "editor_b")
    client.force_login(editor_b)
    response = client.post(reverse("learning_monthly:create", args=[template.pk]))
    assert response.status_code in (302, 403)
    assert not _packs().exists()
