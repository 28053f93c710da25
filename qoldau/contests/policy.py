"""Who may see or do what in contests and small grants. Each rule is written once, in the
domain's words, in two forms that cannot drift: a check for one record (`may_*`, with
`check_may_*` raising the refusal written beside it) and a query for lists (`*_by(user)`,
`*_visible(user)`); `tests/test_policy.py` holds both forms to the same cases.

- The ministry (and system administrators) set up contests, their stages and criteria, and
  every commission; an akimat officer sets up their own region's commission; a call's
  operator (its organisation's administrators) the call's commission.
- The ministry opens grant calls for any organisation, an organisation's administrators for
  their own. A call is run (its criteria, awards, tranches and grantee reports) by its
  operator's administrators and by the ministry.
- Anyone signed in applies, as an individual or for an organisation they work for. An
  application is acted on (changed, submitted, withdrawn, its grant's reports submitted) by
  its applicant and its organisation's staff.
- A draft is seen by the applicant's side only; a submitted application also by the
  commissions that review it, the akimat officers of its region, the ministry, the call's
  operator and system administrators.
- A commission is seen by those who sit on it and those who set it up; its work (the
  worklist, score sheets, the applications before it) by those who sit on it. Its secretary
  decides eligibility; its chair and members score the applications it reviews unless they
  declared a conflict or are connected to the applicant; its chair approves the result.

What the state allows (a deadline, an approved result, a sheet not yet complete) is checked
by the services after these rules, so that a refusal never tells someone who may not act
what state a record is in.

Only this module asks `qoldau.core.access.user_scope`; views, the API, selectors and
services ask the rules here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Literal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.contests.errors import ContestErrorCode
from qoldau.contests.models import (
    Application,
    Commission,
    CommissionMember,
    ConflictOfInterest,
    GrantAward,
    GrantCall,
    GranteeReport,
)
from qoldau.core.access import Scope, user_scope
from qoldau.core.errors import ErrorCode, NotFound, PermissionDenied
from qoldau.core.models import Organisation, Place, RoleAssignment
from qoldau.core.services import Actor

# Matches every row: the "everything" of a query form, which an empty Q() is not once it is
# combined with another condition.
_EVERY = Q(pk__isnull=False)

# Refusals of records a user may not even see: the same answer as for a missing record.
APPLICATION_HIDDEN = _("There is no such application, or it is outside your scope.")
AWARD_HIDDEN = _("There is no such grant, or it is outside your scope.")
NOT_ON_COMMISSION = _("There is no such commission, or you do not sit on it.")
OUTSIDE_COMMISSION = _("This application is not one of your commission's.")


def _national(scope: Scope) -> bool:
    return scope.system_admin or scope.national


# A seat as the caller already read it -------------------------------------------------------


class _Unread(Enum):
    """Not read by the caller: the rule reads it itself."""

    UNREAD = "unread"


UNREAD = _Unread.UNREAD
# The user's seat on the commission as the caller read it with `seat_of` (None: they have
# none), or UNREAD. A page that asks several rules of one commission reads the seat once.
SeatGiven = CommissionMember | None | _Unread


def seat_of(user: Actor, commission: Commission) -> CommissionMember | None:
    """The user's seat on the commission (chair, member or secretary), if they sit on it."""
    if not user.is_authenticated:
        return None
    return CommissionMember.objects.filter(commission=commission, user_id=user.pk).first()


def read_seat(user: Actor, commission: Commission, seat: SeatGiven) -> CommissionMember | None:
    """The seat as the caller gave it, or read now when UNREAD."""
    if isinstance(seat, _Unread):
        return seat_of(user, commission)
    # A seat read for someone else, or on another commission, is no seat of this user's here.
    if seat is None or seat.user_id != user.pk or seat.commission_id != commission.pk:
        return None
    return seat


def _seated(user: Actor, **roles: object) -> QuerySet[CommissionMember]:
    if not user.is_authenticated:
        return CommissionMember.objects.none()
    return CommissionMember.objects.filter(user_id=user.pk, **roles)


# Contests -----------------------------------------------------------------------------------


