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

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

BASE_DIR = Path(__file__).resolve().parent.parent
LC_MESSAGES = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# The same ignores as the documented makemessages command, plus what is never source.
MAKEMESSAGES_IGNORES = [".venv", "var", "bench", "tests"]
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # makemessages' default extensions
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """The key gettext uses in a .mo: context and msgid joined by EOT."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]


def parse_po(path: Path) -> list[Entry]:
    """Read a .po file into entries, header first; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry = Entry()
    field_name, index = "", None  # where a continuation string goes

    def finish() -> None:
        nonlocal entry, field_name, index
        if field_name:
            entries.append(entry)
        entry, field_name, index = Entry(), "", None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        after_msgstr = field_name.startswith("msgstr") and not line.startswith(("msgstr", '"'))
        if after_msgstr:
            finish()  # a blank line, a comment, msgctxt or msgid: the next entry starts
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert field_name, f"{path}:{number}: a string without a keyword"
            text = ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            field_name, index = ("msgstr", int(match.group(1))) if match else (keyword, None)
            assert field_name in ("msgctxt", "msgid", "msgid_plural", "msgstr"), (
                f"{path}:{number}: unknown keyword {keyword!r}"
            )
            if field_name == "msgid":
                entry.line = number
            if index is not None:
                entry.msgstr_plural[index] = ""
            else:
                setattr(entry, field_name, "")
        if index is not None:
            entry.msgstr_plural[index] += text
        else:
            setattr(entry, field_name, getattr(entry, field_name) + text)
    finish()
    return entries


def catalog_of(entries: list[Entry]) -> dict:
    """The catalog a .mo built from these entries holds, in GNUTranslations' shape."""
    catalog: dict = {}
    for entry in entries:
        if entry.msgid_plural is None:
            catalog[entry.key] = entry.msgstr
        else:
            for index, text in entry.msgstr_plural.items():
                catalog[(entry.key, index)] = text
    return catalog


def read_mo(path: Path) -> dict:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run makemessages (see this module's doc)"
    return parse_po(PO_PATH)


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    """The entries without the header."""
    assert po_entries and po_entries[0].msgid == "", "the .po must start with its header"
    return po_entries[1:]


def where(entry: Entry) -> str:
    return f"{PO_PATH.relative_to(BASE_DIR)}:{entry.line}: {entry.msgid!r}"


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


# --- The libraries' strings: Wagtail's and Django's zh_Hans catalogs leave some in English ---

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
