"""The test session compiles the translation catalogues it reads (qoldau/conftest.py), as
`make messages` does, when a .mo is missing or older than its .po: the Kazakh and Russian
tests then pass in a fresh clone where only `make install` ran."""

from __future__ import annotations

import gettext as gettext_module
import os
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from qoldau.core.tests.translations import compile_catalogues

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: kk\\n"

msgid "People"
msgstr "{people}"

#, fuzzy
msgid "Projects"
msgstr "Жобалар"
"""


def _write_po(locale_dir: Path, people: str = "Адамдар") -> Path:
    po = locale_dir / "kk" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(PO.format(people=people), encoding="utf-8")
    return po


def _read_mo(mo: Path) -> gettext_module.GNUTranslations:
    with mo.open("rb") as handle:
        return gettext_module.GNUTranslations(handle)


def test_a_missing_catalogue_is_compiled_and_a_current_one_left_alone(tmp_path: Path):
    po = _write_po(tmp_path)
    mo = po.with_suffix(".mo")

    assert compile_catalogues(tmp_path) == [mo]
    assert _read_mo(mo).gettext("People") == "Адамдар"
    assert {p.name for p in mo.parent.iterdir()} == {"django.po", "django.mo"}  # no partial file left

    compiled_at = mo.stat().st_mtime_ns
    assert compile_catalogues(tmp_path) == []
    assert mo.stat().st_mtime_ns == compiled_at


def test_a_catalogue_older_than_its_po_is_compiled_again(tmp_path: Path):
    po = _write_po(tmp_path)
    mo = po.with_suffix(".mo")
    compile_catalogues(tmp_path)
    _write_po(tmp_path, people="Адамдар тізімі")
    # The .po edited after the .mo was made (a pull, a translator's change).
    os.utime(mo, ns=(po.stat().st_mtime_ns - 10**9, po.stat().st_mtime_ns - 10**9))

    assert compile_catalogues(tmp_path) == [mo]
    assert _read_mo(mo).gettext("People") == "Адамдар тізімі"


def test_fuzzy_translations_stay_out_as_make_messages_leaves_them(tmp_path: Path):
    mo = _write_po(tmp_path).with_suffix(".mo")
    compile_catalogues(tmp_path)
    assert _read_mo(mo).gettext("Projects") == "Projects"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_this_session_reads_every_translation_of_the_po(language: str):
    po = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po")
    mo = po.with_suffix(".mo")
    assert mo.exists(), "the session did not compile the catalogue"
    assert mo.stat().st_mtime >= po.stat().st_mtime, "the session left a catalogue older than its .po"
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    expected = {
        message.id: message.string
        for message in catalogue
        if isinstance(message.id, str) and message.id and message.string
        if not message.fuzzy and not message.context
    }
    assert len(expected) > 1000
    with translation.override(language):
        wrong = {
            msgid: found for msgid in expected if (found := translation.gettext(msgid)) != expected[msgid]
        }
    assert wrong == {}
