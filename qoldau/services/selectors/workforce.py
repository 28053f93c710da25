"""Reads of the social workforce: a provider's workers and their trainings for its staff,
and the progress towards a region's training target for the akimat and the public, as
counts by provider and by district only (no worker is named there). For the public each
count of fewer than the threshold is hidden, a column's parts until none can be found by
subtraction from its total, and every shown count rounded, as the dashboard does."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qoldau.core.access import Actor
from qoldau.core.models import Place
from qoldau.projects.impact import public_count, public_round, suppressed_line
from qoldau.services import policy
from qoldau.services.models import (
    SOCIAL_WORK_POSITIONS,
    Provider,
    Training,
    TrainingTarget,
    Worker,
    WorkforceBonus,
)


def providers_with_workers_kept_by(user: Actor) -> QuerySet[Provider]:
    return policy.providers_managed_by(user).select_related("organisation")


def provider_for_workers(user: Actor, provider_id: int) -> Provider:
    """A provider whose workers the user keeps; not found otherwise (never whether it exists)."""
    provider = providers_with_workers_kept_by(user).filter(pk=provider_id).first()
    if provider is None:
        raise Http404
    return provider


def workers_of(user: Actor, provider: Provider) -> list[Worker]:
    """The provider's workers, those working first, with their trainings."""
    policy.check_may_keep_workers(user, provider)
    found = (
        policy.workers_kept_by(user)
        .filter(provider=provider)
        .prefetch_related(Prefetch("trainings", queryset=Training.objects.order_by("-completed_on", "-pk")))
        .order_by("position", "hired_on", "pk")
    )
    return sorted(found, key=lambda w: w.left_on is not None)


def worker_for(user: Actor, worker_id: int) -> Worker:
    """A worker the user keeps; not found otherwise."""
    worker = policy.workers_kept_by(user).select_related("provider").filter(pk=worker_id).first()
    if worker is None:
        raise Http404
    return worker


def bonus_in_force(region: Place | None, day: dt.date) -> WorkforceBonus | None:
    """The social workers' bonus in force in a region on a day: the region's own, else the
    country's, the latest begun first."""
    bonuses = WorkforceBonus.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    if region is not None:
        own = bonuses.filter(region=region).order_by("-valid_from").first()
        if own is not None:
            return own
    return bonuses.filter(region__isnull=True).order_by("-valid_from").first()


def training_targets() -> list[TrainingTarget]:
    return list(TrainingTarget.objects.select_related("region").order_by("-deadline", "pk"))


@dataclass(frozen=True)
class ProgressRow:
    key: str
    label: str
    workers: int | None
    social_workers: int | None
    trained: int | None


@dataclass(frozen=True)
class TrainingProgress:
    target: TrainingTarget
    as_of: dt.date
    trained: int | None
    workers: int | None
    social_workers: int | None
    bonus: WorkforceBonus | None
    by_provider: list[ProgressRow]
    by_district: list[ProgressRow]
    public: bool
    threshold: int

    @property
    def share(self) -> Decimal | None:
        """Trained of the target, in per cent to one decimal (above 100 when exceeded)."""
        if self.trained is None or not self.target.specialists:
            return None
        return (Decimal(100 * self.trained) / Decimal(self.target.specialists)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def training_progress(
    user: Actor | None, target: TrainingTarget, *, threshold: int, as_of: dt.date | None = None
) -> TrainingProgress:
    """Progress towards a training target in the target's region, among the providers the
    user counts (`policy.providers_counted_for`; the public: all, hidden and rounded).
    Trained are the workers (each once) with a training completed from the target's first
    day to the day counted (`as_of`, at most the deadline); workers and social workers are
    those working on that day. Three queries."""
    public = user is None
    day = min(as_of or timezone.localdate(), target.deadline)
    providers = list(
        policy.providers_counted_for(user)
        .filter(organisation__region_id=target.region_id)
        .select_related("organisation", "organisation__district")
    )
    ids = [p.pk for p in providers]
    working = (
        Worker.objects.filter(provider_id__in=ids, hired_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .values("provider_id")
        .annotate(n=Count("pk"), social=Count("pk", filter=Q(position__in=SOCIAL_WORK_POSITIONS)))
    )
    staff = {row["provider_id"]: (row["n"], row["social"]) for row in working}
    trained_rows = (
        Training.objects.filter(
            worker__provider_id__in=ids, completed_on__gte=target.counted_from, completed_on__lte=day
        )
        .values("worker__provider_id")
        .annotate(n=Count("worker_id", distinct=True))
    )
    trained = {row["worker__provider_id"]: row["n"] for row in trained_rows}

    def column(values: list[int]) -> list[int | None]:
        if not public:
            return list(values)
        return [None if v is None else public_round(v, threshold) for v in suppressed_line(values, threshold)]

    def rows(keys: list[tuple[str, str]], counts: dict[str, tuple[int, int, int]]) -> list[ProgressRow]:
        columns = [column([counts[k][i] for k, _label in keys]) for i in range(3)]
        return [
            ProgressRow(key, label, columns[0][i], columns[1][i], columns[2][i])
            for i, (key, label) in enumerate(keys)
        ]

    by_provider: dict[str, tuple[int, int, int]] = {}
    by_district: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    district_names: dict[str, str] = {}
    for provider in providers:
        workers, social = staff.get(provider.pk, (0, 0))
        counts = (workers, social, trained.get(provider.pk, 0))
        by_provider[str(provider.pk)] = counts
        district = provider.organisation.district
        key = str(district.pk) if district is not None else ""
        district_names[key] = district.name if district is not None else ""
        for i, value in enumerate(counts):
            by_district[key][i] += value
    provider_keys = sorted(
        ((str(p.pk), p.organisation.name) for p in providers), key=lambda k: k[1].casefold()
    )
    district_keys = sorted(district_names.items(), key=lambda k: (k[0] == "", k[1].casefold()))
    totals = [sum(c[i] for c in by_provider.values()) for i in range(3)]

    def alone(value: int) -> int | None:
        return public_count(value, threshold) if public else value

    return TrainingProgress(
        target=target,
        as_of=day,
        trained=alone(totals[2]),
        workers=alone(totals[0]),
        social_workers=alone(totals[1]),
        bonus=bonus_in_force(target.region, day),
        by_provider=rows(provider_keys, by_provider),
        by_district=rows(district_keys, {k: (v[0], v[1], v[2]) for k, v in by_district.items()}),
        public=public,
        threshold=threshold,
    )