def may_set_up_contests(user: Actor) -> bool:
    """The ministry (and system administrators) set up contests: the contests themselves,
    their stages and criteria, and the republican commission."""
    return _national(user_scope(user))


def check_may_set_up_contests(user: Actor) -> None:
    if not may_set_up_contests(user):
        raise PermissionDenied(_("Only ministry officers set up contests."))


# Commissions: who sets them up --------------------------------------------------------------


def _sets_up_commission(scope: Scope, level: str, region_id: int | None, call: GrantCall | None) -> bool:
    if _national(scope):
        return True
    if level == Commission.Level.REGIONAL:
        return region_id is not None and region_id in scope.region_ids
    if level == Commission.Level.GRANT and call is not None:
        return scope.may_administer(call.operator_id)
    return False


def may_create_commission(user: Actor, *, level: str, region_id: int | None, call: GrantCall | None) -> bool:
    """The ministry sets up every commission (a region's, the republican one, a call's); an
    akimat officer their own region's; a call's operator's administrators the call's."""
    return _sets_up_commission(user_scope(user), level, region_id, call)


def may_set_up_commission(user: Actor, commission: Commission) -> bool:
    """Who may create a commission of its kind sets it up: seats its members, sets its scale."""
    return _sets_up_commission(user_scope(user), commission.level, commission.region_id, commission.call)


def commissions_set_up_by(user: Actor) -> QuerySet[Commission]:
    scope = user_scope(user)
    if _national(scope):
        return Commission.objects.all()
    return Commission.objects.filter(
        Q(level=Commission.Level.REGIONAL, region_id__in=scope.region_ids)
        | Q(level=Commission.Level.GRANT, call__operator_id__in=scope.admin_organisation_ids)
    )


def commission_regions(user: Actor) -> QuerySet[Place]:
    """The regions whose contest commissions the user sets up: every region for the
    ministry, their own for an akimat officer."""
    regions = Place.objects.filter(level=Place.Level.REGION)
    scope = user_scope(user)
    return regions if _national(scope) else regions.filter(pk__in=scope.region_ids)


def may_set_up_contest_commissions(user: Actor) -> bool:
    """A contest's commissions are set up by the ministry and the akimat officers of a region."""
    return may_set_up_contests(user) or commission_regions(user).exists()


def _commission_refusal() -> PermissionDenied:
    return PermissionDenied(_("You may not set up this commission."))


def check_may_create_commission(
    user: Actor, *, level: str, region_id: int | None, call: GrantCall | None
) -> None:
    if not may_create_commission(user, level=level, region_id=region_id, call=call):
        raise _commission_refusal()


def check_may_set_up_commission(user: Actor, commission: Commission) -> None:
    if not may_set_up_commission(user, commission):
        raise _commission_refusal()


def check_may_set_up_contest_commissions(user: Actor) -> None:
    if not may_set_up_contest_commissions(user):
        raise PermissionDenied(_("Only ministry and akimat officers set up contest commissions."))


# Grant calls ----------------------------------------------------------------------------------


def may_open_call_for(user: Actor, organisation: Organisation) -> bool:
    """The ministry opens grant calls for any organisation; an organisation's
    administrators for their own."""
    scope = user_scope(user)
    return _national(scope) or scope.may_administer(organisation.pk)


def call_operators(user: Actor) -> QuerySet[Organisation]:
    """The organisations the user opens grant calls for."""
    scope = user_scope(user)
    if _national(scope):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=scope.admin_organisation_ids)


def may_open_calls(user: Actor) -> bool:
    """Whether the user opens grant calls for any organisation at all."""
    scope = user_scope(user)
    return _national(scope) or bool(scope.admin_organisation_ids)


def _open_call_refusal() -> PermissionDenied:
    return PermissionDenied(_("Only the operator's administrators or the ministry open a grant call."))


def check_may_open_call_for(user: Actor, organisation: Organisation) -> None:
    if not may_open_call_for(user, organisation):
        raise _open_call_refusal()


def check_may_open_calls(user: Actor) -> None:
    if not may_open_calls(user):
        raise _open_call_refusal()


