"""Set-up pages: the ministry's contests (stages, criteria), commissions (the ministry; an
akimat officer their own region's), and grant calls (the operator's administrators, or the
ministry) with their criteria and commission. Every page parses with a form, checks who
may do it, and calls one service; the services refuse what breaks the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from qoldau.contests import grants as grant_bands
from qoldau.contests import policy, selectors, services
from qoldau.contests.forms_setup import (
    CommissionCreateForm,
    ContestForm,
    CriterionFormSet,
    GrantCallForm,
    MemberAddForm,
    ScaleForm,
    StageForm,
)
from qoldau.contests.models import ApplicantKind, Commission, Contest, GrantBandKind, GrantCall, Stage
from qoldau.core.errors import ApplicationError, NotFound, PermissionDenied
from qoldau.core.forms import add_service_error
from qoldau.core.models import Organisation, Place, VulnerabilityCategory


def _bad(form_or_forms: Any) -> int:
    forms = form_or_forms if isinstance(form_or_forms, list | tuple) else [form_or_forms]
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


# Contests -------------------------------------------------------------------------------


def _contest_input(form: ContestForm) -> services.ContestInput:
    data = form.cleaned_data
    return services.ContestInput(
        year=data["year"],
        title_kk=data["title_kk"],
        title_ru=data["title_ru"],
        title_en=data["title_en"],
        description_kk=data["description_kk"],
        description_ru=data["description_ru"],
        description_en=data["description_en"],
        eligible_kinds=data["eligible_kinds"],
        places_awarded=data["places_awarded"],
        advance_per_region=data["advance_per_region"],
    )


@login_required
def contest_create(request: HttpRequest) -> HttpResponse:
    policy.check_may_set_up_contests(request.user)
    initial = {"year": timezone.localdate().year, "eligible_kinds": list(ApplicantKind.values)}
    form = ContestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.contest_create(actor=request.user, data=_contest_input(form))
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The contest is created. Now set its stages."))
            return redirect("contests:stages", contest_id=contest.pk)
    return render(
        request, "contests/setup/contest_form.html", {"form": form, "contest": None}, status=_bad(form)
    )


@login_required
def contest_edit(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = selectors.contest_get(contest_id)
    policy.check_may_set_up_contests(request.user)
    if request.method == "POST":
        form = ContestForm(request.POST)
        if form.is_valid():
            try:
                services.contest_update(
                    actor=request.user,
                    contest=contest,
                    expected_version=form.cleaned_data["version"] or 0,
                    data=_contest_input(form),
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("contests:contest_edit", contest_id=contest.pk)
    else:
        form = ContestForm(initial=ContestForm.initial_for(contest))
    return render(
        request, "contests/setup/contest_form.html", {"form": form, "contest": contest}, status=_bad(form)
    )


@login_required
def stages(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = selectors.contest_get(contest_id)
    policy.check_may_set_up_contests(request.user)
    forms = {}
    for level in Stage.Level.values:
        stage = selectors.contest_stage(contest, level)
        forms[level] = StageForm(prefix=level, initial=StageForm.initial_for(level, stage))
    if request.method == "POST":
        level = request.POST.get("stage", "")
        if level not in forms:
            raise NotFound(_("Unknown stage."))
        form = StageForm(request.POST, prefix=level, initial=forms[level].initial)
        forms[level] = form
        if form.is_valid():
            try:
                services.stage_set(
                    actor=request.user,
                    contest=contest,
                    level=level,
                    opens_at=form.opens_at(),
                    deadline=form.deadline(),
                    results_on=form.cleaned_data["results_on"],
                    venue=form.cleaned_data["venue"],
                )
            except ApplicationError as exc:
                field = {"deadline": "deadline_on", "opens_at": "opens_on"}.get(exc.field or "")
                if field:
                    form.add_error(field, exc.render())
                else:
                    add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The dates of the %(stage)s are saved.") % {"stage": Stage.Level(level).label.lower()},
                )
                return redirect("contests:stages", contest_id=contest.pk)
    return render(
        request,
        "contests/setup/stages.html",
        {
            "contest": contest,
            "stage_forms": [(Stage.Level(level).label, level, form) for level, form in forms.items()],
        },
        status=_bad(list(forms.values())),
    )


def _criteria_page(
    request: HttpRequest, *, contest: Contest | None = None, call: GrantCall | None = None
) -> HttpResponse:
    existing = selectors.criteria_list(contest=contest, call=call)
    initial = [
        {
            "name_kk": c.name_kk,
            "name_ru": c.name_ru,
            "name_en": c.name_en,
            "weight": c.weight,
            "scale_min": c.scale_min,
            "scale_max": c.scale_max,
        }
        for c in existing
    ]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="criteria")
    refusal = ""
    if request.method == "POST" and formset.is_valid():
        try:
            services.criteria_set(
                actor=request.user,
                contest=contest,
                call=call,
                criteria=[
                    services.CriterionInput(
                        name_kk=row["name_kk"],
                        name_ru=row["name_ru"],
                        name_en=row["name_en"],
                        weight=row["weight"],
                        scale_min=row["scale_min"],
                        scale_max=row["scale_max"],
                    )
                    for row in formset.kept()
                ],
            )
        except ApplicationError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            refusal = exc.render()
        else:
            messages.success(request, _("The criteria are saved."))
            if contest is not None:
                return redirect("contests:criteria", contest_id=contest.pk)
            return redirect("contests:call_criteria", call_id=call.pk)  # type: ignore[union-attr]
    invalid = formset.is_bound and (not formset.is_valid() or bool(refusal))
    return render(
        request,
        "contests/setup/criteria.html",
        {"contest": contest, "call": call, "formset": formset, "existing": existing, "refusal": refusal},
        status=400 if invalid else 200,
    )


@login_required
def criteria(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = selectors.contest_get(contest_id)
    policy.check_may_set_up_contests(request.user)
    return _criteria_page(request, contest=contest)


# Commissions ----------------------------------------------------------------------------


@login_required
def commissions(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = selectors.contest_get(contest_id)
    regions = selectors.commission_regions(request.user)
    national = policy.may_set_up_contests(request.user)
    policy.check_may_set_up_contest_commissions(request.user)
    form = CommissionCreateForm(request.POST or None, regions=regions, republican=national)
    if request.method == "POST" and form.is_valid():
        region = next((r for r in regions if r.pk == form.cleaned_data["region"]), None)
        level = form.cleaned_data["level"]
        try:
            commission = services.commission_create(
                actor=request.user,
                level=level,
                contest=contest,
                region=region if level == Commission.Level.REGIONAL else None,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The commission is created. Now add its members."))
            return redirect("contests:commission_setup", commission_id=commission.pk)
    rows = [
        (c, policy.may_set_up_commission(request.user, c)) for c in selectors.commissions_of_contest(contest)
    ]
    return render(
        request,
        "contests/setup/commissions.html",
        {"contest": contest, "rows": rows, "form": form, "may_set_up_contest": national},
        status=_bad(form),
    )


@login_required
def commission_setup(request: HttpRequest, commission_id: int) -> HttpResponse:
    commission = selectors.commission_get_for_user(request.user, commission_id)
    policy.check_may_set_up_commission(request.user, commission)
    member_form = MemberAddForm(auto_id="member_%s")
    scale_form = ScaleForm(
        auto_id="scale_%s", initial={"scale_min": commission.scale_min, "scale_max": commission.scale_max}
    )
    remove_error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                member_form = MemberAddForm(request.POST, auto_id="member_%s")
                if member_form.is_valid():
                    data = member_form.cleaned_data
                    services.commission_member_add(
                        actor=request.user,
                        commission=commission,
                        user=data["username"],
                        role=data["role"],
                        affiliation=data["affiliation"],
                    )
                    messages.success(
                        request,
                        _("%(user)s is added to the commission.") % {"user": data["username"].get_username()},
                    )
                    return redirect("contests:commission_setup", commission_id=commission.pk)
            elif action == "remove":
                seat = next(
                    (
                        s
                        for s in selectors.commission_members(commission)
                        if str(s.pk) == request.POST.get("seat")
                    ),
                    None,
                )
                if seat is None:
                    raise NotFound(_("This person no longer sits on the commission."))
                services.commission_member_remove(actor=request.user, seat=seat)
                messages.success(
                    request,
                    _("%(user)s is removed from the commission.") % {"user": seat.user.get_username()},
                )
                return redirect("contests:commission_setup", commission_id=commission.pk)
            elif action == "scale":
                scale_form = ScaleForm(request.POST, auto_id="scale_%s")
                if scale_form.is_valid():
                    services.commission_set_scale(
                        actor=request.user,
                        commission=commission,
                        scale_min=scale_form.cleaned_data["scale_min"],
                        scale_max=scale_form.cleaned_data["scale_max"],
                    )
                    messages.success(request, _("The commission's scale is saved."))
                    return redirect("contests:commission_setup", commission_id=commission.pk)
            else:
                raise NotFound(_("Unknown action."))
        except ApplicationError as exc:
            if isinstance(exc, PermissionDenied | NotFound):
                raise
            if action == "add":
                add_service_error(member_form, exc)
            elif action == "scale":
                add_service_error(scale_form, exc)
            else:
                remove_error = exc.render()
    invalid = bool(member_form.errors or scale_form.errors or remove_error)
    return render(
        request,
        "contests/setup/commission_setup.html",
        {
            "commission": commission,
            "members": selectors.commission_members(commission),
            "member_form": member_form,
            "scale_form": scale_form,
            "remove_error": remove_error,
        },
        status=400 if invalid else 200,
    )


# Grant calls ----------------------------------------------------------------------------


def band_choices(day: dt.date) -> list[tuple[str, str]]:
    """Each grant size with its duration and its limits in tenge at the MCI of the day."""
    choices = []
    for kind in GrantBandKind:
        try:
            limits = grant_bands.band_limits(kind.value, day)
        except ApplicationError:
            choices.append((kind.value, str(kind.label)))
            continue
        band = limits.band
        params = {
            "band": kind.label,
            "low_months": band.min_months,
            "high_months": band.max_months,
            "low": number_format(limits.min_amount, 0, force_grouping=True),
            "high": number_format(limits.max_amount, 0, force_grouping=True)
            if limits.max_amount is not None
            else "",
            "mci": number_format(limits.mci, 0, force_grouping=True),
        }
        if limits.max_amount is None:
            label = _(
                "%(band)s: %(low_months)s to %(high_months)s months, from %(low)s tenge (MCI %(mci)s tenge)"
            )
        else:
            label = _(
                "%(band)s: %(low_months)s to %(high_months)s months, %(low)s to %(high)s tenge "
                "(MCI %(mci)s tenge)"
            )
        choices.append((kind.value, label % params))
    return choices


def _call_form(request: HttpRequest, call: GrantCall | None) -> GrantCallForm:
    operators = selectors.call_operators(request.user)
    if call is not None and all(o.pk != call.operator_id for o in operators):
        operators = [call.operator, *operators]
    day = timezone.localdate(call.opens_at) if call is not None else timezone.localdate()
    kwargs: dict[str, Any] = {
        "operators": operators,
        "bands": band_choices(day),
        "regions": list(Place.objects.filter(level=Place.Level.REGION).order_by("kato")),
        "categories": list(VulnerabilityCategory.objects.order_by("sort_order", "pk")),
    }
    if request.method == "POST" and request.POST.get("action", "save") == "save":
        return GrantCallForm(request.POST, **kwargs)
    if call is not None:
        return GrantCallForm(initial=GrantCallForm.initial_for(call), **kwargs)
    return GrantCallForm(
        initial={
            "bands": [GrantBandKind.SHORT.value],
            "eligible_kinds": ["ngo", "public_association", "disability_organisation"],
            "requires_state_ngo_database": True,
        },
        **kwargs,
    )


def _call_input(form: GrantCallForm) -> services.GrantCallInput:
    data = form.cleaned_data
    return services.GrantCallInput(
        title_kk=data["title_kk"],
        title_ru=data["title_ru"],
        title_en=data["title_en"],
        description_kk=data["description_kk"],
        description_ru=data["description_ru"],
        description_en=data["description_en"],
        budget=data["budget"],
        opens_at=form.opens_at(),
        deadline=form.deadline(),
        bands=data["bands"],
        eligible_kinds=data["eligible_kinds"],
        region_ids=data["regions"],
        category_ids=data["categories"],
        requires_state_ngo_database=data["requires_state_ngo_database"],
    )


# The call service's input names where the call form names its fields differently.
CALL_FIELDS = {
    "deadline": "deadline_on",
    "opens_at": "opens_on",
    "region_ids": "regions",
    "category_ids": "categories",
}


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    policy.check_may_open_calls(request.user)
    form = _call_form(request, None)
    if request.method == "POST" and form.is_valid():
        operator = Organisation.objects.get(pk=form.cleaned_data["operator"])
        try:
            call = services.grant_call_create(actor=request.user, operator=operator, data=_call_input(form))
        except ApplicationError as exc:
            add_service_error(form, exc, field_names=CALL_FIELDS)
        else:
            messages.success(request, _("The grant call is created. Now set its criteria and commission."))
            return redirect("contests:call_edit", call_id=call.pk)
    return render(request, "contests/setup/call_form.html", {"form": form, "call": None}, status=_bad(form))


@login_required
def call_edit(request: HttpRequest, call_id: int) -> HttpResponse:
    call = selectors.call_get(call_id)
    policy.check_may_run_call(request.user, call, task="change")
    commission = call.commissions.filter(level=Commission.Level.GRANT).first()
    if request.method == "POST" and request.POST.get("action") == "commission":
        try:
            commission = services.commission_create(
                actor=request.user, level=Commission.Level.GRANT, call=call
            )
        except ApplicationError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            messages.error(request, exc.render())
            return redirect("contests:call_edit", call_id=call.pk)
        messages.success(request, _("The call's commission is created. Now add its members."))
        return redirect("contests:commission_setup", commission_id=commission.pk)
    form = _call_form(request, call)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_call_update(
                actor=request.user,
                call=call,
                expected_version=form.cleaned_data["version"] or 0,
                data=_call_input(form),
            )
        except ApplicationError as exc:
            add_service_error(form, exc, field_names=CALL_FIELDS)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("contests:call_edit", call_id=call.pk)
    return render(
        request,
        "contests/setup/call_form.html",
        {"form": form, "call": call, "commission": commission},
        status=_bad(form),
    )


@login_required
def call_criteria(request: HttpRequest, call_id: int) -> HttpResponse:
    call = selectors.call_get(call_id)
    policy.check_may_run_call(request.user, call, task="criteria")
    return _criteria_page(request, call=call)


urlpatterns: list[URLPattern] = [
    path("new/", contest_create, name="contest_create"),
    path("<id:contest_id>/edit/", contest_edit, name="contest_edit"),
    path("<id:contest_id>/stages/", stages, name="stages"),
    path("<id:contest_id>/criteria/", criteria, name="criteria"),
    path("<id:contest_id>/commissions/", commissions, name="commissions"),
    path("commissions/<id:commission_id>/setup/", commission_setup, name="commission_setup"),
    path("grants/new/", call_create, name="call_create"),
    path("grants/<id:call_id>/edit/", call_edit, name="call_edit"),
    path("grants/<id:call_id>/criteria/", call_criteria, name="call_criteria"),
]
