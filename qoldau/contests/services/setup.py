"""Contest set-up: contests, their stages and criteria (also a call's criteria). The
ministry's, and a call's operator's for its criteria."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.contests import policy
from qoldau.contests.errors import ContestErrorCode
from qoldau.contests.models import ApplicantKind, Contest, Criterion, GrantCall, Score, Stage
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ValidationFailed
from qoldau.core.services import Actor, acting_user, require_text, save_versioned


def _scoring_started(*, contest: Contest | None = None, call: GrantCall | None = None) -> bool:
    if contest is not None:
        return Score.objects.filter(commission__contest=contest).exists()
    return Score.objects.filter(commission__call=call).exists()


def check_kinds(kinds: Sequence[str]) -> list[str]:
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
        "eligible_kinds": check_kinds(data.eligible_kinds),
        "places_awarded": data.places_awarded,
        "advance_per_region": data.advance_per_region,
    }


def contest_create(*, actor: Actor, data: ContestInput) -> Contest:
    """A new contest; the ministry's."""
    policy.check_may_set_up_contests(actor)
    fields = _contest_fields(data)
    with transaction.atomic():
        contest = Contest.objects.create(created_by=acting_user(actor), **fields)
        audit_record(actor, "contest.create", object_type="contest", object_id=contest.pk)
    return contest


def contest_update(*, actor: Actor, contest: Contest, expected_version: int, data: ContestInput) -> Contest:
    policy.check_may_set_up_contests(actor)
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
    policy.check_may_set_up_contests(actor)
    if level not in Stage.Level.values:
        raise ValidationFailed(_("Unknown stage."), field="level")
    opens_at, deadline = aware(opens_at), aware(deadline)
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


def aware(moment: dt.datetime) -> dt.datetime:
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
    if contest is not None:
        policy.check_may_set_up_contests(actor)
    if call is not None:
        policy.check_may_run_call(actor, call, task="criteria")
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
                _("Scoring has started; the criteria can no longer change."),
                code=ContestErrorCode.SCORING_STARTED,
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