def may_run_call(user: Actor, call: GrantCall) -> bool:
    """A call is run by its operator's administrators and by the ministry: its terms and
    criteria, its awards, their tranches and grantee reports."""
    scope = user_scope(user)
    return _national(scope) or scope.may_administer(call.operator_id)


def calls_run_by(user: Actor) -> QuerySet[GrantCall]:
    scope = user_scope(user)
    if _national(scope):
        return GrantCall.objects.all()
    return GrantCall.objects.filter(operator_id__in=scope.admin_organisation_ids)


# What a call's operator does; each names the refusal anyone else gets.
CallTask = Literal[
    "change", "criteria", "award", "manage", "plan_tranche", "pay_tranche", "schedule_report", "review_report"
]
_RUN_CALL_REFUSALS: dict[CallTask, str | Promise] = {
    "change": _("Only the call's operator changes the call."),
    "criteria": _("Only the call's operator sets up its criteria."),
    "award": _("Only the call's operator awards its grants."),
    "manage": _("Only the call's operator manages its grants."),
    "plan_tranche": _("Only the call's operator plans tranches."),
    "pay_tranche": _("Only the call's operator records payments."),
    "schedule_report": _("Only the call's operator schedules grantee reports."),
    "review_report": _("Only the call's operator reviews grantee reports."),
}


def check_may_run_call(user: Actor, call: GrantCall, *, task: CallTask) -> None:
    if not may_run_call(user, call):
        raise PermissionDenied(_RUN_CALL_REFUSALS[task])


def check_may_award_grant(user: Actor, application: Application) -> GrantCall:
    """Grants are awarded by the operator of the application's call (and a contest's
    application has none). Returns the call."""
    call = application.call
    if call is None or not may_run_call(user, call):
        raise PermissionDenied(_RUN_CALL_REFUSALS["award"])
    return call


def check_may_see_call_awards(user: Actor, call: GrantCall) -> None:
    """A call's awards, with their tranches and reports, are its operator's to see."""
    if not may_run_call(user, call):
        raise NotFound(_("Only the call's operator manages its awards."))


# Applying, and the applicant's side ----------------------------------------------------------


def check_may_apply(user: Actor) -> None:
    """Anyone signed in applies, as an individual or for an organisation they work for."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to apply."))


def may_apply_for(user: Actor, organisation: Organisation) -> bool:
    """An organisation applies through its staff (a system administrator acts for any)."""
    return user_scope(user).may_work_for(organisation.pk)


def organisations_applied_for_by(user: Actor) -> QuerySet[Organisation]:
    scope = user_scope(user)
    if scope.system_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=scope.organisation_ids)


def check_may_apply_for(user: Actor, organisation: Organisation) -> None:
    if not may_apply_for(user, organisation):
        raise PermissionDenied(_("You can apply only for an organisation you work for."))


def own_organisation_ids(user: Actor) -> frozenset[int]:
    """The organisations the user works for by their roles: whose applications, grants and
    projects are theirs on "my applications". A system administrator acts for every
    organisation, but none of them is theirs."""
    return user_scope(user).organisation_ids


def _acted_for_q(user: Actor, scope: Scope, prefix: str = "") -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    organisations = (
        Q(**{f"{prefix}organisation__isnull": False})
        if scope.system_admin
        else Q(**{f"{prefix}organisation_id__in": scope.organisation_ids})
    )
    return Q(**{f"{prefix}applicant_id": user.pk}) | organisations


def may_act_for_application(user: Actor, application: Application) -> bool:
    """An application is its applicant's and, when an organisation applies, its staff's
    (a system administrator acts for every organisation)."""
    if not user.is_authenticated:
        return False
    if application.applicant_id == user.pk:
        return True
    return application.organisation_id is not None and user_scope(user).may_work_for(
        application.organisation_id
    )


def applications_acted_for_by(user: Actor) -> QuerySet[Application]:
    return Application.objects.filter(_acted_for_q(user, user_scope(user)))


def check_may_change_application(user: Actor, application: Application) -> None:
    if not may_act_for_application(user, application):
        raise PermissionDenied(
            _("Only the applicant and their organisation's staff may change this application.")
        )


def check_may_withdraw_application(user: Actor, application: Application) -> None:
    if not may_act_for_application(user, application):
        raise PermissionDenied(
            _("Only the applicant and their organisation's staff may withdraw this application.")
        )


def may_submit_report(user: Actor, report: GranteeReport) -> bool:
    """A grantee report is submitted by the grantee: the awarded application's side."""
    return may_act_for_application(user, report.award.application)


