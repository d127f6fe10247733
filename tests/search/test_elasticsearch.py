"""search/engines/elasticsearch.py without a server: the index mapping, the query body for a
request, the bulk actions, and reading a response are pure functions of the spec."""

import pytest

from search.analysis import Query
from search.engines.base import SearchRequest
from search.engines.elasticsearch import (
    CLAUSE_SCORE,
    bulk_actions,
    delete_actions,
    index_body,
    parse_response,
    search_body,
)
from search.registry import PreparedDocument


def words(tokens: str) -> dict:
    """An alternative: all its tokens, each in any token field, the fields boosted by their
    weights (BM25F)."""
    return {
        "combined_fields": {
            "query": tokens,
            "fields": ["tokens_high^4", "tokens_middle^2", "tokens_low"],
            "operator": "and",
        }
    }


def test_mapping_keeps_our_tokens_and_types_the_filters(people):
    """Tokens are split on spaces only (no Chinese re-segmenting, no stemming), in a field
    per weight; filters get their declared types; the text is stored for snippets but not
    indexed."""
    body = index_body("t-people", people)
    analyzer = body["settings"]["analysis"]["analyzer"]["guiyan_tokens"]
    assert analyzer == {"type": "custom", "tokenizer": "whitespace"}
    assert body["mappings"]["properties"] == {
        "tokens_high": {"type": "text", "analyzer": "guiyan_tokens"},
        "tokens_middle": {"type": "text", "analyzer": "guiyan_tokens"},
        "tokens_low": {"type": "text", "analyzer": "guiyan_tokens"},
        "text": {"type": "text", "index": False},
        "town": {"type": "keyword"},
        "age": {"type": "integer"},
        "born": {"type": "date"},
        "willing": {"type": "boolean"},
    }


def test_query_body_is_should_clauses_with_the_shared_minimum(people):
    """The clauses are should clauses, enough of them required (two of three); a clause is
    met by one alternative, an alternative by all its tokens, and a clause met scores far
    above BM25 so more clauses rank first; words are scored by BM25F over the token fields
    with the weights as boosts; filters do not score; facets are terms aggregations."""
    query = Query(clauses=((("养殖",),), (("电商",), ("电子", "商务")), (("党章",),)))
    request = SearchRequest(
        query=query,
        filters={"town": ["甲镇"], "age": {"gte": 30}, "willing": True},
        facets=("town",),
        page=2,
        page_size=10,
    )
    body = search_body("t-people", people, request)
    typed = words("电子 商务")
    assert body["query"]["bool"]["must"] == [
        {
            "bool": {
                "should": [
                    {
                        "bool": {
                            "should": [
                                {
                                    "constant_score": {
                                        "filter": words("养殖"),
                                        "boost": CLAUSE_SCORE,
                                    }
                                },
                                words("养殖"),
                            ],
                            "minimum_should_match": 1,
                        }
                    },
                    {
                        "bool": {
                            "should": [
                                {
                                    "constant_score": {
                                        "filter": {
                                            "bool": {
                                                "should": [words("电商"), typed],
                                                "minimum_should_match": 1,
                                            }
                                        },
                                        "boost": CLAUSE_SCORE,
                                    }
                                },
                                words("电商"),
                                typed,
                            ],
                            "minimum_should_match": 1,
                        }
                    },
                    {
                        "bool": {
                            "should": [
                                {
                                    "constant_score": {
                                        "filter": words("党章"),
                                        "boost": CLAUSE_SCORE,
                                    }
                                },
                                words("党章"),
                            ],
                            "minimum_should_match": 1,
                        }
                    },
                ],
                "minimum_should_match": 2,
            }
        }
    ]
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"town": ["甲镇"]}},
        {"range": {"age": {"gte": 30}}},
        {"term": {"willing": True}},
    ]
    assert body["aggs"] == {"town": {"terms": {"field": "town", "size": 100}}}
    assert (body["from"], body["size"]) == (10, 10)
    assert body["sort"] == ["_score", {"_id": "asc"}]
    assert body["track_total_hits"] is True


