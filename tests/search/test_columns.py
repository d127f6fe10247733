"""The database engine's columns in memory: kept current by the index's versions, reloaded
when a version they saw was rolled back, and (PostgreSQL) frequent terms held there give the
same results as the GIN index."""

import random

import numpy as np
import pytest
from django.db import connection, transaction
from django.test import override_settings

from search.engines import database, postgresql
from search.engines.columns import IndexColumns, _top, typed
from search.registry import document_prepare
from search.selectors import document_search
from search.services import index_rebuild

from .conftest import PEOPLE


def keys(text="", **options):
    return document_search(index="people", text=text, **options).keys


@pytest.fixture
def engine():
    database.forget_columns()
    return database.DatabaseEngine()


@pytest.fixture
def loads(monkeypatch):
    """How many times the columns were loaded whole (rather than caught up)."""
    counted = []
    load = database._load

    def counting(spec):
        counted.append(spec.name)
        return load(spec)

    monkeypatch.setattr(database, "_load", counting)
    return counted


@pytest.mark.django_db
def test_columns_catch_up_with_writes_without_reloading(people, engine, loads):
    index_rebuild(spec=people, engine=engine)
    assert keys(filters={"town": "乙乡"}) == ["3", "4"]
    assert loads == ["people"]

    engine.index(people, [document_prepare(people, "3", {**PEOPLE["3"], "town": "甲镇"})])
    engine.index(people, [document_prepare(people, "7", {"bio": "养殖专业户", "town": "乙乡"})])
    engine.delete(people, ["4"])

    assert keys(filters={"town": "乙乡"}) == ["7"]
    assert sorted(keys("养殖")) == ["2", "7"]
    assert document_search(index="people", facets=["town"]).facets == {
        "town": {"甲镇": 4, "乙乡": 1}
    }
    assert loads == ["people"]  # every change above was caught up from the history


@pytest.mark.django_db
def test_a_rolled_back_write_seen_by_a_search_is_forgotten(people, engine, loads):
    """Columns that saw a write inside a transaction which then rolled back reload."""
    index_rebuild(spec=people, engine=engine)
    assert keys(filters={"town": "丙村"}) == []
    with pytest.raises(RuntimeError), transaction.atomic():
        engine.index(people, [document_prepare(people, "8", {"bio": "电工", "town": "丙村"})])
        assert keys(filters={"town": "丙村"}) == ["8"]
        raise RuntimeError("roll back")
    # The next write reuses the rolled-back version number with another stamp.
    engine.index(people, [document_prepare(people, "9", {"bio": "厨师", "town": "丁村"})])
    assert keys(filters={"town": "丙村"}) == []
    assert keys(filters={"town": "丁村"}) == ["9"]
    assert loads[-1] == "people" and len(loads) >= 2


@pytest.mark.django_db
def test_emptying_the_index_reloads_the_columns(people, engine, loads):
    index_rebuild(spec=people, engine=engine)
    assert len(keys()) == 5
    engine.rebuild(people)
    assert keys() == []
    assert len(loads) == 2


def test_values_are_typed_as_declared():
    assert typed("integer", "5") == 5 and typed("integer", 5.0) == 5
    assert typed("integer", "五") is None
    assert typed("boolean", "true") is True and typed("boolean", 0) is False
    assert typed("boolean", "maybe") is None
    assert typed("date", "1990-03-01T08:00:00") == "1990-03-01"
    assert typed("keyword", 3) == "3"


def test_keyword_ranges_and_sorting_follow_the_strings():
    columns = IndexColumns({"grade": "keyword", "hours": "integer"})
    columns.upsert(
        [
            (1, "a", {"grade": "b", "hours": 3}),
            (2, "b", {"grade": "a"}),
            (3, "c", {"grade": "c", "hours": 1}),
        ]
    )
    everyone = columns.live()
    assert list(columns.passing(everyone, {"grade": {"gte": "b"}}, {})) == [True, False, True]
    by_grade = columns.page(everyone, scores=None, sort="-grade", offset=0, size=3)
    assert list(columns.keys[by_grade]) == ["c", "a", "b"]
    by_hours = columns.page(everyone, scores=None, sort="hours", offset=0, size=3)
    assert list(columns.keys[by_hours]) == ["c", "a", "b"]  # no value: last


