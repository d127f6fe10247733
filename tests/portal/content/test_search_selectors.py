"""The site search's selector (page_search): the shared Chinese analysis, snippets, who finds
what (audiences, restrictions, notices in effect) and the totals it reports."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal.content.search_selectors import page_search
from portal.registry.factories import UserFactory
from search.models import IndexTask
from search.services import index_queue_drain

from .helpers import material, publish
from .search_support import URL, _search, notice

pytestmark = pytest.mark.usefixtures("media_in_tmp")


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


def test_the_selector_reports_totals_and_pages(sections):
    for number in range(12):
        publish(sections.county, material(f"养殖技术{number:02d}"))
    index_queue_drain()
    results = page_search(user=None, text="养殖", page=2)
    assert (results.total, results.number, results.num_pages) == (12, 2, 2)
    assert results.has_previous and not results.has_next
    assert [value.count for value in results.types] == [12]


# --- The page itself ----------------------------------------------------------------------
