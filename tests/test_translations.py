"""The zh_Hans catalog of the project's own strings stays complete and compiled.

Everything a person sees is Chinese, so every msgid must have a translation, none may be
fuzzy, the committed .mo must match the .po, and the catalog must hold exactly the strings
that `makemessages` finds in the code today. To refresh it after adding strings:

    .venv/bin/python manage.py makemessages -l zh_Hans \
        --ignore=.venv --ignore=var --ignore=bench --ignore=tests
    # translate the new or emptied entries in locale/zh_Hans/LC_MESSAGES/django.po,
    # and remove any "#, fuzzy" flag after checking the suggested translation
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from .translation_support import (  # noqa: F401 - fixtures
    BASE_DIR,
    CJK,
    MAKEMESSAGES_IGNORES,
    MO_PATH,
    PLACEHOLDER,
    PO_PATH,
    SOURCE_SUFFIXES,
    Entry,
    catalog_of,
    messages,
    parse_po,
    po_entries,
    read_mo,
    where,
)

# The same whatever DATABASE_URL says: CI runs it on the PostgreSQL pass only.
pytestmark = pytest.mark.once


def test_header_names_the_language_and_its_single_plural_form(po_entries):
    header = po_entries[0]
    assert "fuzzy" not in header.flags, "remove the '#, fuzzy' flag from the header"
    assert "Language: zh_Hans\n" in header.msgstr
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr


def test_every_message_is_translated_and_none_is_fuzzy(messages):
    assert messages, "the catalog holds no messages"
    untranslated = [where(e) for e in messages if not all(t.strip() for t in e.translations)]
    fuzzy = [where(e) for e in messages if "fuzzy" in e.flags]
    assert not untranslated and not fuzzy, (
        "untranslated messages:\n"
        + "\n".join(untranslated)
        + "\nfuzzy messages (check the translation, then remove the flag):\n"
        + "\n".join(fuzzy)
    )


def test_plural_messages_fill_exactly_the_one_chinese_form(messages):
    wrong = [
        where(e) for e in messages if e.msgid_plural is not None and sorted(e.msgstr_plural) != [0]
    ]
    assert not wrong, "plural entries must have only msgstr[0]:\n" + "\n".join(wrong)


def test_translations_keep_every_placeholder(messages):
    wrong = []
    for entry in messages:
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural is not None:
            wanted |= set(PLACEHOLDER.findall(entry.msgid_plural))
        for text in entry.translations:
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{where(entry)} -> {text!r}")
    assert not wrong, "placeholders differ from the msgid:\n" + "\n".join(wrong)


def test_translations_are_chinese(messages):
    wrong = [where(e) for e in messages if not all(CJK.search(t) for t in e.translations)]
    assert not wrong, "translations without a Chinese character:\n" + "\n".join(wrong)


def test_committed_mo_matches_the_po(po_entries):
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run compilemessages and commit it"
    committed = read_mo(MO_PATH)
    expected = catalog_of(po_entries)
    assert set(committed) == set(expected), (
        "the committed .mo holds other msgids than the .po: run compilemessages\n"
        f"only in .po: {sorted(map(str, set(expected) - set(committed)))}\n"
        f"only in .mo: {sorted(map(str, set(committed) - set(expected)))}"
    )
    stale = sorted(str(key) for key in expected if key and committed[key] != expected[key])
    assert not stale, f"the committed .mo is older than the .po: run compilemessages\n{stale}"


def test_msgfmt_accepts_the_po_and_builds_the_committed_mo(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    built = tmp_path / "django.mo"
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [msgfmt, "--check-format", "--check-header", "-o", str(built), str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert read_mo(built) == read_mo(MO_PATH), (
        "the committed .mo differs from the .po: run compilemessages and commit the .mo"
    )


def copy_sources(destination: Path) -> None:
    """Copy the files makemessages reads, without the ignored folders and the catalog."""
    skip_top = set(MAKEMESSAGES_IGNORES) | {"locale", "node_modules", "media", "staticfiles"}

    def ignore(directory: str, names: list[str]) -> set[str]:
        top = Path(directory).resolve() == BASE_DIR

        def skipped(name: str) -> bool:
            path = Path(directory) / name
            if name.startswith(".") or name == "__pycache__" or (top and name in skip_top):
                return True
            return path.is_file() and path.suffix not in SOURCE_SUFFIXES

        return {name for name in names if skipped(name)}

    shutil.copytree(BASE_DIR, destination, ignore=ignore, symlinks=True)


def test_catalog_holds_exactly_the_strings_in_the_code(tmp_path, messages):
    """Run the documented makemessages on a copy of the sources and compare the msgids."""
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        pytest.skip("GNU gettext (xgettext, msguniq) is not installed")
    source = tmp_path / "src"
    copy_sources(source)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # as manage.py is run by hand: its default
    ignores = [f"--ignore={name}" for name in MAKEMESSAGES_IGNORES]
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", *ignores],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    fresh = parse_po(source / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")[1:]

    def keys(entries: list[Entry]) -> set[tuple[str, str | None]]:
        return {(e.key, e.msgid_plural) for e in entries}

    missing = sorted(map(str, keys(fresh) - keys(messages)))
    obsolete = sorted(map(str, keys(messages) - keys(fresh)))
    assert not missing and not obsolete, (
        "locale/zh_Hans/LC_MESSAGES/django.po is out of date; refresh it as this module's "
        f"doc says.\nnot in the catalog yet: {missing}\nno longer in the code: {obsolete}"
    )


def test_code_strings_come_out_in_chinese():
    from portal.models import Member
    from portal.registry.identity import validate_id_number, validate_phone

    with translation.override("zh-hans"):
        assert str(Member._meta.verbose_name) == "党员"
        assert str(Member._meta.get_field("origin").verbose_name) == "所在党支部"
        assert str(Member.FloatingStatus.FLOATING.label) == "外出流动"

        with pytest.raises(ValidationError) as phone_error:
            validate_phone("123")
        assert "手机号" in phone_error.value.messages[0]

        with pytest.raises(ValidationError) as id_error:
            validate_id_number("11010519491231002Y")
        assert "身份证号" in id_error.value.messages[0]
