"""Every write of contests and grants. Each service runs in one transaction, checks the
domain's rules (raising ApplicationError and changing nothing), writes its audit row and
sends its notifications after commit.

Who may do what:
- the ministry (and system administrators) set up contests, their stages and criteria, and
  the republican commission;
- an akimat officer sets up their own region's commission;
- a grant call is run by its operator's administrators (or the ministry);
- NGO staff apply for their organisation, anyone signed in as an individual;
- a commission's secretary decides eligibility, its chair and members score, its chair
  approves; after approval the commission's scores and result never change.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qoldau.contests.grants import check_fits_band
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    ApplicationDocument,
    BudgetLine,
    Commission,
    CommissionMember,
    ConflictOfInterest,
    Contest,
    Criterion,
    GrantAward,
    GrantBandKind,
    GrantCall,
    GranteeReport,
    RankedApplication,
    ReportIndicatorValue,
    Score,
    Stage,
    Tranche,
)
from qoldau.contests.ranking import CriterionScale, RankingResult, rank_applications
from qoldau.core.access import user_scope
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, PermissionDenied, ValidationFailed
from qoldau.core.images import NotAnImage, image_check
from qoldau.core.models import Organisation, Place, RoleAssignment, VulnerabilityCategory
from qoldau.core.notifications import notify
from qoldau.core.services import Actor, acting_user, require_text, save_versioned

DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png")
# How each kind of document begins: PDF (its header may follow a little junk), the zip of
# Office Open XML and OpenDocument, and the compound file of the old Word and Excel.
_ZIP = b"PK\x03\x04"
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENT_SIGNATURES = {
    ".doc": _COMPOUND_FILE,
    ".xls": _COMPOUND_FILE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
}
DOCUMENT_IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


# Who may do what ------------------------------------------------------------------------


def may_set_up_contests(actor: Actor) -> bool:
    scope = user_scope(actor)
    return scope.system_admin or scope.national


def may_open_calls(actor: Actor) -> bool:
    """The ministry, and administrators of an organisation (for their own), open grant calls."""
    scope = user_scope(actor)
    return scope.system_admin or scope.national or bool(scope.admin_organisation_ids)


def may_set_up_commission(
    actor: Actor, commission_level: str, region_id: int | None, call: GrantCall | None
) -> bool:
    """The ministry sets up every commission; an akimat officer their region's; a call's
    operator administrators the call's."""
    scope = user_scope(actor)
    if scope.system_admin or scope.national:
        return True
    if commission_level == Commission.Level.REGIONAL:
        return region_id is not None and region_id in scope.region_ids
    if commission_level == Commission.Level.GRANT and call is not None:
        return scope.may_administer(call.operator_id)
    return False


def may_run_call(actor: Actor, call: GrantCall) -> bool:
    scope = user_scope(actor)
    return scope.system_admin or scope.national or scope.may_administer(call.operator_id)


def may_act_for_application(actor: Actor, application: Application) -> bool:
    """The applicant, and staff of the applying organisation."""
    if not actor.is_authenticated:
        return False
    if application.applicant_id == actor.pk:
        return True
    return application.organisation_id is not None and user_scope(actor).may_work_for(
        application.organisation_id
    )


def _actor_id(actor: Actor) -> int:
    return int(actor.pk or 0)


def seat_of(actor: Actor, commission: Commission) -> CommissionMember | None:
    if not actor.is_authenticated:
        return None
    return CommissionMember.objects.filter(commission=commission, user_id=actor.pk).first()


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
    an organisation they hold a role in — whether or not they declared it."""
    return applicant_id == member_id or (
        organisation_id is not None and organisation_id in organisations.get(member_id, set())
    )


def is_connected(member_id: int, application: Application) -> bool:
    return connected(
        member_id, application.applicant_id, application.organisation_id, organisations_of([member_id])
    )


def commission_for_application(application: Application, level: str | None = None) -> Commission | None:
    """The commission that reviews an application at its current (or the given) level."""
    if application.call_id is not None:
        return Commission.objects.filter(call_id=application.call_id, level=Commission.Level.GRANT).first()
    level = level or Commission.Level.REGIONAL
    if level == Commission.Level.REPUBLICAN:
        return Commission.objects.filter(contest=application.contest, level=level).first()
    return Commission.objects.filter(
        contest=application.contest, level=Commission.Level.REGIONAL, region_id=application.region_id
    ).first()


def reviews(commission: Commission, application: Application) -> bool:
    """The commission reviews this application: its region's, the republican stage's
    advanced ones, or its call's."""
    if commission.level == Commission.Level.GRANT:
        return application.call_id == commission.call_id
    if application.contest_id != commission.contest_id:
        return False
    if commission.level == Commission.Level.REPUBLICAN:
        return application.advanced
    return application.region_id == commission.region_id


def _check_not_approved(commission: Commission) -> None:
    if commission.approved_at is not None:
        raise Conflict(
            _("The commission's result was approved on %(day)s; its scores and result can no longer change."),
            code="approved",
            params={"day": date_format(timezone.localtime(commission.approved_at), "SHORT_DATE_FORMAT")},
        )


def _scoring_started(*, contest: Contest | None = None, call: GrantCall | None = None) -> bool:
    if contest is not None:
        return Score.objects.filter(commission__contest=contest).exists()
    return Score.objects.filter(commission__call=call).exists()


def _check_kinds(kinds: Sequence[str]) -> list[str]:
    wanted = list(dict.fromkeys(kinds))
    if not wanted:
        raise ValidationFailed(_("Choose at least one kind of applicant."), field="eligible_kinds")
    unknown = [k for k in wanted if k not in ApplicantKind.values]
    if unknown:
        raise ValidationFailed(
            _("Unknown kind of applicant: %(kinds)s."),
            field="eligible_kinds",
            params={"kinds": ", ".join(unknown)},
        )
    return wanted


# Contest set-up -------------------------------------------------------------------------


@dataclass(frozen=True)
class ContestInput:
    year: int
    title_kk: str
    title_ru: str = ""
    title_en: str = ""
    description_kk: str = ""
    description_ru: str = ""
    description_en: str = ""
    eligible_kinds: Sequence[str] = tuple(ApplicantKind.values)
    places_awarded: int = 3
    advance_per_region: int = 1


def _contest_fields(data: ContestInput) -> dict[str, Any]:
    if not 2000 <= data.year <= 2100:
        raise ValidationFailed(_("The year must be between 2000 and 2100."), field="year")
    if not 1 <= data.places_awarded <= 10:
        raise ValidationFailed(_("Between 1 and 10 places can be awarded."), field="places_awarded")
    if not 1 <= data.advance_per_region <= 5:
        raise ValidationFailed(
            _("Between 1 and 5 places can advance from a region."), field="advance_per_region"
        )
    return {
        "year": data.year,
        "title_kk": require_text(data.title_kk, "title_kk", message=_("Give the contest's title in Kazakh.")),
        "title_ru": data.title_ru.strip(),
        "title_en": data.title_en.strip(),
        "description_kk": data.description_kk.strip(),
        "description_ru": data.description_ru.strip(),
        "description_en": data.description_en.strip(),
        "eligible_kinds": _check_kinds(data.eligible_kinds),
        "places_awarded": data.places_awarded,
        "advance_per_region": data.advance_per_region,
    }


def contest_create(*, actor: Actor, data: ContestInput) -> Contest:
    """A new contest; the ministry's."""
    if not may_set_up_contests(actor):
        raise PermissionDenied(_("Only ministry officers set up contests."))
    fields = _contest_fields(data)
    with transaction.atomic():
        contest = Contest.objects.create(created_by=acting_user(actor), **fields)
        audit_record(actor, "contest.create", object_type="contest", object_id=contest.pk)
    return contest


