"""The judged set (bench/judged/): every engine stays at or above its floors in
bench/judged/floors.yaml, aggregate and per category; the set itself is well formed, and the
measures mean what they say.

The database engine runs on whichever database the test run uses (PostgreSQL full text or
SQLite FTS5); Elasticsearch only when ELASTICSEARCH_URL names a server. The same figures,
with a plain jieba + BM25 baseline beside them, come from bench/relevance.py."""

from collections import Counter

import pytest
from django.db import connection
from django.test import override_settings

from bench import judged
from search import selectors

from .helpers import search_backends
from .test_engines import ENGINES


def engine_label(engine: str) -> str:
    """The row of floors.yaml an engine is held to: the database engine by its vendor."""
    return connection.vendor if engine == "database" else engine


@pytest.fixture(params=ENGINES)
def measured(request, db):
    """The judged set indexed and searched by one engine: its figures, per category."""
    label = engine_label(request.param)
    if label not in judged.floors():
        pytest.skip(f"no floors measured for {label} yet (bench/relevance.py)")
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends(request.param)):
        judged.build()
        if request.param == "elasticsearch":
            names = ",".join(f"guiyan-test-search-{name}" for name in judged.INDEXES.values())
            selectors.search_engine().client.indices.refresh(index=names)
        yield label, judged.evaluate(judged.engine_ranking)
    judged.unregister_all()


def test_every_engine_stays_at_or_above_its_floors(measured):
    """nDCG@10, recall@20 and (as a ceiling) the share of queries finding nothing, for all
    queries and for each category, against the floors set from the first honest run."""
    label, figures = measured
    assert judged.below_floors(label, figures) == []


def test_the_judged_set_covers_every_category_with_judged_documents():
    """At least 80 queries, each category at least seven times, both kinds of document; every
    judged key names a document, and every query has one that answers it."""
    queries = judged.queries()
    assert len(queries) >= 80
    assert len({query["id"] for query in queries}) == len(queries)
    categories = Counter(query["category"] for query in queries)
    assert set(categories) == set(judged.CATEGORIES)
    assert min(categories.values()) >= 7
    assert {query["index"] for query in queries} == {"talent", "pages"}
    keys = {kind: {raw["id"] for raw in judged.documents(kind)} for kind in judged.INDEXES}
    for query in queries:
        assert set(query["judged"]) <= keys[query["index"]], query["id"]
        assert set(query["judged"].values()) <= {0, 1, 2}, query["id"]
        assert max(query["judged"].values()) > 0, query["id"]


def test_floors_name_known_engines_groups_and_measures():
    """A mistyped floor would hold nothing: every row names an engine, a group, a measure."""
    groups = {"all", *judged.CATEGORIES}
    for engine, rows in judged.floors().items():
        assert engine in {"sqlite", "postgresql", "elasticsearch"}
        for group, metrics in rows.items():
            assert group in groups, (engine, group)
            assert set(metrics) <= {"ndcg10", "recall20", "zero"}, (engine, group)


def test_ndcg_is_one_for_the_ideal_order_and_less_for_any_other():
    grades = {"a": 2, "b": 1, "c": 0}
    assert judged.ndcg(["a", "b", "c"], grades) == 1.0
    assert judged.ndcg(["b", "a"], grades) < 1.0
    assert judged.ndcg(["c", "a", "b"], grades) < judged.ndcg(["a", "c", "b"], grades)
    assert judged.ndcg(["x", "y"], grades) == 0.0


def test_recall_counts_the_answering_documents_found_in_the_first_twenty():
    grades = {"a": 2, "b": 1, "trap": 0}
    assert judged.recall(["a", "trap"], grades) == 0.5
    assert judged.recall([*map(str, range(20)), "a", "b"], grades) == 0.0
    assert judged.recall(["b", "a"], grades) == 1.0


def test_a_figure_below_its_floor_is_reported(monkeypatch):
    """below_floors names the engine, group and measure; the share finding nothing is held
    as a ceiling."""
    monkeypatch.setattr(
        judged,
        "floors",
        lambda: {"sqlite": {"all": {"ndcg10": 0.8, "zero": 0.1}, "name": {"recall20": 0.9}}},
    )
    figures = {
        "all": {"ndcg10": 0.75, "recall20": 1.0, "zero": 0.2},
        "name": {"ndcg10": 1.0, "recall20": 0.95, "zero": 0.0},
    }
    assert judged.below_floors("sqlite", figures) == [
        "sqlite all ndcg10: 0.750 < floor 0.8",
        "sqlite all zero: 0.200 > ceiling 0.1",
    ]
