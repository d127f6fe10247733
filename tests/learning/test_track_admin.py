"""Tracks and quizzes in the Wagtail admin: where they may be created, who may write, submit
and approve them in which section, the step validation editors see, and their privacy."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from learning.models import QuizPage, TrackAssignment, TrackPage, TrackStep
from portal.models import (
    HomePage,
    MicroLecturePage,
    Role,
    SectionPage,
    StudyMaterialPage,
)
from portal.registry import services
from portal.registry.factories import MemberFactory
from tests.portal.content.helpers import publish
from tests.portal.content.publishing_support import sections_for, study_material, workflow_action

from .helpers import quiz_page


class TestPageTree(WagtailPageTestCase):
    def test_tracks_and_quizzes_go_in_a_section(self):
        self.assertCanCreateAt(SectionPage, TrackPage)
        self.assertCanCreateAt(SectionPage, QuizPage)

    def test_not_beside_the_sections_nor_under_study_content(self):
        for model in (TrackPage, QuizPage):
            self.assertCanNotCreateAt(HomePage, model)
            self.assertCanNotCreateAt(StudyMaterialPage, model)
            self.assertCanNotCreateAt(MicroLecturePage, model)
            self.assertCanNotCreateAt(TrackPage, model)


@pytest.fixture
def sections(tree):
    return sections_for(tree)


@pytest.fixture
def people(tree, sections, user_with_role):
    return {
        "editor_a": user_with_role(Role.EDITOR, tree.township_a, "editor_a"),
        "reviewer_a": user_with_role(Role.REVIEWER, tree.township_a, "reviewer_a"),
        "county_reviewer": user_with_role(Role.REVIEWER, tree.county, "county_reviewer"),
    }


@pytest.fixture
def study(sections):
    return study_material(sections.a, "学习党章", publish=True)


def add_url(section, model=TrackPage) -> str:
    return reverse("wagtailadmin_pages:add", args=["learning", model._meta.model_name, section.pk])


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def step_data(kind, *, page=None, title="", starts_at="", required=True) -> dict:
    return {
        "kind": kind,
        "page": page.pk if page else "",
        "title": title,
        "required": "on" if required else "",
        "session_starts_at": starts_at,
        "session_place": "",
        "id": "",
    }


def track_form_data(title: str, slug: str, steps: list[dict], **extra) -> dict:
    """What the admin's track form posts."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "本月学习安排",
            "kind": TrackPage.Kind.GENERAL,
            "study_hours": "2.0",
            "points": "20",
            "deadline": "",
            "steps": inline_formset(steps),
            "comments": inline_formset([]),
            **extra,
        }
    )


def _add_track(client, section, study, slug="yuexue", **extra):
    steps = [step_data(TrackStep.Kind.MATERIAL, page=study)]
    return client.post(add_url(section), track_form_data("十一月学习包", slug, steps, **extra))


def test_editor_adds_a_track_in_own_section_submits_it_and_cannot_publish(
    client, sections, people, study
):
    client.force_login(people["editor_a"])
    assert client.get(add_url(sections.a)).status_code == 200
    response = _add_track(client, sections.a, study, **{"action-publish": "1"})
    assert response.status_code == 302
    track = TrackPage.objects.get(slug="yuexue")
    assert track.get_parent().pk == sections.a.pk
    assert not track.live  # the editor's publish is not honoured
    assert [s.page_id for s in track.steps.all()] == [study.pk]

    edited = track_form_data(
        "十一月学习包（修订）",
        "yuexue",
        [step_data(TrackStep.Kind.MATERIAL, page=study)],
        **{"action-submit": "1"},
    )
    assert client.post(edit_url(track), edited).status_code == 302
    track.refresh_from_db()
    assert track.workflow_in_progress
    assert not track.live
    assert not track.permissions_for_user(people["editor_a"]).can_publish()


def test_editor_cannot_add_or_edit_a_track_in_another_section(client, sections, people, study):
    other = TrackPage(title="乙乡学习包", slug="yixiang")
    other.steps = [TrackStep(kind=TrackStep.Kind.MATERIAL, page=study)]
    publish(sections.b, other)
    client.force_login(people["editor_a"])

    assert client.get(add_url(sections.b)).status_code in (302, 403)
    _add_track(client, sections.b, study, slug="yuequan")
    assert not TrackPage.objects.filter(slug="yuequan").exists()
    assert client.get(edit_url(other)).status_code in (302, 403)
    client.post(edit_url(other), track_form_data("改别人的", "yixiang", []))
    assert other.get_latest_revision_as_object().title == "乙乡学习包"


@pytest.mark.parametrize("reviewer", ["reviewer_a", "county_reviewer"])
def test_a_reviewer_of_the_section_or_the_county_approves_and_the_track_goes_live(
    client, sections, people, study, reviewer
):
    client.force_login(people["editor_a"])
    _add_track(client, sections.a, study, **{"action-submit": "1"})
    track = TrackPage.objects.get(slug="yuexue")
    assert track.workflow_in_progress
    client.force_login(people[reviewer])
    assert workflow_action(client, track, "approve").status_code == 302
    track.refresh_from_db()
    assert track.live


