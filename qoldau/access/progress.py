"""Progress to the target year: objects, passported, public statuses per category and
measures done against planned, per region, district and kind.

Objects and their statuses are public figures (no person is in them), so the same numbers
serve officers and the public.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from qoldau.access.models import STATUS_FIELD, AccessObject, Measure, PeopleCategory, PublicStatus
from qoldau.core.models import Place


def target_year() -> int:
    return int(settings.QOLDAU_ACCESS_TARGET_YEAR)


def target_objects(region: Place | None) -> int | None:
    """The number of objects to passport by the target year (setting QOLDAU_ACCESS_TARGETS,
    by region KATO code); for the country, the sum of the regions' targets."""
    targets: dict[str, int] = settings.QOLDAU_ACCESS_TARGETS
    if region is None:
        return sum(targets.values()) or None
    return targets.get(region.kato or "")


@dataclass
class ProgressSummary:
    objects: int = 0
    passported: int = 0
    # category → public status → objects
    by_status: dict[str, dict[str, int]] = field(default_factory=dict)
    measures_planned: int = 0
    measures_done: int = 0
    target_objects: int | None = None

    def as_api(self) -> dict[str, Any]:
        return {
            "objects": self.objects,
            "passported": self.passported,
            "by_status": self.by_status,
            "measures": {"planned": self.measures_planned, "done": self.measures_done},
            "target_objects": self.target_objects,
            "target_year": target_year(),
        }


def progress_summary(region: Place | None = None) -> ProgressSummary:
    """Totals for one region (or the country): one aggregate over objects, one over measures."""
    objects = AccessObject.objects.all()
    measures = Measure.objects.all()
    if region is not None:
        objects = objects.filter(region=region)
        measures = measures.filter(object__region=region)
    aggregates: dict[str, Any] = {
        "objects": Count("pk"),
        "passported": Count("pk", filter=Q(passported_on__isnull=False)),
    }
    for category, status_field in STATUS_FIELD.items():
        for status in PublicStatus.values:
            aggregates[f"{category}|{status}"] = Count("pk", filter=Q(**{status_field: status}))
    row = objects.aggregate(**aggregates)
    by_status = {
        category: {status: row[f"{category}|{status}"] for status in PublicStatus.values}
        for category in PeopleCategory.values
    }
    counts = measures.aggregate(
        planned=Count(
            "pk",
            filter=Q(state__in=[Measure.State.PLANNED, Measure.State.DONE])
            & ~Q(kind=Measure.Kind.NONE_NEEDED),
        ),
        done=Count("pk", filter=Q(state=Measure.State.DONE) & ~Q(kind=Measure.Kind.NONE_NEEDED)),
    )
    return ProgressSummary(
        objects=row["objects"],
        passported=row["passported"],
        by_status=by_status,
        measures_planned=counts["planned"],
        measures_done=counts["done"],
        target_objects=target_objects(region),
    )
