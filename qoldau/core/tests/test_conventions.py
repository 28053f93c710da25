"""Checks behind CONTRIBUTING.md's dangerous constructs that a linter does not catch."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "qoldau").rglob("templates/**/*.html"))
EXTERNAL_ASSET = re.compile(r"<(script|link|img)\b[^>]*\b(src|href)=\"(https?:)?//", re.IGNORECASE)


def test_templates_load_nothing_from_another_host():
    assert TEMPLATES
    offenders = [str(t) for t in TEMPLATES if EXTERNAL_ASSET.search(t.read_text(encoding="utf-8"))]
    assert offenders == [], "assets come from static/ (npm at install time), never from a CDN"


def test_api_modules_keep_real_annotations():
    # django-ninja reads parameter types at import time; postponed annotations break it.
    for module in Path(settings.BASE_DIR, "qoldau").rglob("api.py"):
        assert "from __future__ import annotations" not in module.read_text(encoding="utf-8"), module


def test_every_type_ignore_names_its_code():
    bare = []
    for module in Path(settings.BASE_DIR, "qoldau").rglob("*.py"):
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"#\s*type:\s*ignore(?!\[)", line):
                bare.append(f"{module}:{number}")
    assert bare == []
