"""Record content in three languages, chosen by the active language.

A record's translated text sits in `<field>_kk`, `<field>_ru`, `<field>_en`; readers get
the active language's text, else Kazakh, else Russian, else English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FALLBACK_ORDER = ("kk", "ru", "en")
# The three languages as a reader names them, in the reader's language (a conversation's,
# a service's); the language switch names each in its own (settings.LANGUAGES).
LANGUAGE_NAMES: dict[str, Promise] = {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")}


def in_language(texts: Mapping[str, str | None], language: str | None = None) -> str:
    """Of a text's versions by language code, the active language's, else Kazakh, else
    Russian, else English. For values read without their record (e.g. `values_list`)."""
    language = (language or translation.get_language() or "kk")[:2]
    for code in (language, *[code for code in FALLBACK_ORDER if code != language]):
        value = texts.get(code)
        if value:
            return str(value)
    return ""


def translated(obj: Any, field: str, language: str | None = None) -> str:
    return in_language({code: getattr(obj, f"{field}_{code}", "") for code in FALLBACK_ORDER}, language)


class TranslatedNameMixin:
    @property
    def name(self) -> str:
        return translated(self, "name")
