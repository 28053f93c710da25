"""Public pages of contests and grants: the list of contests and calls, a contest with its
rules, its approved results, the archive since 2013, and a call with its dashboard. No
sign-in is needed and no personal data is shown; each view calls one selector and renders."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from qoldau.contests import selectors
from qoldau.contests.policy import may_open_calls, may_set_up_contests


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "contests/public/index.html",
        {
            "page": selectors.public_index(),
            "may_set_up_contests": may_set_up_contests(request.user),
            "may_open_call": may_open_calls(request.user),
        },
    )


def contest(request: HttpRequest, contest_id: int) -> HttpResponse:
    overview = selectors.contest_overview(contest_id)
    return render(
        request,
        "contests/public/contest.html",
        {"overview": overview, "outlier_points": settings.QOLDAU_CONTEST_OUTLIER_POINTS},
    )


def results(request: HttpRequest, contest_id: int) -> HttpResponse:
    outcome = selectors.contest_results(selectors.contest_get(contest_id))
    laureates = []
    if outcome.republican is not None:
        laureates = [row for row in outcome.republican.rows if row.place is not None]
    return render(
        request,
        "contests/public/results.html",
        {"results": outcome, "contest": outcome.contest, "laureates": laureates},
    )


def archive(request: HttpRequest) -> HttpResponse:
    return render(request, "contests/public/archive.html", {"history": selectors.contest_history()})


def calls(request: HttpRequest) -> HttpResponse:
    return render(request, "contests/public/calls.html", {"page": selectors.public_index()})


def call(request: HttpRequest, call_id: int) -> HttpResponse:
    overview = selectors.call_overview(call_id)
    return render(request, "contests/public/call.html", {"overview": overview})


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("<id:contest_id>/", contest, name="contest"),
    path("<id:contest_id>/results/", results, name="results"),
    path("archive/", archive, name="archive"),
    path("grants/", calls, name="calls"),
    path("grants/<id:call_id>/", call, name="call"),
]
