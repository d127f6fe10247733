"""The search page (/search/): facets, pages of ten, prompts, named bad parameters, links,
the header's box and an engine that is down."""

import re

import pytest
from django.urls import reverse

from search.services import index_queue_drain

from .helpers import material, publish
from .search_support import URL, _titles

pytestmark = pytest.mark.usefixtures("media_in_tmp")


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
