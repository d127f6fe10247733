"""Browser tests: Debian's Chromium driven by Playwright's sync API against ``live_server``.

Every test here gets a transactional database (``live_server`` needs one). Its flush at the
end re-runs post_migrate, which restores what every database needs (role groups, the page
tree with its home page, the default site), so a database kept by ``--reuse-db`` stays whole.

Screenshots: every page fixture saves a full-page screenshot of its last state to
``var/screenshots/<test name>.png`` when the test ends, pass or fail; ``screenshot`` saves
one at any step of a journey.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM
# calls from the test unless this is set. bin/test sets it; this covers plain pytest.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
TIMEOUT_MS = 10_000


@pytest.fixture
def home_page(transactional_db):
    """The live home page. A transactional test's flush re-runs post_migrate, which puts the
    page tree, the home page and the default site back
    (portal.content.services.site_home_ensure)."""
    from portal.models import HomePage

    return HomePage.objects.live().get()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (bin/test does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Wagtail's editor form (its w-unsaved controller) takes a first look at the form two seconds
# after it connects and announces it with this event; only edits after it reach the autosave.
WATCH_EDITS = (
    "document.addEventListener('w-unsaved:watch-edits', () => { window.editsWatched = true; });"
)


def open_page_editor(page, url: str) -> None:
    """Open Wagtail's page editor and wait for its first look at the form, as a person's
    first keystroke always does: the edits that follow are autosaved."""
    page.add_init_script(WATCH_EDITS)
    page.goto(url)
    page.wait_for_function("() => window.editsWatched === true")


def autosaved_page_id(page) -> int:
    """Wait for the autosave of an add form: it creates the page and turns the form, and the
    address, into the page's edit form. Submitting the add form before that posts it twice,
    the submitted page and, from the autosave pending or on its way, a draft copy ("…-2")."""
    page.locator("#w-autosave-indicator[data-w-autosave-state-value=saved]").wait_for()
    edit_url = re.compile(r"/admin/pages/(\d+)/edit/$")
    page.wait_for_url(edit_url)
    return int(edit_url.search(page.url).group(1))


def screenshot(page, request, step: str = "") -> Path:
    """Save a full-page screenshot as var/screenshots/<test name>[-<step>].png."""
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    path = SCREENSHOTS / (f"{name}-{step}.png" if step else f"{name}.png")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def _page(browser, request, **context_options):
    context = browser.new_context(locale="zh-CN", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    try:
        screenshot(page, request)
    finally:
        context.close()


@pytest.fixture
def phone_page(browser, request):
    """A fresh phone-sized context (360×740, touch, zh-CN) with one page."""
    yield from _page(
        browser,
        request,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


@pytest.fixture
def desktop_page(browser, request):
    """A fresh desktop context (1366×768, zh-CN) with one page."""
    yield from _page(browser, request, viewport=DESKTOP)


def county_and_township(township_name: str = "甲镇党委", code: str = "A"):
    """A publishing county with one publishing township under it (each with its section)."""
    from portal.models import Organization
    from portal.registry.factories import OrganizationFactory

    county = OrganizationFactory(
        name="测试县委",
        code="C",
        kind=Organization.Kind.COMMITTEE,
        level=Organization.Level.COUNTY,
        publishes=True,
    )
    township = OrganizationFactory(
        parent=county,
        name=township_name,
        code=code,
        kind=Organization.Kind.COMMITTEE,
        level=Organization.Level.TOWNSHIP,
        publishes=True,
    )
    return county, township
