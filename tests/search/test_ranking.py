"""search/engines: matches meeting as many clauses are ranked by BM25 with field weights, the
same on every engine available (docs/adr/0023-ranking.md): a word in a heavier field, said
more often, in a shorter document, or rarer in the index ranks higher.

The database engine runs on whichever database the test run uses (PostgreSQL full text or
SQLite FTS5); Elasticsearch only when ELASTICSEARCH_URL names a server."""

import numpy as np
import pytest
from django.db import connection
from django.test import override_settings

from search import selectors
from search.analysis import Query
from search.engines import postgresql, ranking
from search.registry import (
    FREQUENCY_CAP,
    SearchDocument,
    Weight,
    register,
    unregister,
    weighted_frequencies,
)
from search.selectors import document_search
from search.services import index_rebuild

from .helpers import search_backends
from .test_engines import ENGINES

pytestmark = pytest.mark.django_db

# Pages of a title (high), a summary (middle) and a body (low). Each case's words are in
# few of them, so that every engine's inverse document frequency stays well above zero
# (FTS5's is floored at a millionth for a word in half of the documents or more).
PAGES = {
    # 焊工 in the title, the summary or the body of pages of three tokens each.
    "in-title": {"title": "焊工", "body": "学习 材料"},
    "in-summary": {"title": "通知", "summary": "焊工", "body": "材料"},
    "in-body": {"title": "通知", "body": "焊工 材料"},
    # 厨师 three times or once, in bodies of four tokens.
    "said-thrice": {"body": "厨师 厨师 厨师 面点"},
    "said-once": {"body": "厨师 面点 凉菜 热菜"},
    # 司机 in a short body and in a long one.
    "short": {"body": "司机 货运"},
    "long": {"body": "司机 货运 冷链 物流 仓储 配送"},
    # Two of 养殖 种植 电商 each: 养殖 is in one page, 种植 in five.
    "rare-word": {"body": "养殖 电商 技术"},
    "common-word": {"body": "种植 电商 技术"},
    "filler-1": {"body": "种植 果树"},
    "filler-2": {"body": "种植 蔬菜"},
    "filler-3": {"body": "种植 茶叶"},
    "filler-4": {"body": "种植 花卉"},
    "filler-5": {"body": "会议 通知"},
    "filler-6": {"body": "学习 安排"},
    "filler-7": {"body": "天气 预报"},
    "filler-8": {"body": "交通 安全"},
    # A person's name weighs as a title does: the name 王芳 above a body that mentions her.
    "named": {"title": "简历", "speaker": "王芳", "body": "会计"},
    "mentioned": {"title": "简历", "body": "王芳 会计"},
}


def pages_load(keys):
    for key in PAGES if keys is None else keys:
        if key in PAGES:
            yield key, {**PAGES[key], "section": 1}


@pytest.fixture(params=ENGINES)
def ranked(request):
    """PAGES registered as the index "ranked" and indexed by one engine."""
    spec = register(
        SearchDocument(
            name="ranked",
            load=pages_load,
            text_fields=("title", "summary", "body"),
            name_fields=("speaker",),
            weights={"title": Weight.HIGH, "speaker": Weight.HIGH, "summary": Weight.MIDDLE},
            filter_fields={"section": "integer"},
            count=lambda: len(PAGES),
        )
    )
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends(request.param)):
        index_rebuild(spec=spec)
        if request.param == "elasticsearch":
            selectors.search_engine().client.indices.refresh(index="guiyan-test-search-ranked")
        yield request.param
    unregister("ranked")


def found(text: str) -> list[str]:
    """The keys found, checked to be in the same order when a filter keeps every page (on
    PostgreSQL, then only the matches that pass are scored, afterwards)."""
    keys = document_search(index="ranked", text=text).keys
    assert document_search(index="ranked", text=text, filters={"section": 1}).keys == keys
    return keys


def test_a_title_ranks_above_a_summary_above_a_body(ranked):
    assert found("焊工") == ["in-title", "in-summary", "in-body"]


