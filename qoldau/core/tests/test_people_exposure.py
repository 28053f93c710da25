"""Role × endpoint: what another organisation's person looks like from every page and every
API read, for every role (nothing at all).

One person of an Almaty NGO carries marker values in every personal field that is ever
shown (names, patronymic, phone, IIN, the note on a category); the person has deliveries,
an event's attendance and a consultation-like history. Then every GET page the URL
configuration declares and every GET operation of the OpenAPI document is requested by
each role that has no reason to see the person, with the path's ids filled in with that
person's, their project's and their event's ids, and no answer may contain a marker. The
Almaty NGO's own staff must see the markers (so the test can fail)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from qoldau.core import services
from qoldau.core.models import VulnerabilityCategory
from qoldau.core.tests import factories
from qoldau.projects import services as project_services
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db

LAST, FIRST, PATRONYMIC = "Қазбекова", "Зейнепгүл", "Тұрсынқызы"
PHONE = "+7 777 314 15 92"
NOTE = "МСЭ-маркер-2718"
# Pages that change state on GET or stream files are not reads of people.
SKIPPED = re.compile(r"^/(static|media)/|/logout/|/language/|/health")


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _fill(route: str, ids: dict[str, object]) -> str | None:
    """A route with its parameters filled in with the marked person's ids, else None
    (regular-expression routes and parameters nothing stands for)."""
    if route.startswith("^") or "(?P" in route:
        return None

    def value(match: re.Match[str]) -> str:
        name = match.group(2)
        return str(ids.get(name, ids["_default"]))

    path = re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    return "/" + path.lstrip("/")


@pytest.fixture
def marked():
    world = factories.world()
    person = services.person_register(
        actor=world.almaty_staff,
        organisation=world.almaty_ngo,
        data=services.PersonInput(
            last_name=LAST,
            first_name=FIRST,
            patronymic=PATRONYMIC,
            phone=PHONE,
            iin=factories.valid_iin(dt.date(1979, 11, 23), "F"),
        ),
        consent_given_on=dt.date(2025, 1, 5),
    ).person
    services.person_category_add(
        actor=world.almaty_staff,
        person=person,
        category=VulnerabilityCategory.objects.get(code="disability_group_2"),
        since=dt.date(2020, 1, 1),
        details=NOTE,
    )
    project = project_factories.project(world.almaty_admin, world.almaty_ngo)
    project_services.delivery_record(
        actor=world.almaty_staff,
        project=project,
        person_id=person.pk,
        service=project_factories.service(),
        delivered_on=dt.date(2025, 4, 1),
    )
    event = project_services.event_record(
        actor=world.almaty_staff,
        project=project,
        data=project_services.EventInput(
            kind="job_fair", title_kk="Жәрмеңке", held_on=dt.date(2025, 5, 1), attendee_ids=[person.pk]
        ),
    )
    # Another organisation also serves the same IIN: its record holds none of the markers.
    services.person_register(
        actor=world.turkistan_staff,
        organisation=world.turkistan_ngo,
        data=services.PersonInput(last_name="Басқа", first_name="Адам", iin=person.iin),
        consent_given_on=dt.date(2025, 2, 1),
    )
    ids = {
        "person_id": person.pk,
        "project_id": project.pk,
        "event_id": event.pk,
        "organisation_id": world.almaty_ngo.pk,
        "membership_id": person.categories.first().pk,
        "pk": person.pk,
        "id": person.pk,
        "_default": person.pk,
    }
    return world, person, ids


def _urls(ids: dict[str, object]) -> list[str]:
    pages = {_fill(route, ids) for route in _patterns(get_resolver())}
    return sorted(p for p in pages if p and not SKIPPED.search(p))


def _api_reads(client: Client, ids: dict[str, object]) -> list[str]:
    document = client.get("/api/v1/openapi.json").json()
    reads = []
    for path, operations in document["paths"].items():
        if "get" not in operations or path.endswith(("/docs", "/openapi.json")):
            continue
        filled = re.sub(r"{(\w+)}", lambda m: str(ids.get(str(m.group(1)), ids["_default"])), path)
        reads.append(filled)
    return reads


def _markers(person) -> list[str]:
    return [LAST, FIRST, PATRONYMIC, PHONE, NOTE, person.iin, "314 15 92"]


def _leaks(client: Client, urls: list[str], markers: list[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for url in urls:
        response = client.get(url)
        streamed = getattr(response, "streaming_content", None)
        body = b"".join(streamed) if streamed is not None else response.content
        text = body.decode("utf-8", errors="replace")
        found.extend((url, marker) for marker in markers if marker in text)
    return found


ROLES = [
    "turkistan_staff",
    "turkistan_admin",
    "akimat_almaty",
    "akimat_turkistan",
    "ministry",
    "consultant",
    # The employment roles: a Turkistan job coach, and an Almaty employer's staff member
    # (who sees no organisation's people, only seekers sent to the employer).
    "turkistan_coach",
    "employer",
    # A sign-language interpreter of the person's own NGO: the role shows none of its
    # people (only the person of a session the interpreter serves).
    "almaty_interpreter",
    # A citizen with their own account, registered themselves with the person's own NGO:
    # they see their own record, nobody else's.
    "citizen",
    "anonymous",
]


@pytest.mark.parametrize("role", ROLES)
def test_another_organisations_person_is_nowhere_in_any_page_or_api_answer(marked, role):
    world, person, ids = marked
    client = Client()
    if role == "consultant":
        client.force_login(factories.user("almaty.consultant", "consultant", org=world.almaty_ngo))
    elif role == "turkistan_coach":
        client.force_login(factories.user("turkistan.coach", "job_coach", org=world.turkistan_ngo))
    elif role == "employer":
        employer = factories.organisation(kato=factories.ALMATY, name="«Алма Логистика» ЖШС", kind="company")
        client.force_login(factories.user("almaty.employer", "employer_staff", org=employer))
    elif role == "almaty_interpreter":
        client.force_login(factories.user("almaty.interpreter", "interpreter", org=world.almaty_ngo))
    elif role == "citizen":
        citizen = factories.citizen()
        with transaction.atomic():
            services.citizen_person_register_in_transaction(
                actor=citizen,
                organisation=world.almaty_ngo,
                data=services.PersonInput(last_name="Өзім", first_name="Азамат", iin=factories.valid_iin()),
                consent_given_on=dt.date(2025, 2, 1),
            )
        client.force_login(citizen)
    elif role != "anonymous":
        client.force_login(getattr(world, role))
    urls = _urls(ids) + _api_reads(client, ids)
    assert len(urls) > 50
    markers = _markers(person)
    if role.startswith("turkistan"):
        # Turkistan registered the same IIN itself: the number is what it typed, not a leak.
        markers.remove(person.iin)
    assert _leaks(client, urls, markers) == []


def test_the_organisations_own_staff_do_see_the_person(marked):
    """The same sweep finds the markers for those who serve the person: the test above
    would notice a leak."""
    world, person, ids = marked
    client = Client()
    client.force_login(world.almaty_staff)
    leaks = _leaks(client, _urls(ids) + _api_reads(client, ids), _markers(person))
    seen_at = {url for url, _marker in leaks}
    assert f"/people/{person.pk}/" in seen_at
    assert f"/api/v1/people/{person.pk}" in seen_at
    assert {marker for _url, marker in leaks} >= {LAST, FIRST, PHONE, NOTE, person.iin}
