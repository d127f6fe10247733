"""A filter field of several keywords a document (search/engines/keywords.py): filtered by
value and by words in the values, counted as facets, kept current as documents change, on
every engine; Elasticsearch's body checked without a server."""

import os

import numpy as np
import pytest
from django.test import override_settings

from search import selectors
from search.engines import database
from search.engines.base import SearchRequest
from search.engines.elasticsearch import index_body, search_body
from search.engines.keywords import KeywordsColumn
from search.queue import index_enqueue
from search.registry import SearchDocument, register, unregister
from search.selectors import document_search
from search.services import index_queue_drain, index_rebuild

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

COURSES = {
    "1": {"bio": "养殖户", "training": ["村级后备干部培训", "电商培训"]},
    "2": {"bio": "电工", "training": ["电工培训"]},
    "3": {"bio": "厨师", "training": ["创业培训", "厨师培训", "电商培训"]},
    "4": {"bio": "司机"},  # lists none
    "5": {"bio": "会计", "training": "后备干部培训班"},  # one value, not a list
}


def courses_load(keys):
    for key in COURSES if keys is None else keys:
        if key in COURSES:
            yield key, COURSES[key]


@pytest.fixture
def courses():
    spec = register(
        SearchDocument(
            name="courses",
            load=courses_load,
            text_fields=("bio",),
            filter_fields={"training": "keywords"},
            facets=("training",),
            count=lambda: len(COURSES),
        )
    )
    yield spec
    unregister("courses")


@pytest.fixture(params=ENGINES)
def indexed(request, courses):
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends(request.param)):
        index_rebuild(spec=courses)
        if request.param == "elasticsearch":
            selectors.search_engine().client.indices.refresh(index="guiyan-test-search-courses")
        yield courses


def found(**filters) -> set[str]:
    return set(document_search(index="courses", filters=filters, page_size=50).keys)


def test_values_filter_by_any_of_them(indexed):
    assert found(training="电商培训") == {"1", "3"}
    assert found(training=["电工培训", "后备干部培训班"]) == {"2", "5"}
    assert found(training="培训") == set()  # a value is matched whole


def test_words_in_the_values_filter_by_any_of_them(indexed):
    assert found(training={"contains": ["后备干部"]}) == {"1", "5"}
    assert found(training={"contains": ["电商", "电工"]}) == {"1", "2", "3"}
    assert found(training={"contains": "厨师"}) == {"3"}
    assert found(training={"contains": ["无人机"]}) == set()
    # each group must be met, by one of its words
    assert found(training={"contains": [["后备干部"], ["电商"]]}) == {"1"}
    assert found(training={"contains": [["培训"], ["创业", "电工"]]}) == {"2", "3"}


def test_the_values_are_counted_as_a_facet_with_text_and_filters(indexed):
    results = document_search(index="courses", facets=["training"])
    assert results.facets["training"]["电商培训"] == 2
    assert results.facets["training"]["后备干部培训班"] == 1
    assert sum(results.facets["training"].values()) == 7
    electronic = {"training": {"contains": ["电商"]}}
    narrowed = document_search(
        index="courses", text="厨师", filters=electronic, facets=["training"]
    )
    assert narrowed.keys == ["3"]
    assert narrowed.facets["training"] == {"创业培训": 1, "厨师培训": 1, "电商培训": 1}


def test_such_a_field_does_not_sort(indexed):
    with pytest.raises(ValueError, match="does not sort"):
        document_search(index="courses", sort="training")


def test_changed_documents_are_followed(indexed, courses):
    """A document given more values than any before, a new value, one that lost its values:
    the columns catch up (the database engine widens its rows)."""
    COURSES["4"] = {"bio": "司机", "training": ["a", "b", "c", "d", "驾驶员后备干部培训"]}
    COURSES["1"] = {"bio": "养殖户"}
    try:
        assert found(training={"contains": ["后备干部"]}) == {"1", "5"}  # looked up before
        index_enqueue(index="courses", keys=["1", "4"])
        index_queue_drain()
        if selectors.search_engine().name == "elasticsearch":
            selectors.search_engine().client.indices.refresh(index="guiyan-test-search-courses")
        assert found(training={"contains": ["后备干部"]}) == {"4", "5"}
        assert found(training="d") == {"4"}
        assert found(training="电商培训") == {"3"}
    finally:
        COURSES["4"] = {"bio": "司机"}
        COURSES["1"] = {"bio": "养殖户", "training": ["村级后备干部培训", "电商培训"]}


def test_a_word_looked_up_sees_values_added_later():
    """The column remembers which values hold a word and reads only newer ones after."""
    column = KeywordsColumn()
    column.code, column.number = column.encoded([["电商培训"], ["电工培训"]])
    everyone = np.arange(2)
    assert column.in_range(everyone, {"contains": ["电"]}).tolist() == [True, True]
    assert column.in_range(everyone, {"contains": ["电商"]}).tolist() == [True, False]
    code, number = column.encoded([["农村电商带头人培训", "x", "y"]])
    column.code, column.number = np.concatenate([column.code, code]), number
    assert column.in_range(np.arange(3), {"contains": ["电商"]}).tolist() == [True, False, True]
    with pytest.raises(ValueError, match="keywords take only contains"):
        column.in_range(everyone, {"gte": "a"})


def test_the_database_engine_reads_no_entry_for_the_filter(courses, django_assert_num_queries):
    """With the columns current, a filter on words in the values asks the database only
    whether the index changed."""
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends("database")):
        database.forget_columns()
        index_rebuild(spec=courses)
        found(training="电商培训")  # loads the columns
        with django_assert_num_queries(1):  # the index's versions since
            assert found(training={"contains": ["后备干部"]}) == {"1", "5"}


def test_elasticsearch_maps_the_field_as_a_keyword_and_asks_wildcards(courses):
    body = index_body("guiyan-search-courses", courses)
    assert body["mappings"]["properties"]["training"] == {"type": "keyword"}
    request = SearchRequest(filters={"training": {"contains": [["后备*干部", "电商"], ["培训"]]}})
    filters = search_body("guiyan-search-courses", courses, request)["query"]["bool"]["filter"]
    assert filters == [
        {
            "bool": {
                "filter": [
                    {
                        "bool": {
                            "should": [
                                {"wildcard": {"training": {"value": "*后备\\*干部*"}}},
                                {"wildcard": {"training": {"value": "*电商*"}}},
                            ],
                            "minimum_should_match": 1,
                        }
                    },
                    {
                        "bool": {
                            "should": [{"wildcard": {"training": {"value": "*培训*"}}}],
                            "minimum_should_match": 1,
                        }
                    },
                ]
            }
        }
    ]
    values = SearchRequest(filters={"training": ["电商培训"]})
    assert search_body("guiyan-search-courses", courses, values)["query"]["bool"]["filter"] == [
        {"terms": {"training": ["电商培训"]}}
    ]
