"""The architecture page stays true: every file it names exists, and every dotted name it
gives (a module, a function, a class, a task) can be imported."""

import importlib
import importlib.util
import re
from pathlib import Path

import pytest
from django.apps import apps

# The same whatever DATABASE_URL says: CI runs it on the PostgreSQL pass only.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["docs/architecture.md", "README.md"]
APPS = ("portal", "learning", "talent", "search")
PATH = re.compile(r"`((?:portal|learning|talent|search|static|templates|bench|tests)/[\w./-]*)`")
DOTTED = re.compile(r"`((?:portal|learning|talent|search)\.[A-Za-z_][\w.]*)")


def _named(pattern: re.Pattern) -> set[str]:
    found = set()
    for page in PAGES:
        found.update(pattern.findall((ROOT / page).read_text(encoding="utf-8")))
    return found


def _resolves(dotted: str) -> bool:
    parts = dotted.rstrip(".").split(".")
    if len(parts) == 2 and parts[1][:1].isupper() and parts[0] in APPS:
        return apps.get_model(parts[0], parts[1]) is not None  # a model label
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.util.find_spec(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        if found is None:
            continue
        if cut == len(parts):
            return True  # a module: found, not run (production settings need their secrets)
        target = importlib.import_module(".".join(parts[:cut]))
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


@pytest.mark.parametrize("path", sorted(_named(PATH)))
def test_every_file_the_docs_name_exists(path):
    assert (ROOT / path.rstrip("/")).exists()


@pytest.mark.parametrize("dotted", sorted(_named(DOTTED)))
def test_every_dotted_name_the_docs_give_imports(dotted, db):
    assert _resolves(dotted)


def test_a_name_that_is_gone_does_not_resolve():
    assert not _resolves("portal.care_selectors.is_liaison")
    assert not _resolves("portal.registry.services.ROLE_PERMISSIONS_GONE")
