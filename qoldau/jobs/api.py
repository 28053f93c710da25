"""The employment API under /api/v1/jobs. Public figures are rounded and small ones
hidden, as every public figure of Qoldau is (`qoldau.projects.impact`)."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core.api import BearerToken, PublicAccess, SignedInSession
from qoldau.jobs import selectors
from qoldau.projects.impact import public_count

router = Router(tags=["jobs"])


class SummaryQuery(Schema):
    region: bounds.Code = Field(description="KATO code of a region, e.g. 750000000 for Almaty")
    year: bounds.Year | None = Field(None, description="2000 to 2100; this year when not given")


class SummaryOut(Schema):
    region: str
    year: int
    seekers: int | None = Field(description="People registered as job seekers in the year")
    coached: int | None = Field(description="People with a job coach during the year")
    placed: int | None = Field(description="People who started a job in the year")
    retained_6_months: int | None = Field(
        description="People still employed at their six-month follow-up, recorded in the year"
    )
    quota_required: int | None = Field(description="Quota jobs the region's employers must fill")
    quota_filled: int | None = Field(description="Quota jobs filled by people with disabilities")
    suppressed_below: int = Field(description="Figures under it are null: fewer than this many")


@router.get(
    "/jobs/summary",
    response=SummaryOut,
    auth=[BearerToken(), SignedInSession(), PublicAccess()],
    summary="Employment figures of a region for a year",
    description="Public. Each figure is rounded; one under the threshold is null.",
)
def summary(request: HttpRequest, query: Query[SummaryQuery]) -> dict[str, object]:
    region = core_selectors.region_by_kato(query.region)
    year = query.year if query.year is not None else timezone.localdate().year
    figures = selectors.employment_summary(region, year)
    threshold = settings.QOLDAU_SUPPRESSION_THRESHOLD
    return {
        "region": region.kato,
        "year": year,
        "seekers": public_count(figures.seekers, threshold),
        "coached": public_count(figures.coached, threshold),
        "placed": public_count(figures.placed, threshold),
        "retained_6_months": public_count(figures.retained_6_months, threshold),
        "quota_required": public_count(figures.quota_required, threshold),
        "quota_filled": public_count(figures.quota_filled, threshold),
        "suppressed_below": threshold,
    }
