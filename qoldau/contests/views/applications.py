"""Pages of the contests app: PLACEHOLDER routes until this family's views are written."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse(status=501)


urlpatterns: list[URLPattern] = [
    path("mine/", _not_yet, name="mine"),
    path("<int:contest_id>/apply/", _not_yet, name="apply_contest"),
    path("grants/<int:call_id>/apply/", _not_yet, name="apply_call"),
    path("applications/<int:application_id>/", _not_yet, name="application"),
    path("applications/<int:application_id>/edit/", _not_yet, name="application_edit"),
    path("applications/<int:application_id>/submit/", _not_yet, name="application_submit"),
    path("applications/<int:application_id>/withdraw/", _not_yet, name="application_withdraw"),
    path("applications/<int:application_id>/documents/", _not_yet, name="document_add"),
    path(
        "applications/<int:application_id>/documents/<int:document_id>/remove/",
        _not_yet,
        name="document_remove",
    ),
    path("applications/<int:application_id>/budget/", _not_yet, name="budget"),
    path("awards/<int:award_id>/", _not_yet, name="award"),
    path("reports/<int:report_id>/", _not_yet, name="report"),
]
