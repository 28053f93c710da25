"""Pages of a commission's work: the commissions a person sits on, a member's worklist and
score sheets, conflicts of interest, the secretary's eligibility checks, the ranking with
the chair's approval, and the log of who scored what and when. Reads go through
`selectors` (which hide a commission from anyone not on it: 404), writes through
`services`. A page reads the user's seat once, with the commission, and passes it to the
rules and reads it asks; a scoring POST leaves it to the scoring service, which reads it
once under its lock and hands it back."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.contests import policy, selectors, services
from qoldau.contests.forms_commissions import (
    ConflictForm,
    EligibilityForm,
    ScoreSheetForm,
    score_field_name,
)
from qoldau.contests.models import Application, Commission, CommissionMember
from qoldau.core.errors import ApplicationError, NotFound, PermissionDenied
from qoldau.core.forms import add_service_error


def _commission(request: HttpRequest, commission_id: int) -> tuple[Commission, CommissionMember | None]:
    """The commission with the user's seat on it (None for those who only set it up)."""
    return selectors.commission_with_seat(request.user, commission_id)


def _seated(request: HttpRequest, commission_id: int) -> tuple[Commission, CommissionMember]:
    """The commission and the user's seat; anyone not on it is told the commission does not
    exist for them."""
    item, seat = _commission(request, commission_id)
    return item, policy.check_may_work_on_commission(request.user, item, seat=seat)


# The commissions a person sits on ----------------------------------------------------------


@login_required
def my_commissions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "contests/commissions/my_commissions.html",
        {"seats": selectors.seats_with_progress(request.user)},
    )


# Worklist ---------------------------------------------------------------------------------


@login_required
def commission(request: HttpRequest, commission_id: int) -> HttpResponse:
    item, seat = _seated(request, commission_id)
    worklist = selectors.member_worklist(request.user, item, seat=seat)
    todo_only = request.GET.get("todo") == "1"
    rows = worklist.rows
    if todo_only:
        rows = [r for r in rows if not r.conflict and r.scored < worklist.criteria_count]
    return render(
        request,
        "contests/commissions/worklist.html",
        {
            "commission": item,
            "worklist": worklist,
            "seat": worklist.seat,
            "rows": rows,
            "todo_only": todo_only,
        },
    )


# Score sheet ------------------------------------------------------------------------------


def _score_page(
    request: HttpRequest,
    item: Commission,
    sheet: selectors.ScoreSheet,
    *,
    form: ScoreSheetForm | None = None,
    conflict_form: ConflictForm | None = None,
    status: int = 200,
) -> HttpResponse:
    declared = selectors.conflict_declared(request.user, item, sheet.application) if sheet.conflict else None
    return render(
        request,
        "contests/commissions/score.html",
        {
            "commission": item,
            "seat": sheet.seat,
            "sheet": sheet,
            "application": sheet.application,
            "documents": list(sheet.application.documents.all()),
            "budget_lines": list(sheet.application.budget_lines.all())
            if sheet.application.call_id is not None
            else [],
            "form": form or ScoreSheetForm(lines=sheet.lines),
            "conflict_form": conflict_form or ConflictForm(auto_id="conflict_%s"),
            "declared": declared,
        },
        status=status,
    )


@login_required
def score(request: HttpRequest, commission_id: int, application_id: int) -> HttpResponse:
    if request.method == "POST":
        return _score_post(request, commission_id, application_id)
    item, seat = _seated(request, commission_id)
    return _score_page(request, item, selectors.score_sheet(request.user, item, application_id, seat=seat))


