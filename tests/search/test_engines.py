"""search/engines: the contract every engine keeps, run on each engine available.

The database engine runs on whichever database the test run uses (PostgreSQL full text or
SQLite FTS5); Elasticsearch runs only when ELASTICSEARCH_URL names a server."""

import os

import pytest
from django.test import override_settings

from search import selectors
from search.selectors import document_search
from search.services import index_rebuild

from .helpers import search_backends

pytestmark = pytest.mark.django_db

ENGINES = [
    "database",
    pytest.param(
        "elasticsearch",
        marks=pytest.mark.skipif(
            not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL is not set"
        ),
    ),
]


@pytest.fixture(params=ENGINES)
def indexed(request, people):
    """The test documents indexed by one engine, chosen the way settings choose it."""
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends(request.param)):
        assert selectors.search_engine().name == request.param
        index_rebuild(spec=people)
        if request.param == "elasticsearch":
            selectors.search_engine().client.indices.refresh(index="guiyan-test-search-people")
        yield people


def keys(text="", **options):
    return document_search(index="people", text=text, **options).keys


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("党章", ["1"]),
        ("养殖", ["2"]),
        ("电商", ["3"]),  # a synonym of 电子商务
        ("合同", ["5"]),  # not 配合同事 (配合 / 同事)
        ("黨章", ["1"]),  # traditional input
        ("excel", ["5"]),
        ("CAD", ["5"]),
        ("zhangwei", ["5"]),
        ("zw", ["5"]),
        ("张伟", ["5"]),
        ("党章 养殖", []),  # both of two words must be found
        ("，。", []),  # nothing left to look for finds nothing
    ],
)
def test_chinese_text_is_found_by_its_words(indexed, query, expected):
    """Two-character words, synonyms, traditional characters, Latin words and names by
    pinyin and initials are found; characters meeting across a word boundary are not."""
    assert sorted(keys(query)) == expected


def test_filters_apply_with_and_without_text(indexed):
    """A filter narrows a text search and also lists documents alone."""
    assert keys(filters={"town": "乙乡"}) == ["3", "4"]
    assert keys("合同", filters={"town": "乙乡"}) == []
    assert keys(filters={"willing": False}) == ["2"]
    assert keys(filters={"age": {"gte": 30, "lte": 42}}) == ["1", "2", "5"]
    assert keys(filters={"born": {"gte": "1990-01-01"}}) == ["1", "3", "5"]
    assert keys(filters={"town": ["甲镇", "丙村"], "willing": True}) == ["1", "5"]


def test_any_of_passes_a_document_matching_one_of_the_fields(indexed):
    """A recruiter's scope: in one of these towns, or of one of these ages."""
    assert keys(any_of={"town": ["乙乡"], "age": [30]}) == ["3", "4", "5"]
    assert keys(any_of={"town": [], "age": []}) == []
    assert keys("合同", any_of={"town": ["乙乡"]}) == []


def test_facets_count_the_matching_documents(indexed):
    """Facet counts follow the text and the filters, not the whole index."""
    results = document_search(index="people", facets=["town", "willing"])
    assert results.total == 5
    assert results.facets == {"town": {"甲镇": 3, "乙乡": 2}, "willing": {True: 4, False: 1}}
    narrowed = document_search(index="people", filters={"age": {"lt": 40}}, facets=["town"])
    assert narrowed.facets == {"town": {"甲镇": 2, "乙乡": 1}}


def test_sorting_and_pages(indexed):
    """Sorted by a filter field either way; a page holds page_size keys, total counts all."""
    assert keys(sort="age") == ["3", "5", "1", "2", "4"]
    assert keys(sort="-born") == ["3", "5", "1", "2", "4"]
    second = document_search(index="people", sort="age", page=2, page_size=2)
    assert (second.keys, second.total) == (["1", "2"], 5)


def test_highlights_mark_the_words_found(indexed):
    """A snippet shows the found word marked, the rest escaped."""
    results = document_search(index="people", text="养殖")
    assert "<mark>养殖</mark>" in results.highlights["2"]


def test_unknown_fields_are_refused(indexed):
    """Filtering on a field the document does not declare is a programming error."""
    with pytest.raises(ValueError, match="phone"):
        keys(filters={"phone": "1"})


def test_reindexing_replaces_documents(indexed, people):
    """Indexing a document again replaces it; deleting removes it."""
    from search.registry import document_prepare

    engine = selectors.search_engine()
    engine.index(people, [document_prepare(people, "2", {"bio": "学习党章", "town": "甲镇"})])
    engine.delete(people, ["1"])
    if engine.name == "elasticsearch":
        engine.client.indices.refresh(index="guiyan-test-search-people")
    assert keys("党章") == ["2"]
    assert keys("养殖") == []


def test_facet_values_come_back_typed_as_the_spec_declares(indexed):
    """Integers as int, booleans as bool, dates as ISO strings, keywords as str — the same
    on every engine and vendor (SQLite hands booleans back as 1/0, PostgreSQL as text)."""
    results = document_search(
        index="people",
        filters={"age": {"lte": 42}},
        facets=["age", "born", "willing", "town"],
    )
    assert results.total == 4
    assert results.facets == {
        "age": {28: 1, 30: 1, 35: 1, 42: 1},
        "born": {"1983-07-15": 1, "1990-03-01": 1, "1995-05-05": 1, "1997-11-20": 1},
        "willing": {True: 3, False: 1},
        "town": {"甲镇": 3, "乙乡": 1},
    }
    types = {name: {type(value) for value in values} for name, values in results.facets.items()}
    assert types == {"age": {int}, "born": {str}, "willing": {bool}, "town": {str}}
    assert list(results.facets["willing"]) == [True, False]  # largest first


def test_facets_follow_text_filters_and_any_of_together(indexed):
    """Counted over exactly the documents found: text, filters and any_of at once."""
    results = document_search(
        index="people",
        text="合同 养殖",  # both words: no document has them
        facets=["town"],
    )
    assert (results.total, results.facets) == (0, {"town": {}})
    results = document_search(
        index="people",
        text="党章",
        filters={"willing": True},
        any_of={"town": ["甲镇"], "age": [99]},
        facets=["town", "willing", "age"],
    )
    assert results.keys == ["1"]
    assert results.facets == {"town": {"甲镇": 1}, "willing": {True: 1}, "age": {35: 1}}


def test_a_document_without_a_facet_value_counts_in_the_total_only(indexed, people):
    """A missing (or null) value is no facet bucket, but the document is still found."""
    from search.registry import document_prepare

    engine = selectors.search_engine()
    engine.index(
        people,
        [
            document_prepare(people, "6", {"bio": "学习党章", "age": 60}),
            document_prepare(people, "7", {"bio": "学习党章", "town": None, "willing": None}),
        ],
    )
    if engine.name == "elasticsearch":
        engine.client.indices.refresh(index="guiyan-test-search-people")
    results = document_search(index="people", text="党章", facets=["town", "willing"])
    assert sorted(results.keys) == ["1", "6", "7"]
    assert results.total == 3
    assert results.facets == {"town": {"甲镇": 1}, "willing": {True: 1}}