def contest_update(*, actor: Actor, contest: Contest, expected_version: int, data: ContestInput) -> Contest:
    if not may_set_up_contests(actor):
        raise PermissionDenied(_("Only ministry officers set up contests."))
    fields = _contest_fields(data)
    with transaction.atomic():
        save_versioned(contest, expected_version, fields)
        audit_record(actor, "contest.update", object_type="contest", object_id=contest.pk)
    return contest


def stage_set(
    *,
    actor: Actor,
    contest: Contest,
    level: str,
    opens_at: dt.datetime,
    deadline: dt.datetime,
    results_on: dt.date | None = None,
    venue: str = "",
) -> Stage:
    """Set a stage's dates. Times without a zone are read in Asia/Almaty."""
    if not may_set_up_contests(actor):
        raise PermissionDenied(_("Only ministry officers set up contests."))
    if level not in Stage.Level.values:
        raise ValidationFailed(_("Unknown stage."), field="level")
    opens_at, deadline = _aware(opens_at), _aware(deadline)
    if deadline <= opens_at:
        raise ValidationFailed(_("The deadline must come after the opening."), field="deadline")
    if level == Stage.Level.REPUBLICAN:
        regional = contest.stages.filter(level=Stage.Level.REGIONAL).first()
        if regional is not None and opens_at < regional.deadline:
            raise ValidationFailed(
                _("The republican stage opens after the regional stage's deadline."), field="opens_at"
            )
    with transaction.atomic():
        stage, _created = Stage.objects.update_or_create(
            contest=contest,
            level=level,
            defaults={
                "opens_at": opens_at,
                "deadline": deadline,
                "results_on": results_on,
                "venue": venue.strip(),
            },
        )
        audit_record(
            actor,
            "contest.stage_set",
            object_type="contest",
            object_id=contest.pk,
            details={"level": level, "opens_at": opens_at.isoformat(), "deadline": deadline.isoformat()},
        )
    return stage


