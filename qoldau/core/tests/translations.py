"""The translation catalogues the tests read, compiled by the test session itself
(`qoldau/conftest.py`), so that a fresh clone where only `make install` ran tests the same
Kazakh and Russian text as one where `make messages` ran."""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogues(locale_dir: Path, domain: str = "django") -> list[Path]:
    """Compile each `<language>/LC_MESSAGES/<domain>.po` under `locale_dir` whose .mo is
    missing or older than it, as `make messages` (pybabel compile) does: fuzzy entries
    left out, a catalogue marked fuzzy as a whole skipped. Returns the .mo files written."""
    written = []
    for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        if catalogue.fuzzy:
            continue
        # Written beside and renamed over it, so that another test process running at the
        # same time (pytest-xdist) never reads half a catalogue.
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.partial")
        with partial.open("wb") as target:
            write_mo(target, catalogue)
        os.replace(partial, mo)
        written.append(mo)
    return written
