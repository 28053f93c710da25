"""The one ranking method of contests and grant calls (docs/CONTESTS.md states it for
applicants and commissions).

1. Each score is put on the share of its scale: (score − lowest) / (highest − lowest), with
   the commission's own scale where it set one, else the criterion's. So a region scoring
   1–5 and a region scoring 0–10 give comparable shares.
2. A member's mark for an application is the weighted mean of their shares over all the
   criteria, with the criteria's weights. Only a complete set (every criterion scored)
   counts; an incomplete set is reported, never half-counted.
3. The application's score is the plain mean of its members' marks, as a percentage.
   Members who declared a conflict have no marks there.
4. Ties are broken, in this order, by the higher mean share on each criterion taken from
   the heaviest weight down, then by the earlier submission, then by the receipt number.
5. A member's mark is flagged as an outlier when it lies more than
   `QOLDAU_CONTEST_OUTLIER_POINTS` points from the median of the other members' marks
   (with at least two others). Flags are for the chair to look at; they change no score.
6. To compare regions whose commissions score more or less severely, each application also
   gets a standardised score: how many standard deviations its score lies above its own
   commission's mean.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CriterionScale:
    id: int
    weight: float
    low: float
    high: float


@dataclass
class RankedLine:
    application_id: int
    rank: int
    score: float
    standardised: float
    # Each complete member's mark, in percent.
    marks: dict[int, float]
    outliers: list[int] = field(default_factory=list)
    criterion_means: list[float] = field(default_factory=list)


@dataclass
class RankingResult:
    lines: list[RankedLine]
    # Applications no member has scored completely yet.
    unscored: list[int]
    # (application, member) pairs where some criteria are scored and others are not.
    incomplete: list[tuple[int, int]]


def rank_applications(
    *,
    criteria: Iterable[CriterionScale],
    scores: Iterable[tuple[int, int, int, float]],
    applications: Mapping[int, tuple[dt.datetime | None, str]],
    outlier_points: float,
) -> RankingResult:
    """Rank `applications` (id → (submitted at, receipt number)) from `scores`, rows of
    (application, member, criterion, value). Scores of applications not listed, or of
    criteria not listed, are ignored."""
    scales = {c.id: c for c in criteria}
    by_weight = sorted(scales.values(), key=lambda c: (-c.weight, c.id))
    total_weight = sum(c.weight for c in by_weight) or 1.0
    # application → member → criterion → share
    shares: dict[int, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for application_id, member_id, criterion_id, value in scores:
        scale = scales.get(criterion_id)
        if scale is None or application_id not in applications:
            continue
        shares[application_id][member_id][criterion_id] = (value - scale.low) / (scale.high - scale.low)

    lines: list[RankedLine] = []
    unscored: list[int] = []
    incomplete: list[tuple[int, int]] = []
    needed = len(scales)
    for application_id in applications:
        marks: dict[int, float] = {}
        complete_sets: list[dict[int, float]] = []
        for member_id, member_shares in shares.get(application_id, {}).items():
            if len(member_shares) < needed:
                incomplete.append((application_id, member_id))
                continue
            complete_sets.append(member_shares)
            marks[member_id] = (
                100.0 * sum(scales[c].weight * s for c, s in member_shares.items()) / total_weight
            )
        if not marks:
            unscored.append(application_id)
            continue
        score = sum(marks.values()) / len(marks)
        criterion_means = [sum(m[c.id] for m in complete_sets) / len(complete_sets) for c in by_weight]
        lines.append(
            RankedLine(
                application_id=application_id,
                rank=0,
                score=score,
                standardised=0.0,
                marks=marks,
                outliers=_outliers(marks, outlier_points),
                criterion_means=criterion_means,
            )
        )

    far_future = dt.datetime.max.replace(tzinfo=dt.UTC)

    def order(line: RankedLine) -> tuple[object, ...]:
        submitted_at, number = applications[line.application_id]
        # Rounded so that float noise never decides a tie the method calls a tie.
        return (
            -round(line.score, 9),
            *[-round(m, 9) for m in line.criterion_means],
            submitted_at or far_future,
            number,
        )

    lines.sort(key=order)
    if len(lines) > 1:
        mean = statistics.fmean(line.score for line in lines)
        spread = statistics.pstdev(line.score for line in lines)
    else:
        mean, spread = (lines[0].score if lines else 0.0), 0.0
    for rank, line in enumerate(lines, start=1):
        line.rank = rank
        line.standardised = (line.score - mean) / spread if spread > 0 else 0.0
    return RankingResult(lines=lines, unscored=unscored, incomplete=incomplete)


def _outliers(marks: Mapping[int, float], outlier_points: float) -> list[int]:
    if len(marks) < 3:
        return []
    flagged = []
    for member_id, mark in marks.items():
        others = [m for other, m in marks.items() if other != member_id]
        if abs(mark - statistics.median(others)) > outlier_points:
            flagged.append(member_id)
    return sorted(flagged)
