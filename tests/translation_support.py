"""Reading the zh_Hans catalogs for the translation tests: entries of a .po file, the
compiled .mo, and the fixtures of the project's catalog."""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

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