def test_a_page_is_the_same_as_sorting_everything():
    rng = random.Random(5)
    for _ in range(50):
        count = rng.randint(1, 300)
        primary = np.array([rng.choice([0.0, 1.0, 2.0, np.inf]) for _ in range(count)])
        secondary = np.array(rng.sample(range(10_000), count))
        wanted = rng.randint(1, count + 5)
        expected = sorted(range(count), key=lambda i: (primary[i], secondary[i]))[:wanted]
        assert list(_top(primary, secondary, wanted)) == expected
        assert (
            list(_top(None, secondary, wanted))
            == sorted(range(count), key=lambda i: secondary[i])[:wanted]
        )


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terms in memory: PostgreSQL only")
def test_terms_held_in_memory_find_what_the_gin_index_finds(people, engine, monkeypatch):
    """Every mix of terms held in memory and terms asked of PostgreSQL gives the results
    (and the order: more words matched first, then typed words before synonyms) that
    PostgreSQL alone gives."""
    index_rebuild(spec=people, engine=engine)
    queries = ["党章", "电商", "电子商务 养殖", "合同", "张伟", "zw", "学习 党章", "党章 养殖"]
    queries += ["纪律", "excel 合同", "带动 村民", "开网店"]
    # Enough of several words: through a synonym, one short, none enough, spaced pinyin.
    queries += ["电商 网店 创业", "带动 村民 致富 电商", "学习 党章 纪律 养殖", "党章 养殖 电商"]
    queries += ["Zhang Wei", "返乡 创业 电子商务 开 网店"]
    options = [{}, {"filters": {"town": "甲镇"}}, {"sort": "-age"}]
    alone = {(q, n): keys(q, **o) for q in queries for n, o in enumerate(options)}

    tokens = sorted({t for entry in PEOPLE.values() for t in _tokens(people, entry)})
    rng = random.Random(7)
    with override_settings(SEARCH_MEMORY_TERM_SHARE=0, SEARCH_MEMORY_TERM_MIN_ENTRIES=0):
        for held in (tokens, rng.sample(tokens, len(tokens) // 2), ["电商", "党章", "甲镇"]):
            monkeypatch.setattr(database, "term_candidates", lambda spec, least, held=held: held)
            database.forget_columns()
            found = {(q, n): keys(q, **o) for q in queries for n, o in enumerate(options)}
            assert found == alone


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terms in memory: PostgreSQL only")
def test_terms_held_in_memory_follow_writes(people, engine, monkeypatch):
    index_rebuild(spec=people, engine=engine)
    monkeypatch.setattr(database, "term_candidates", lambda spec, least: ["养殖", "党章"])
    with override_settings(SEARCH_MEMORY_TERM_SHARE=0, SEARCH_MEMORY_TERM_MIN_ENTRIES=0):
        assert keys("养殖") == ["2"]
        assert keys("党章") == ["1"]
        with database._columns_lock(people):
            assert set(database.current_columns(people).terms) == {"养殖", "党章"}
        engine.index(people, [document_prepare(people, "2", {**PEOPLE["2"], "bio": "种植"})])
        engine.index(people, [document_prepare(people, "6", {"bio": "生态养殖", "town": "甲镇"})])
        assert keys("养殖") == ["6"]
        assert keys("党章") == ["1"]


def _tokens(spec, fields):
    return document_prepare(spec, "x", fields).tokens


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_a_search_leaves_the_planner_settings_as_it_found_them(people, engine):
    """The text statements read the terms through the GIN index; the caller's transaction
    keeps its own planner settings afterwards."""
    index_rebuild(spec=people, engine=engine)
    with transaction.atomic():
        assert keys("党章") == ["1"]
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"


def test_entries_matching_enough_clauses_are_read_by_the_rarest_they_must_hold():
    """An entry holding two of four clauses holds one of any three of them: of the three
    rarest by the statistics' shares (a term they do not list is the rarest)."""
    clauses = [(("a",),), (("b",), ("c", "d")), (("e",),), (("f",),)]
    shares = {"a": 0.5, "b": 0.1, "c": 0.3, "d": 0.02, "e": 0.2}
    # b OR (c AND d) is about 0.12; f is unlisted: 0.
    assert postgresql.covering(clauses, 2, shares) == (("f",), ("b",), ("c", "d"), ("e",))
    assert postgresql.covering(clauses, 4, shares) == (("f",),)
    assert postgresql.covering(clauses, 1, {}) == (("a",), ("b",), ("c", "d"), ("e",), ("f",))