def reports_submittable_by(user: Actor) -> QuerySet[GranteeReport]:
    return GranteeReport.objects.filter(_acted_for_q(user, user_scope(user), "award__application__"))


def check_may_submit_report(user: Actor, report: GranteeReport) -> None:
    if not may_submit_report(user, report):
        raise PermissionDenied(_("Only the grantee submits its reports."))


def may_submit_report_now(user: Actor, report: GranteeReport) -> bool:
    """The report's page offers its form to the grantee while the report is due (or
    returned to them)."""
    due = (GranteeReport.Status.DUE, GranteeReport.Status.RETURNED)
    return report.status in due and may_submit_report(user, report)


def check_may_submit_report_now(user: Actor, report: GranteeReport) -> None:
    if not may_submit_report_now(user, report):
        raise PermissionDenied(_("Only the grantee submits its reports, and only while they are due."))


def may_link_grant_project(user: Actor, award: GrantAward) -> bool:
    """The grantee's administrators name the project a grant funds."""
    organisation_id = award.application.organisation_id
    return organisation_id is not None and user_scope(user).may_administer(organisation_id)


def awards_linkable_by(user: Actor) -> QuerySet[GrantAward]:
    scope = user_scope(user)
    if scope.system_admin:
        return GrantAward.objects.filter(application__organisation__isnull=False)
    return GrantAward.objects.filter(application__organisation_id__in=scope.admin_organisation_ids)


def check_may_link_grant_project(user: Actor, award: GrantAward) -> None:
    if not may_link_grant_project(user, award):
        raise PermissionDenied(_("Only the grantee's administrators link its project."))


# Which applications a commission reviews ------------------------------------------------------


def reviews(commission: Commission, application: Application) -> bool:
    """A region's commission reviews its contest's applications from its region; the
    republican commission its contest's applications that advanced; a call's commission the
    call's applications. (Which of them it scores or checks is a matter of their state.)"""
    if commission.level == Commission.Level.GRANT:
        return application.call_id == commission.call_id
    if application.contest_id != commission.contest_id:
        return False
    if commission.level == Commission.Level.REPUBLICAN:
        return application.advanced
    return application.region_id == commission.region_id


def _reviewed_by_q(commission: Commission) -> Q:
    if commission.level == Commission.Level.GRANT:
        return Q(call_id=commission.call_id)
    if commission.level == Commission.Level.REPUBLICAN:
        return Q(contest_id=commission.contest_id, advanced=True)
    return Q(contest_id=commission.contest_id, region_id=commission.region_id)


def applications_reviewed_by(commission: Commission) -> QuerySet[Application]:
    return Application.objects.filter(_reviewed_by_q(commission))


def checking_commission(application: Application) -> Commission | None:
    """The commission whose secretary decides an application's eligibility: its region's
    (the republican commission takes the regions' eligible winners), or its call's."""
    if application.call_id is not None:
        return Commission.objects.filter(call_id=application.call_id, level=Commission.Level.GRANT).first()
    if application.contest_id is None:  # the model's check constraint: a contest or a call
        return None
    return Commission.objects.filter(
        contest_id=application.contest_id, level=Commission.Level.REGIONAL, region_id=application.region_id
    ).first()


def applications_checked_by(commission: Commission) -> QuerySet[Application]:
    """The applications whose eligibility a commission decides (see `checking_commission`)."""
    if commission.level == Commission.Level.REPUBLICAN:
        return Application.objects.none()
    return applications_reviewed_by(commission)


# Seeing a commission and working on it --------------------------------------------------------


