"""A member finds everything on a phone: from the home page every destination is at most two
taps away through the tab bar (首页 · 学习 · 包裹 · 消息 · 我的) or the home page's shortcuts,
and no member page is wider than a 320 px screen."""

import pytest

from learning.models import QuizPage, TrackPage, TrackStep
from portal.management.commands.seed_demo import demo_build
from portal.models import (
    CollectionPage,
    MicroLecturePage,
    NoticePage,
    RedPackageCatalogPage,
    RedPackagePage,
    SectionPage,
    StudyMaterialPage,
)
from portal.registry.demo import DEMO_MEMBER_PHONE, DEMO_PASSWORD

from .conftest import screenshot

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 740}
WHEREABOUTS, CERTIFICATE = "/me/whereabouts/", "/me/certificate/"


@pytest.fixture
def demo(home_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_build(members=0, seed=20260701)
    pack = TrackPage.objects.live().get(kind=TrackPage.Kind.MONTHLY_PACK, is_template=False)
    return {
        "catalog": RedPackageCatalogPage.objects.live().get().url,
        "collection": CollectionPage.objects.live().get(title="本月学习").url,
        "pack": pack.url,
        "section": SectionPage.objects.live().order_by("path").first().url,
    }


def log_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", DEMO_MEMBER_PHONE)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").tap()
    page.wait_for_url(f"{base}/")


def tab(name: str) -> str:
    return f"nav.tabbar a.tab-{name}"


def link(where: str, address: str) -> str:
    return f'{where} a[href="{address}"]'


def test_from_home_every_destination_is_two_taps_away(live_server, demo, phone_page, request):
    page, base = phone_page, live_server.url
    log_in(page, base)
    routes = {
        # destination: (taps from the home page, the address reached, the tab marked)
        "record": ([tab("study")], "/learning/record/", "study"),
        "pack": ([tab("study"), link("#due", demo["pack"])], demo["pack"], "study"),
        "collection": ([link("#shortcuts", demo["collection"])], demo["collection"], "study"),
        "section": ([link("#shortcuts", demo["section"])], demo["section"], "study"),
        "catalog": ([tab("packages"), "a.catalog-link"], demo["catalog"], "packages"),
        "inbox": ([tab("inbox")], "/inbox/", "inbox"),
        "whereabouts": ([tab("me"), link("#my-pages", WHEREABOUTS)], WHEREABOUTS, "me"),
        "certificate": ([tab("me"), link("#my-pages", CERTIFICATE)], CERTIFICATE, "me"),
    }
    for name, (taps, address, marked) in routes.items():
        assert len(taps) <= 2
        page.goto(f"{base}/")
        for selector in taps:
            target = page.locator(selector)
            assert target.is_visible(), f"{name}: {selector} is not on {page.url}"
            with page.expect_navigation():
                target.tap()
        assert page.url == f"{base}{address}", f"{name}: ended on {page.url}"
        assert page.locator("h1").first.is_visible()
        assert page.locator(f"{tab(marked)}[aria-current]").count() == 1, name
        assert page.locator("nav.tabbar a[aria-current]").count() == 1, name
        screenshot(page, request, name)


def pack_steps() -> dict:
    pack = TrackPage.objects.live().get(kind=TrackPage.Kind.MONTHLY_PACK, is_template=False)
    return {step.kind: step for step in pack.steps.all()}


def member_pages(base: str) -> list[str]:
    """Every kind of page a member opens, as the demo has them."""
    steps = pack_steps()
    pack = steps[TrackStep.Kind.QUIZ].track
    pages = [
        "/",
        "/learning/record/",
        "/inbox/",
        "/me/",
        "/me/packages/",
        "/me/whereabouts/",
        "/me/certificate/",
        "/me/contact-card/",
        "/lectures/mine/",
        "/lectures/submit/",
        "/search/?q=党章",
        "/learning/verify/",
        pack.url,
        steps[TrackStep.Kind.MATERIAL].get_url(),
        steps[TrackStep.Kind.LECTURE].get_url(),
        steps[TrackStep.Kind.QUIZ].get_url(),
        QuizPage.objects.live().first().url,
    ]
    for model in (
        SectionPage,
        CollectionPage,
        RedPackageCatalogPage,
        RedPackagePage,
        StudyMaterialPage,
        MicroLecturePage,
        NoticePage,
    ):
        pages.append(model.objects.live().order_by("path").first().url)
    tag = StudyMaterialPage.objects.live().filter(tags__isnull=False).first().tags.first()
    pages.append(f"/tags/{tag.slug}/")
    return [f"{base}{path}" for path in pages]


def assert_fits(page, width: int) -> None:
    """Nothing wider than the screen, and no tab label broken over two lines."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px wide"
    lines = page.evaluate(
        """() => [...document.querySelectorAll('nav.tabbar a')].map(a => {
             const range = document.createRange(); range.selectNodeContents(a.firstChild);
             return range.getClientRects().length; })"""
    )
    assert lines == [1] * 5, f"{page.url}: a tab label wraps ({lines})"


def test_no_member_page_is_wider_than_a_320_px_phone(live_server, demo, phone_page, request):
    page, base = phone_page, live_server.url
    page.set_viewport_size(NARROW)
    log_in(page, base)
    for url in member_pages(base):
        response = page.goto(url)
        assert response.status == 200, url
        assert_fits(page, NARROW["width"])

    # The quiz's questions, each heading inside its box, and the result after answering.
    page.goto(base + pack_steps()[TrackStep.Kind.QUIZ].get_url())
    page.locator("#quiz-start button").tap()
    page.locator("fieldset.question").first.wait_for()
    assert_fits(page, NARROW["width"])
    inside = page.evaluate(
        """() => [...document.querySelectorAll('fieldset.question')].every(box => {
             const legend = box.querySelector('legend').getBoundingClientRect();
             const outer = box.getBoundingClientRect();
             const border = parseFloat(getComputedStyle(box).borderTopWidth);
             return legend.top >= outer.top + border && legend.right <= outer.right; })"""
    )
    assert inside, "a question's heading runs into its box's border"
    screenshot(page, request, "quiz")
    for box in page.locator("fieldset.question").all():
        box.locator("input").first.tap()
    page.locator("#quiz-form button[type=submit]").tap()
    page.wait_for_url("**/attempts/**")
    assert_fits(page, NARROW["width"])


def test_the_host_organisation_select_is_as_wide_and_tall_as_the_other_fields(
    live_server, demo, phone_page
):
    page, base = phone_page, live_server.url
    log_in(page, base)
    page.goto(f"{base}/me/whereabouts/")
    select = page.locator("main select").first.bounding_box()
    text = page.locator("main input[type=text]").first.bounding_box()
    assert select["width"] == pytest.approx(text["width"], abs=1)
    assert select["height"] >= 40
