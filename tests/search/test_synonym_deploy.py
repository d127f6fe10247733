"""A deployment that changes search/data/synonyms.txt: the new processes read the new lines at
once, though the shared cache still holds the table the old ones built (its key names the
files' fingerprint); synonyms expand at query time, so no document needs indexing again."""

import pytest

from search import lexicon
from search.analysis import tokens_for_index
from search.synonyms import synonym_table, tokens_for_query

pytestmark = pytest.mark.django_db


def _restart(monkeypatch, synonyms) -> None:
    """A new process of the new release: the files read afresh."""
    monkeypatch.setattr(lexicon, "SYNONYMS", synonyms)
    for cached in (lexicon.builtin_synonyms, lexicon.builtin_one_way, lexicon.fingerprint):
        cached.cache_clear()


@pytest.fixture
def release(tmp_path, monkeypatch):
    shipped, path = lexicon.SYNONYMS, tmp_path / "synonyms.txt"

    def deploy(text: str) -> None:
        path.write_text(text, "utf-8")
        _restart(monkeypatch, path)

    yield deploy
    _restart(monkeypatch, shipped)


def test_a_new_release_of_the_built_in_list_is_used_at_once(release):
    release("村干部, 村官\n")
    assert not tokens_for_query("村官").matches(tokens_for_index("返乡当了村主任"))
    old = synonym_table()  # cached, as every process of the old release shares it
    release("村干部, 村官 => 村主任\n")
    assert synonym_table() != old
    assert tokens_for_query("村官").matches(tokens_for_index("返乡当了村主任"))
    assert not tokens_for_query("村主任").matches(tokens_for_index("村官"))
