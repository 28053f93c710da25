from __future__ import annotations

from django.http import HttpRequest

from qoldau.core.access import user_scope


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the navigation shows: only the sections the user's roles open."""
    scope = user_scope(request.user)
    return {"scope": scope}
