"""Chinese for the libraries' strings that Wagtail's and Django's zh_Hans catalogs leave in
English or get wrong: the second catalog, locale_libraries/ (docs/adr/0015-admin-in-chinese.md),
covers them, shares nothing with the project's catalog, and the admin shows them in Chinese."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from .translation_support import (  # noqa: F401 - fixtures
    BASE_DIR,
    CJK,
    PLACEHOLDER,
    Entry,
    catalog_of,
    messages,
    parse_po,
    po_entries,
    read_mo,
)

# The same whatever DATABASE_URL says: CI runs it on the PostgreSQL pass only.
pytestmark = pytest.mark.once

LIBRARY_LC = BASE_DIR / "locale_libraries" / "zh_Hans" / "LC_MESSAGES"
LIBRARY_DOMAINS = ["django", "djangojs"]


def _library_catalogs(language: str, domain: str) -> list[Path]:
    """The catalogs of this language of Django itself and of every installed Wagtail app."""
    import django
    from django.apps import apps

    roots = [Path(django.__file__).parent / "conf"]
    roots += [Path(c.path) for c in apps.get_app_configs() if c.name.startswith("wagtail")]
    roots.append(Path(apps.get_app_config("auth").path))
    paths = [root / "locale" / language / "LC_MESSAGES" / f"{domain}.po" for root in roots]
    return [path for path in paths if path.exists()]


def _keys(entries: list[Entry]) -> set[str]:
    return {entry.key for entry in entries}


@pytest.fixture(scope="module", params=LIBRARY_DOMAINS)
def library(request) -> tuple[str, list[Entry]]:
    path = LIBRARY_LC / f"{request.param}.po"
    entries = parse_po(path)
    assert entries[0].msgid == "" and "Plural-Forms: nplurals=1; plural=0;\n" in entries[0].msgstr
    return request.param, entries[1:]


def test_library_catalog_covers_every_string_the_libraries_leave_untranslated(library, messages):
    """After upgrading Wagtail or Django, what their catalogs lack shows up here (a string
    the project's catalog holds too is translated there)."""
    domain, entries = library
    source = set().union(*(_keys(parse_po(p)[1:]) for p in _library_catalogs("en", domain)))
    translated = set().union(
        *(
            {e.key for e in parse_po(p)[1:] if all(t.strip() for t in e.translations)}
            for p in _library_catalogs("zh_Hans", domain)
        )
    )
    project = _keys(messages) if domain == "django" else set()
    missing = sorted(source - translated - project - _keys(entries))
    assert not missing, f"add to {LIBRARY_LC / domain}.po and translate:\n" + "\n".join(missing)
    stale = sorted(_keys(entries) - source)
    assert not stale, "no longer in the libraries, remove:\n" + "\n".join(stale)


def test_library_catalog_is_translated_into_chinese_and_compiled(library):
    domain, entries = library
    english = re.compile(r"[A-Za-z]{2,}")

    def words(text: str) -> str:  # what a reader sees: no placeholders, tags or attributes
        return re.sub(r"%\(\w+\)[sdifr]|\{\w+\}|<[^>]+>|%[sd]", "", text)

    for entry in entries:
        assert "fuzzy" not in entry.flags and all(t.strip() for t in entry.translations), entry
        assert sorted(entry.msgstr_plural) in ([], [0]), entry
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.translations:
            assert set(PLACEHOLDER.findall(text)) == wanted, entry
            if english.search(words(entry.msgid).replace("Wagtail", "")):
                assert CJK.search(text), entry
    compiled = catalog_of(parse_po(LIBRARY_LC / f"{domain}.po"))
    assert read_mo(LIBRARY_LC / f"{domain}.mo") == compiled, "run compilemessages"


def test_project_catalog_and_library_catalog_do_not_share_a_string(messages):
    """One msgid, one translation: the project's own words take a context instead."""
    library_keys = _keys(parse_po(LIBRARY_LC / "django.po")[1:])
    assert _keys(messages) & library_keys == set()


@pytest.mark.parametrize(
    ("msgid", "chinese"),
    [
        ("The page could not be created due to validation errors.", "存在校验错误，页面未能创建。"),
        ("Your pages and snippets in a workflow", "你在工作流中的页面和片段"),
        ("Privacy and access", "隐私与访问"),
        ("Search all pages…", "搜索全部页面…"),
        ("Private, accessible to any logged-in users", "非公开，登录用户均可访问"),
    ],
)
def test_wagtail_admin_strings_come_out_in_chinese(msgid, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese


def test_the_dashboard_summary_counts_in_chinese():
    singular = '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>'
    plural = '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>'
    with translation.override("zh-hans"):
        text = translation.ngettext(singular, plural, 14) % {"total": 14, "site_name": "归雁"}
    assert text.startswith("14 个页面")


@pytest.mark.parametrize(
    ("context", "msgid", "project_word"),
    [
        ("pagination", "Pages", "分页"),
        ("notification", "New", "未读"),
        ("transfer", "History", "办理记录"),
        ("transfer", "comment", "办理意见"),
        ("collection page", "collection", "专题汇集"),
    ],
)
def test_the_project_no_longer_replaces_wagtails_words(context, msgid, project_word):
    """The pagination's 分页 and the inbox's 未读 had become Wagtail's Pages menu and its
    editor's New: the project's words now carry a context, Wagtail's keep their own."""
    with translation.override("zh-hans"):
        assert translation.pgettext(context, msgid) == project_word
        wagtails = translation.gettext(msgid)
    assert wagtails != project_word and CJK.search(wagtails)


def test_password_validators_speak_chinese_on_activation():
    from django.contrib.auth.password_validation import validate_password

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_password("1234")
    assert error.value.messages[0] == "密码太短，至少要有 8 个字符。"
    assert all(CJK.search(message) for message in error.value.messages)
