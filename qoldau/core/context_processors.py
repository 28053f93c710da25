from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from qoldau.core import policy


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the header shows: the sections the user's roles open (`policy.menu`), and the
    languages by their own names (settings.LANGUAGES, untranslated on purpose)."""
    return {"menu": policy.menu(request.user), "language_choices": settings.LANGUAGES}