def may_see_commission(user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD) -> bool:
    """A commission is seen by those who sit on it and those who set it up."""
    return read_seat(user, commission, seat) is not None or may_set_up_commission(user, commission)


def commissions_visible(user: Actor) -> QuerySet[Commission]:
    return Commission.objects.filter(
        Q(pk__in=_seated(user).values("commission_id")) | Q(pk__in=commissions_set_up_by(user).values("pk"))
    )


def check_may_see_commission(user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD) -> None:
    if not may_see_commission(user, commission, seat=seat):
        raise NotFound(NOT_ON_COMMISSION)


def check_may_see_live_ranking(
    user: Actor | None, commission: Commission, *, seat: SeatGiven = UNREAD
) -> None:
    """Before approval a commission's ranking is seen by those who see the commission only;
    to anyone else there is no result yet."""
    if user is None or not may_see_commission(user, commission, seat=seat):
        raise NotFound(_("The commission has not approved its result yet."))


def may_work_on_commission(user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD) -> bool:
    """A commission's work (its worklist, score sheets, the applications before it) is for
    those who sit on it."""
    return read_seat(user, commission, seat) is not None


def commissions_worked_on_by(user: Actor) -> QuerySet[Commission]:
    return Commission.objects.filter(pk__in=_seated(user).values("commission_id"))


def check_may_work_on_commission(
    user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD
) -> CommissionMember:
    """Refuses anyone who does not sit on the commission; returns their seat."""
    held = read_seat(user, commission, seat)
    if held is None:
        raise NotFound(NOT_ON_COMMISSION)
    return held


def applications_before_commission(commission: Commission) -> QuerySet[Application]:
    """What a commission's members act on (score, declare conflicts with): the applications
    it reviews, in any state but a draft."""
    return applications_reviewed_by(commission).exclude(status=Application.Status.DRAFT)


def may_read_score_log(user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD) -> bool:
    """Who scored what and when is read by the commission's chair and secretary and by those
    who set it up (a member sees their own sheets only)."""
    held = read_seat(user, commission, seat)
    return (held is not None and held.role != CommissionMember.Role.MEMBER) or may_set_up_commission(
        user, commission
    )


def commissions_score_log_readable_by(user: Actor) -> QuerySet[Commission]:
    keepers = _seated(user).exclude(role=CommissionMember.Role.MEMBER)
    return Commission.objects.filter(
        Q(pk__in=keepers.values("commission_id")) | Q(pk__in=commissions_set_up_by(user).values("pk"))
    )


def check_may_read_score_log(user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD) -> None:
    if not may_read_score_log(user, commission, seat=seat):
        raise NotFound(NOT_ON_COMMISSION)


# Eligibility ------------------------------------------------------------------------------------


def may_check_eligibility(user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD) -> bool:
    """A commission's secretary checks the eligibility of the applications it decides on."""
    held = read_seat(user, commission, seat)
    return held is not None and held.role == CommissionMember.Role.SECRETARY


def commissions_checked_by(user: Actor) -> QuerySet[Commission]:
    return Commission.objects.filter(
        pk__in=_seated(user, role=CommissionMember.Role.SECRETARY).values("commission_id")
    )


def check_may_check_eligibility(user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD) -> None:
    if not may_check_eligibility(user, commission, seat=seat):
        raise NotFound(_("Only the commission's secretary checks eligibility."))


def may_decide_eligibility(user: Actor, application: Application, *, commission: Commission | None) -> bool:
    """An application's eligibility is decided by the secretary of the commission that
    checks it (`checking_commission`, which the caller reads and passes)."""
    return commission is not None and may_check_eligibility(user, commission)


def applications_eligibility_decidable_by(user: Actor) -> QuerySet[Application]:
    secretary = _seated(user, role=CommissionMember.Role.SECRETARY)
    return Application.objects.filter(
        Exists(
            secretary.filter(
                commission__level=Commission.Level.GRANT, commission__call_id=OuterRef("call_id")
            )
        )
        | Exists(
            secretary.filter(
                commission__level=Commission.Level.REGIONAL,
                commission__contest_id=OuterRef("contest_id"),
                commission__region_id=OuterRef("region_id"),
            )
        )
    )