def _aware(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


@dataclass(frozen=True)
class CriterionInput:
    name_kk: str
    weight: Decimal
    name_ru: str = ""
    name_en: str = ""
    scale_min: int = 0
    scale_max: int = 10


def criteria_set(
    *,
    actor: Actor,
    contest: Contest | None = None,
    call: GrantCall | None = None,
    criteria: Sequence[CriterionInput],
) -> list[Criterion]:
    """Replace the criteria of a contest or call. Refused once anyone has scored: the
    criteria are what the scores mean."""
    if (contest is None) == (call is None):
        raise ValidationFailed(_("Criteria belong to one contest or one call."))
    if contest is not None and not may_set_up_contests(actor):
        raise PermissionDenied(_("Only ministry officers set up contests."))
    if call is not None and not may_run_call(actor, call):
        raise PermissionDenied(_("Only the call's operator sets up its criteria."))
    if not criteria:
        raise ValidationFailed(_("Give at least one criterion."), field="criteria")
    rows = []
    for number, item in enumerate(criteria, start=1):
        name = require_text(
            item.name_kk, f"criteria.{number}.name_kk", message=_("Every criterion needs a name in Kazakh.")
        )
        if item.weight <= 0:
            raise ValidationFailed(
                _("Criterion %(number)s: the weight must be above zero."),
                field=f"criteria.{number}.weight",
                params={"number": number},
            )
        if item.scale_min < 0 or item.scale_max <= item.scale_min:
            raise ValidationFailed(
                _(
                    "Criterion %(number)s: the highest score must be above the lowest, "
                    "and the lowest not below zero."
                ),
                field=f"criteria.{number}.scale_max",
                params={"number": number},
            )
        rows.append(
            Criterion(
                contest=contest,
                call=call,
                name_kk=name,
                name_ru=item.name_ru.strip(),
                name_en=item.name_en.strip(),
                weight=item.weight,
                scale_min=item.scale_min,
                scale_max=item.scale_max,
                order=number,
            )
        )
    with transaction.atomic():
        if _scoring_started(contest=contest, call=call):
            raise Conflict(
                _("Scoring has started; the criteria can no longer change."), code="scoring_started"
            )
        Criterion.objects.filter(contest=contest, call=call).delete()
        created = Criterion.objects.bulk_create(rows)
        audit_record(
            actor,
            "contest.criteria_set",
            object_type="contest" if contest is not None else "grant_call",
            object_id=(contest or call).pk,  # type: ignore[union-attr]
            details={"criteria": [[c.name_kk, str(c.weight), c.scale_min, c.scale_max] for c in rows]},
        )
    return created


# Commissions ----------------------------------------------------------------------------


def commission_create(
    *,
    actor: Actor,
    level: str,
    contest: Contest | None = None,
    region: Place | None = None,
    call: GrantCall | None = None,
    scale_min: int | None = None,
    scale_max: int | None = None,
) -> Commission:
    """A region's commission (akimat officers of the region, or the ministry), the republican
    commission (the ministry) or a call's commission (its operator)."""
    if level not in Commission.Level.values:
        raise ValidationFailed(_("Unknown commission level."), field="level")
    if level == Commission.Level.REGIONAL and (
        contest is None or region is None or region.level != Place.Level.REGION
    ):
        raise ValidationFailed(_("A regional commission needs a contest and a region."), field="region")
    if level == Commission.Level.REPUBLICAN and contest is None:
        raise ValidationFailed(_("The republican commission needs a contest."), field="contest")
    if level == Commission.Level.GRANT and call is None:
        raise ValidationFailed(_("A grant commission needs a call."), field="call")
    if not may_set_up_commission(actor, level, region.pk if region else None, call):
        raise PermissionDenied(_("You may not set up this commission."))
    _check_scale(scale_min, scale_max)
    with transaction.atomic():
        try:
            with transaction.atomic():
                commission = Commission.objects.create(
                    level=level,
                    contest=contest if level != Commission.Level.GRANT else None,
                    region=region if level == Commission.Level.REGIONAL else None,
                    call=call if level == Commission.Level.GRANT else None,
                    scale_min=scale_min,
                    scale_max=scale_max,
                )
        except IntegrityError as exc:
            raise Conflict(_("This commission has already been set up."), code="exists") from exc
        audit_record(actor, "commission.create", object_type="commission", object_id=commission.pk)
    return commission


def _check_scale(scale_min: int | None, scale_max: int | None) -> None:
    if (scale_min is None) != (scale_max is None):
        raise ValidationFailed(_("Give both ends of the commission's scale, or neither."), field="scale_max")
    if scale_min is not None and scale_max is not None and (scale_min < 0 or scale_max <= scale_min):
        raise ValidationFailed(
            _("The highest score must be above the lowest, and the lowest not below zero."), field="scale_max"
        )


def commission_set_scale(
    *, actor: Actor, commission: Commission, scale_min: int | None, scale_max: int | None
) -> Commission:
    """A commission may score on its own scale, chosen before anyone scores."""
    if not may_set_up_commission(actor, commission.level, commission.region_id, commission.call):
        raise PermissionDenied(_("You may not set up this commission."))
    _check_scale(scale_min, scale_max)
    with transaction.atomic():
        commission = Commission.objects.select_for_update().get(pk=commission.pk)
        if commission.scores.exists():
            raise Conflict(_("Scoring has started; the scale can no longer change."), code="scoring_started")
        commission.scale_min, commission.scale_max = scale_min, scale_max
        commission.save(update_fields=["scale_min", "scale_max"])
        audit_record(
            actor,
            "commission.scale_set",
            object_type="commission",
            object_id=commission.pk,
            details={"scale": [scale_min, scale_max]},
        )
    return commission


def commission_member_add(
    *, actor: Actor, commission: Commission, user: User, role: str, affiliation: str = ""
) -> CommissionMember:
    if not may_set_up_commission(actor, commission.level, commission.region_id, commission.call):
        raise PermissionDenied(_("You may not set up this commission."))
    if role not in CommissionMember.Role.values:
        raise ValidationFailed(_("Unknown role in a commission."), field="role")
    _check_not_approved(commission)
    with transaction.atomic():
        # The caller's copy may be stale: re-read under the lock the approval takes.
        _check_not_approved(Commission.objects.select_for_update().get(pk=commission.pk))
        try:
            with transaction.atomic():
                seat = CommissionMember.objects.create(
                    commission=commission, user=user, role=role, affiliation=affiliation.strip()
                )
        except IntegrityError as exc:
            if CommissionMember.objects.filter(commission=commission, user=user).exists():
                raise Conflict(
                    _("%(user)s already sits on this commission."),
                    code="member_exists",
                    params={"user": user},
                ) from exc
            raise Conflict(
                _("The commission already has a %(role)s."),
                code="role_taken",
                params={"role": CommissionMember.Role(role).label.lower()},
            ) from exc
        audit_record(
            actor,
            "commission.member_add",
            object_type="commission",
            object_id=commission.pk,
            details={"user": user.get_username(), "role": role},
        )
    return seat


def commission_member_remove(*, actor: Actor, seat: CommissionMember) -> None:
    """A member leaves; refused once they have scored (their scores stay theirs)."""
    commission = seat.commission
    if not may_set_up_commission(actor, commission.level, commission.region_id, commission.call):
        raise PermissionDenied(_("You may not set up this commission."))
    _check_not_approved(commission)
    with transaction.atomic():
        # The caller's copy may be stale: re-read under the lock the approval takes.
        _check_not_approved(Commission.objects.select_for_update().get(pk=commission.pk))
        if Score.objects.filter(commission=commission, member_id=seat.user_id).exists():
            raise Conflict(_("This member has scored; they cannot be removed."), code="member_scored")
        audit_record(
            actor,
            "commission.member_remove",
            object_type="commission",
            object_id=commission.pk,
            details={"user": seat.user.get_username(), "role": seat.role},
        )
        seat.delete()


# Grant calls ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantCallInput:
    title_kk: str
    budget: Decimal
    opens_at: dt.datetime
    deadline: dt.datetime
    bands: Sequence[str] = (GrantBandKind.SHORT,)
    eligible_kinds: Sequence[str] = (
        ApplicantKind.NGO,
        ApplicantKind.PUBLIC_ASSOCIATION,
        ApplicantKind.DISABILITY_ORGANISATION,
    )
    region_ids: Sequence[int] = ()
    category_ids: Sequence[int] = ()
    title_ru: str = ""
    title_en: str = ""
    description_kk: str = ""
    description_ru: str = ""
    description_en: str = ""
    requires_state_ngo_database: bool = True


def _call_fields(data: GrantCallInput) -> tuple[dict[str, Any], list[Place], list[VulnerabilityCategory]]:
    if data.budget <= 0:
        raise ValidationFailed(_("The call's budget must be above zero."), field="budget")
    bands = list(dict.fromkeys(data.bands))
    if not bands or any(b not in GrantBandKind.values for b in bands):
        raise ValidationFailed(_("Choose the grant sizes the call admits."), field="bands")
    opens_at, deadline = _aware(data.opens_at), _aware(data.deadline)
    if deadline <= opens_at:
        raise ValidationFailed(_("The deadline must come after the opening."), field="deadline")
    regions = list(Place.objects.filter(pk__in=data.region_ids, level=Place.Level.REGION))
    if not regions or len(regions) != len(set(data.region_ids)):
        raise ValidationFailed(_("Choose the regions where grantees may work."), field="region_ids")
    categories = list(VulnerabilityCategory.objects.filter(pk__in=data.category_ids))
    if len(categories) != len(set(data.category_ids)):
        raise ValidationFailed(_("One of the chosen categories does not exist."), field="category_ids")
    fields = {
        "title_kk": require_text(data.title_kk, "title_kk", message=_("Give the call's title in Kazakh.")),
        "title_ru": data.title_ru.strip(),
        "title_en": data.title_en.strip(),
        "description_kk": data.description_kk.strip(),
        "description_ru": data.description_ru.strip(),
        "description_en": data.description_en.strip(),
        "budget": data.budget,
        "bands": bands,
        "eligible_kinds": _check_kinds(data.eligible_kinds),
        "opens_at": opens_at,
        "deadline": deadline,
        "requires_state_ngo_database": data.requires_state_ngo_database,
    }
    return fields, regions, categories


def grant_call_create(*, actor: Actor, operator: Organisation, data: GrantCallInput) -> GrantCall:
    """A call for grants run by an organisation: its administrators, or the ministry."""
    scope = user_scope(actor)
    if not (scope.system_admin or scope.national or scope.may_administer(operator.pk)):
        raise PermissionDenied(_("Only the operator's administrators or the ministry open a grant call."))
    fields, regions, categories = _call_fields(data)
    with transaction.atomic():
        call = GrantCall.objects.create(operator=operator, created_by=acting_user(actor), **fields)
        call.eligible_regions.set(regions)
        call.eligible_categories.set(categories)
        audit_record(
            actor,
            "grant_call.create",
            object_type="grant_call",
            object_id=call.pk,
            organisation_id=operator.pk,
        )
    return call


def grant_call_update(
    *, actor: Actor, call: GrantCall, expected_version: int, data: GrantCallInput
) -> GrantCall:
    """Change a call; its budget never below what is already awarded."""
    if not may_run_call(actor, call):
        raise PermissionDenied(_("Only the call's operator changes the call."))
    fields, regions, categories = _call_fields(data)
    with transaction.atomic():
        awarded = call.awards.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if fields["budget"] < awarded:
            raise Conflict(
                _("%(awarded)s tenge is already awarded; the budget cannot be smaller."),
                code="budget_below_awarded",
                params={"awarded": awarded},
            )
        save_versioned(call, expected_version, fields)
        call.eligible_regions.set(regions)
        call.eligible_categories.set(categories)
        audit_record(
            actor,
            "grant_call.update",
            object_type="grant_call",
            object_id=call.pk,
            organisation_id=call.operator_id,
        )
    return call


# Applications ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationInput:
    applicant_kind: str
    region_id: int
    applicant_name: str
    organisation_id: int | None = None
    project_id: int | None = None
    title_kk: str = ""
    title_ru: str = ""
    title_en: str = ""
    description_kk: str = ""
    description_ru: str = ""
    description_en: str = ""
    results: str = ""
    people_reached_declared: int | None = None
    contact_email: str = ""
    category_ids: Sequence[int] = ()
    requested_amount: Decimal | None = None
    duration_months: int | None = None
    band: str = ""


def _deadline_of(application_or_target: Application | Contest | GrantCall) -> tuple[dt.datetime, dt.datetime]:
    """(opens, deadline) of where applications go."""
    if isinstance(application_or_target, Application):
        target: Contest | GrantCall = application_or_target.contest or application_or_target.call  # type: ignore[assignment]
    else:
        target = application_or_target
    if isinstance(target, GrantCall):
        return target.opens_at, target.deadline
    stage = target.stages.filter(level=Stage.Level.REGIONAL).first()
    if stage is None:
        raise Conflict(
            _("The contest's regional stage has no dates yet; applications are not open."), code="not_open"
        )
    return stage.opens_at, stage.deadline


def _check_open(target: Contest | GrantCall | Application, now: dt.datetime) -> None:
    opens_at, deadline = _deadline_of(target)
    local = timezone.localtime(deadline)
    if now < opens_at:
        raise Conflict(
            _("Applications open on %(day)s at %(time)s (Astana time)."),
            code="not_open",
            params={
                "day": date_format(timezone.localtime(opens_at), "DATE_FORMAT"),
                "time": timezone.localtime(opens_at).strftime("%H:%M"),
            },
        )
    if now > deadline:
        raise Conflict(
            _(
                "Applications closed on %(day)s at %(time)s (Astana time). "
                "A late application cannot be accepted."
            ),
            code="deadline_passed",
            params={"day": date_format(local, "DATE_FORMAT"), "time": local.strftime("%H:%M")},
        )


def _application_fields(
    actor: Actor, target: Contest | GrantCall, data: ApplicationInput
) -> tuple[dict[str, Any], list[VulnerabilityCategory]]:
    kinds = target.eligible_kinds
    if data.applicant_kind not in ApplicantKind.values:
        raise ValidationFailed(_("Unknown kind of applicant."), field="applicant_kind")
    if data.applicant_kind not in kinds:
        raise ValidationFailed(
            _("%(kind)s may not apply here. Who may apply: %(kinds)s."),
            field="applicant_kind",
            code="not_eligible_kind",
            params={
                "kind": ApplicantKind(data.applicant_kind).label,
                "kinds": ", ".join(str(ApplicantKind(k).label) for k in kinds),
            },
        )
    region = Place.objects.filter(pk=data.region_id, level=Place.Level.REGION).first()
    if region is None:
        raise ValidationFailed(_("Choose the region where the project works."), field="region_id")
    organisation = None
    if data.applicant_kind != ApplicantKind.INDIVIDUAL:
        organisation = (
            Organisation.objects.filter(pk=data.organisation_id).first()
            if data.organisation_id is not None
            else None
        )
        if organisation is None:
            raise ValidationFailed(_("Choose the organisation that applies."), field="organisation_id")
        if not user_scope(actor).may_work_for(organisation.pk):
            raise PermissionDenied(_("You can apply only for an organisation you work for."))
    project = None
    if data.project_id is not None:
        from qoldau.projects.selectors import project_get_for_user

        project = project_get_for_user(actor, data.project_id)
        if organisation is None or project.organisation_id != organisation.pk:
            raise ValidationFailed(
                _("The project must be one of the applying organisation's."), field="project_id"
            )
    categories = list(VulnerabilityCategory.objects.filter(pk__in=data.category_ids))
    if isinstance(target, GrantCall):
        if not target.eligible_regions.filter(pk=region.pk).exists():
            raise ValidationFailed(
                _("This call does not fund projects in %(region)s."),
                field="region_id",
                code="region_not_eligible",
                params={"region": region.name},
            )
        allowed = set(target.eligible_categories.values_list("pk", flat=True))
        if allowed and any(c.pk not in allowed for c in categories):
            raise ValidationFailed(
                _("The call funds projects only for the categories it lists."), field="category_ids"
            )
        if data.band and data.band not in target.bands:
            raise ValidationFailed(_("The call does not admit this grant size."), field="band")
    people = data.people_reached_declared
    if people is not None and people < 0:
        raise ValidationFailed(
            _("The number of people helped cannot be negative."), field="people_reached_declared"
        )
    amount = data.requested_amount
    if amount is not None and amount <= 0:
        raise ValidationFailed(_("The amount requested must be above zero."), field="requested_amount")
    return (
        {
            "applicant_kind": data.applicant_kind,
            "region": region,
            "organisation": organisation,
            "applicant_name": require_text(
                data.applicant_name, "applicant_name", message=_("Give the applicant's name.")
            ),
            "project": project,
            "title_kk": data.title_kk.strip(),
            "title_ru": data.title_ru.strip(),
            "title_en": data.title_en.strip(),
            "description_kk": data.description_kk.strip(),
            "description_ru": data.description_ru.strip(),
            "description_en": data.description_en.strip(),
            "results": data.results.strip(),
            "people_reached_declared": people,
            "contact_email": data.contact_email.strip(),
            "requested_amount": amount if isinstance(target, GrantCall) else None,
            "duration_months": data.duration_months if isinstance(target, GrantCall) else None,
            "band": data.band if isinstance(target, GrantCall) else "",
        },
        categories,
    )


def application_start(
    *,
    actor: Actor,
    data: ApplicationInput,
    contest: Contest | None = None,
    call: GrantCall | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """A draft application to a contest or a call, while it takes applications."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to apply."))
    target = contest or call
    if target is None or (contest is not None and call is not None):
        raise ValidationFailed(_("Apply to one contest or one call."))
    _check_open(target, now or timezone.now())
    fields, categories = _application_fields(actor, target, data)
    with transaction.atomic():
        application = Application.objects.create(contest=contest, call=call, applicant=actor, **fields)  # type: ignore[misc]
        application.categories.set(categories)
        audit_record(
            actor,
            "application.start",
            object_type="application",
            object_id=application.pk,
            organisation_id=application.organisation_id,
        )
    return application


def _check_draft(actor: Actor, application: Application) -> None:
    if not may_act_for_application(actor, application):
        raise PermissionDenied(
            _("Only the applicant and their organisation's staff may change this application.")
        )
    if application.status != Application.Status.DRAFT:
        raise Conflict(_("The application has been submitted; it can no longer change."), code="submitted")


def application_update(
    *, actor: Actor, application: Application, expected_version: int, data: ApplicationInput
) -> Application:
    """Change a draft; refused after submission or when someone saved it meanwhile."""
    _check_draft(actor, application)
    target: Contest | GrantCall = application.contest or application.call  # type: ignore[assignment]
    fields, categories = _application_fields(actor, target, data)
    with transaction.atomic():
        save_versioned(application, expected_version, fields)
        application.categories.set(categories)
        audit_record(
            actor,
            "application.update",
            object_type="application",
            object_id=application.pk,
            organisation_id=application.organisation_id,
        )
    return application


def document_add(
    *, actor: Actor, application: Application, title: str, upload: UploadedFile
) -> ApplicationDocument:
    _check_draft(actor, application)
    title = require_text(title, "title", message=_("Say what the document is."))
    name = upload.name or ""
    if not name.lower().endswith(DOCUMENT_EXTENSIONS):
        raise ValidationFailed(
            _("A document must be a PDF, Word, Excel, OpenDocument or image file."),
            field="file",
            code="file_type",
        )
    limit = settings.QOLDAU_CONTEST_DOCUMENT_MAX_MB
    if (upload.size or 0) > limit * 1024 * 1024:
        raise ValidationFailed(
            _("The document is larger than %(limit)s MB."),
            field="file",
            code="file_size",
            params={"limit": limit},
        )
    _check_document_content(upload, os.path.splitext(name.lower())[1])
    with transaction.atomic():
        document = ApplicationDocument(
            application=application, title=title, size=upload.size or 0, uploaded_by=acting_user(actor)
        )
        document.file.save(os.path.basename(name), upload, save=False)
        document.save()
        audit_record(
            actor,
            "application.document_add",
            object_type="application",
            object_id=application.pk,
            details={"document": document.pk},
        )
    return document


def _check_document_content(upload: UploadedFile, extension: str) -> None:
    """The document is what its name says: a PDF, Office or OpenDocument file by how it
    begins, an image by its header, which also holds it to the pixels an upload may have
    (commission members open these documents)."""
    if extension in DOCUMENT_IMAGE_FORMATS:
        try:
            image_check(upload, field="file", formats=(DOCUMENT_IMAGE_FORMATS[extension],))
        except NotAnImage:
            fits = False
        else:
            fits = True
    else:
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        fits = b"%PDF-" in head if extension == ".pdf" else head.startswith(DOCUMENT_SIGNATURES[extension])
    if fits:
        return
    raise ValidationFailed(
        _("The file is not the %(extension)s document its name says; attach the document itself."),
        field="file",
        code="file_type",
        params={"extension": extension},
    )


def document_remove(*, actor: Actor, document: ApplicationDocument) -> None:
    application = document.application
    _check_draft(actor, application)
    with transaction.atomic():
        audit_record(
            actor,
            "application.document_remove",
            object_type="application",
            object_id=application.pk,
            details={"document": document.pk},
        )
        document.file.delete(save=False)
        document.delete()


@dataclass(frozen=True)
class BudgetLineInput:
    item: str
    amount: Decimal


def budget_lines_set(
    *, actor: Actor, application: Application, lines: Sequence[BudgetLineInput]
) -> list[BudgetLine]:
    """Replace a grant application's budget."""
    _check_draft(actor, application)
    if application.call_id is None:
        raise ValidationFailed(_("Only grant applications have a budget."))
    rows = []
    for number, line in enumerate(lines, start=1):
        item = require_text(
            line.item, f"lines.{number}.item", message=_("Every budget line needs a description.")
        )
        if line.amount <= 0:
            raise ValidationFailed(
                _("Budget line %(number)s: the amount must be above zero."),
                field=f"lines.{number}.amount",
                params={"number": number},
            )
        rows.append(BudgetLine(application=application, item=item, amount=line.amount, order=number))
    with transaction.atomic():
        BudgetLine.objects.filter(application=application).delete()
        created = BudgetLine.objects.bulk_create(rows)
        audit_record(
            actor,
            "application.budget_set",
            object_type="application",
            object_id=application.pk,
            details={"lines": len(rows), "total": str(sum((r.amount for r in rows), Decimal(0)))},
        )
    return created


def application_problems(application: Application) -> list[Any]:
    """What stops a draft from being submitted, as translatable sentences."""
    problems: list[Any] = []
    if not application.title:
        problems.append(_("Give the project's title, or choose one of your projects."))
    if not (application.description_kk or application.description_ru or application.description_en) and (
        application.project is None or not application.project.description
    ):
        problems.append(_("Describe the project."))
    if application.contest_id is not None and not application.results.strip():
        problems.append(_("Declare the results the project has achieved."))
    if application.call_id is not None:
        call = application.call
        if call is None:  # the model's check constraint: a contest or a call
            return problems
        if application.requested_amount is None or not application.duration_months or not application.band:
            problems.append(_("Give the amount requested, the duration and the grant size."))
        else:
            try:
                check_fits_band(
                    kind=application.band,
                    amount=application.requested_amount,
                    months=application.duration_months,
                    day=timezone.localdate(call.opens_at),
                )
            except ValidationFailed as exc:
                problems.append(exc.render())
            total = application.budget_lines.aggregate(total=Sum("amount"))["total"]
            if total is None:
                problems.append(_("Add the budget lines."))
            elif total != application.requested_amount:
                problems.append(
                    _("The budget lines add up to %(total)s tenge, not the %(amount)s tenge requested.")
                    % {"total": total, "amount": application.requested_amount}
                )
        if call.requires_state_ngo_database and (
            application.organisation is None or not application.organisation.in_state_ngo_database
        ):
            problems.append(_("The call accepts only organisations in the state NGO database."))
    return problems


def _next_number(application: Application) -> str:
    """Receipt numbers: K-2017-75-0004 for a contest (year, region, order), G-12-0031 for a
    call (call, order)."""
    if application.contest_id is not None:
        contest = application.contest
        if contest is None:
            raise Conflict(_("The application belongs to no contest."))
        region_code = (application.region.kato or "00")[:2]
        prefix = f"K-{contest.year}-{region_code}-"
        taken = Application.objects.filter(contest=contest, number__startswith=prefix).count()
    else:
        prefix = f"G-{application.call_id}-"
        taken = Application.objects.filter(call_id=application.call_id, number__isnull=False).count()
    return f"{prefix}{taken + 1:04d}"


def application_submit(
    *, actor: Actor, application: Application, now: dt.datetime | None = None
) -> Application:
    """Submit a complete draft before the deadline (Asia/Almaty): it gets its receipt
    number, and the applicant a receipt by e-mail. Late or incomplete: refused, unchanged."""
    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_draft(actor, application)
        _check_open(application, now)
        problems = application_problems(application)
        if problems:
            raise ValidationFailed(
                _("The application cannot be submitted yet: %(problems)s"),
                code="incomplete",
                params={"problems": " ".join(str(p) for p in problems)},
            )
        # One receipt sequence per contest or call: its row is locked while the next number
        # is taken, so two submissions at the same moment never get the same number.
        if application.contest_id is not None:
            Contest.objects.select_for_update().filter(pk=application.contest_id or 0).first()
        else:
            GrantCall.objects.select_for_update().filter(pk=application.call_id or 0).first()
        application.number = _next_number(application)
        application.status = Application.Status.SUBMITTED
        application.submitted_at = now
        application.version += 1
        application.save(update_fields=["number", "status", "submitted_at", "version", "updated_at"])
        audit_record(
            actor,
            "application.submit",
            object_type="application",
            object_id=application.pk,
            organisation_id=application.organisation_id,
            details={"number": application.number},
        )
        _notify_applicant(
            application,
            kind="application.received",
            subject=_("Application %(number)s received"),
            body=_(
                'Your application %(number)s "%(title)s" was received on %(when)s (Astana time). '
                "Keep this number: it is your receipt."
            ),
            when=timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
        )
    return application


def _notify_applicant(
    application: Application, *, kind: str, subject: Any, body: Any, **params: object
) -> None:
    user = application.applicant
    notify(
        user=user,
        kind=kind,
        subject=subject,
        body=body,
        params={"number": application.number or "", "title": application.title, **params},
        email=application.contact_email or user.email,
        object_type="application",
        object_id=application.pk,
    )


def application_withdraw(*, actor: Actor, application: Application) -> Application:
    if not may_act_for_application(actor, application):
        raise PermissionDenied(
            _("Only the applicant and their organisation's staff may withdraw this application.")
        )
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status in (Application.Status.WITHDRAWN, Application.Status.INELIGIBLE):
            raise Conflict(_("The application is no longer in the contest."), code="not_active")
        if Score.objects.filter(application=application).exists() or hasattr(application, "award"):
            raise Conflict(
                _("The commission has started scoring; the application can no longer be withdrawn.")
            )
        application.status = Application.Status.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        audit_record(actor, "application.withdraw", object_type="application", object_id=application.pk)
    return application


def eligibility_decide(
    *, actor: Actor, application: Application, eligible: bool, reason: str = ""
) -> Application:
    """The secretary of the reviewing commission records whether an application is
    eligible; a refusal needs its reason, which the applicant receives."""
    commission = commission_for_application(application)
    seat = seat_of(actor, commission) if commission is not None else None
    if commission is None or seat is None or seat.role != CommissionMember.Role.SECRETARY:
        raise PermissionDenied(_("Only the secretary of the reviewing commission decides eligibility."))
    _check_not_approved(commission)
    reason = reason.strip()
    if not eligible and not reason:
        raise ValidationFailed(_("Give the reason the application is not eligible."), field="reason")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in (
            Application.Status.SUBMITTED,
            Application.Status.ELIGIBLE,
            Application.Status.INELIGIBLE,
        ):
            raise Conflict(
                _("Only submitted applications are checked for eligibility."), code="not_submitted"
            )
        if not eligible and Score.objects.filter(application=application, commission=commission).exists():
            raise Conflict(_("The application has been scored; it can no longer be found ineligible."))
        application.status = Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE
        application.eligibility_reason = reason
        application.eligibility_checked_by = acting_user(actor)
        application.eligibility_checked_at = timezone.now()
        application.save(
            update_fields=[
                "status",
                "eligibility_reason",
                "eligibility_checked_by",
                "eligibility_checked_at",
                "updated_at",
            ]
        )
        audit_record(
            actor,
            "application.eligibility",
            object_type="application",
            object_id=application.pk,
            details={"eligible": eligible, "reason": reason},
        )
        if eligible:
            _notify_applicant(
                application,
                kind="application.eligible",
                subject=_("Application %(number)s is eligible"),
                body=_(
                    'Your application %(number)s "%(title)s" is eligible '
                    "and goes to the commission for scoring."
                ),
            )
        else:
            _notify_applicant(
                application,
                kind="application.ineligible",
                subject=_("Application %(number)s is not eligible"),
                body=_('Your application %(number)s "%(title)s" is not eligible. The reason: %(reason)s'),
                reason=reason,
            )
    return application


# Scoring --------------------------------------------------------------------------------


def _scoring_seat(actor: Actor, commission: Commission, application: Application) -> CommissionMember:
    """The seat the actor scores the application from, or PermissionDenied; the state of
    the application and the commission is checked after this, so that a refusal never
    tells someone who may not score it what state it is in."""
    seat = seat_of(actor, commission)
    if seat is None or not seat.scores:
        raise PermissionDenied(_("Only the commission's chair and members score its applications."))
    if not reviews(commission, application):
        raise PermissionDenied(
            _("This application is not one of your commission's."), code="outside_commission"
        )
    if ConflictOfInterest.objects.filter(
        commission=commission, member_id=actor.pk, application=application
    ).exists():
        raise PermissionDenied(
            _("You declared a conflict of interest with this application; you cannot score it."),
            code="conflict",
        )
    if is_connected(_actor_id(actor), application):
        raise PermissionDenied(
            _(
                "You are connected to the applicant (you applied or work for the organisation); "
                "you cannot score it."
            ),
            code="conflict",
        )
    return seat


def conflict_declare(
    *, actor: Actor, commission: Commission, application: Application, reason: str
) -> ConflictOfInterest:
    """A member declares a connection; any scores they gave the application are withdrawn
    (the audit keeps them)."""
    seat = seat_of(actor, commission)
    if seat is None:
        raise PermissionDenied(_("Only the commission's members declare conflicts of interest here."))
    if not reviews(commission, application):
        raise PermissionDenied(
            _("This application is not one of your commission's."), code="outside_commission"
        )
    _check_not_approved(commission)
    reason = require_text(reason, "reason", message=_("Say how you are connected to the application."))
    with transaction.atomic():
        # The caller's copy may be stale: re-read under the lock the approval takes.
        _check_not_approved(Commission.objects.select_for_update().get(pk=commission.pk))
        try:
            with transaction.atomic():
                declared = ConflictOfInterest.objects.create(
                    commission=commission, member_id=_actor_id(actor), application=application, reason=reason
                )
        except IntegrityError as exc:
            raise Conflict(_("You have already declared this conflict."), code="conflict_exists") from exc
        withdrawn = Score.objects.filter(
            commission=commission, application=application, member_id=actor.pk
        ).delete()[0]
        audit_record(
            actor,
            "commission.conflict_declare",
            object_type="application",
            object_id=application.pk,
            details={"commission": commission.pk, "scores_withdrawn": withdrawn},
        )
    return declared


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    value: Decimal
    comment: str = ""


def scale_of(commission: Commission, criterion: Criterion) -> tuple[int, int]:
    if commission.scale_min is not None and commission.scale_max is not None:
        return commission.scale_min, commission.scale_max
    return criterion.scale_min, criterion.scale_max


def criteria_of(commission: Commission) -> list[Criterion]:
    if commission.call_id is not None:
        return list(Criterion.objects.filter(call_id=commission.call_id))
    return list(Criterion.objects.filter(contest=commission.contest))


def scores_record(
    *, actor: Actor, commission: Commission, application: Application, scores: Sequence[ScoreInput]
) -> list[Score]:
    """Record (or change) a member's scores of an application, all or none: each within
    the scale, each criterion the commission's, before the result is approved."""
    with transaction.atomic():
        commission = Commission.objects.select_for_update().get(pk=commission.pk)
        # The caller's copy may be stale (eligibility decided meanwhile): read it afresh.
        application = Application.objects.get(pk=application.pk)
        _scoring_seat(actor, commission, application)
        _check_not_approved(commission)
        if application.status != Application.Status.ELIGIBLE:
            raise Conflict(_("Only eligible applications are scored."), code="not_eligible")
        criteria = {c.pk: c for c in criteria_of(commission)}
        if not scores:
            raise ValidationFailed(_("Give at least one score."), field="scores")
        rows: list[Score] = []
        for item in scores:
            criterion = criteria.get(item.criterion_id)
            if criterion is None:
                raise ValidationFailed(
                    _("Criterion %(id)s is not one of this commission's."),
                    field=f"criterion.{item.criterion_id}",
                    params={"id": item.criterion_id},
                )
            low, high = scale_of(commission, criterion)
            try:
                value = Decimal(item.value)
            except (InvalidOperation, TypeError, ValueError) as exc:
                raise ValidationFailed(
                    _('The score of "%(criterion)s" is not a number.'),
                    field=f"criterion.{criterion.pk}",
                    params={"criterion": criterion.name},
                ) from exc
            if (
                not value.is_finite()
                or value < low
                or value > high
                or value != value.quantize(Decimal("0.01"))
            ):
                raise ValidationFailed(
                    _(
                        'The score of "%(criterion)s" must be from %(low)s to %(high)s; '
                        "%(value)s is outside the scale."
                    ),
                    field=f"criterion.{criterion.pk}",
                    code="outside_scale",
                    params={"criterion": criterion.name, "low": low, "high": high, "value": item.value},
                )
            rows.append(
                Score(
                    commission=commission,
                    application=application,
                    member_id=_actor_id(actor),
                    criterion=criterion,
                    value=value,
                    comment=item.comment.strip(),
                )
            )
        for row in rows:
            Score.objects.update_or_create(
                commission=commission,
                application=application,
                member_id=actor.pk,
                criterion=row.criterion,
                defaults={"value": row.value, "comment": row.comment},
            )
        audit_record(
            actor,
            "commission.score",
            object_type="application",
            object_id=application.pk,
            details={
                "commission": commission.pk,
                "scores": {str(r.criterion.pk): str(r.value) for r in rows},
            },
        )
    return rows


def commission_ranking(commission: Commission) -> RankingResult:
    """The live ranking of a commission's eligible applications by the documented method."""
    criteria = criteria_of(commission)
    scales = []
    for criterion in criteria:
        low, high = scale_of(commission, criterion)
        scales.append(CriterionScale(criterion.pk, float(criterion.weight), float(low), float(high)))
    applications = {
        pk: (submitted_at, number or "")
        for pk, submitted_at, number in reviewed_applications(commission).values_list(
            "pk", "submitted_at", "number"
        )
    }
    # Cast in the database: the same floats as float(Decimal) for two-decimal scores, without
    # a Decimal per row (140,000 rows for 2,000 applications; see docs/PERFORMANCE.md).
    scores = (
        Score.objects.filter(commission=commission)
        .annotate(as_float=Cast("value", FloatField()))
        .values_list("application_id", "member_id", "criterion_id", "as_float")
    )
    return rank_applications(
        criteria=scales,
        scores=scores,
        applications=applications,
        outlier_points=settings.QOLDAU_CONTEST_OUTLIER_POINTS,
    )


def reviewed_applications(commission: Commission) -> Any:
    """The eligible applications a commission scores."""
    qs = Application.objects.filter(status=Application.Status.ELIGIBLE)
    if commission.level == Commission.Level.GRANT:
        return qs.filter(call_id=commission.call_id)
    qs = qs.filter(contest=commission.contest)
    if commission.level == Commission.Level.REPUBLICAN:
        return qs.filter(advanced=True)
    return qs.filter(region_id=commission.region_id)


@dataclass
class ScoringGaps:
    """Who still has to score what before a result can be approved."""

    missing: dict[int, list[int]] = field(default_factory=dict)  # member → applications

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.missing.values())


def scoring_gaps(commission: Commission) -> ScoringGaps:
    """Every scoring member without a conflict must have scored every criterion of every
    eligible application."""
    needed = len(criteria_of(commission))
    scorers = list(
        CommissionMember.objects.filter(commission=commission)
        .exclude(role=CommissionMember.Role.SECRETARY)
        .values_list("user_id", flat=True)
    )
    applications = list(
        reviewed_applications(commission).values_list("pk", "applicant_id", "organisation_id")
    )
    counts: dict[tuple[int, int], int] = {}
    for application_id, member_id in Score.objects.filter(commission=commission).values_list(
        "application_id", "member_id"
    ):
        counts[(application_id, member_id)] = counts.get((application_id, member_id), 0) + 1
    conflicts = set(
        ConflictOfInterest.objects.filter(commission=commission).values_list("application_id", "member_id")
    )
    organisations = organisations_of(scorers)
    gaps = ScoringGaps()
    for application_id, applicant_id, organisation_id in applications:
        for member_id in scorers:
            if (application_id, member_id) in conflicts or connected(
                member_id, applicant_id, organisation_id, organisations
            ):
                continue
            if counts.get((application_id, member_id), 0) < needed:
                gaps.missing.setdefault(member_id, []).append(application_id)
    return gaps


def commission_approve(*, actor: Actor, commission: Commission) -> list[RankedApplication]:
    """The chair approves the result: the ranking is written and frozen with the scores,
    applicants are told, and a regional commission's first places advance to the republican
    stage."""
    with transaction.atomic():
        commission = Commission.objects.select_for_update().get(pk=commission.pk)
        seat = seat_of(actor, commission)
        if seat is None or seat.role != CommissionMember.Role.CHAIR:
            raise PermissionDenied(_("Only the commission's chair approves its result."))
        _check_not_approved(commission)
        if not reviewed_applications(commission).exists():
            raise Conflict(_("The commission has no eligible applications to rank."), code="nothing_to_rank")
        gaps = scoring_gaps(commission)
        if gaps.count:
            raise Conflict(
                _(
                    "%(count)s score sheets are not complete yet; "
                    "every member must score every criterion first."
                ),
                code="scoring_incomplete",
                params={"count": gaps.count},
            )
        result = commission_ranking(commission)
        places = prize_places(commission)
        rows = [
            RankedApplication(
                commission=commission,
                application_id=line.application_id,
                rank=line.rank,
                score=Decimal(f"{line.score:.3f}"),
                standardised=Decimal(f"{line.standardised:.3f}"),
                place=line.rank if line.rank <= places else None,
            )
            for line in result.lines
        ]
        RankedApplication.objects.bulk_create(rows)
        commission.approved_at = timezone.now()
        commission.approved_by = acting_user(actor)
        commission.save(update_fields=["approved_at", "approved_by"])
        audit_record(
            actor,
            "commission.approve",
            object_type="commission",
            object_id=commission.pk,
            details={"ranking": [[r.application_id, r.rank, str(r.score)] for r in rows]},
        )
        if commission.level == Commission.Level.REGIONAL:
            advance_regional_winners(commission=commission)
        # Every ranked applicant is told, in their language: one read for all of them.
        ranked = Application.objects.select_related("applicant__preference", "project").in_bulk(
            [row.application_id for row in rows]
        )
        for row in rows:
            application = ranked[row.application_id]
            _notify_applicant(
                application,
                kind="application.result",
                subject=_("Result for application %(number)s"),
                body=_(
                    "The result of the commission (%(commission)s) is approved. Your application %(number)s "
                    '"%(title)s" is ranked %(rank)s of %(total)s with %(score)s%% of the possible score.'
                ),
                commission=commission,
                rank=row.rank,
                total=len(rows),
                score=f"{row.score:.1f}",
            )
    return rows


def prize_places(commission: Commission) -> int:
    """Places a result names: the contest's laureate places at the republican stage, the
    first three (or as many as advance) in a region, none for a grant call."""
    if commission.level == Commission.Level.REPUBLICAN:
        return _contest_of(commission).places_awarded
    if commission.level == Commission.Level.REGIONAL:
        return max(3, _contest_of(commission).advance_per_region)
    return 0


def _contest_of(commission: Commission) -> Contest:
    if commission.contest is None:
        raise Conflict(_("The commission belongs to no contest."))
    return commission.contest


def advance_regional_winners(*, commission: Commission) -> list[int]:
    """A region's first places (as many as the contest advances) go to the republican
    stage. Called by the approval, inside its transaction."""
    contest = _contest_of(commission)
    winners = list(
        RankedApplication.objects.filter(
            commission=commission, rank__lte=contest.advance_per_region
        ).values_list("application_id", flat=True)
    )
    Application.objects.filter(pk__in=winners).update(advanced=True)
    audit_record(
        None,
        "contest.advance",
        object_type="commission",
        object_id=commission.pk,
        details={"applications": winners},
    )
    return winners


# Grants ---------------------------------------------------------------------------------


def grant_award(*, actor: Actor, application: Application, amount: Decimal) -> GrantAward:
    """Award a grant to an application the call's commission ranked. The call's budget is
    never overspent: awards of one call are made one at a time under a lock on the call."""
    call = application.call
    # Who may award is asked first: a refusal tells nothing about the application.
    if call is None or not may_run_call(actor, call):
        raise PermissionDenied(_("Only the call's operator awards its grants."))
    if amount <= 0:
        raise ValidationFailed(_("The amount must be above zero."), field="amount")
    with transaction.atomic():
        call = GrantCall.objects.select_for_update().get(pk=call.pk)
        application = Application.objects.get(pk=application.pk)
        commission = Commission.objects.filter(call=call, level=Commission.Level.GRANT).first()
        if commission is None or commission.approved_at is None:
            raise Conflict(
                _("Grants are awarded after the commission approves its ranking."), code="not_approved"
            )
        if not RankedApplication.objects.filter(commission=commission, application=application).exists():
            raise Conflict(
                _("The application is not in the commission's approved ranking."), code="not_ranked"
            )
        if GrantAward.objects.filter(application=application).exists():
            raise Conflict(_("This application already has a grant."), code="already_awarded")
        if application.requested_amount is not None and amount > application.requested_amount:
            raise ValidationFailed(
                _("The grant cannot exceed the %(requested)s tenge requested."),
                field="amount",
                params={"requested": application.requested_amount},
            )
        check_fits_band(
            kind=application.band,
            amount=amount,
            months=application.duration_months or 0,
            day=timezone.localdate(call.opens_at),
            field="amount",
        )
        awarded = call.awards.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if awarded + amount > call.budget:
            raise Conflict(
                _(
                    "The award would overspend the call: %(awarded)s of %(budget)s tenge is awarded, "
                    "%(left)s tenge is left and %(amount)s was asked."
                ),
                code="over_budget",
                params={
                    "awarded": awarded,
                    "budget": call.budget,
                    "left": call.budget - awarded,
                    "amount": amount,
                },
            )
        award = GrantAward.objects.create(
            application=application,
            call=call,
            amount=amount,
            project=application.project,
            awarded_by=acting_user(actor),
        )
        audit_record(
            actor,
            "grant.award",
            object_type="application",
            object_id=application.pk,
            organisation_id=application.organisation_id,
            details={"amount": str(amount)},
        )
        _notify_applicant(
            application,
            kind="grant.awarded",
            subject=_("Grant awarded to application %(number)s"),
            body=_('A grant of %(amount)s tenge is awarded to your application %(number)s "%(title)s".'),
            amount=amount,
        )
    return award


def grant_project_link(*, actor: Actor, award: GrantAward, project_id: int) -> GrantAward:
    """The grantee names its project the grant funds: its indicators are reported on and its
    deliveries counted in the call's people reached."""
    application = award.application
    if application.organisation_id is None or not user_scope(actor).may_administer(
        application.organisation_id
    ):
        raise PermissionDenied(_("Only the grantee's administrators link its project."))
    from qoldau.projects.selectors import project_get_for_user

    project = project_get_for_user(actor, project_id)
    if project.organisation_id != application.organisation_id:
        raise ValidationFailed(_("The project must be the grantee's own."), field="project_id")
    with transaction.atomic():
        GrantAward.objects.filter(pk=award.pk).update(project=project)
        award.project = project
        audit_record(
            actor,
            "grant.project_link",
            object_type="grant_award",
            object_id=award.pk,
            details={"project": project.pk},
        )
    return award


def tranche_plan(*, actor: Actor, award: GrantAward, amount: Decimal, due_on: dt.date) -> Tranche:
    """Plan the next tranche; all tranches together never exceed the grant."""
    if not may_run_call(actor, award.call):
        raise PermissionDenied(_("Only the call's operator plans tranches."))
    if amount <= 0:
        raise ValidationFailed(_("The amount must be above zero."), field="amount")
    with transaction.atomic():
        award = GrantAward.objects.select_for_update().get(pk=award.pk)
        planned = award.tranches.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if planned + amount > award.amount:
            raise Conflict(
                _("Tranches would exceed the grant: %(planned)s of %(total)s tenge is planned already."),
                code="over_award",
                params={"planned": planned, "total": award.amount},
            )
        number = award.tranches.count() + 1
        tranche = Tranche.objects.create(award=award, number=number, amount=amount, due_on=due_on)
        audit_record(
            actor,
            "grant.tranche_plan",
            object_type="grant_award",
            object_id=award.pk,
            details={"number": number, "amount": str(amount), "due_on": due_on.isoformat()},
        )
    return tranche


def tranche_pay(*, actor: Actor, tranche: Tranche, paid_on: dt.date) -> Tranche:
    if not may_run_call(actor, tranche.award.call):
        raise PermissionDenied(_("Only the call's operator records payments."))
    if paid_on > timezone.localdate():
        raise ValidationFailed(_("A payment cannot be dated in the future."), field="paid_on")
    with transaction.atomic():
        updated = Tranche.objects.filter(pk=tranche.pk, paid_on__isnull=True).update(
            paid_on=paid_on, paid_by=acting_user(actor)
        )
        if not updated:
            raise Conflict(_("This tranche is already paid."), code="already_paid")
        tranche.paid_on = paid_on
        audit_record(
            actor,
            "grant.tranche_pay",
            object_type="grant_award",
            object_id=tranche.award_id,
            details={"number": tranche.number, "amount": str(tranche.amount), "paid_on": paid_on.isoformat()},
        )
    return tranche


def report_schedule(
    *, actor: Actor, award: GrantAward, kind: str, period_start: dt.date, period_end: dt.date, due_on: dt.date
) -> GranteeReport:
    if not may_run_call(actor, award.call):
        raise PermissionDenied(_("Only the call's operator schedules grantee reports."))
    if kind not in GranteeReport.Kind.values:
        raise ValidationFailed(_("Unknown kind of report."), field="kind")
    if period_end < period_start:
        raise ValidationFailed(_("The period must end after it starts."), field="period_end")
    if due_on < period_end:
        raise ValidationFailed(_("A report falls due after its period ends."), field="due_on")
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = GranteeReport.objects.create(
                    award=award, kind=kind, period_start=period_start, period_end=period_end, due_on=due_on
                )
        except IntegrityError as exc:
            raise Conflict(_("This report is already scheduled."), code="exists") from exc
        audit_record(
            actor,
            "grant.report_schedule",
            object_type="grant_award",
            object_id=award.pk,
            details={"kind": kind, "due_on": due_on.isoformat()},
        )
    return report


def report_submit(
    *,
    actor: Actor,
    report: GranteeReport,
    narrative: str,
    spent_amount: Decimal | None = None,
    indicator_values: dict[int, Decimal] | None = None,
) -> GranteeReport:
    """The grantee submits a report: a financial one says what was spent (never more than
    the grant), and indicator values belong to the grantee's project."""
    award = report.award
    application = award.application
    if not may_act_for_application(actor, application):
        raise PermissionDenied(_("Only the grantee submits its reports."))
    if report.status not in (GranteeReport.Status.DUE, GranteeReport.Status.RETURNED):
        raise Conflict(_("This report has been submitted already."), code="submitted")
    narrative = require_text(narrative, "narrative", message=_("Say what was done in the period."))
    if report.kind == GranteeReport.Kind.FINANCIAL:
        if spent_amount is None or spent_amount < 0:
            raise ValidationFailed(_("A financial report says how much was spent."), field="spent_amount")
        if spent_amount > award.amount:
            raise ValidationFailed(
                _("The amount spent cannot exceed the grant of %(amount)s tenge."),
                field="spent_amount",
                params={"amount": award.amount},
            )
    values = indicator_values or {}
    if values:
        if award.project_id is None:
            raise ValidationFailed(
                _("Link the grant's project before reporting its indicators."), field="indicators"
            )
        from qoldau.projects.models import Indicator

        own = set(Indicator.objects.filter(project_id=award.project_id).values_list("pk", flat=True))
        foreign = [pk for pk in values if pk not in own]
        if foreign:
            raise ValidationFailed(
                _("Report only the indicators of the grant's project."), field="indicators"
            )
        if any(v < 0 for v in values.values()):
            raise ValidationFailed(_("An indicator's value cannot be negative."), field="indicators")
    with transaction.atomic():
        report.narrative = narrative
        report.spent_amount = spent_amount if report.kind == GranteeReport.Kind.FINANCIAL else None
        report.status = GranteeReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = acting_user(actor)
        report.save()
        ReportIndicatorValue.objects.filter(report=report).delete()
        ReportIndicatorValue.objects.bulk_create(
            [ReportIndicatorValue(report=report, indicator_id=pk, value=v) for pk, v in values.items()]
        )
        audit_record(
            actor,
            "grant.report_submit",
            object_type="grantee_report",
            object_id=report.pk,
            organisation_id=application.organisation_id,
        )
    return report


def report_review(*, actor: Actor, report: GranteeReport, accept: bool, comment: str = "") -> GranteeReport:
    if not may_run_call(actor, report.award.call):
        raise PermissionDenied(_("Only the call's operator reviews grantee reports."))
    if report.status != GranteeReport.Status.SUBMITTED:
        raise Conflict(_("Only a submitted report is reviewed."), code="not_submitted")
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationFailed(_("Say what must change in the report."), field="comment")
    with transaction.atomic():
        report.status = GranteeReport.Status.ACCEPTED if accept else GranteeReport.Status.RETURNED
        report.review_comment = comment
        report.reviewed_by = acting_user(actor)
        report.save(update_fields=["status", "review_comment", "reviewed_by"])
        audit_record(
            actor,
            "grant.report_review",
            object_type="grantee_report",
            object_id=report.pk,
            details={"accepted": accept},
        )
        if not accept:
            _notify_applicant(
                report.award.application,
                kind="grant.report_returned",
                subject=_("Report for grant %(number)s returned"),
                body=_('Your report for the grant to %(number)s "%(title)s" was returned: %(comment)s'),
                comment=comment,
            )
    return report


def remind_report_deadlines(*, today: dt.date | None = None) -> int:
    """Remind grantees of reports due within the reminder window (or overdue) that they
    have not submitted; each report is reminded once. Returns how many were sent."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.QOLDAU_GRANT_REPORT_REMINDER_DAYS)
    sent = 0
    due = GranteeReport.objects.filter(
        Q(status=GranteeReport.Status.DUE) | Q(status=GranteeReport.Status.RETURNED),
        due_on__lte=horizon,
        reminded_on__isnull=True,
    ).select_related("award__application__applicant__preference", "award__application__project")
    for report in due:
        with transaction.atomic():
            if not GranteeReport.objects.filter(pk=report.pk, reminded_on__isnull=True).update(
                reminded_on=today
            ):
                continue
            _notify_applicant(
                report.award.application,
                kind="grant.report_due",
                subject=_("Grant report due on %(due)s"),
                body=_(
                    'The report (%(report_kind)s) for the grant to %(number)s "%(title)s" '
                    "(%(start)s to %(end)s) is due on %(due)s."
                ),
                report_kind=GranteeReport.Kind(report.kind).label,
                due=report.due_on.isoformat(),
                start=report.period_start.isoformat(),
                end=report.period_end.isoformat(),
            )
            sent += 1
    return sent
