"""The bot's way into the public vacancies: open vacancies near a person (in the district
of a shared location, or of a district they name) that fit their category of accessibility.
Nothing personal is asked or kept, and no sign-in. Each call runs the synchronous
selectors in Django's thread, as in `access_gateway.py`."""

from __future__ import annotations

from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from qoldau.access import selectors as access_selectors
from qoldau.core import selectors as core_selectors
from qoldau.core.models import Place
from qoldau.jobs import selectors as jobs_selectors
from qoldau.jobs.models import Vacancy

# At most this many vacancies in one answer.
JOBS_SHOWN = 5


@dataclass(frozen=True)
class Job:
    """One open vacancy as the bot shows it, in the active language."""

    title: str
    employer: str
    pay_from: int
    pay_to: int | None
    district: str
    path: str


def _job(vacancy: Vacancy) -> Job:
    return Job(
        title=vacancy.title,
        employer=vacancy.employer.name,
        pay_from=int(vacancy.pay_from),
        pay_to=int(vacancy.pay_to) if vacancy.pay_to is not None else None,
        district=vacancy.district.name if vacancy.district else vacancy.region.name,
        path=reverse("jobs:vacancy_public", args=[vacancy.pk]),
    )


def _in_district(district: Place, category: str) -> list[Job]:
    search = jobs_selectors.VacancySearch(district=district, category=category)
    found = list(jobs_selectors.vacancies_open(AnonymousUser(), search)[:JOBS_SHOWN])
    if not found and district.parent is not None:
        # Nothing in the district: the region's, which is still near.
        search = jobs_selectors.VacancySearch(region=district.parent, category=category)
        found = list(jobs_selectors.vacancies_open(AnonymousUser(), search)[:JOBS_SHOWN])
    return [_job(v) for v in found]


def _near(latitude: float, longitude: float, category: str) -> list[Job]:
    """The district of the mapped place nearest to the location stands for where the
    person is."""
    nearest = access_selectors.objects_nearest(latitude, longitude, limit=1)
    if not nearest:
        return []
    district = nearest[0][0].district
    return _in_district(district, category) if district is not None else []


def _named(text: str, category: str) -> list[Job] | None:
    """None when no district has that name."""
    district = core_selectors.district_named(text)
    if district is None:
        return None
    return _in_district(district, category)


class JobsGateway:
    """Async access to the public vacancies for the handlers (dispatcher data `jobs`)."""

    async def near(self, latitude: float, longitude: float, category: str) -> list[Job]:
        return await sync_to_async(_near, thread_sensitive=True)(latitude, longitude, category)

    async def in_district(self, text: str, category: str) -> list[Job] | None:
        return await sync_to_async(_named, thread_sensitive=True)(text, category)
