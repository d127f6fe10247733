import pytest
from django.test import Client

from learning.models import StepProgress
from portal.registry.factories import UserFactory

from ..helpers import learning_setup, steps_by_kind


@pytest.fixture
def setup(tree):
    setup = learning_setup(tree.township_a)
    setup.steps = steps_by_kind(setup.track)
    return setup


def logged_in(member) -> Client:
    if member.user_id is None:
        member.user = UserFactory()
        member.save()
    client = Client()
    client.force_login(member.user)
    return client


def url(step) -> str:
    return f"/learning/tracks/{step.track_id}/steps/{step.pk}/"


def test_a_material_step_shows_the_text_and_starts_the_clock(setup, members):
    """The body is on the page (also without JavaScript, which the page says), with the
    progress bar the script updates and a way back to the track."""
    response = logged_in(members.a1).get(url(setup.steps.material))
    assert response.status_code == 200
    html = response.content.decode()
    assert "党" * 100 in html
    assert 'id="step-progress"' in html and "<noscript>" in html
    assert f'data-step="{setup.steps.material.pk}"' in html
    assert 'src="/static/learning/progress.js" defer' in html
    assert f'href="{setup.track.url}"' in html
    progress = StepProgress.objects.get(member=members.a1, step=setup.steps.material)
    assert progress.required_seconds == 122


def test_a_lecture_step_resumes_where_the_member_left_off(setup, members):
    client = logged_in(members.a1)
    client.get(url(setup.steps.lecture))
    StepProgress.objects.filter(member=members.a1).update(position=47.5)
    html = client.get(url(setup.steps.lecture)).content.decode()
    assert 'id="lecture-player"' in html
    assert 'data-position="47.5"' in html
    assert setup.video.file.url in html
    assert 'id="resume-note"' in html


def test_members_of_another_organisation_get_404(setup, members):
    """Township B's member is not assigned the track: the step does not exist for them."""
    client = logged_in(members.b1)
    for step in (setup.steps.material, setup.steps.lecture, setup.steps.reading):
        assert client.get(url(step)).status_code == 404
    assert not StepProgress.objects.exists()


def test_steps_of_a_track_that_is_not_live_get_404(setup, members):
    setup.track.unpublish()
    assert logged_in(members.a1).get(url(setup.steps.material)).status_code == 404


def test_visitors_log_in_and_users_without_a_member_record_are_refused(setup):
    response = Client().get(url(setup.steps.material))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    staff = Client()
    staff.force_login(UserFactory())
    assert staff.get(url(setup.steps.material)).status_code == 403


def test_offline_steps_have_no_page_and_quizzes_have_their_own(setup, members):
    client = logged_in(members.a1)
    assert client.get(url(setup.steps.offline)).status_code == 404
    response = client.get(url(setup.steps.quiz))
    assert response.status_code == 302
    assert response["Location"] == setup.steps.quiz.get_url()


def test_a_short_reading_note_is_shown_again_with_the_error(setup, members):
    client = logged_in(members.a1)
    response = client.post(url(setup.steps.reading), {"note": "读完了。"})
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert "读完了。" in response.content.decode()
    progress = StepProgress.objects.get(member=members.a1, step=setup.steps.reading)
    assert progress.completed_at is None and progress.note == ""


def test_a_reading_note_completes_the_step_and_redirects(setup, members):
    client = logged_in(members.a1)
    note = "认真学习了党章和二十大报告，" * 5
    response = client.post(url(setup.steps.reading), {"note": note})
    assert response.status_code == 302 and response["Location"] == url(setup.steps.reading)
    page = client.get(url(setup.steps.reading))
    assert page.context["state"]["completed"]
    assert note.strip() in page.content.decode()
    assert StepProgress.objects.get(step=setup.steps.reading).completed_at is not None


def test_the_reading_step_lists_the_books_and_needs_no_script(setup, members):
    html = logged_in(members.a1).get(url(setup.steps.reading)).content.decode()
    assert 'id="reading-note"' in html and 'method="post"' in html
    assert "progress.js" not in html
