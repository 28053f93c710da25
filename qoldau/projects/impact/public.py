"""Public figures: the four rules of `qoldau.projects.impact` (whole calendar periods,
small counts hidden, complementary suppression of lines and tables, rounding to the
threshold), all applied in `shown_figures`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import ValidationFailed
from qoldau.projects.errors import ProjectErrorCode
from qoldau.projects.impact.filters import ImpactFilter
from qoldau.projects.impact.report import ImpactReport

PUBLIC_PERIOD_ONLY = _(
    "Public figures are given for a whole year, quarter or month only: ask with year= (for "
    "example year=2025), and add quarter= (1 to 4) or month= (1 to 12) for a shorter period. "
    "Sign in to count any other period within your scope."
)


def public_period_check(wanted: ImpactFilter) -> None:
    """Refuse public figures of anything but one calendar year, quarter or month (rule 1
    of the package's docstring): two arbitrary ranges a day apart would give away the
    people served on that day."""
    if wanted.calendar_period is None:
        raise ValidationFailed(
            PUBLIC_PERIOD_ONLY, field="date_from", code=ProjectErrorCode.PUBLIC_PERIOD_ONLY
        )


def public_round(value: int, threshold: int) -> int:
    """A shown public figure: the nearest multiple of the threshold (halves up), so that
    no difference or sum of shown figures is 1 to threshold-1 (rule 4 of the package's
    docstring). A figure of at least the threshold never rounds below it."""
    if threshold <= 1:
        return value
    return threshold * ((value + threshold // 2) // threshold)


def public_count(value: int, threshold: int) -> int | None:
    """One figure standing alone, as the public sees it: None ("fewer than N") for 1 to
    threshold-1, else rounded (see `public_round`)."""
    return None if 0 < value < threshold else public_round(value, threshold)


def _hide_until_safe(
    values: Sequence[int], shown: list[int | None], line: Sequence[int], threshold: int
) -> bool:
    """Complementary suppression of one line (positions `line` of `values`) whose total
    is shown: hide its smallest shown figures until the hidden ones are either none, or at
    least two adding up to at least the threshold. True when it hid anything."""
    changed = False
    while True:
        hidden = [i for i in line if shown[i] is None]
        if not hidden or (len(hidden) >= 2 and sum(values[i] for i in hidden) >= threshold):
            return changed
        candidates = [i for i in line if shown[i]]
        if not candidates:
            return changed
        shown[min(candidates, key=lambda i: values[i])] = None
        changed = True


def suppressed_line(values: Sequence[int], threshold: int, *, with_total: bool = True) -> list[int | None]:
    """One line of figures for the public, before rounding: each count of 1 to
    threshold-1 becomes None ("fewer than N"). Where the line's total is shown, the total
    minus the shown figures would give the hidden ones away, so more are hidden, smallest
    first, until they are at least two and add up to at least the threshold."""
    shown: list[int | None] = [None if 0 < v < threshold else v for v in values]
    if with_total:
        _hide_until_safe(values, shown, range(len(values)), threshold)
    return shown


def suppressed_table(
    rows: Sequence[tuple[Any, Any, int]], threshold: int
) -> dict[tuple[Any, Any], int | None]:
    """A two-way table of counts for the public, before rounding: every line and every
    column suppressed as `suppressed_line` does (their totals are the one-way breakdowns),
    again until none changes."""
    keys = [(a, b) for a, b, _v in rows]
    values = [v for _a, _b, v in rows]
    shown: list[int | None] = [None if 0 < v < threshold else v for v in values]
    lines: list[list[int]] = []
    for axis in (0, 1):
        grouped: dict[Any, list[int]] = {}
        for position, key in enumerate(keys):
            grouped.setdefault(key[axis], []).append(position)
        lines.extend(grouped.values())
    changed = True
    while changed:
        changed = False
        for line in lines:
            changed = _hide_until_safe(values, shown, line, threshold) or changed
    return dict(zip(keys, shown, strict=True))


@dataclass(frozen=True)
class ShownFigures:
    """A report's counts as a reader may see them: exact for those in scope; for the
    public, rounded, and each count of fewer than `threshold` people None ("fewer than N")."""

    people_reached: int | None
    participations: int | None
    deliveries: int | None
    attendances: int | None
    anonymous_participants: int | None
    events: int
    volunteers: int | None
    experts: int | None
    # (people reached, participations) per project and per breakdown row, in report order.
    projects: list[tuple[int | None, int | None]]
    breakdown: list[tuple[int | None, int | None]]
    suppressed_below: int | None


def shown_figures(report: ImpactReport, *, public: bool, threshold: int) -> ShownFigures:
    """The one place where public figures are made, by the rules of the package's
    docstring: a whole calendar period only; totals standing alone hidden under the
    threshold; lines with a total (deliveries and attendances, projects, one-way
    breakdowns) and two-way breakdowns line by line and column by column so that no hidden
    figure can be found by subtraction; then every figure rounded."""
    if not public:
        return ShownFigures(
            people_reached=report.people_reached,
            participations=report.participations,
            deliveries=report.deliveries,
            attendances=report.attendances,
            anonymous_participants=report.anonymous_participants,
            events=report.events,
            volunteers=report.volunteers,
            experts=report.experts,
            projects=[(p.people_reached, p.participations) for p in report.projects],
            breakdown=[(r.people, r.participations) for r in report.breakdown],
            suppressed_below=None,
        )
    public_period_check(report.filter)

    def rounded(values: list[int | None]) -> list[int | None]:
        return [None if v is None else public_round(v, threshold) for v in values]

    def column(values: list[int]) -> list[int | None]:
        if len(report.breakdown_by) == 2 and len(values) == len(report.breakdown):
            cells = suppressed_table(
                [(*r.keys, v) for r, v in zip(report.breakdown, values, strict=True)], threshold
            )
            return rounded([cells[(r.keys[0], r.keys[1])] for r in report.breakdown])
        return rounded(suppressed_line(values, threshold))

    deliveries, attendances = rounded(suppressed_line([report.deliveries, report.attendances], threshold))
    project_people = rounded(suppressed_line([p.people_reached for p in report.projects], threshold))
    project_participations = rounded(suppressed_line([p.participations for p in report.projects], threshold))
    row_people = column([r.people for r in report.breakdown])
    row_participations = column([r.participations for r in report.breakdown])
    return ShownFigures(
        people_reached=public_count(report.people_reached, threshold),
        participations=public_count(report.participations, threshold),
        deliveries=deliveries,
        attendances=attendances,
        anonymous_participants=public_count(report.anonymous_participants, threshold),
        events=report.events,
        volunteers=public_count(report.volunteers, threshold),
        experts=public_count(report.experts, threshold),
        projects=list(zip(project_people, project_participations, strict=True)),
        breakdown=list(zip(row_people, row_participations, strict=True)),
        suppressed_below=threshold,
    )