def test_a_name_field_weighs_as_its_weight_says(ranked):
    assert found("王芳") == ["named", "mentioned"]
    assert found("wangfang") == ["named"]  # the pinyin of a name, not of a body's words


def test_a_word_said_more_often_ranks_higher(ranked):
    assert found("厨师") == ["said-thrice", "said-once"]


def test_a_shorter_text_ranks_above_a_longer_one_for_the_same_word(ranked):
    assert found("司机") == ["short", "long"]


def test_a_rarer_word_ranks_above_a_common_one_among_matches_of_as_many_words(ranked):
    """Two of three words are needed; both pages hold two, 电商 and 养殖 (in one page) or
    种植 (in five)."""
    assert found("养殖 种植 电商") == ["rare-word", "common-word"]


def test_more_words_matched_still_come_before_a_better_score(ranked):
    """A page meeting three of three clauses ranks above pages meeting two, whatever their
    fields: 焊工 in a title does not lift a page meeting fewer words."""
    assert found("焊工 材料 学习")[:1] == ["in-title"]
    assert found("焊工 材料 通知") == ["in-summary", "in-body", "in-title"]


# --- The score itself, and PostgreSQL's weighted frequencies --------------------------------


def test_an_alternative_counts_only_where_the_document_holds_it_whole():
    """BM25 sums over the words of the alternatives a document holds whole: 商务 alone
    does not score for the alternative 电子 商务."""
    query = Query(clauses=((("电商",), ("电子", "商务")),))
    held = {"电商": [0, 0, 1], "电子": [1, 1, 0], "商务": [1, 0, 0]}
    score = ranking.bm25(
        query,
        lambda token: np.array(held[token]),
        np.array([4, 4, 4]),
        4.0,
        {"电商": 1.0, "电子": 1.0, "商务": 1.0},
    )
    assert score[1] == 0
    assert score[0] == pytest.approx(2 * score[2])


def test_weighted_frequencies_count_each_occurrence_as_its_field_weighs():
    frequencies = weighted_frequencies([("a", "b"), ("a",), ("a", "c", "c")])
    assert frequencies == {"a": 4 + 2 + 1, "b": 4, "c": 2}
    assert weighted_frequencies([("x",) * 20, (), ()]) == {"x": FREQUENCY_CAP}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's terms table")
def test_postgresql_tells_back_the_weighted_frequency_of_every_token():
    """The tsvector the terms table is built with (migration 0005's
    search_weighted_vector, its weights those of search.registry.Weight) gives, through
    ts_rank, each token's weighted frequency as weighted_frequencies counts it, up to the
    cap; a token it does not hold gives 0."""
    high, middle, low = ("甲", "乙", "乙"), ("乙", "丙", "it's"), ("丙",) * 40 + ("丁", "a\\b")
    expected = weighted_frequencies([high, middle, low])
    tokens = [*expected, "戊"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(["ts_rank(%s, search_weighted_vector(%s, %s, %s), %s)"] * len(tokens)),
            [
                value
                for token in tokens
                for value in (
                    postgresql.RANK_WEIGHTS,
                    " ".join(high),
                    " ".join(middle),
                    " ".join(low),
                    postgresql._lexeme(token),
                )
            ],
        )
        ranks = np.array(cursor.fetchone(), dtype=np.float32)
    told = dict(zip(tokens, postgresql.frequencies_from_rank(ranks).tolist(), strict=True))
    assert told == {**expected, "戊": 0}
    assert expected["丙"] == FREQUENCY_CAP
    assert {weight.name: int(weight) for weight in Weight} == {"HIGH": 4, "MIDDLE": 2, "LOW": 1}


def test_every_frequency_up_to_the_cap_is_told_apart():
    """ts_rank computes in single precision: each frequency's value, rounded so, still
    decodes to itself."""
    ranks = postgresql.RANK_OF_FREQUENCY.astype(np.float32)
    assert postgresql.frequencies_from_rank(ranks).tolist() == list(range(FREQUENCY_CAP + 1))
