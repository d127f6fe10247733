"""search/analysis.py on every engine: a compound word is found by the word inside it that
jieba would cut it into (组织 in 党组织), not by characters meeting across a boundary; pinyin
typed with hyphens finds a name as typed together.

The database engine runs on whichever database the test run uses (PostgreSQL full text or
SQLite FTS5); Elasticsearch only when ELASTICSEARCH_URL names a server. Documents indexed
before this analysis keep their old tokens until ``search_reindex``."""

import pytest
from django.test import override_settings

from search import selectors
from search.analysis import tokens_for_index
from search.registry import SearchDocument, register, unregister
from search.selectors import document_search
from search.services import index_rebuild

from .helpers import search_backends
from .test_engines import ENGINES

pytestmark = pytest.mark.django_db

TEXTS = {
    "grassroots": ("加强基层党组织建设", ""),
    "secretary": ("村党组织书记述职", ""),
    "life": ("按时参加组织生活", ""),
    # 组 and 织 side by side, in different words: 小组 / 织毛衣, 互助组 / 织布.
    "knitting": ("妇女小组织毛衣", ""),
    "weaving": ("互助组织布", ""),
    # 党组 is a body of its own, not 党组织.
    "leading-group": ("党组书记讲党课", ""),
    "person": ("从事电商工作", "张伟"),
    "wifi": ("店里有wi-fi", ""),
}


def texts_load(keys):
    for key in TEXTS if keys is None else keys:
        if key in TEXTS:
            body, name = TEXTS[key]
            yield key, {"body": body, "name": name}


@pytest.fixture(params=ENGINES)
def engine(request):
    """TEXTS indexed by one engine, chosen as settings choose it."""
    spec = register(
        SearchDocument(
            name="parts",
            load=texts_load,
            text_fields=("body",),
            name_fields=("name",),
            count=lambda: len(TEXTS),
        )
    )
    with override_settings(WAGTAILSEARCH_BACKENDS=search_backends(request.param)):
        index_rebuild(spec=spec)
        if request.param == "elasticsearch":
            selectors.search_engine().client.indices.refresh(index="guiyan-test-search-parts")
        yield request.param
    unregister("parts")


def found(text: str) -> list[str]:
    return sorted(document_search(index="parts", text=text).keys)


def test_a_compound_word_is_indexed_by_the_word_jieba_would_cut_it_into():
    """党组织 is 党 + 组织 (jieba's likelier cut), not 党组 + 织; 二十大 stays 二十 + 大."""
    assert tokens_for_index("党组织") == ["党组织", "组织"]
    assert tokens_for_index("党支部") == ["党支部", "支部"]
    assert tokens_for_index("二十大") == ["二十大", "二十"]


def test_organisation_finds_party_organisation_but_not_characters_across_words(engine):
    """组织 finds 基层党组织 and 党组织书记 and 组织生活; not 小组 / 织毛衣 nor 互助组 / 织布,
    nor 党组, a body of its own."""
    assert found("组织") == ["grassroots", "life", "secretary"]
    assert found("党组织") == ["grassroots", "secretary"]
    assert found("党组") == ["leading-group"]


@pytest.mark.parametrize("typed", ["Zhang-Wei", "zhang-wei", "ZHANG-WEI", "zhangwei", "Zhang Wei"])
def test_pinyin_typed_with_hyphens_finds_the_name(engine, typed):
    """张伟 is indexed as zhangwei: syllables joined by a hyphen find it as typed together."""
    assert found(typed) == ["person"]
    assert found(f"{typed} 电商") == ["person"]


def test_a_hyphenated_word_that_is_not_pinyin_stays_one_word(engine):
    """wi-fi is not two syllables: it is looked up as written, and zhang-wei does not match
    a text that only says zhang and wei apart from a name."""
    assert found("wi-fi") == ["wifi"]
    assert found("Zhang-Wei 毛衣") == []
