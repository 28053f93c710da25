"""Pages of the contests app: PLACEHOLDER routes until this family's views are written."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse(status=501)


urlpatterns: list[URLPattern] = [
    path("", _not_yet, name="index"),
    path("<int:contest_id>/", _not_yet, name="contest"),
    path("<int:contest_id>/results/", _not_yet, name="results"),
    path("archive/", _not_yet, name="archive"),
    path("grants/", _not_yet, name="calls"),
    path("grants/<int:call_id>/", _not_yet, name="call"),
]