def test_the_county_reviewer_may_publish_tracks_in_every_section_a_township_reviewer_in_own(
    sections, people, study
):
    for section in (sections.a, sections.b, sections.county):
        track = TrackPage(title="学习包", slug=f"track-{section.pk}")
        track.steps = [TrackStep(kind=TrackStep.Kind.MATERIAL, page=study)]
        section.add_child(instance=track)
        assert track.permissions_for_user(people["county_reviewer"]).can_publish()
        own = track.permissions_for_user(people["reviewer_a"]).can_publish()
        assert own == (section.pk == sections.a.pk)


def _step_errors(response) -> list[dict]:
    formset = response.context["form"].formsets["steps"]
    return [dict(form.errors) for form in formset.forms]


def test_an_offline_step_without_a_date_is_refused_on_its_field(client, sections, people):
    client.force_login(people["editor_a"])
    steps = [step_data(TrackStep.Kind.OFFLINE, title="主题党日集中学习")]
    response = client.post(add_url(sections.a), track_form_data("集中学习", "jizhong", steps))
    assert response.status_code == 200
    assert list(_step_errors(response)[0]) == ["session_starts_at"]
    assert not TrackPage.objects.filter(slug="jizhong").exists()
    html = response.content.decode()
    form = response.context["form"].formsets["steps"].forms[0]
    assert str(form["session_starts_at"].label) in html
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(_("An offline session needs its date and time.")) in html


def test_a_lecture_step_pointing_to_a_study_material_is_refused(client, sections, people, study):
    client.force_login(people["editor_a"])
    steps = [step_data(TrackStep.Kind.LECTURE, page=study)]
    response = client.post(add_url(sections.a), track_form_data("微党课", "weidangke", steps))
    assert response.status_code == 200
    assert list(_step_errors(response)[0]) == ["page"]
    assert not TrackPage.objects.filter(slug="weidangke").exists()


def test_an_offline_step_with_its_date_is_saved(client, sections, people):
    client.force_login(people["editor_a"])
    starts = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%Y-%m-%d 09:00")
    steps = [step_data(TrackStep.Kind.OFFLINE, title="主题党日集中学习", starts_at=starts)]
    response = client.post(add_url(sections.a), track_form_data("集中学习", "jizhong", steps))
    assert response.status_code == 302
    step = TrackPage.objects.get(slug="jizhong").steps.get()
    assert step.session_starts_at is not None


# --- Privacy ----------------------------------------------------------------------------


LOGIN = PageViewRestriction.LOGIN


def test_a_track_made_in_the_admin_is_members_only(client, sections, people, study):
    client.force_login(people["editor_a"])
    _add_track(client, sections.a, study)
    track = TrackPage.objects.get(slug="yuexue")
    assert list(track.view_restrictions.values_list("restriction_type", flat=True)) == [LOGIN]


def test_a_quiz_made_in_the_admin_is_members_only(client, sections, people):
    client.force_login(people["editor_a"])
    data = nested_form_data(
        {
            "title": "党章知识测试",
            "slug": "ceshi",
            "intro": "",
            "draw_count": "0",
            "pass_mark": "60",
            "attempt_limit": "3",
            "questions-count": "1",
            "questions-0-type": "true_false",
            "questions-0-deleted": "",
            "questions-0-order": "0",
            "questions-0-id": "q1",
            "questions-0-value-prompt": "流动党员每年应至少完成32学时集中学习。",
            "questions-0-value-true": "on",
            "questions-0-value-explanation": "",
            "comments": inline_formset([]),
        }
    )
    response = client.post(add_url(sections.a, QuizPage), data)
    assert response.status_code == 302, response.content[:300]
    quiz = QuizPage.objects.get(slug="ceshi")
    assert list(quiz.view_restrictions.values_list("restriction_type", flat=True)) == [LOGIN]


def _live_track(client, sections, people, study) -> TrackPage:
    client.force_login(people["editor_a"])
    _add_track(client, sections.a, study, **{"action-submit": "1"})
    track = TrackPage.objects.get(slug="yuexue")
    client.force_login(people["reviewer_a"])
    workflow_action(client, track, "approve")
    client.logout()
    track.refresh_from_db()
    return track


def test_anonymous_visitors_of_a_live_track_are_sent_to_log_in(client, sections, people, study):
    track = _live_track(client, sections, people, study)
    assert track.live
    response = client.get(track.url)
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_a_member_reads_a_live_track_and_an_anonymous_visitor_does_not(
    client, tree, sections, people, study
):
    track = _live_track(client, sections, people, study)
    TrackAssignment.objects.create(track=track, organization=tree.township_a)
    member = MemberFactory(origin=tree.village_a1)
    services.member_account_issue(member=member, issued_by=None)
    client.force_login(member.user)
    response = client.get(track.url)
    assert response.status_code == 200
    assert "十一月学习包" in response.content.decode()
    client.logout()
    assert client.get(track.url).status_code == 302


def test_a_quiz_published_by_a_service_is_members_only_too(sections):
    from portal.content.services import page_privacy_default

    quiz = quiz_page()
    sections.a.add_child(instance=quiz)
    assert page_privacy_default(page=quiz) is not None
    assert quiz.view_restrictions.get().restriction_type == LOGIN