def check_may_decide_eligibility(
    user: Actor, application: Application, *, commission: Commission | None
) -> Commission:
    """Refuses all but the checking commission's secretary; returns that commission."""
    if commission is None or not may_decide_eligibility(user, application, commission=commission):
        raise PermissionDenied(_("Only the secretary of the reviewing commission decides eligibility."))
    return commission


# Conflicts of interest and scoring ------------------------------------------------------------


def organisations_of(member_ids: Iterable[int]) -> dict[int, set[int]]:
    """The organisations each member holds a role in, read once for `connected`."""
    held: dict[int, set[int]] = {}
    for user_id, organisation_id in RoleAssignment.objects.filter(
        user_id__in=list(member_ids), organisation__isnull=False
    ).values_list("user_id", "organisation_id"):
        held.setdefault(user_id, set()).add(organisation_id)
    return held


def connected(
    member_id: int, applicant_id: int, organisation_id: int | None, organisations: Mapping[int, set[int]]
) -> bool:
    """The conflict rule: a member is connected to an application they made, or one made by
    an organisation they hold a role in, whether or not they declared it. (For many
    applications at once; `organisations` is what `organisations_of` read.)"""
    return applicant_id == member_id or (
        organisation_id is not None and organisation_id in organisations.get(member_id, set())
    )


def _connected_q(user: Actor) -> Q:
    held = RoleAssignment.objects.filter(user_id=int(user.pk or 0), organisation__isnull=False)
    return Q(applicant_id=user.pk) | Q(organisation_id__in=held.values("organisation_id"))


def _declared(user: Actor, commission: Commission, application: Application) -> bool:
    return ConflictOfInterest.objects.filter(
        commission=commission, member_id=user.pk, application=application
    ).exists()


def _is_connected(user: Actor, application: Application) -> bool:
    member_id = int(user.pk or 0)
    return connected(
        member_id, application.applicant_id, application.organisation_id, organisations_of([member_id])
    )


def in_conflict(user: Actor, commission: Commission, application: Application) -> bool:
    """The member declared a conflict of interest with the application, or is connected to it."""
    return _declared(user, commission, application) or _is_connected(user, application)


def _outside_commission() -> PermissionDenied:
    return PermissionDenied(OUTSIDE_COMMISSION, code=ContestErrorCode.OUTSIDE_COMMISSION)


def _scoring_refusal(
    user: Actor, commission: Commission, application: Application, seat: SeatGiven, conflict: bool | None
) -> PermissionDenied | None:
    held = read_seat(user, commission, seat)
    if held is None or not held.scores:
        return PermissionDenied(_("Only the commission's chair and members score its applications."))
    if not reviews(commission, application):
        return _outside_commission()
    declared = _declared(user, commission, application) if conflict is None else conflict
    if declared:
        return PermissionDenied(
            _("You declared a conflict of interest with this application; you cannot score it."),
            code=ErrorCode.CONFLICT,
        )
    if conflict is None and _is_connected(user, application):
        return PermissionDenied(
            _(
                "You are connected to the applicant (you applied or work for the organisation); "
                "you cannot score it."
            ),
            code=ErrorCode.CONFLICT,
        )
    return None


def may_score(
    user: Actor,
    commission: Commission,
    application: Application,
    *,
    seat: SeatGiven = UNREAD,
    conflict: bool | None = None,
) -> bool:
    """A commission's chair and members score the applications it reviews, except those
    they declared a conflict with or are connected to (`in_conflict`; a caller that asked it
    already passes the answer as `conflict`). Only eligible applications are scored, and
    none after approval: states the scoring service checks after this rule."""
    return _scoring_refusal(user, commission, application, seat, conflict) is None


def applications_scorable_by(
    user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD
) -> QuerySet[Application]:
    held = read_seat(user, commission, seat)
    if held is None or not held.scores:
        return Application.objects.none()
    declared = ConflictOfInterest.objects.filter(
        commission=commission, member_id=user.pk, application=OuterRef("pk")
    )
    return applications_reviewed_by(commission).exclude(Exists(declared)).exclude(_connected_q(user))


