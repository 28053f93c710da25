"""The public summary of a region's social services: providers by kind, people served
this year, places, free places and people waiting.

Small counts: as every public figure of Qoldau (`qoldau.projects.impact`, the jobs
summary, the dashboard), a count of people of 1 to `QOLDAU_SUPPRESSION_THRESHOLD` - 1 is
null ("fewer than N") and any other is rounded to a multiple of the threshold. People are
`recipients_year` and `waiting`; the free places are the places less the people enrolled
today, so they are given as the places less the *shown* (rounded, or hidden) enrolled
count: null when that count is hidden, else never revealing it by subtraction. Providers
and places are organisations and beds, not people, and the public directory lists the
providers anyway: they are exact."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core.api import BearerToken, PublicAccess, SignedInSession
from qoldau.projects.impact import public_count
from qoldau.services import selectors

router = Router(tags=["services"])


class SummaryQuery(Schema):
    region: bounds.Code = Field(description="KATO code of a region, e.g. 750000000 for Almaty")


class ProvidersOut(Schema):
    medical_social_institution: int
    ngo: int
    home_care_unit: int
    state_centre: int
    private: int


class SummaryOut(Schema):
    region: str
    providers: ProvidersOut
    recipients_year: int | None = Field(description="Distinct people served at any time this year")
    places: int = Field(description="Places of the active services in force today")
    free_places: int | None = Field(description="Places less the people enrolled today (as shown)")
    waiting: int | None = Field(description="Distinct people on a wait list now")
    suppressed_below: int = Field(description="Counts of people under it are null: fewer than this many")


@router.get(
    "/services/summary",
    response=SummaryOut,
    auth=[BearerToken(), SignedInSession(), PublicAccess()],
    summary="Social services of a region",
    description="Public. Counts of people are rounded; one under the threshold is null.",
)
def services_summary(request: HttpRequest, query: Query[SummaryQuery]) -> dict[str, Any]:
    region = core_selectors.region_by_kato(query.region)
    figures = selectors.services_summary(region)
    threshold = settings.QOLDAU_SUPPRESSION_THRESHOLD
    enrolled = public_count(figures.enrolled_today, threshold)
    # The free places as the sum of each service's are at most the places less the
    # enrolled; shown as the places less the shown enrolled, so the two shown figures never
    # give away the exact count of people enrolled.
    free = None if enrolled is None else max(figures.places - enrolled, 0)
    return {
        "region": region.kato,
        "providers": figures.providers,
        "recipients_year": public_count(figures.recipients_year, threshold),
        "places": figures.places,
        "free_places": free,
        "waiting": public_count(figures.waiting, threshold),
        "suppressed_below": threshold,
    }
