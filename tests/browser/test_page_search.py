"""A visitor and then a member search the site from the header's box on a phone."""

import pytest

from portal.models import MicroLecturePage, NoticePage, Organization
from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory
from tests.portal.content.helpers import material, publish

from .conftest import screenshot
from .test_member_journey import assert_phone_friendly

pytestmark = pytest.mark.browser


@pytest.fixture
def content(home_page):
    """Published in a transaction of its own: the commit queues and indexes every page."""
    county = OrganizationFactory(
        name="测试县委",
        code="C",
        kind=Organization.Kind.COMMITTEE,
        level=Organization.Level.COUNTY,
        publishes=True,
    )
    section = county.section
    publish(section, material("学习党章：流动党员的必修课", summary="逐条学习党章总纲。"))
    publish(
        section,
        MicroLecturePage(title="三分钟读懂党章", speaker="李明", transcript="今天讲党章总纲。"),
        private=True,
    )
    publish(section, NoticePage(title="党章学习提示", body="<p>每月学习一次党章。</p>"))
    user = UserFactory(username="13900000001")
    MemberFactory(name="龙建华", phone="13900000001", origin=county, user=user)


def _titles(page) -> list[str]:
    return page.locator(".results .item-title").all_inner_texts()


def test_searching_from_the_header_on_a_phone(live_server, content, phone_page, request):
    page = phone_page
    page.goto(f"{live_server.url}/")
    page.fill(".site-search input[name=q]", "黨章")
    page.locator(".site-search button").click()
    page.wait_for_url(f"{live_server.url}/search/?q=*")
    assert sorted(_titles(page)) == ["党章学习提示", "学习党章：流动党员的必修课"]
    assert page.locator(".results mark").first.inner_text() == "党章"
    assert_phone_friendly(page)
    screenshot(page, request, "1-visitor")

    page.locator('.facets a[data-type="notice"]').click()
    assert _titles(page) == ["党章学习提示"]

    page.locator('a[href^="/accounts/login/?next="]').click()
    page.fill("input[name=username]", "13900000001")
    page.fill("input[name=password]", "Guiyan@2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/search/?q=*")
    assert _titles(page) == ["党章学习提示"]
    page.locator(".facets a").first.click()  # every type again
    assert len(_titles(page)) == 3 and "三分钟读懂党章" in _titles(page)

    page.fill("main input[name=q]", "liming")
    page.locator("main form button").click()
    page.wait_for_url(f"{live_server.url}/search/?q=liming*")
    assert _titles(page) == ["三分钟读懂党章"]
    assert_phone_friendly(page)
    screenshot(page, request, "2-member")
    page.locator(".results .item-title").click()
    assert page.locator("h1").first.inner_text() == "三分钟读懂党章"
