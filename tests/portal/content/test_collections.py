"""Collections (Plone's Collection): criteria, pagination, and the RSS feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from portal.content.selectors import collection_pages
from portal.models import CollectionPage, HomePage, MicroLecturePage, NoticePage
from portal.registry.factories import UserFactory

from .helpers import days_ago, material, publish

pytestmark = pytest.mark.usefixtures("media_in_tmp")


@pytest.fixture
def content(sections):
    """Pages in three sections, published on different days, some tagged, one private."""
    return {
        "county_charter": publish(
            sections.county,
            material("县委：学习党章"),
            tags=["党章"],
            published_at=days_ago(1),
        ),
        "township_congress": publish(
            sections.township,
            material("甲镇：学习二十大精神"),
            tags=["二十大"],
            published_at=days_ago(3),
        ),
        "township_lecture": publish(
            sections.township,
            MicroLecturePage(title="甲镇：组织生活微党课"),
            tags=["组织生活"],
            published_at=days_ago(5),
        ),
        "other_notice": publish(
            sections.other,
            NoticePage(title="乙乡：主题党日通知", body="<p>9日</p>"),
            published_at=days_ago(40),
        ),
        "other_private": publish(
            sections.other,
            material("乙乡：党员专享资料"),
            tags=["党章"],
            private=True,
            published_at=days_ago(2),
        ),
    }


def _collection(parent=None, **criteria) -> CollectionPage:
    parent = parent or HomePage.objects.get()
    page_types = criteria.pop("page_types", [])
    tags = criteria.pop("tags", [])
    collection = CollectionPage(title="本月学习", **criteria)
    collection.page_types = [ContentType.objects.get_for_model(model) for model in page_types]
    collection.tags = [Tag.objects.get(name=name) for name in tags]
    return publish(parent, collection)


def _titles(collection, user=None) -> list[str]:
    return [page.title for page in collection_pages(collection, user=user)]


def test_without_criteria_lists_every_public_page_newest_first(content):
    assert _titles(_collection()) == [
        "县委：学习党章",
        "甲镇：学习二十大精神",
        "甲镇：组织生活微党课",
        "乙乡：主题党日通知",
    ]


def test_logged_in_users_also_get_members_only_pages(content):
    assert "乙乡：党员专享资料" in _titles(_collection(), UserFactory())


def test_page_types_narrow(content):
    collection = _collection(page_types=[MicroLecturePage, NoticePage])
    assert _titles(collection) == ["甲镇：组织生活微党课", "乙乡：主题党日通知"]


def test_tags_match_any_of_them(content):
    collection = _collection(tags=["二十大", "组织生活"])
    assert _titles(collection) == ["甲镇：学习二十大精神", "甲镇：组织生活微党课"]


def test_organisation_covers_its_sections_and_those_below(content, sections):
    county = _collection(organization=sections.county.organization)
    assert len(_titles(county)) == 4
    township = _collection(organization=sections.township.organization)
    assert _titles(township) == ["甲镇：学习二十大精神", "甲镇：组织生活微党课"]


def test_published_window_narrows(content):
    today = timezone.localdate()
    window = _collection(
        published_from=today - datetime.timedelta(days=4),
        published_until=today - datetime.timedelta(days=2),
    )
    assert _titles(window) == ["甲镇：学习二十大精神"]


def test_drafts_and_unpublished_pages_are_left_out(content):
    content["county_charter"].unpublish()
    assert "县委：学习党章" not in _titles(_collection())


def test_collection_page_paginates_and_survives_bad_numbers(client, content):
    collection = _collection(per_page=2)
    first = client.get(collection.url)
    assert first.status_code == 200
    assert "县委：学习党章" in first.content.decode()
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = client.get(collection.url, {"page": 2}).content.decode()
    assert "甲镇：组织生活微党课" in second and "县委：学习党章" not in second
    for bad, expected in (("abc", "县委：学习党章"), ("99", "乙乡：主题党日通知"), ("-1", "")):
        response = client.get(collection.url, {"page": bad})
        assert response.status_code == 200
        assert expected in response.content.decode()


def test_collection_page_links_its_feed_in_the_head(client, content):
    collection = _collection()
    text = client.get(collection.url).content.decode()
    head = text[: text.index("</head>")]
    feed = f"{collection.url}rss/"
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="本月学习" href="{feed}">' in head
    )


def _rss_items(response) -> list[ET.Element]:
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the site's own feed
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("./channel/item")


def test_rss_is_valid_with_title_link_summary_and_date(client, content):
    collection = _collection(tags=["党章"])
    items = _rss_items(client.get(f"{collection.url}rss/"))
    assert [item.findtext("title") for item in items] == ["县委：学习党章"]
    charter = content["county_charter"]
    assert items[0].findtext("link") == f"http://testserver{charter.url}"
    assert items[0].findtext("description") == charter.summary
    published = datetime.datetime.strptime(items[0].findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z")
    assert abs(published - charter.first_published_at) < datetime.timedelta(seconds=1)


def test_rss_hides_members_only_pages_from_anonymous_readers(member_client, content):
    feed = f"{_collection(tags=['党章']).url}rss/"
    titles = [item.findtext("title") for item in _rss_items(member_client.get(feed))]
    assert titles == ["县委：学习党章", "乙乡：党员专享资料"]
    member_client.logout()
    titles = [item.findtext("title") for item in _rss_items(member_client.get(feed))]
    assert titles == ["县委：学习党章"]


def test_pages_under_a_private_section_are_hidden_too(content, sections):
    PageViewRestriction.objects.create(
        page=sections.township, restriction_type=PageViewRestriction.LOGIN
    )
    assert "甲镇：学习二十大精神" not in _titles(_collection())


def test_group_restricted_pages_only_for_that_group(content):
    group = Group.objects.create(name="甲镇读者")
    restriction = PageViewRestriction.objects.create(
        page=content["township_congress"], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    outsider, insider = UserFactory(), UserFactory()
    insider.groups.add(group)
    collection = _collection()
    assert "甲镇：学习二十大精神" not in _titles(collection, outsider)
    assert "甲镇：学习二十大精神" in _titles(collection, insider)
