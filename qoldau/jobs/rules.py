"""Rules of employment that its writes and reads apply alike: every input within the bounds
of its type (`qoldau.core.bounds`), codes looked up in the catalogues, the minimum wage in
force on a day and a pay that is not below it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Iterable, Sequence
from decimal import ROUND_CEILING, Decimal
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.access import accessibility
from qoldau.core import bounds
from qoldau.core.errors import CoreErrorCode, ErrorCode, ValidationFailed
from qoldau.jobs.errors import JobsErrorCode
from qoldau.jobs.models import Accommodation, MinimumWage, Occupation, WorkingCondition

# The normal working week (Labour Code: at most 40 hours); the minimum wage is for it.
FULL_TIME_HOURS = 40


# Bounds ----------------------------------------------------------------------------------


def _bound_and_kind(hint: Any) -> tuple[Any, bool] | None:
    """The bounded type a field is annotated with, and whether the field is a list of it;
    None for a field without a bound (a flag)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _bound_and_kind(inner[0]) if len(inner) == 1 else None
    if origin is typing.Annotated:
        return hint, False
    if origin is not None and typing.get_args(hint):
        element = typing.get_args(hint)[0]
        if typing.get_origin(element) is typing.Annotated:
            return element, True
    return None


def check_bounds(data: Any) -> None:
    """Refuse an input dataclass whose field lies outside the bound of its type (a text
    too long, a number out of range, a list too long), naming the field. The same bounds
    the API's schemas and the forms apply, so that every door refuses alike."""
    hints = typing.get_type_hints(type(data), include_extras=True)
    for field in dataclasses.fields(data):
        found = _bound_and_kind(hints[field.name])
        value = getattr(data, field.name)
        if found is None or value is None:
            continue
        annotated, is_list = found
        try:
            if is_list:
                if len(value) > bounds.FEW:
                    raise bounds.BoundError(
                        "too_many", _("Give at most %(limit)s items."), {"limit": bounds.FEW}
                    )
                for item in value:
                    bounds.clean(annotated, item)
            else:
                bounds.clean(annotated, value)
        except bounds.BoundError as exc:
            raise ValidationFailed(
                exc.message, field=field.name, code=ErrorCode(exc.code), params=exc.params
            ) from None


def bounded(annotated: Any, value: Any, field: str) -> Any:
    """One value checked (and text cleaned) by the bound of its type, refused naming the field."""
    try:
        return bounds.clean(annotated, value)
    except bounds.BoundError as exc:
        raise ValidationFailed(
            exc.message, field=field, code=ErrorCode(exc.code), params=exc.params
        ) from None


# Catalogues ------------------------------------------------------------------------------

M = TypeVar("M", bound=Model)


def _by_codes(qs: QuerySet[M], codes: Iterable[str], field: str, message: Any) -> list[M]:
    wanted = list(dict.fromkeys(code.strip() for code in codes))
    found = {getattr(row, "code"): row for row in qs.filter(code__in=wanted)}  # noqa: B009
    missing = [code for code in wanted if code not in found]
    if missing:
        raise ValidationFailed(
            message, field=field, code=JobsErrorCode.UNKNOWN_CODE, params={"code": missing[0]}
        )
    return [found[code] for code in wanted]


def occupation_by_code(code: str, field: str = "occupation") -> Occupation:
    """An occupation of the classifier in use, by its code."""
    return _by_codes(
        Occupation.objects.filter(active=True),
        [code],
        field,
        _("There is no occupation %(code)s in the classifier."),
    )[0]


def occupations_by_codes(codes: Sequence[str], field: str = "occupations") -> list[Occupation]:
    return _by_codes(
        Occupation.objects.filter(active=True),
        codes,
        field,
        _("There is no occupation %(code)s in the classifier."),
    )


def conditions_by_codes(codes: Sequence[str], field: str = "conditions") -> list[WorkingCondition]:
    return _by_codes(
        WorkingCondition.objects.filter(active=True),
        codes,
        field,
        _("There is no working condition %(code)s in the catalogue."),
    )


def accommodations_by_codes(codes: Sequence[str], field: str = "accommodations") -> list[Accommodation]:
    return _by_codes(
        Accommodation.objects.filter(active=True),
        codes,
        field,
        _("There is no accommodation %(code)s in the catalogue."),
    )


