"""Public pages of contests and grants: the list of contests and calls, a contest with its
rules, its approved results, the archive since 2013, and a call with its dashboard. No
sign-in is needed and no personal data is shown; each view calls one selector and renders."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from qoldau.contests import selectors
from qoldau.contests.services import may_set_up_contests
from qoldau.core.access import user_scope
from qoldau.core.errors import NotFound


def index(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user)
    return render(
        request,
        "contests/public/index.html",
        {
            "page": selectors.public_index(),
            "may_set_up_contests": may_set_up_contests(request.user),
            "may_open_call": scope.system_admin or scope.national or bool(scope.admin_organisation_ids),
        },
    )


def contest(request: HttpRequest, contest_id: int) -> HttpResponse:
    try:
        overview = selectors.contest_overview(contest_id)
    except NotFound as exc:
        raise Http404(exc.render()) from exc
    return render(request, "contests/public/contest.html", {"overview": overview})


def results(request: HttpRequest, contest_id: int) -> HttpResponse:
    try:
        outcome = selectors.contest_results(selectors.contest_get(contest_id))
    except NotFound as exc:
        raise Http404(exc.render()) from exc
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
    try:
        overview = selectors.call_overview(call_id)
    except NotFound as exc:
        raise Http404(exc.render()) from exc
    return render(request, "contests/public/call.html", {"overview": overview})


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("<int:contest_id>/", contest, name="contest"),
    path("<int:contest_id>/results/", results, name="results"),
    path("archive/", archive, name="archive"),
    path("grants/", calls, name="calls"),
    path("grants/<int:call_id>/", call, name="call"),
]
