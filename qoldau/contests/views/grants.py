"""Pages of the contests app: PLACEHOLDER routes until this family's views are written."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse(status=501)


urlpatterns: list[URLPattern] = [
    path("grants/<int:call_id>/manage/", _not_yet, name="call_manage"),
    path("awards/<int:award_id>/manage/", _not_yet, name="award_manage"),
]
