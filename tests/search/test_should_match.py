"""search/engines: a query's words are should clauses, enough of them required (all of one
or two, three in four beyond; half, rounded up, of a question's), the same on every engine
available; matches of more words rank first. Question words neither need to match nor rank;
pinyin typed with spaces finds the name.

The database engine runs on whichever database the test run uses (PostgreSQL full text or
SQLite FTS5); Elasticsearch only when ELASTICSEARCH_URL names a server."""

import pytest
from django.test import override_settings

from search import selectors
from search.selectors import document_search
from search.services import index_rebuild

from .helpers import search_backends
from .test_engines import ENGINES

pytestmark = pytest.mark.django_db


@pytest.fixture(params=ENGINES)
def engine(request, people, notes):
    """The test documents and notes indexed by one engine, chosen as settings choose it."""
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends(request.param)):
        index_rebuild(spec=people)
        index_rebuild(spec=notes)
        if request.param == "elasticsearch":
            client = selectors.search_engine().client
            client.indices.refresh(index="guiyan-test-search-people,guiyan-test-search-notes")
        yield request.param


def notes_found(text: str) -> list[str]:
    return document_search(index="notes", text=text).keys


def test_a_long_question_finds_the_texts_holding_most_of_its_words(engine):
    """外出务工期间如何参加组织生活 looks for 外出, 务工, 参加, 组织生活 (期间 and 如何 say
    how it is asked): three of the four are needed; four rank above three."""
    assert notes_found("外出务工期间如何参加组织生活") == ["all-four", "three-of-four"]
    assert sorted(notes_found("组织生活")) == ["all-four", "one-of-four", "three-of-four"]


def test_a_text_with_two_of_three_words_is_found_below_one_with_all_three(engine):
    """Two of three words are enough; the text holding all three comes first, though the
    other says its two words four times in fewer words."""
    assert notes_found("养殖 技术 培训") == ["course", "breeding-talk"]


def test_one_word_of_five_finds_nothing(engine):
    """Five words need three: a text holding one of them is not found."""
    assert notes_found("养殖 电工 焊接 驾驶 会计") == []
    assert sorted(notes_found("养殖")) == ["breeder", "breeding-talk", "course"]


@pytest.mark.parametrize("question", ["如何", "怎么办呢", "需要什么？", "请问我们可以吗"])
def test_a_query_of_question_words_only_finds_nothing(engine, question):
    """Nothing is left to look for: nothing is found, rather than everything."""
    assert notes_found(question) == []
    assert document_search(index="people", text=question).total == 0


def test_question_words_do_not_count_and_make_a_question_that_needs_half_its_words(engine):
    """需要 and 哪些 are dropped and make the query a question: 养殖技术 needs one of its two
    words; the texts holding both rank first. Typed without them, both are needed."""
    found = notes_found("养殖需要哪些技术")
    assert sorted(found[:2]) == ["breeding-talk", "course"]
    assert found[2:] == ["breeder"]
    assert sorted(notes_found("养殖 技术")) == ["breeding-talk", "course"]
    assert notes_found("需要哪些养殖 大户")[0] == "breeder"


def test_a_question_of_four_words_needs_two(engine):
    """哪些 makes 电工 培训 会计 驾驶 a question: two of its four words are enough (a list of
    the same words needs three, which no text holds); the course says 培训 only."""
    assert sorted(notes_found("哪些 电工 培训 会计 驾驶")) == [
        "accountant",
        "driver",
        "electrician",
    ]
    assert notes_found("电工 培训 会计 驾驶") == []


@pytest.mark.parametrize("typed", ["Zhang Wei", "ZHANG wei", "zhang  wei"])
def test_pinyin_typed_with_spaces_or_capitals_finds_the_name(engine, typed):
    """张伟 is indexed as zhangwei: the syllables typed apart find it as typed together."""
    assert document_search(index="people", text=typed).keys == ["5"]
    assert document_search(index="people", text=f"{typed} excel").keys == ["5"]


def test_spaced_pinyin_does_not_join_words_that_are_not_pinyin(engine):
    """excel and cad are two words, both needed; pinyin runs only join syllables."""
    assert document_search(index="people", text="Excel CAD").keys == ["5"]
    assert document_search(index="people", text="Excel 养殖").keys == []


def test_a_query_of_ten_words_needs_seven(engine):
    """Many words: a text holding eight of ten is found, one holding six is not (on
    PostgreSQL more combinations of seven than one statement asks for)."""
    eight = "流动党员 外出 务工 党支部 报告 流入地 参加 组织生活 电工 会计"
    six = "流动党员 外出 务工 党支部 报告 流入地 电工 会计 驾驶 焊接"
    assert notes_found(eight) == ["all-four"]
    assert notes_found(six) == []
