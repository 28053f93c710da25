"""Pages of the contests app: PLACEHOLDER routes until this family's views are written."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse(status=501)


urlpatterns: list[URLPattern] = [
    path("new/", _not_yet, name="contest_create"),
    path("<int:contest_id>/edit/", _not_yet, name="contest_edit"),
    path("<int:contest_id>/stages/", _not_yet, name="stages"),
    path("<int:contest_id>/criteria/", _not_yet, name="criteria"),
    path("<int:contest_id>/commissions/", _not_yet, name="commissions"),
    path("commissions/<int:commission_id>/setup/", _not_yet, name="commission_setup"),
    path("grants/new/", _not_yet, name="call_create"),
    path("grants/<int:call_id>/edit/", _not_yet, name="call_edit"),
    path("grants/<int:call_id>/criteria/", _not_yet, name="call_criteria"),
]