def _score_post(request: HttpRequest, commission_id: int, application_id: int) -> HttpResponse:
    # The scores are read against the commission's criteria, and the scoring service asks
    # who may score, reading the seat once under its lock. Nothing is shown before that
    # answer, or before the score sheet (which asks the same) for a form with errors.
    commission, lines = selectors.score_form_lines(commission_id)
    form = ScoreSheetForm(request.POST, lines=lines)
    if not form.is_valid():
        return _score_sheet_again(request, commission_id, application_id, status=400)
    try:
        recorded = services.scores_record(
            actor=request.user,
            commission=commission,
            application=application_id,
            scores=[services.ScoreInput(pk, value, comment) for pk, value, comment in form.scores()],
        )
    except ApplicationError as exc:
        # Scored meanwhile, approved or unseated: the sheet as it now stands, with the refusal.
        return _score_sheet_again(request, commission_id, application_id, status=exc.status, error=exc)
    messages.success(
        request,
        _("Your scores of application %(number)s are saved.") % {"number": recorded.application.number},
    )
    following = selectors.next_to_score(request.user, commission, recorded.application.pk, seat=recorded.seat)
    if following is None:
        messages.info(request, _("You have scored every application of this commission."))
        return redirect("contests:commission", commission_id=commission.pk)
    return redirect("contests:score", commission_id=commission.pk, application_id=following)


def _score_sheet_again(
    request: HttpRequest,
    commission_id: int,
    application_id: int,
    *,
    status: int,
    error: ApplicationError | None = None,
) -> HttpResponse:
    """The score sheet with the posted values and what was wrong with them; anyone not on
    the commission is told it does not exist for them, as on the sheet itself."""
    item, seat = _seated(request, commission_id)
    sheet = selectors.score_sheet(request.user, item, application_id, seat=seat)
    form = ScoreSheetForm(request.POST, lines=sheet.lines)
    form.is_valid()
    if error is not None:
        # A score's error names `criterion.<id>`: shown beside that criterion's field.
        add_service_error(
            form,
            error,
            field_names={
                f"criterion.{line.criterion.pk}": score_field_name(line.criterion.pk) for line in sheet.lines
            },
        )
    return _score_page(request, item, sheet, form=form, status=status)