def categories_of(letters: Sequence[str], field: str = "categories_needed") -> str:
    """The accessibility categories named (К, О, С, Г, У, or their Latin look-alikes), as
    the letters a seeker's record keeps, in the forms' order."""
    found: set[str] = set()
    for text in letters:
        category = accessibility.category_code(text)
        if category is None:
            raise ValidationFailed(
                _("There is no accessibility category %(code)s; the categories are К, О, С, Г and У."),
                field=field,
                code=CoreErrorCode.UNKNOWN_CATEGORY,
                params={"code": text.strip()[:5]},
            )
        found.add(category)
    return "".join(c for c in accessibility.CATEGORIES if c in found)


# Pay -------------------------------------------------------------------------------------


def minimum_wage_on(day: dt.date) -> Decimal:
    """The monthly minimum wage in force on a day; refused (not guessed) when the table has
    none from before it."""
    amount = (
        MinimumWage.objects.filter(valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("amount", flat=True)
        .first()
    )
    if amount is None:
        raise ValidationFailed(
            _("There is no minimum wage for %(day)s. An administrator must add it first."),
            code=JobsErrorCode.NO_MINIMUM_WAGE,
            params={"day": day.isoformat()},
        )
    return amount


def minimum_pay(day: dt.date, weekly_hours: int) -> Decimal:
    """The least monthly pay for a job of `weekly_hours` a week: the minimum wage for a full
    week, in proportion to the hours for a shorter one."""
    wage = minimum_wage_on(day)
    if weekly_hours >= FULL_TIME_HOURS:
        return wage
    return (wage * weekly_hours / FULL_TIME_HOURS).quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def check_pay(pay: Decimal, *, day: dt.date, weekly_hours: int, field: str) -> None:
    """Refuse a pay below the minimum wage in force on the day (in proportion for part-time)."""
    least = minimum_pay(day, weekly_hours)
    if pay < least:
        raise ValidationFailed(
            _(
                "The pay of %(pay)s tenge a month is below the minimum wage in force on %(day)s: "
                "at least %(least)s tenge for %(hours)s hours a week."
            ),
            field=field,
            code=JobsErrorCode.BELOW_MINIMUM_WAGE,
            params={"pay": pay, "day": day.isoformat(), "least": least, "hours": weekly_hours},
        )


# Staff reports ---------------------------------------------------------------------------


def staff_report_day(year: int, as_of: dt.date | None = None) -> dt.date:
    """The day a staff report for `year` is as of: the day given, which must lie in that
    year, else the year's last day, or today for the current year. A year to come, or one
    outside the years the platform keeps, is refused naming the year."""
    bounded(bounds.Year, year, "year")
    today = timezone.localdate()
    if year > today.year:
        raise ValidationFailed(
            _("The year %(year)s has not come yet: report the staff of a year begun or past."),
            field="year",
            code=ErrorCode.OUT_OF_RANGE,
            params={"year": year},
        )
    if as_of is None:
        return min(dt.date(year, 12, 31), today)
    if as_of.year != year:
        raise ValidationFailed(
            _("The date %(date)s is not in %(year)s."),
            field="as_of",
            code=ErrorCode.OUT_OF_RANGE,
            params={"date": as_of.isoformat(), "year": year},
        )
    return as_of


def check_staff_report(
    *, as_of: dt.date, headcount: int, hazardous_jobs: int, employees_with_disabilities: int
) -> None:
    """Refuse a staff report whose counts are out of bounds (a negative one too), whose
    day is in the future, or whose jobs in hazardous work or employees with disabilities
    (who fill quota jobs) are more than its headcount."""
    for name, value in (
        ("headcount", headcount),
        ("hazardous_jobs", hazardous_jobs),
        ("employees_with_disabilities", employees_with_disabilities),
    ):
        bounded(bounds.Headcount, value, name)
    bounded(bounds.RecordDate, as_of, "as_of")
    if as_of > timezone.localdate():
        raise ValidationFailed(_("The date is in the future."), field="as_of")
    if employees_with_disabilities > headcount:
        raise ValidationFailed(
            _(
                "The headcount (%(headcount)s) is below the employees with disabilities reported "
                "(%(disabled)s), who fill quota jobs among the staff."
            ),
            field="headcount",
            code=JobsErrorCode.HEADCOUNT_BELOW_FILLED,
            params={"headcount": headcount, "disabled": employees_with_disabilities},
        )
    if hazardous_jobs > headcount:
        raise ValidationFailed(
            _("The jobs in hazardous work (%(hazardous)s) are more than the headcount (%(headcount)s)."),
            field="hazardous_jobs",
            code=JobsErrorCode.HAZARDOUS_ABOVE_HEADCOUNT,
            params={"headcount": headcount, "hazardous": hazardous_jobs},
        )
