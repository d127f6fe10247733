"""The site search box (/search/): live study materials, micro-lectures, red packages and
notices through the shared Chinese analysis, only what the visitor may read."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal.content.search_documents import PAGES, Audience, pages_load
from portal.content.search_selectors import page_search
from portal.models import (
    MicroLecturePage,
    NoticePage,
    RedPackageBook,
    RedPackageCatalogPage,
    RedPackagePage,
)
from portal.registry.factories import UserFactory
from search.models import IndexTask
from search.services import index_queue_drain

from .helpers import material, publish

pytestmark = pytest.mark.usefixtures("media_in_tmp")

URL = "/search/"


@pytest.fixture
def visitor():
    """An anonymous browser of its own: member_client logs in pytest-django's ``client``."""
    return Client()


def _titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<a class="item-title" href="[^"]*">([^<]*)</a>', html)


def _search(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return _titles(response)


def lecture(title: str, **fields) -> MicroLecturePage:
    fields.setdefault("summary", f"{title}的要点。")
    return MicroLecturePage(title=title, **fields)


def notice(title: str, body: str, **fields) -> NoticePage:
    return NoticePage(title=title, body=f"<p>{body}</p>", **fields)


@pytest.fixture
def library(sections):
    """Published content in two sections: public and members-only, of every indexed type."""
    county, township = sections.county, sections.township
    pages = {
        "charter": publish(
            county,
            material(
                "学习新党章",
                summary="逐条学习",
                body=[
                    ("paragraph", "<p>认真<strong>学习党章</strong>，遵守党的纪律。</p>"),
                    ("quote", {"text": "党员必须履行义务", "source": "中国共产党章程"}),
                ],
            ),
            tags=["基层党建"],
        ),
        "congress": publish(
            township,
            material("学习二十大精神", body=[("paragraph", "<p>深入领会二十大精神实质。</p>")]),
        ),
        "private": publish(
            county,
            material("流动党员专题", body=[("paragraph", "<p>外出务工党员的组织生活。</p>")]),
            private=True,
        ),
        "lecture": publish(
            township,
            lecture(
                "微党课：乡村振兴",
                speaker="吕思远",
                speaker_title="县委党校讲师",
                transcript="今天讲生态养殖和乡村振兴。",
            ),
            tags=["乡村振兴"],
            private=True,
        ),
        "contract": publish(county, notice("工作提示", "签订劳动合同前请咨询村委会。")),
        "teamwork": publish(county, notice("协作提示", "请配合同事完成乡村振兴工作。")),
    }
    catalog = publish(county, RedPackageCatalogPage(title="红色包裹"))
    package = RedPackagePage(title="学习包", summary="三本书")
    package.books = [
        RedPackageBook(title="乡村振兴读本", publisher="人民出版社", isbn="978-7-01-025443-2")
    ]
    pages["package"] = publish(catalog, package)
    index_queue_drain()
    return pages


# --- Chinese analysis -------------------------------------------------------------------


def test_a_two_character_word_finds_the_material_that_holds_it(client, library):
    assert _search(client, q="党章") == ["学习新党章"]


def test_traditional_characters_find_simplified_text(client, library):
    assert _search(client, q="黨章") == ["学习新党章"]


def test_synonyms_expand_at_query_time(client, library):
    """二十大报告 stands for 二十大; 中国共产党章程 for 党章 (search/data/synonyms.txt)."""
    assert _search(client, q="党的二十大报告") == ["学习二十大精神"]
    assert _search(client, q="中国共产党章程") == ["学习新党章"]


def test_a_query_does_not_match_across_a_word_boundary(client, library):
    """合同 is in 劳动合同, not in 配合同事 (配合 / 同事)."""
    assert _search(client, q="合同") == ["工作提示"]


def test_the_speaker_is_found_by_name_and_pinyin(member_client, library):
    for query in ("吕思远", "lvsiyuan", "lsy"):
        assert _search(member_client, q=query) == ["微党课：乡村振兴"], query


def test_rich_text_quotes_books_and_tags_are_searched_without_html(visitor, member_client, library):
    assert _search(visitor, q="strong") == []
    assert _search(visitor, q="履行义务") == ["学习新党章"]
    assert _search(visitor, q="人民出版社") == ["学习包"]
    assert _search(visitor, q="基层党建") == ["学习新党章"]
    assert _search(member_client, q="生态养殖") == ["微党课：乡村振兴"]


def test_snippets_mark_the_words_found_and_escape_the_rest(client, library):
    html = client.get(URL, {"q": "党章"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert "<mark>党章</mark>" in snippet
    assert "<strong>" not in snippet


# --- What the index holds -----------------------------------------------------------------


def test_the_loader_yields_live_pages_with_their_section_audience_and_type(sections, library):
    fields = dict(pages_load(None))
    assert set(fields) == {str(page.pk) for page in library.values()}
    charter = fields[str(library["charter"].pk)]
    assert charter["type"] == "study_material"
    assert charter["section"] == sections.county.pk
    assert charter["public"] is True and charter["audience"] == Audience.PUBLIC
    assert charter["published"] == timezone.localdate().isoformat()
    private = fields[str(library["private"].pk)]
    assert private["public"] is False and private["audience"] == Audience.MEMBERS
    package = fields[str(library["package"].pk)]
    assert package["type"] == "red_package" and package["section"] == sections.county.pk
    assert fields[str(library["lecture"].pk)]["speaker"] == "吕思远"


def test_search_reindex_rebuilds_the_pages_index(library):
    """manage.py search_reindex rebuilds every registered document, this one included."""
    from io import StringIO

    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert f"pages: {len(library)} documents indexed" in out.getvalue()
    assert PAGES.count() == len(library)


def test_the_elasticsearch_query_carries_the_privacy_and_notice_filters(db):
    """The same filters build an Elasticsearch body (its engine is tested without a server)."""
    from django.contrib.auth.models import AnonymousUser

    from portal.content.search_selectors import _audience_any_of, _base_filters
    from search.engines.base import SearchRequest
    from search.engines.elasticsearch import index_body, search_body

    mapping = index_body("guiyan-search-pages", PAGES)["mappings"]["properties"]
    assert mapping["public"] == {"type": "boolean"} and mapping["section"] == {"type": "integer"}
    request = SearchRequest(filters=_base_filters(AnonymousUser()), facets=("type",))
    body = search_body("guiyan-search-pages", PAGES, request)
    filters = body["query"]["bool"]["filter"]
    today = timezone.localdate().isoformat()
    assert {"term": {"public": True}} in filters
    assert {"range": {"shown_from": {"lte": today}}} in filters
    assert {"range": {"shown_until": {"gte": today}}} in filters
    member = UserFactory(username="13900000009")
    request = SearchRequest(filters=_base_filters(member), any_of=_audience_any_of(member))
    body = search_body("x", PAGES, request)
    either = {"terms": {"audience": ["public", "members"]}}, {"terms": {"restrictions": []}}
    assert {"bool": {"should": list(either), "minimum_should_match": 1}} in body["query"]["bool"][
        "filter"
    ]


# --- Changes reach the index --------------------------------------------------------------


def test_publishing_enqueues_the_page_and_the_commit_indexes_it(
    client, sections, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(sections.county, material("村级后备干部培训"))
    assert IndexTask.objects.count() == 0
    assert _search(client, q="后备干部") == [page.title]


def test_publishing_writes_queue_rows_in_the_transaction(sections):
    page = publish(sections.county, material("村级后备干部培训"))
    assert IndexTask.objects.filter(index="pages", key=str(page.pk)).exists()


def test_an_unpublished_page_leaves_the_results(client, library):
    library["charter"].unpublish()
    index_queue_drain()
    assert _search(client, q="党章") == []


def test_a_deleted_page_leaves_the_results(client, library):
    key = str(library["contract"].pk)
    library["contract"].delete()
    assert IndexTask.objects.filter(key=key, action=IndexTask.Action.DELETE).exists()
    index_queue_drain()
    assert _search(client, q="合同") == []


def test_a_new_revision_is_searched_once_published(visitor, member_client, library):
    """Republished without "open to the public", a study page goes back behind the login."""
    page = library["charter"]
    page.title = "学习新党章（修订）"
    page.summary = "新增廉洁纪律内容"
    page.save_revision().publish()
    index_queue_drain()
    assert _search(member_client, q="廉洁纪律") == ["学习新党章（修订）"]
    assert _search(visitor, q="廉洁纪律") == []

    page.open_to_public = True
    page.save_revision().publish()
    index_queue_drain()
    assert _search(visitor, q="廉洁纪律") == ["学习新党章（修订）"]


def test_a_moved_page_is_reindexed_with_its_new_section(sections, library):
    package = library["package"]
    catalog = publish(sections.township, RedPackageCatalogPage(title="乡镇红色包裹"))
    package.move(catalog, pos="last-child")
    index_queue_drain()
    results = page_search(user=None, text="人民出版社")
    assert [hit.page.pk for hit in results.hits] == [package.pk]
    assert [(value.value, value.count) for value in results.sections] == [(sections.township.pk, 1)]


# --- Privacy ------------------------------------------------------------------------------


def test_anonymous_visitors_do_not_find_members_only_pages(client, library):
    assert _search(client, q="流动党员") == []
    assert _search(client, q="吕思远") == []
    assert set(_search(client, q="乡村振兴")) == {"学习包", "协作提示"}


def test_members_find_members_only_pages(member_client, library):
    assert _search(member_client, q="流动党员") == ["流动党员专题"]
    assert set(_search(member_client, q="乡村振兴")) == {"学习包", "协作提示", "微党课：乡村振兴"}


def test_a_login_restriction_on_the_section_hides_its_pages_from_visitors(
    visitor, member_client, sections, library
):
    PageViewRestriction.objects.create(
        page=sections.township, restriction_type=PageViewRestriction.LOGIN
    )
    index_queue_drain()
    assert _search(visitor, q="二十大") == []
    assert _search(member_client, q="二十大") == ["学习二十大精神"]


def test_opening_a_page_to_the_public_makes_it_findable(client, library):
    PageViewRestriction.objects.filter(page=library["private"]).delete()
    index_queue_drain()
    assert _search(client, q="流动党员") == ["流动党员专题"]


def test_a_group_restriction_shows_the_page_to_the_groups_members_only(
    visitor, member_client, library
):
    """Members of the group find it, other members do not; superusers find everything."""
    restriction = PageViewRestriction.objects.create(
        page=library["congress"], restriction_type=PageViewRestriction.GROUPS
    )
    department = Group.objects.create(name="县委组织部")
    restriction.groups.add(department, Group.objects.create(name="乡镇党委"))
    index_queue_drain()
    assert _search(member_client, q="二十大") == []
    assert _search(visitor, q="二十大") == []
    insider = UserFactory(username="13900000077")
    insider.groups.add(department)
    visitor.force_login(insider)
    assert _search(visitor, q="二十大") == ["学习二十大精神"]
    visitor.force_login(UserFactory(username="root", is_superuser=True))
    assert _search(visitor, q="二十大") == ["学习二十大精神"]


def test_every_group_restriction_above_a_page_must_be_met(visitor, sections, library):
    """A group restriction on the section and another on the page: a reader in the page's
    group alone does not find it, a reader in both groups does; behind a password nobody."""
    township_group, page_group = (
        Group.objects.create(name="乡镇党委"),
        Group.objects.create(name="支书"),
    )
    on_section = PageViewRestriction.objects.create(
        page=sections.township, restriction_type=PageViewRestriction.GROUPS
    )
    on_section.groups.add(township_group)
    on_page = PageViewRestriction.objects.create(
        page=library["congress"], restriction_type=PageViewRestriction.GROUPS
    )
    on_page.groups.add(page_group)
    index_queue_drain()
    reader = UserFactory(username="13900000078")
    reader.groups.add(page_group)
    visitor.force_login(reader)
    assert _search(visitor, q="二十大") == []
    reader.groups.add(township_group)
    assert _search(visitor, q="二十大") == ["学习二十大精神"]
    PageViewRestriction.objects.create(
        page=library["congress"],
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )
    index_queue_drain()
    assert _search(visitor, q="二十大") == []


def test_a_page_made_private_is_hidden_before_the_index_catches_up(client, library):
    """The queue is not drained: the result page is checked against the database."""
    PageViewRestriction.objects.create(
        page=library["charter"], restriction_type=PageViewRestriction.LOGIN
    )
    assert IndexTask.objects.exists()
    assert _search(client, q="党章") == []


# --- Notices in effect ----------------------------------------------------------------------


def test_notices_are_found_only_while_in_effect(client, sections):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    body = "请按时参加组织生活"
    publish(sections.county, notice("当前提示", body, effective_from=today - day))
    expired = notice("过期提示", body, effective_from=today - 9 * day, expires_on=today - day)
    publish(sections.county, expired)
    publish(sections.county, notice("未来提示", body, effective_from=today + day))
    index_queue_drain()
    assert _search(client, q="组织生活") == ["当前提示"]


# --- Facets and pagination ----------------------------------------------------------------


def _facet_counts(response, attribute: str) -> dict[str, int]:
    html = response.content.decode()
    pattern = rf'<a href="[^"]*" class="facet[^"]*" {attribute}="([^"]+)"[^>]*>[^<]*'
    pattern += r'<span class="count">(\d+)</span>'
    return {value: int(count) for value, count in re.findall(pattern, html)}


def test_type_facet_counts_stay_while_a_type_is_chosen(member_client, library):
    everything = member_client.get(URL, {"q": "乡村振兴"})
    assert _facet_counts(everything, "data-type") == {
        "micro_lecture": 1,
        "red_package": 1,
        "notice": 1,
    }
    lectures = member_client.get(URL, {"q": "乡村振兴", "type": "micro_lecture"})
    assert _titles(lectures) == ["微党课：乡村振兴"]
    assert _facet_counts(lectures, "data-type") == _facet_counts(everything, "data-type")
    chosen = re.findall(r'class="facet is-selected" data-type="([^"]+)"', lectures.content.decode())
    assert chosen == ["micro_lecture"]


def test_section_facet_narrows_to_one_section(member_client, sections, library):
    response = member_client.get(URL, {"q": "乡村振兴"})
    assert _facet_counts(response, "data-section") == {
        str(sections.county.pk): 2,
        str(sections.township.pk): 1,
    }
    narrowed = member_client.get(URL, {"q": "乡村振兴", "section": sections.township.pk})
    assert _titles(narrowed) == ["微党课：乡村振兴"]


def test_results_come_ten_a_page_and_links_keep_the_query(client, sections):
    for number in range(12):
        publish(sections.county, material(f"养殖技术{number:02d}"))
    index_queue_drain()
    first = client.get(URL, {"q": "养殖", "type": "study_material"})
    assert len(_titles(first)) == 10
    html = first.content.decode()
    assert 'rel="next" href="?q=%E5%85%BB%E6%AE%96&amp;type=study_material&amp;page=2"' in html
    second = client.get(URL, {"q": "养殖", "type": "study_material", "page": 2})
    assert len(_titles(second)) == 2
    assert set(_titles(first)).isdisjoint(_titles(second))
    assert _titles(client.get(URL, {"q": "养殖", "page": 99})) == _titles(second)
    assert _titles(client.get(URL, {"q": "养殖", "page": "x"})) == _titles(first)


def test_the_selector_reports_totals_and_pages(sections):
    for number in range(12):
        publish(sections.county, material(f"养殖技术{number:02d}"))
    index_queue_drain()
    results = page_search(user=None, text="养殖", page=2)
    assert (results.total, results.number, results.num_pages) == (12, 2, 2)
    assert results.has_previous and not results.has_next
    assert [value.count for value in results.types] == [12]


# --- The page itself ----------------------------------------------------------------------


def test_an_empty_query_shows_a_prompt(client, library):
    response = client.get(URL)
    html = response.content.decode()
    assert 'class="empty search-prompt"' in html and "item-title" not in html
    assert 'class="empty search-prompt"' in client.get(URL, {"q": "  "}).content.decode()


def test_a_query_of_only_function_words_finds_nothing(client, library):
    html = client.get(URL, {"q": "的，了！"}).content.decode()
    assert 'class="empty nothing-found"' in html and "item-title" not in html


def test_bad_parameters_are_named_and_search_nothing(client, library):
    long = client.get(URL, {"q": "党" * 101}).content.decode()
    assert 'id="id_q_error"' in long and "item-title" not in long
    wrong_type = client.get(URL, {"q": "党章", "type": "video"}).content.decode()
    assert 'class="error" role="alert"' in wrong_type and "item-title" not in wrong_type
    for section in ("abc", "0", "999999"):
        wrong_section = client.get(URL, {"q": "党章", "section": section}).content.decode()
        assert 'class="error" role="alert"' in wrong_section, section
        assert "item-title" not in wrong_section


def test_results_link_to_the_pages(client, library):
    html = client.get(URL, {"q": "党章"}).content.decode()
    assert f'href="{library["charter"].url}"' in html
    assert client.get(library["charter"].url).status_code == 200


def test_anonymous_visitors_are_invited_to_log_in(visitor, member_client, library):
    login = reverse("portal:login")
    assert f'href="{login}?next=' in visitor.get(URL, {"q": "党章"}).content.decode()
    assert f'href="{login}?next=' not in member_client.get(URL, {"q": "党章"}).content.decode()


def test_the_site_header_has_a_search_box_that_submits_to_search(client, library):
    html = client.get("/").content.decode()
    assert re.search(
        r'<form class="site-search" role="search" method="get" action="/search/">', html
    )
    assert 'name="q"' in html
    assert 'class="site-search"' not in client.get(URL).content.decode()


def test_an_engine_that_is_down_gets_a_message_not_an_error(client, library, monkeypatch):
    from search import selectors
    from search.engines.base import SearchEngineUnavailable
    from search.engines.database import DatabaseEngine

    class EngineDown(DatabaseEngine):
        def search(self, spec, request):
            raise SearchEngineUnavailable("connection refused")

    monkeypatch.setattr(selectors, "search_engine", EngineDown)
    response = client.get(URL, {"q": "党章"})
    assert response.status_code == 503
    assert 'class="reason search-unavailable"' in response.content.decode()