@login_required
@require_POST
def conflict(request: HttpRequest, commission_id: int, application_id: int) -> HttpResponse:
    item, seat = _seated(request, commission_id)
    sheet = selectors.score_sheet(request.user, item, application_id, seat=seat)
    form = ConflictForm(request.POST, auto_id="conflict_%s")
    if form.is_valid():
        try:
            services.conflict_declare(
                actor=request.user,
                commission=item,
                application=sheet.application,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
            return _score_page(request, item, sheet, conflict_form=form, status=exc.status)
        messages.success(
            request,
            _("Your conflict of interest with application %(number)s is recorded; you do not score it.")
            % {"number": sheet.application.number},
        )
        return redirect("contests:commission", commission_id=item.pk)
    return _score_page(request, item, sheet, conflict_form=form, status=400)


# Eligibility (the secretary) -----------------------------------------------------------------


def _eligibility_page(
    request: HttpRequest,
    item: Commission,
    seat: CommissionMember | None,
    *,
    bound: tuple[int, EligibilityForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    queue = selectors.eligibility_queue(request.user, item, seat=seat)
    rows = []
    for application in queue:
        if bound is not None and bound[0] == application.pk:
            form = bound[1]
        else:
            initial = {}
            if application.status == Application.Status.ELIGIBLE:
                initial = {"decision": "eligible"}
            elif application.status == Application.Status.INELIGIBLE:
                initial = {"decision": "ineligible", "reason": application.eligibility_reason}
            form = EligibilityForm(auto_id=f"a{application.pk}_%s", initial=initial)
        rows.append((application, form))
    return render(
        request,
        "contests/commissions/eligibility.html",
        {"commission": item, "rows": rows, "statuses": Application.Status},
        status=status,
    )


@login_required
def eligibility(request: HttpRequest, commission_id: int) -> HttpResponse:
    return _eligibility_page(request, *_commission(request, commission_id))


@login_required
@require_POST
def eligibility_decide(request: HttpRequest, commission_id: int, application_id: int) -> HttpResponse:
    item, seat = _commission(request, commission_id)
    application = next(
        (a for a in selectors.eligibility_queue(request.user, item, seat=seat) if a.pk == application_id),
        None,
    )
    if application is None:
        raise NotFound(policy.OUTSIDE_COMMISSION)
    form = EligibilityForm(request.POST, auto_id=f"a{application.pk}_%s")
    status = 400
    if form.is_valid():
        try:
            services.eligibility_decide(
                actor=request.user,
                application=application,
                eligible=form.eligible,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
            status = exc.status
        else:
            if form.eligible:
                text = _("Application %(number)s is recorded as eligible.")
            else:
                text = _("Application %(number)s is recorded as not eligible; the applicant is told why.")
            messages.success(request, text % {"number": application.number})
            return redirect("contests:eligibility", commission_id=item.pk)
    return _eligibility_page(request, item, seat, bound=(application.pk, form), status=status)


# Ranking and approval -----------------------------------------------------------------------


def _ranking_page(
    request: HttpRequest,
    item: Commission,
    seat: CommissionMember | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    result = selectors.commission_result(request.user, item, seat=seat)
    return render(
        request,
        "contests/commissions/ranking.html",
        {
            "commission": item,
            "result": result,
            "seat": seat,
            "is_chair": policy.may_approve(request.user, item, seat=seat),
            "outlier_points": settings.QOLDAU_CONTEST_OUTLIER_POINTS,
            "error": error,
        },
        status=status,
    )


@login_required
def ranking(request: HttpRequest, commission_id: int) -> HttpResponse:
    return _ranking_page(request, *_commission(request, commission_id))


# What the chair confirms on the approval page: sent with the approval, so that a POST
# without it (a bookmarked form, a script that skips the page) only shows the page again.
APPROVAL_CONFIRMED = "frozen"


@login_required
def approve(request: HttpRequest, commission_id: int) -> HttpResponse:
    """The chair's approval in two steps: this page says what approving freezes (the ranks
    and scores shown, the places, the applicants told) or, while sheets are missing, whose;
    only its own form, with the confirmation, approves."""
    item, seat = _commission(request, commission_id)
    policy.check_may_approve(request.user, item, seat=seat)
    if request.method == "POST" and request.POST.get("confirmed") == APPROVAL_CONFIRMED:
        try:
            services.commission_approve(actor=request.user, commission=item)
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            return _ranking_page(request, item, seat, error=exc.render(), status=exc.status)
        messages.success(request, _("The commission's result is approved; its scores can no longer change."))
        return redirect("contests:ranking", commission_id=item.pk)
    if item.approved_at is not None:
        return redirect("contests:ranking", commission_id=item.pk)
    result = selectors.commission_result(request.user, item, seat=seat)
    return render(
        request,
        "contests/commissions/approve.html",
        {
            "commission": item,
            "seat": seat,
            "result": result,
            "scorers": selectors.scoring_members(item),
            "confirmed": APPROVAL_CONFIRMED,
        },
    )


# The log --------------------------------------------------------------------------------------


@login_required
def score_log(request: HttpRequest, commission_id: int) -> HttpResponse:
    item, seat = _commission(request, commission_id)
    return render(
        request,
        "contests/commissions/log.html",
        {"commission": item, "lines": selectors.score_log_lines(request.user, item, seat=seat)},
    )


urlpatterns: list[URLPattern] = [
    path("commissions/", my_commissions, name="my_commissions"),
    path("commissions/<id:commission_id>/", commission, name="commission"),
    path("commissions/<id:commission_id>/applications/<id:application_id>/", score, name="score"),
    path(
        "commissions/<id:commission_id>/applications/<id:application_id>/conflict/",
        conflict,
        name="conflict",
    ),
    path("commissions/<id:commission_id>/ranking/", ranking, name="ranking"),
    path("commissions/<id:commission_id>/approve/", approve, name="approve"),
    path("commissions/<id:commission_id>/eligibility/", eligibility, name="eligibility"),
    path(
        "commissions/<id:commission_id>/eligibility/<id:application_id>/",
        eligibility_decide,
        name="eligibility_decide",
    ),
    path("commissions/<id:commission_id>/log/", score_log, name="score_log"),
]
