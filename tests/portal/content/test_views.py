"""The page per tag at /tags/<slug>/: tagged live study content the visitor may see."""

import json
import re

import pytest
from django.urls import reverse

from portal.content.views import TAG_PAGE_SIZE
from portal.models import MicroLecturePage, NoticePage

from .helpers import days_ago, draft, material, publish

pytestmark = pytest.mark.usefixtures("media_in_tmp")

CHARTER_URL = "/tags/%E5%85%9A%E7%AB%A0/"  # /tags/党章/


@pytest.fixture
def tagged(sections):
    publish(sections.county, material("学习党章总纲"), tags=["党章"], published_at=days_ago(2))
    publish(
        sections.township,
        MicroLecturePage(title="党章微党课", speaker="李明"),
        tags=["党章", "组织生活"],
        published_at=days_ago(1),
    )
    publish(sections.county, material("党员专享：党章问答"), tags=["党章"], private=True)
    publish(sections.county, material("二十大精神解读"), tags=["二十大"])
    publish(sections.county, material("没有标签的资料"))
    publish(sections.county, NoticePage(title="党章学习月通知", body="<p>通知</p>"))
    draft(sections.county, material("党章草稿"), tags=["党章"])


def _main(response) -> str:
    text = response.content.decode()
    return text[text.index("<main>") : text.index("</main>")]


def test_tag_url_keeps_chinese_slug():
    assert reverse("tag", kwargs={"slug": "党章"}) == CHARTER_URL


def test_tag_page_lists_only_tagged_live_public_pages_for_anonymous(client, tagged):
    response = client.get(CHARTER_URL)
    assert response.status_code == 200
    main = _main(response)
    assert "党章微党课" in main and "学习党章总纲" in main
    assert main.index("党章微党课") < main.index("学习党章总纲")  # newest first
    for absent in (
        "党员专享：党章问答",
        "二十大精神解读",
        "没有标签的资料",
        "党章学习月通知",
        "党章草稿",
    ):
        assert absent not in main


def test_logged_in_members_also_see_members_only_pages(member_client, tagged):
    assert "党员专享：党章问答" in _main(member_client.get(CHARTER_URL))


def test_unknown_tag_is_404(client, tagged):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tag_page_paginates(client, sections):
    for number in range(TAG_PAGE_SIZE + 3):
        publish(sections.county, material(f"返乡创业政策{number:02d}"), tags=["返乡创业"])
    url = reverse("tag", kwargs={"slug": "返乡创业"})
    first = _main(client.get(url))
    assert first.count('class="item"') == TAG_PAGE_SIZE
    last = client.get(url, {"page": "999"})
    assert last.status_code == 200 and _main(last).count('class="item"') == 3


def test_the_service_worker_is_served_from_the_root_and_never_keeps_private_paths(client):
    """/sw.js (the root: a worker controls only pages under its own path) answers anyone,
    is checked again on every visit, and names the paths it must never keep."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert re.search(r'var VERSION = "[0-9a-f]{12}";', source)
    never = json.loads(re.search(r"var NEVER = (\[.*?\]);", source).group(1))
    for path in ("/admin/", "/api/", "/accounts/", "/documents/", "/care/", "/me/"):
        assert path in never
    assert 'var LOGOUT = "/accounts/logout/";' in source
    assert "{%" not in source and "{{" not in source