def check_may_score(
    user: Actor, commission: Commission, application: Application, *, seat: SeatGiven = UNREAD
) -> None:
    refusal = _scoring_refusal(user, commission, application, seat, None)
    if refusal is not None:
        raise refusal


def _conflict_refusal(
    user: Actor, commission: Commission, application: Application, seat: SeatGiven
) -> PermissionDenied | None:
    if read_seat(user, commission, seat) is None:
        return PermissionDenied(_("Only the commission's members declare conflicts of interest here."))
    if not reviews(commission, application):
        return _outside_commission()
    return None


def may_declare_conflict(
    user: Actor, commission: Commission, application: Application, *, seat: SeatGiven = UNREAD
) -> bool:
    """Whoever sits on a commission (its secretary too) declares a conflict of interest with
    an application it reviews."""
    return _conflict_refusal(user, commission, application, seat) is None


def applications_conflict_declarable_by(
    user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD
) -> QuerySet[Application]:
    if read_seat(user, commission, seat) is None:
        return Application.objects.none()
    return applications_reviewed_by(commission)


def check_may_declare_conflict(
    user: Actor, commission: Commission, application: Application, *, seat: SeatGiven = UNREAD
) -> None:
    refusal = _conflict_refusal(user, commission, application, seat)
    if refusal is not None:
        raise refusal


def may_approve(user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD) -> bool:
    """A commission's chair approves its result (once every sheet is complete: a state the
    approval checks after this rule)."""
    held = read_seat(user, commission, seat)
    return held is not None and held.role == CommissionMember.Role.CHAIR


def commissions_approvable_by(user: Actor) -> QuerySet[Commission]:
    return Commission.objects.filter(
        pk__in=_seated(user, role=CommissionMember.Role.CHAIR).values("commission_id")
    )


def check_may_approve(user: Actor, commission: Commission, *, seat: SeatGiven = UNREAD) -> None:
    if not may_approve(user, commission, seat=seat):
        raise PermissionDenied(_("Only the commission's chair approves its result."))


# Seeing an application and a grant -------------------------------------------------------------


def may_see_application(user: Actor, application: Application) -> bool:
    """A draft is seen by the applicant's side only. A submitted application also by the
    members of the commissions that review it, the akimat officers of its region, the
    ministry, the call's operator and system administrators."""
    if not user.is_authenticated:
        return False
    if may_act_for_application(user, application):
        return True
    if application.status == Application.Status.DRAFT:
        return False
    scope = user_scope(user)
    if _national(scope) or application.region_id in scope.region_ids:
        return True
    if application.call is not None and may_run_call(user, application.call):
        return True
    seats = _seated(user).select_related("commission")
    return any(reviews(seat.commission, application) for seat in seats)


def applications_visible(user: Actor) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    scope = user_scope(user)
    if _national(scope):
        others = _EVERY
    else:
        others = Q(region_id__in=scope.region_ids) | Q(call__operator_id__in=scope.admin_organisation_ids)
        for seat in _seated(user).select_related("commission"):
            others |= _reviewed_by_q(seat.commission)
    return Application.objects.filter(
        _acted_for_q(user, scope) | (~Q(status=Application.Status.DRAFT) & others)
    )


def check_may_see_application(user: Actor, application: Application) -> None:
    if not may_see_application(user, application):
        raise NotFound(APPLICATION_HIDDEN)


def may_see_award(user: Actor, award: GrantAward) -> bool:
    """A grant is seen by the grantee's side and by the call's operator."""
    return may_act_for_application(user, award.application) or may_run_call(user, award.call)


def awards_visible(user: Actor) -> QuerySet[GrantAward]:
    scope = user_scope(user)
    operator = _EVERY if _national(scope) else Q(call__operator_id__in=scope.admin_organisation_ids)
    return GrantAward.objects.filter(_acted_for_q(user, scope, "application__") | operator)


def check_may_see_award(user: Actor, award: GrantAward) -> None:
    if not may_see_award(user, award):
        raise NotFound(AWARD_HIDDEN)
