"""The translation catalogues: English translates every message of the interface, French carries the
plural messages (French plural rule), and the committed .mo files are those of the committed .po files.

French is the source language: a msgid is the French text. A string marked for translation but
missing from locale/en/LC_MESSAGES/django.po (makemessages not run) or left empty / fuzzy there shows
up in French to a person who chose English.
"""

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.conftest import IN_CI

LOCALE = Path(settings.LOCALE_PATHS[0])
ROOT = Path(settings.BASE_DIR)
# The folders makemessages must not read (same options as the documented command).
IGNORED = [".venv", "tests", "bench"]
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[-+ #0-9.]*[sdfr%]|\{[a-z_]*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict = field(default_factory=dict)  # 0 -> msgstr (or msgstr[0]), 1 -> msgstr[1]...
    flags: set = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple:
        return self.msgctxt, self.msgid


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file (entries are separated by blank lines), header included (msgid ""),
    obsolete ones (#~) flagged."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, current = Entry(), None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete, line = True, line[2:].lstrip()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if current in ("msgid", "msgid_plural", "msgctxt"):
                    setattr(entry, current, getattr(entry, current) + value)
                else:
                    entry.msgstr[current] += value
            else:
                keyword, _, value = line.partition(" ")
                value = ast.literal_eval(value)
                plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                if keyword in ("msgid", "msgid_plural", "msgctxt"):
                    setattr(entry, keyword, value)
                    current = keyword
                elif keyword == "msgstr" or plural:
                    current = int(plural.group(1)) if plural else 0
                    entry.msgstr[current] = value
                else:
                    raise ValueError(f"{path}: unexpected line {line!r}")
        if current is not None:
            entries.append(entry)
    return entries


def messages(path: Path) -> list[Entry]:
    return [e for e in parse_po(path) if e.msgid and not e.obsolete]


def untranslated_or_fuzzy(entries: list[Entry]) -> list[str]:
    return [e.msgid for e in entries if "fuzzy" in e.flags or not e.msgstr or not all(e.msgstr.values())]


def test_the_parser_reads_plurals_contexts_fuzzy_flags_and_continuation_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "%(n)d ligne"\nmsgid_plural "%(n)d lignes"\n'
        'msgstr[0] "%(n)d row"\nmsgstr[1] ""\n\n'
        'msgctxt "mois"\nmsgid "Mai"\nmsgstr "May"\n\n'
        '#, fuzzy\n#| msgid "Ancien"\nmsgid ""\n"Long "\n"texte"\nmsgstr "Old"\n\n'
        '#~ msgid "Parti"\n#~ msgstr "Gone"\n',
        encoding="utf-8",
    )
    entries = parse_po(po)
    assert [(e.msgctxt, e.msgid, e.obsolete) for e in entries] == [
        (None, "", False), (None, "%(n)d ligne", False), ("mois", "Mai", False), (None, "Long texte", False),
        (None, "Parti", True),
    ]
    assert entries[1].msgstr == {0: "%(n)d row", 1: ""} and entries[1].msgid_plural == "%(n)d lignes"
    assert untranslated_or_fuzzy(messages(po)) == ["%(n)d ligne", "Long texte"]


def test_the_english_catalogue_translates_every_message():
    entries = messages(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    assert untranslated_or_fuzzy(entries) == [], "traduire ces messages dans locale/en/LC_MESSAGES/django.po"
    header = parse_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_the_english_translations_keep_every_placeholder():
    wrong = []
    for e in messages(LOCALE / "en" / "LC_MESSAGES" / "django.po"):
        sources = [e.msgid, e.msgid_plural] if e.msgid_plural else [e.msgid]
        for index, source in enumerate(sources):
            translation = e.msgstr.get(index, "")
            if "python-format" in e.flags or "python-brace-format" in e.flags:
                if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                    wrong.append((source, translation))
            if sorted(re.findall(r"</?\w+", source)) != sorted(re.findall(r"</?\w+", translation)):
                wrong.append((source, translation))
    assert wrong == []


def compiled(language: str) -> gettext.GNUTranslations:
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        return gettext.GNUTranslations(handle)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_committed_mo_file_is_compiled_from_the_committed_po_file(language):
    entries = messages(LOCALE / language / "LC_MESSAGES" / "django.po")
    catalog = compiled(language)
    stale = []
    for e in entries:
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural:
            found = {i: catalog._catalog.get((key, i)) for i in e.msgstr}
        else:
            found = {0: catalog._catalog.get(key)}
        if found != e.msgstr:
            stale.append(e.msgid)
    keys = {k[0] if isinstance(k, tuple) else k for k in catalog._catalog} - {""}
    expected = {e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}" for e in entries}
    assert stale == [], "lancer « manage.py compilemessages » : le .mo ne correspond plus au .po"
    assert keys == expected, "lancer « manage.py compilemessages » : le .mo ne correspond plus au .po"


def test_french_keeps_the_singular_for_zero_and_english_the_plural():
    french, english = compiled("fr"), compiled("en")
    assert french.ngettext("%(n)d erreur", "%(n)d erreurs", 0) == "%(n)d erreur"
    assert french.ngettext("%(n)d erreur", "%(n)d erreurs", 2) == "%(n)d erreurs"
    assert english.ngettext("%(n)d erreur", "%(n)d erreurs", 0) == "%(n)d errors"
    assert english.ngettext("%(n)d erreur", "%(n)d erreurs", 1) == "%(n)d error"


def require_gettext_tools():
    missing = [tool for tool in ("xgettext", "msgmerge", "msguniq", "msgattrib") if shutil.which(tool) is None]
    if missing:
        message = f"outils gettext absents : {', '.join(missing)} (paquet Debian « gettext »)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def extracted(tmp_path, settings, monkeypatch):
    """The messages marked in the current source: makemessages run on a temporary copy of the source
    tree, into an empty locale folder (makemessages writes next to the files it reads, so it never
    runs on the work tree itself)."""
    require_gettext_tools()
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        *IGNORED, ".git", ".data", "locale", "static", "node_modules", "__pycache__", "*.pyc", "*.egg-info",
    ))
    (source / "locale").mkdir()
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["en", "fr"], ignore_patterns=IGNORED, verbosity=0)
    return {language: messages(source / "locale" / language / "LC_MESSAGES" / "django.po")
            for language in ("en", "fr")}


def test_the_committed_catalogues_are_up_to_date_with_the_source(extracted):
    current = {e.key for e in extracted["en"]}
    assert len(current) > 500
    assert untranslated_or_fuzzy(extracted["en"]) == [e.msgid for e in extracted["en"]]  # a fresh extraction

    committed = {e.key for e in messages(LOCALE / "en" / "LC_MESSAGES" / "django.po")}
    assert sorted(m for _, m in current - committed) == [], "lancer makemessages -l en puis traduire ces messages"
    assert sorted(m for _, m in committed - current) == [], "lancer makemessages -l en : messages disparus du code"

    plurals = {e.key for e in extracted["fr"] if e.msgid_plural}
    french = {e.key for e in messages(LOCALE / "fr" / "LC_MESSAGES" / "django.po")}
    assert sorted(m for _, m in plurals - french) == [], "ajouter ces pluriels à locale/fr/LC_MESSAGES/django.po"
    assert sorted(m for _, m in french - plurals) == [], "retirer ces messages de locale/fr/LC_MESSAGES/django.po"
