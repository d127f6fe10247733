"""A member on a phone completes a track: reads the material, watches the micro-lecture (a
real few-second video that really plays), passes the quiz, and finds the study hours and
points on "my record"."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from learning.models import CreditEntry, QuizAttempt, StepProgress, TrackCompletion
from learning.quizzes.selectors import attempt_questions
from portal.registry.factories import MemberFactory, UserFactory
from portal.video import services as video_services
from tests.learning.quiz_helpers import ordered_setup
from tests.portal.video.helpers import make_video

from .conftest import screenshot
from .test_member_journey import assert_phone_friendly

pytestmark = pytest.mark.browser
PHONE_NUMBER = "13900000002"
PASSWORD = "Guiyan@2026"
STEP_DONE_MS = 30_000  # the reading heartbeat comes every 15 s


@pytest.fixture
def journey(home_page, tree, settings, tmp_path, monkeypatch):
    """The township's track with a 4-second lecture video, and a material that needs a few
    seconds of reading (not the 30 s floor) so the journey stays short."""
    import learning.progress.selectors

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEARNING_READING_CHARS_PER_MINUTE = 20_000
    monkeypatch.setattr(learning.progress.selectors, "MIN_READING_SECONDS", 3)
    setup = ordered_setup(tree.township_a)
    user = UserFactory(username=PHONE_NUMBER, password=PASSWORD)
    member = MemberFactory(name="龙小燕", phone=PHONE_NUMBER, origin=tree.village_a1, user=user)
    video = video_services.video_upload(
        title="初心微党课",
        file=SimpleUploadedFile("lecture.mp4", make_video(seconds=4)),
        organization=tree.township_a,
        uploaded_by=user,
    )
    video.refresh_from_db()
    assert video.is_ready, video.error
    setup.lecture.video = video
    setup.lecture.save_revision().publish()
    setup.track.deadline = timezone.localdate() + datetime.timedelta(days=7)
    setup.track.save_revision().publish()
    setup.member = member
    return setup


def log_in(page, live_server, next_path: str) -> None:
    page.goto(live_server.url + next_path)
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", PHONE_NUMBER)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + next_path)


def open_step(page, step) -> None:
    page.locator(f"#step-{step.pk} a.item-title").click()
    page.wait_for_url(f"**{step.get_url()}")
    assert_phone_friendly(page)


def back_to_track(page, live_server, track) -> None:
    page.goto(live_server.url + track.url)
    assert_phone_friendly(page)


def read_material(page, journey) -> None:
    open_step(page, journey.steps.material)
    page.locator("#step-status").wait_for(state="visible", timeout=STEP_DONE_MS)


def watch_lecture(page, journey) -> None:
    open_step(page, journey.steps.lecture)
    played = page.evaluate(
        """async () => {
            const video = document.getElementById('lecture-player');
            video.muted = true;
            const ended = new Promise(resolve => video.addEventListener('ended', resolve));
            await video.play();
            await ended;
            return video.currentTime;
        }"""
    )
    assert played > 3.5, "the micro-lecture did not play to its end"
    page.locator("#step-status").wait_for(state="visible", timeout=STEP_DONE_MS)


def pass_quiz(page, journey) -> None:
    open_step(page, journey.steps.quiz)
    page.locator("#quiz-start button").click()
    page.locator("#quiz-form").wait_for()
    attempt = QuizAttempt.objects.get(member=journey.member)
    for question in attempt_questions(attempt, answers={}):
        for choice in question.choices:
            if choice.correct:
                page.check(f'input[name="q-{question.id}"][value="{choice.value}"]')
    assert_phone_friendly(page)
    page.locator("#quiz-form button[type=submit]").click()
    page.locator("#result[data-passed=true]").wait_for()
    assert page.locator("#score").inner_text() == "100%"
    assert_phone_friendly(page)


def test_member_completes_a_track_on_a_phone_and_sees_the_credit(
    live_server, journey, phone_page, request
):
    page = phone_page
    log_in(page, live_server, "/learning/record/")
    assert page.locator("#hours-total").inner_text() == "0"
    assert_phone_friendly(page)
    screenshot(page, request, "1-record-before")

    page.locator(f'#due [data-track="{journey.track.pk}"] a').click()
    page.wait_for_url(live_server.url + journey.track.url)
    assert_phone_friendly(page)
    screenshot(page, request, "2-track")

    read_material(page, journey)
    screenshot(page, request, "3-material-read")
    back_to_track(page, live_server, journey.track)
    watch_lecture(page, journey)
    screenshot(page, request, "4-lecture-watched")
    back_to_track(page, live_server, journey.track)
    assert page.locator(f"#step-{journey.steps.material.pk}").get_attribute("data-state") == "done"
    assert page.locator(f"#step-{journey.steps.lecture.pk}").get_attribute("data-state") == "done"
    pass_quiz(page, journey)
    screenshot(page, request, "5-quiz-passed")

    page.locator("#back-to-track").click()
    page.locator("#track-done").wait_for()
    screenshot(page, request, "6-track-done")

    page.locator("nav.tabbar a.tab-study").click()
    page.wait_for_url(f"{live_server.url}/learning/record/")
    completion = TrackCompletion.objects.get(member=journey.member)
    points = sum(CreditEntry.objects.filter(member=journey.member).values_list("points", flat=True))
    assert page.locator("#hours-total").inner_text() == "2"
    assert page.locator("#points-total").inner_text() == str(points)
    assert page.locator(f'[data-completion="{completion.pk}"] .code').inner_text() == (
        completion.certificate.code
    )
    assert page.locator(f'#due [data-track="{journey.track.pk}"]').count() == 0
    assert_phone_friendly(page)
    screenshot(page, request, "7-record-after")


def test_a_lecture_watched_while_the_network_drops_completes_without_watching_again(
    live_server, journey, phone_page, request
):
    """On a 360×740 phone the member starts the micro-lecture; the network drops for 30 s
    while it plays to its end. The page says the reports wait; when the network is back the
    queued segments go out and the step completes, with nothing played twice."""
    page = phone_page
    lecture = journey.steps.lecture
    log_in(page, live_server, journey.track.url)
    open_step(page, lecture)
    page.evaluate(
        """() => new Promise(resolve => {
            const video = document.getElementById('lecture-player');
            video.muted = true;
            video.preload = 'auto';
            if (video.readyState >= 4) resolve(); else {
                video.addEventListener('canplaythrough', resolve, { once: true });
                video.load();
            }
        })"""
    )
    page.context.set_offline(True)
    played = page.evaluate(
        """async () => {
            const video = document.getElementById('lecture-player');
            const ended = new Promise(resolve => video.addEventListener('ended', resolve));
            await video.play();
            await ended;
            return video.currentTime;
        }"""
    )
    assert played > 3.5, "the micro-lecture did not play to its end"
    page.locator("#step-network").filter(has_text="离线").wait_for()
    page.wait_for_timeout(30_000)
    assert page.locator("#step-status").is_hidden()
    progress = StepProgress.objects.get(member=journey.member, step=lecture)
    assert progress.completed_at is None and progress.segments == []
    screenshot(page, request, "1-offline")
    assert_phone_friendly(page)

    page.context.set_offline(False)
    page.locator("#step-status").wait_for(state="visible", timeout=2 * STEP_DONE_MS)
    assert page.locator("#step-network").inner_text() == ""
    progress.refresh_from_db()
    assert progress.completed_at is not None
    assert progress.seconds_credited >= 3 and progress.segments_pending == []
    key = f"guiyan.progress.queue.{journey.member.user_id}"
    queue = page.evaluate("key => JSON.parse(localStorage.getItem(key))", key)
    assert queue == []
