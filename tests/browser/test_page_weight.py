"""The page-weight budget of a member's phone on a slow network (issue 15): a member page's
first load transfers at most 150 KB (videos excepted) and a repeat visit at most 20 KB.

Measured in Chromium through the DevTools protocol (the bytes each response took on the wire,
headers included, as ``Network.loadingFinished`` reports them) against a server that serves
static files as production does: collected by ``CompressedManifestStaticFilesStorage`` (hashed
names, gzipped copies) and sent by WhiteNoise, with pages gzipped by the middleware. The
service worker is kept out so that the browser's own HTTP cache is what is measured; the
worker's update check (one request for /sw.js on a visit) is added to every repeat visit.
"""

import gzip
import io
import urllib.request

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from PIL import Image as PILImage
from PIL import ImageFilter
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from portal.registry.factories import MemberFactory, UserFactory
from tests.learning.quiz_helpers import ordered_setup

from .conftest import PHONE, TIMEOUT_MS

pytestmark = pytest.mark.browser
FIRST_LOAD_BUDGET = 150_000
REPEAT_VISIT_BUDGET = 20_000
YEAR_SECONDS = 365 * 24 * 3600
MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"
PHONE_NUMBER = "13900000016"
PASSWORD = "Guiyan@2026"


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory, django_test_environment):
    """collectstatic as a production build runs it, once per session."""
    from django.conf import settings

    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_server(transactional_db, settings, collected_static):
    """A live server whose static files come from WhiteNoise and the collected manifest, not
    from the test server's own static handler."""
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.DEBUG = False
    thread = LiveServerThread("localhost", static_handler=lambda app: app, connections_override={})
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


def photo() -> ImageFile:
    """A photo-like picture (gradients under fine grain) of 1600×1067: about 350 KB as the
    JPEG an editor uploads, about 50 KB as the 720-wide WebP a 360 px phone (2× screen) gets."""
    noise = PILImage.effect_noise((1600, 1067), 64).filter(ImageFilter.GaussianBlur(1.5))
    gradient = PILImage.linear_gradient("L").resize(noise.size)
    flipped = gradient.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT)
    picture = PILImage.merge("RGB", (PILImage.blend(noise, gradient, 0.5), noise, flipped))
    data = io.BytesIO()
    picture.save(data, "JPEG", quality=90)
    return ImageFile(data, name="photo.jpg")


@pytest.fixture
def member_pages(home_page, tree, settings, tmp_path):
    """The pages a member opens most, the study material with a photo at its top (in view,
    so that its lazy loading does not keep it out of the first load)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    setup = ordered_setup(tree.township_a)
    image = get_image_model().objects.create(title="学习配图", file=photo())
    setup.study.body = [
        ("image", image),
        ("paragraph", RichText("<p>" + "党" * 800 + "</p>")),
    ]
    setup.study.save_revision().publish()
    user = UserFactory(username=PHONE_NUMBER, password=PASSWORD)
    MemberFactory(name="龙小燕", phone=PHONE_NUMBER, origin=tree.village_a1, user=user)
    return {
        "home": "/",
        "study material": setup.study.url,
        "material step": setup.steps.material.get_url(),
        "track": setup.track.url,
        "record": "/learning/record/",
    }


def signed_in_state(browser, server: str) -> dict:
    context = browser.new_context(locale="zh-CN", service_workers="block")
    page = context.new_page()
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=username]", PHONE_NUMBER)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{server}/")
    state = context.storage_state()
    context.close()
    return state


class Load:
    """What one navigation transferred, response by response."""

    def __init__(self, page):
        self.responses = {}
        self.sizes = {}
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.send("Network.enable")

    def _response(self, event):
        self.responses[event["requestId"]] = (event["type"], event["response"])

    def _finished(self, event):
        self.sizes[event["requestId"]] = event["encodedDataLength"]

    def visit(self, page, url: str) -> int:
        self.responses.clear()
        self.sizes.clear()
        page.goto(url, wait_until="networkidle")
        return self.transferred()

    def transferred(self) -> int:
        return sum(
            size
            for request_id, size in self.sizes.items()
            if self.responses.get(request_id, ("",))[0] != "Media"
        )

    def sizes_of_type(self, kind: str) -> dict[str, int]:
        return {
            response["url"].rsplit("/", 1)[-1]: self.sizes.get(request_id, 0)
            for request_id, (type_, response) in self.responses.items()
            if type_ == kind
        }

    def of_type(self, kind: str) -> list[dict]:
        return [response for type_, response in self.responses.values() if type_ == kind]


def header(response: dict, name: str) -> str:
    return next((v for k, v in response["headers"].items() if k.lower() == name), "")


def service_worker_check_bytes(server: str) -> int:
    url = f"{server}/sw.js"  # the test's own http:// server
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request) as response:  # noqa: S310
        body = response.read()
        assert response.headers["Content-Encoding"] == "gzip"
        headers = str(response.headers)
    assert b"guiyan-" in gzip.decompress(body)
    return len(body) + len(headers)


def test_member_pages_stay_within_the_page_weight_budget(
    production_server, member_pages, browser, capsys
):
    """First load ≤ 150 KB and repeat visit ≤ 20 KB for the home page, a study material, a
    track step, a track and "my record"; static files are hashed and cacheable for a year,
    pages are gzipped, and no web font is downloaded."""
    state = signed_in_state(browser, production_server)
    sw_bytes = service_worker_check_bytes(production_server)
    figures = []
    for name, path in member_pages.items():
        context = browser.new_context(
            locale="zh-CN",
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,  # a 2× screen: the 720-wide picture
            storage_state=state,
            service_workers="block",
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        load = Load(page)
        first = load.visit(page, production_server + path)
        assert page.url == production_server + path, f"{name}: not signed in"
        images = load.sizes_of_type("Image")
        if name in ("study material", "material step"):
            assert images, f"{name}: the photo was not loaded"
        assert not load.of_type("Font"), f"{name} downloads a web font"
        html = load.of_type("Document")[0]
        assert header(html, "content-encoding") == "gzip", f"{name} is not compressed"
        for response in load.of_type("Stylesheet") + load.of_type("Script"):
            assert f"max-age={10 * YEAR_SECONDS}" in header(response, "cache-control") or (
                "immutable" in header(response, "cache-control")
            ), f"{response['url']} is not cached for long"
            assert header(response, "content-encoding") == "gzip", f"{response['url']}"
        repeat = load.visit(page, production_server + path) + sw_bytes
        context.close()
        figures.append((name, first, repeat, images))
        assert first <= FIRST_LOAD_BUDGET, f"{name}: first load {first} bytes"
        assert repeat <= REPEAT_VISIT_BUDGET, f"{name}: repeat visit {repeat} bytes"
    with capsys.disabled():
        for name, first, repeat, images in figures:
            print(f"\npage weight: {name}: first {first} B, repeat {repeat} B, images {images}")
