"""A micro-lecture on a phone over a slow link (Chromium's network throttled to 400 kbit/s
with 300 ms latency, through CDP): the player picks the phone rendition by itself, the poster
is there at once, and playback starts within five seconds of opening the page (2.4 s when
written: 1.4 s for the page, 1.0 s from play() to a moving picture). The original, asked for on the
same link, does not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import MicroLecturePage, Organization
from portal.registry.factories import OrganizationFactory
from portal.video import services as video_services
from tests.portal.content.helpers import publish
from tests.portal.video.test_rendition import noise_clip

from .conftest import screenshot

pytestmark = pytest.mark.browser
# About 400 kbit/s down: what a crowded 3G cell in a workshop gives.
SLOW_3G = {
    "offline": False,
    "latency": 300,
    "downloadThroughput": 50_000,
    "uploadThroughput": 25_000,
    "connectionType": "cellular3g",
}
START_WITHIN_MS = 5_000
PLAY = """async (limit) => {
    const video = document.querySelector('video[data-player]');
    video.muted = true;
    const started = performance.now();
    video.play().catch(() => {});
    while (video.currentTime === 0 && performance.now() - started < limit) {
        await new Promise(resolve => setTimeout(resolve, 50));
    }
    return {
        ms: performance.now() - started, sinceNavigation: performance.now(),
        at: video.currentTime, src: video.currentSrc,
    };
}"""


@pytest.fixture
def lecture(home_page, settings, tmp_path):
    """A public micro-lecture whose original is 4 s of random pixels at 854×480 (megabits per
    second: the worst case for a slow link), processed as an upload is."""
    settings.MEDIA_ROOT = tmp_path / "media"
    county = OrganizationFactory(
        name="测试县委",
        code="C",
        kind=Organization.Kind.COMMITTEE,
        level=Organization.Level.COUNTY,
        publishes=True,
    )
    clip = noise_clip(tmp_path / "noise.mp4", seconds=4).read_bytes()
    video = video_services.video_upload(
        title="按月报告去向",
        file=SimpleUploadedFile("lecture.mp4", clip),
        organization=county,
        uploaded_by=None,
    )
    video.refresh_from_db()
    assert video.is_ready and video.phone_file, video.error
    page = MicroLecturePage(title="三分钟学会报告去向", video=video, open_to_public=True)
    return publish(county.section, page)


def _throttle(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)


def test_on_a_slow_link_the_phone_rendition_starts_within_five_seconds(
    live_server, lecture, phone_page, request
):
    page = phone_page
    _throttle(page)
    page.goto(live_server.url + lecture.url, wait_until="domcontentloaded")
    # Chromium reports the emulated network to the page as a slow connection.
    effective = page.evaluate("navigator.connection && navigator.connection.effectiveType")
    assert effective in ("slow-2g", "2g", "3g"), effective
    player = page.locator("video[data-player]")
    assert player.get_attribute("data-rendition") == "phone"
    assert player.get_attribute("preload") in ("none", "metadata")
    poster = page.locator("video[data-player][poster]")
    assert poster.count() == 1
    played = page.evaluate(PLAY, START_WITHIN_MS)
    screenshot(page, request, "playing")
    assert played["src"].endswith(lecture.video.phone_file.name.rsplit("/", 1)[1])
    assert played["at"] > 0, f"not started after {played['ms']:.0f} ms"
    # From opening the address to the picture moving, the page's own load included.
    assert played["sinceNavigation"] < START_WITHIN_MS, played


def test_on_a_slow_link_the_original_would_not_start_in_time(live_server, lecture, phone_page):
    """The same link and page with ?quality=full: the megabit original is still loading."""
    page = phone_page
    _throttle(page)
    # Not "load": a player delays it until it has the file's index, at the end of this one.
    page.goto(live_server.url + lecture.url + "?quality=full", wait_until="domcontentloaded")
    assert page.locator("video[data-player]").get_attribute("data-rendition") == "original"
    played = page.evaluate(PLAY, START_WITHIN_MS)
    assert played["src"].endswith(lecture.video.file.name.rsplit("/", 1)[1])
    assert played["at"] == 0


def test_on_a_fast_link_a_phone_plays_the_original(live_server, lecture, phone_page):
    """Chromium tells the page the network is fast: the full-quality file, not the small one."""
    page = phone_page
    page.goto(live_server.url + lecture.url)
    assert page.evaluate("navigator.connection.effectiveType") == "4g"
    assert page.locator("video[data-player]").get_attribute("data-rendition") == "original"
