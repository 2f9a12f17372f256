"""Every word of the interface can be read in Spanish: each template text is marked for
translation, the catalogue holds every marked message (extracted again here), each has its
Spanish, and the compiled catalogue the app loads is the one written."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.i18n.template_text import untranslated_words

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Where the messages are (`make messages` reads the same, minus tests and installed packages).
SOURCE_FOLDERS = ("cases", "clients", "clinic", "templates")
# Texts that are the same in every language, by template.
NOT_FOR_TRANSLATION = {
    # CSS classes given to a block of the parent template, not words.
    "403.html": ["bi-slash-circle text-danger"],
    "403_csrf.html": ["bi-arrow-clockwise text-warning"],
    "404.html": ["bi-search text-body-secondary"],
    "500.html": ["bi-exclamation-triangle text-danger"],
    "base_auth.html": ["container py-5"],
    # Each language offered in its own language.
    "includes/language_switch.html": ["Show Amparo in English", "English", "Ver Amparo en español", "Español"],
}


def _templates():
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(path for path in root.rglob("*") if path.suffix in (".html", ".txt"))


def test_every_text_of_every_template_is_marked_for_translation():
    root = Path(settings.BASE_DIR) / "templates"
    unmarked = {}
    for path in _templates():
        name = path.relative_to(root).as_posix()
        found = [text for text in untranslated_words(path.read_text()) if text not in NOT_FOR_TRANSLATION.get(name, [])]
        if found:
            unmarked[name] = found
    assert unmarked == {}, "Wrap these in {% translate %} or {% blocktranslate %}, then `make messages`."


def test_the_reader_finds_an_unmarked_word():
    """The check above cannot pass by finding nothing."""
    template = '<p title="Open it">Hello {% translate "World" %}</p>{% blocktranslate %}Fine{% endblocktranslate %}'
    assert untranslated_words(template) == ["Open it", "Hello"]


def _messages(catalogue: polib.POFile) -> dict:
    return {(entry.msgctxt, entry.msgid): entry for entry in catalogue if not entry.obsolete}


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(CATALOGUE))


def test_the_catalogue_holds_every_message_of_the_code(tmp_path, monkeypatch, settings, catalogue):
    """makemessages over a copy of the code, into an empty folder, compared with the catalogue
    committed. (On the code itself it would merge into the committed catalogue.)"""
    for folder in SOURCE_FOLDERS:
        shutil.copytree(
            Path(settings.BASE_DIR) / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["es"], no_location=True, verbosity=0)
    extracted = _messages(polib.pofile(str(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po")))
    missing = sorted(msgid for (_context, msgid) in set(extracted) - set(_messages(catalogue)))
    assert missing == [], "Run `make messages` and translate what it adds."
    assert len(extracted) > 1500


def test_every_message_has_its_spanish(catalogue):
    untranslated = [entry.msgid for entry in _messages(catalogue).values() if not entry.translated()]
    fuzzy = [entry.msgid for entry in _messages(catalogue).values() if entry.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_the_one_written(catalogue):
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    written = {key: entry.msgstr or entry.msgstr_plural for key, entry in _messages(catalogue).items()}
    loaded = {key: entry.msgstr or entry.msgstr_plural for key, entry in _messages(compiled).items()}
    assert loaded == written, "Run `make messages` to compile the catalogue again."
