"""Pages of the contests app: PLACEHOLDER routes until this family's views are written."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse(status=501)


urlpatterns: list[URLPattern] = [
    path("commissions/", _not_yet, name="my_commissions"),
    path("commissions/<int:commission_id>/", _not_yet, name="commission"),
    path("commissions/<int:commission_id>/applications/<int:application_id>/", _not_yet, name="score"),
    path(
        "commissions/<int:commission_id>/applications/<int:application_id>/conflict/",
        _not_yet,
        name="conflict",
    ),
    path("commissions/<int:commission_id>/ranking/", _not_yet, name="ranking"),
    path("commissions/<int:commission_id>/approve/", _not_yet, name="approve"),
    path("commissions/<int:commission_id>/eligibility/", _not_yet, name="eligibility"),
    path(
        "commissions/<int:commission_id>/eligibility/<int:application_id>/",
        _not_yet,
        name="eligibility_decide",
    ),
    path("commissions/<int:commission_id>/log/", _not_yet, name="score_log"),
]
