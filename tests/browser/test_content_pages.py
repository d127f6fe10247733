"""A member reads the section, a study material, a micro-lecture and a collection on a phone."""

import pytest
from django.contrib.contenttypes.models import ContentType

from portal.models import CollectionPage, MicroLecturePage, NoticePage, Organization
from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory
from tests.portal.content.helpers import (
    material,
    publish,
    ready_video,
    sample_document,
    sample_image,
)

from .conftest import screenshot
from .test_member_journey import assert_phone_friendly

pytestmark = pytest.mark.browser


@pytest.fixture
def content(home_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    county = OrganizationFactory(
        name="测试县委",
        code="C",
        kind=Organization.Kind.COMMITTEE,
        level=Organization.Level.COUNTY,
        publishes=True,
    )
    section = county.section
    lecture = MicroLecturePage(
        title="三分钟读懂党章",
        video=ready_video(county, poster=sample_image("海报")),
        speaker="李明",
        transcript="同志们好。今天讲党章总纲。",
    )
    publish(section, lecture, tags=["党章"], private=True)
    study = material("学习党章：流动党员的必修课", study_hours="1.0")
    study.body = [
        ("paragraph", "<h2>为什么要常学党章</h2><p>" + "外出务工，党员身份不变。" * 12 + "</p>"),
        ("image", {"image": sample_image(), "alt_text": "学习现场", "decorative": False}),
        ("quote", {"text": "离乡不离党，流动不流学。", "source": "县委组织部"}),
        ("document", {"document": sample_document(), "note": "原文下载"}),
        ("micro_lecture", {"lecture": lecture}),
    ]
    publish(section, study, tags=["党章", "组织生活"], private=True)
    publish(section, NoticePage(title="关于按月更新去向的提示", body="<p>每月5日前。</p>"))
    collection = CollectionPage(title="本月学习", per_page=10)
    collection.page_types = [ContentType.objects.get_for_model(MicroLecturePage)]
    publish(home_page, collection)
    user = UserFactory(username="13900000001")
    MemberFactory(name="龙建华", phone="13900000001", origin=county, user=user)
    return {"section": section, "study": study, "lecture": lecture, "collection": collection}


def test_member_reads_study_content_on_a_phone(live_server, content, phone_page, request):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "13900000001")
    page.fill("input[name=password]", "Guiyan@2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(live_server.url + content["section"].url)
    assert page.locator("#notices").is_visible() and page.locator("#materials").is_visible()
    assert_phone_friendly(page)
    screenshot(page, request, "1-section")

    page.locator("[aria-labelledby=materials] a.item-title").first.click()
    page.wait_for_url(live_server.url + content["study"].url)
    assert page.locator("picture img").is_visible()
    assert page.locator("blockquote.quote").is_visible()
    assert_phone_friendly(page)
    screenshot(page, request, "2-study-material")

    page.locator("a.lecture-card").click()
    page.wait_for_url(live_server.url + content["lecture"].url)
    player = page.locator("video.player")
    assert player.is_visible()
    box = player.bounding_box()
    assert box["width"] <= 360 and abs(box["width"] / box["height"] - 16 / 9) < 0.05
    assert not page.locator("details.transcript").evaluate("d => d.open")
    assert_phone_friendly(page)
    screenshot(page, request, "3-micro-lecture")

    page.goto(live_server.url + content["collection"].url)
    assert page.locator("main .item-title", has_text="三分钟读懂党章").is_visible()
    assert page.locator('link[rel="alternate"][type="application/rss+xml"]').count() == 1
    assert_phone_friendly(page)