@pytest.mark.parametrize(
    ("words", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (8, 6), (12, 9)]
)
def test_the_body_asks_for_as_many_clauses_as_the_database_engine_counts(people, words, needed):
    """All of up to two clauses, 75% rounded down beyond: Elasticsearch's "2<75%"."""
    query = Query(clauses=tuple(((f"w{n}",),) for n in range(words)))
    body = search_body("t-people", people, SearchRequest(query=query))
    text = body["query"]["bool"]["must"][0]["bool"]
    assert (len(text["should"]), text["minimum_should_match"]) == (words, needed)
    assert query.minimum_should_match == needed


@pytest.mark.parametrize(("words", "needed"), [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (8, 4)])
def test_a_questions_body_asks_for_half_its_clauses_rounded_up(people, words, needed):
    """A question (its text held question words): Elasticsearch's "1<-50%", as the database
    engine counts."""
    query = Query(clauses=tuple(((f"w{n}",),) for n in range(words)), question=True)
    body = search_body("t-people", people, SearchRequest(query=query))
    text = body["query"]["bool"]["must"][0]["bool"]
    assert (len(text["should"]), text["minimum_should_match"]) == (words, needed)
    assert query.minimum_should_match == needed


def test_any_of_is_one_filter_of_alternatives(people):
    body = search_body("t-people", people, SearchRequest(any_of={"town": ["乙乡"], "age": [30]}))
    assert body["query"]["bool"]["filter"] == [
        {
            "bool": {
                "should": [{"terms": {"town": ["乙乡"]}}, {"terms": {"age": [30]}}],
                "minimum_should_match": 1,
            }
        }
    ]


def test_sort_by_a_field_puts_missing_values_last(people):
    body = search_body("t-people", people, SearchRequest(sort="-born"))
    assert body["sort"] == [{"born": {"order": "desc", "missing": "_last"}}, {"_id": "asc"}]
    assert "must" not in body["query"]["bool"] or body["query"]["bool"]["must"] == []


def test_bulk_actions_carry_tokens_text_and_filters():
    """One index action per document, keyed by the document's key; deletes by key."""
    document = PreparedDocument(
        key="7",
        weighted_tokens=(("王芳", "wf"), (), ("养殖", "zw")),
        text="养殖",
        filters={"town": "甲镇", "age": 30},
    )
    assert bulk_actions("t-people", [document]) == [
        {
            "_op_type": "index",
            "_index": "t-people",
            "_id": "7",
            "_source": {
                "tokens_high": "王芳 wf",
                "tokens_middle": "",
                "tokens_low": "养殖 zw",
                "text": "养殖",
                "town": "甲镇",
                "age": 30,
            },
        }
    ]
    assert delete_actions("t-people", ["7"]) == [
        {"_op_type": "delete", "_index": "t-people", "_id": "7"}
    ]


def test_response_becomes_keys_total_facets_and_snippets(people):
    """Boolean buckets come back as 1/0 and become True/False, as the database engine's."""
    request = SearchRequest(query=Query(clauses=((("养殖",),),)), facets=("town", "willing"))
    response = {
        "hits": {
            "total": {"value": 1},
            "hits": [{"_id": "2", "_source": {"text": "发展养殖"}}],
        },
        "aggregations": {
            "town": {"buckets": [{"key": "甲镇", "doc_count": 1}]},
            "willing": {"buckets": [{"key": 0, "key_as_string": "false", "doc_count": 1}]},
        },
    }
    results = parse_response(response, people, request)
    assert results.keys == ["2"]
    assert results.total == 1
    assert results.facets == {"town": {"甲镇": 1}, "willing": {False: 1}}
    assert results.highlights == {"2": "发展<mark>养殖</mark>"}
