"""Browser tests: Debian's Chromium driven by Playwright's sync API against ``live_server``.

Every test here gets a transactional database (``live_server`` needs one) with serialized
rollback, so the data the migrations create (the Wagtail root and home page, the default
site, role groups) is there at the start of each test even though a transactional test ends
by emptying the tables. At the end of the session that data is put back once more, so the
database kept by ``--reuse-db`` still has its home page for the next run. A transactional
test elsewhere without serialized rollback can still leave the kept database without it;
the ``home_page`` fixture makes the home page again when it is missing.

Screenshots: every page fixture saves a full-page screenshot of its last state to
``var/screenshots/<test name>.png`` when the test ends, pass or fail; ``screenshot`` saves
one at any step of a journey.
"""

import importlib
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


@pytest.fixture(scope="session", autouse=True)
def _restore_migrated_data(django_db_setup, django_db_blocker):
    """After the last browser test has flushed the tables, load what the migrations made."""
    yield
    from django.core.management import call_command
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if not contents:
                continue
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=connection.alias,
                inhibit_post_migrate=True,
            )
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _browser_db(django_db_serialized_rollback):
    """Serialized rollback for every browser test; see the module docstring."""


@pytest.fixture
def home_page(_browser_db):
    """The live home page, as the default site's root; made like its migration if missing."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from portal.models import HomePage

    home = HomePage.objects.live().first()
    if home is None:
        migration = importlib.import_module("portal.migrations.0003_create_home_page")
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale, _created = Locale.objects.get_or_create(language_code=language)
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locale)
        )
        home = root.add_child(
            instance=HomePage(
                title=migration.HOME_TITLE, slug="home", intro=migration.HOME_INTRO, locale=locale
            )
        )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "归雁"},
    )
    return home


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
