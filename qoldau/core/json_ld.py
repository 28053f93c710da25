"""Structured data (schema.org JSON-LD) inside a page, safely.

A `<script type="application/ld+json">` element is data, never run, so the
Content-Security-Policy lets it through; but inside a script element HTML escaping does
not apply, and text people typed that holds `</script>` would close the element and run
what follows. So the JSON is escaped as Django's `json_script` escapes it (`<`, `>` and `&`
as JSON's \\u escapes, which parse back to the same text), and only then marked safe. The
one reviewed `mark_safe` for this (test_conventions.py's SAFE_ALLOWED)."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(value: Any, element_id: str = "") -> SafeString:
    """`value` as a JSON-LD script element: `{{ posting|json_ld:"job-posting" }}`."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    escaped = mark_safe(text)  # noqa: S308 - the escapes above, as json_script's
    if element_id:
        return format_html('<script id="{}" type="application/ld+json">{}</script>', element_id, escaped)
    return format_html('<script type="application/ld+json">{}</script>', escaped)
