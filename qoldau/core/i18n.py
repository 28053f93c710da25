"""Record content in three languages, chosen by the active language.

A record's translated text sits in `<field>_kk`, `<field>_ru`, `<field>_en`; readers get
the active language's text, else Kazakh, else Russian, else English.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

FALLBACK_ORDER = ("kk", "ru", "en")


def translated(obj: Any, field: str, language: str | None = None) -> str:
    language = (language or translation.get_language() or "kk")[:2]
    order = (language, *[code for code in FALLBACK_ORDER if code != language])
    for code in order:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


class TranslatedNameMixin:
    @property
    def name(self) -> str:
        return translated(self, "name")
