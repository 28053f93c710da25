"""Public figures cannot be subtracted into a small count of people.

The data are a small copy of the demo's shape, made through the real services: Almaty
with two of its districts, two Almaty NGOs and one in Turkistan, four projects on three
kinds of funding, a category most people are in, deliveries over the year and an event
with attendance. Behind every kind of nesting sits a group of 2 to 4 people: 3 served in
the second district only, 2 by a sponsor's project beside the NGO's state grant, 2 served
in July by a project that otherwise worked in spring, 4 outside the category, 3 people in
Turkistan.

The attacker asks the public API and the public dashboard for every period (the year, its
quarters and months) × filter (region, district, organisation, project, category,
funding source and some of their combinations) × breakdown, keeps every figure any answer
shows, and then subtracts: every figure from every figure it nests in, and every total
from the sum of its shown parts (the rows of a breakdown, the projects, the lines of a
two-way table, a year's quarters and months, deliveries and attendances). None may give
1 to 4. The same attack on the exact figures (as the ministry sees them), where the public
ones are shown, finds each group: the test can fail.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qoldau.core import services as core_services
from qoldau.core.models import Place, VulnerabilityCategory
from qoldau.core.tests import factories
from qoldau.projects import services
from qoldau.projects.impact import PUBLIC_PERIOD_ONLY
from qoldau.projects.models import Project
from qoldau.projects.tests.factories import service

pytestmark = pytest.mark.django_db

THRESHOLD = 5
YEAR = 2025
IMPACT = "/api/v1/reports/impact"
WHEELCHAIR = "disability_group_1"


# --- the data ------------------------------------------------------------------------


@dataclass
class Scene:
    world: factories.World
    kamkor: Any
    kamkor_staff: Any
    districts: tuple[Place, Place]
    category: VulnerabilityCategory
    projects: dict[str, Project]


def _project(actor: Any, org: Any, title: str, funding: str, region: Place) -> Project:
    return services.project_create(
        actor=actor,
        organisation=org,
        data=services.ProjectInput(
            title_kk=title,
            title_en=f"en {title}",
            starts_on=dt.date(YEAR, 1, 1),
            ends_on=dt.date(YEAR, 12, 31),
            funding_source=funding,
            region_ids=[region.pk],
        ),
    )


def _people(actor: Any, org: Any, count: int, region: Place, district: Place | None, tag: str) -> list[Any]:
    return [
        core_services.person_register(
            actor=actor,
            organisation=org,
            data=core_services.PersonInput(
                last_name=f"{tag}{i}",
                first_name="Тест",
                iin=factories.valid_iin(),
                region_id=region.pk,
                district_id=district.pk if district else None,
            ),
            consent_given_on=dt.date(YEAR, 1, 1),
        ).person
        for i in range(count)
    ]


def _deliver(actor: Any, project: Project, person: Any, day: dt.date) -> None:
    services.delivery_record(
        actor=actor,
        project=project,
        person_id=person.pk,
        service=service("legal_consultation"),
        delivered_on=day,
    )


@pytest.fixture
def scene() -> Scene:
    world = factories.world()
    almaty = factories.region(factories.ALMATY)
    turkistan = factories.region(factories.TURKISTAN)
    first_district, second_district = Place.objects.filter(parent=almaty).order_by("pk")[:2]
    kamkor = factories.organisation(kato=factories.ALMATY, name="«Қамқор» қоры", kind="public_foundation")
    kamkor_staff = factories.user("kamkor.staff", "ngo_staff", org=kamkor)
    kamkor_admin = factories.user("kamkor.admin", "ngo_admin", org=kamkor)
    category = VulnerabilityCategory.objects.get(code=WHEELCHAIR)
    projects = {
        "main": _project(world.almaty_admin, world.almaty_ngo, "Тәуелсіз өмір", "state_grant", almaty),
        "sponsored": _project(world.almaty_admin, world.almaty_ngo, "Демеу", "sponsor", almaty),
        "spring": _project(kamkor_admin, kamkor, "Көктем", "state_grant", almaty),
        "south": _project(
            world.turkistan_admin, world.turkistan_ngo, "Оңтүстік", "state_social_order", turkistan
        ),
    }
    rng = random.Random(2025)
    staff = world.almaty_staff

    # The NGO's main project: 37 people in the first district, 3 in the second; all but
    # 4 in the category; one to three deliveries each, any time of the year.
    main = _people(staff, world.almaty_ngo, 37, almaty, first_district, "Бірінші")
    main += _people(staff, world.almaty_ngo, 3, almaty, second_district, "Екінші")
    for person in main[4:]:
        core_services.person_category_add(
            actor=staff, person=person, category=category, since=dt.date(YEAR, 1, 1)
        )
    for person in main:
        for month in rng.sample(range(1, 13), rng.randint(1, 3)):
            _deliver(staff, projects["main"], person, dt.date(YEAR, month, rng.randint(1, 28)))
    services.event_record(
        actor=staff,
        project=projects["main"],
        data=services.EventInput(
            kind="job_fair",
            title_kk="Бос жұмыс орындары жәрмеңкесі",
            held_on=dt.date(YEAR, 5, 20),
            place_id=first_district.pk,
            anonymous_participants=25,
            volunteers=7,
            attendee_ids=[p.pk for p in main[10:16]],
        ),
    )
    # The same NGO's sponsored project: 2 other people, in March.
    for person in _people(staff, world.almaty_ngo, 2, almaty, first_district, "Демеу"):
        _deliver(staff, projects["sponsored"], person, dt.date(YEAR, 3, 12))
    # Another NGO's spring project: 30 people from April to June, and 2 more in July only.
    for person in _people(kamkor_staff, kamkor, 30, almaty, first_district, "Көктем"):
        for month in rng.sample([4, 5, 6], rng.randint(1, 2)):
            _deliver(kamkor_staff, projects["spring"], person, dt.date(YEAR, month, rng.randint(1, 28)))
    for person in _people(kamkor_staff, kamkor, 2, almaty, first_district, "Шілде"):
        _deliver(kamkor_staff, projects["spring"], person, dt.date(YEAR, 7, 8))
    # Turkistan: 3 people in September, no district recorded.
    for person in _people(world.turkistan_staff, world.turkistan_ngo, 3, turkistan, None, "Оңтүстік"):
        _deliver(world.turkistan_staff, projects["south"], person, dt.date(YEAR, 9, 2))
    return Scene(
        world=world,
        kamkor=kamkor,
        kamkor_staff=kamkor_staff,
        districts=(first_district, second_district),
        category=category,
        projects=projects,
    )


# --- what the attacker knows ---------------------------------------------------------


class Cell(NamedTuple):
    """A set of participations the public can ask about: a period ("Y", 0), ("Q", n) or
    ("M", n) of YEAR, and None for "all" in every other coordinate."""

    period: tuple[str, int]
    region: int | None = None
    district: int | None = None
    organisation: int | None = None
    project: int | None = None
    category: int | None = None
    funding: str | None = None


YEAR_CELL = Cell(("Y", 0))
PERIODS = [("Y", 0), *[("Q", q) for q in range(1, 5)], *[("M", m) for m in range(1, 13)]]
# Figures of a cell that count people or their participations (events are not people).
TOTALS = {
    "people_reached": "people",
    "participations": "participations",
    "deliveries": "deliveries",
    "attendances": "attendances",
    "anonymous_participants": "anonymous",
    "volunteers": "volunteers",
    "experts": "experts",
}
ROW_MEASURES = ("people", "participations")
# A total, all its parts, and the measures in which the parts add up to it.
Line = tuple[Any, list[Any], tuple[str, ...]]


@dataclass(frozen=True)
class Shape:
    """How cells nest: a district's region, a project's organisation and funding."""

    district_region: dict[int, int]
    project_organisation: dict[int, int]
    project_funding: dict[int, str]

    def canonical(self, cell: Cell) -> Cell | None:
        """The cell with what its district or project implies filled in; None when its
        coordinates contradict each other (an empty set)."""
        if cell.district is not None:
            region = self.district_region[cell.district]
            if cell.region not in (None, region):
                return None
            cell = cell._replace(region=region)
        if cell.project is not None:
            organisation = self.project_organisation[cell.project]
            funding = self.project_funding[cell.project]
            if cell.organisation not in (None, organisation) or cell.funding not in (None, funding):
                return None
            cell = cell._replace(organisation=organisation, funding=funding)
        return cell

    def ancestors(self, cell: Cell) -> set[Cell]:
        """Every other cell that holds this one: a longer period, a wider place, the
        organisation or everyone instead of the project, all categories, all funding."""
        kind, number = cell.period
        periods = [cell.period, ("Y", 0)]
        if kind == "M":
            periods.append(("Q", (number - 1) // 3 + 1))
        places = [(cell.region, cell.district), (cell.region, None), (None, None)]
        providers = [(cell.organisation, cell.project), (cell.organisation, None), (None, None)]
        found = set()
        for period, (region, district), (organisation, project), category, funding in itertools.product(
            periods, places, providers, {cell.category, None}, {cell.funding, None}
        ):
            wider = self.canonical(Cell(period, region, district, organisation, project, category, funding))
            if wider is not None and wider != cell:
                found.add(wider)
        return found


@dataclass
class Knowledge:
    """Every figure the answers showed, by cell (or part of a cell) and measure; the
    figures they hid; and the lines (a total and all its parts) they showed."""

    shown: dict[tuple[Any, str], int] = field(default_factory=dict)
    hidden: set[tuple[Any, str]] = field(default_factory=set)
    lines: list[Line] = field(default_factory=list)

    def record(self, key: Any, measure: str, value: int | None) -> None:
        if value is None:
            self.hidden.add((key, measure))
            return
        before = self.shown.setdefault((key, measure), value)
        # The same figure is shown alike wherever it appears (API, rows, dashboard).
        assert before == value, (key, measure, before, value)

    def observed(self, key: Any, measure: str) -> bool:
        return (key, measure) in self.shown or (key, measure) in self.hidden


def _query(scene: Scene, cell: Cell, by: tuple[str, ...]) -> dict[str, Any]:
    kind, number = cell.period
    query: dict[str, Any] = {"year": YEAR, "by": list(by)}
    if kind == "Q":
        query["quarter"] = number
    if kind == "M":
        query["month"] = number
    if cell.region is not None and cell.district is None:
        query["region"] = Place.objects.get(pk=cell.region).kato
    if cell.district is not None:
        query["district"] = cell.district
    if cell.organisation is not None and cell.project is None:
        query["organisation"] = cell.organisation
    if cell.project is not None:
        query["project"] = cell.project
    if cell.category is not None:
        query["category"] = VulnerabilityCategory.objects.get(pk=cell.category).code
    if cell.funding is not None and cell.project is None:
        query["funding_source"] = cell.funding
    return query


def _child(shape: Shape, cell: Cell, dimension: str, key: Any) -> Any:
    """The cell a breakdown row counts; a row of participations without a recorded
    district is a part no query can ask for by itself."""
    if dimension == "month":
        return cell._replace(period=("M", int(key) % 100))
    if dimension == "district" and key is None:
        return ("no district", cell)
    coordinate = {"funding_source": "funding"}.get(dimension, dimension)
    child = shape.canonical(cell._replace(**{coordinate: key}))
    assert child is not None, (cell, dimension, key)
    return child


def ask_api(
    client: Client, scene: Scene, shape: Shape, known: Knowledge, cell: Cell, by: tuple[str, ...]
) -> None:
    answer = client.get(IMPACT, _query(scene, cell, by))
    assert answer.status_code == 200, answer.content
    data = answer.json()
    for name, measure in TOTALS.items():
        known.record(cell, measure, data[name])
    parts = [("kind", cell, "delivery"), ("kind", cell, "attendance")]
    known.record(parts[0], "participations", data["deliveries"])
    known.record(parts[1], "participations", data["attendances"])
    known.lines.append((cell, parts, ("participations",)))
    projects = []
    for row in data["projects"]:
        project = _child(shape, cell, "project", row["id"])
        known.record(project, "people", row["people_reached"])
        known.record(project, "participations", row["participations"])
        projects.append(project)
    known.lines.append((cell, projects, ROW_MEASURES))
    if not by:
        return
    children: list[Any] = []
    for row in data["breakdown"]:
        child: Any = cell
        for dimension, key in zip(by, row["keys"], strict=True):
            child = _child(shape, child, dimension, key) if isinstance(child, Cell) else (child, key)
        known.record(child, "people", row["people_reached"])
        known.record(child, "participations", row["participations"])
        children.append(child)
    known.lines.append((cell, children, ROW_MEASURES))
    if len(by) == 2:
        # Each line and column of the table has the one-way figure as its total.
        for position in (0, 1):
            groups: dict[Any, list[Any]] = {}
            for row, child in zip(data["breakdown"], children, strict=True):
                groups.setdefault(_child(shape, cell, by[position], row["keys"][position]), []).append(child)
            for total, members in groups.items():
                if isinstance(total, Cell):
                    known.lines.append((total, members, ROW_MEASURES))


def ask_dashboard(client: Client, scene: Scene, shape: Shape, known: Knowledge, cell: Cell) -> None:
    query = _query(scene, cell, ())
    query.pop("by")
    query["region"] = cell.region or ""
    page = client.get(reverse("dashboard:public"), query, HTTP_COOKIE="qoldau_language=en")
    assert page.status_code == 200
    board = page.context["board"]
    assert (board.report.filter.date_from, board.report.filter.date_to) == _dates(cell.period)
    for name, measure in TOTALS.items():
        known.record(cell, measure, board.figures[name])
    months = {f"{YEAR}-{m:02d}": cell._replace(period=("M", m)) for m in range(1, 13)}
    categories = {c.name_en: cell._replace(category=c.pk) for c in VulnerabilityCategory.objects.all()}
    regions = {p.name_en: cell._replace(region=p.pk) for p in Place.objects.filter(level=Place.Level.REGION)}
    for series, names in (
        (board.by_month, months),
        (board.by_category, categories),
        (board.by_region, regions),
    ):
        children = []
        for label, people, participations in series.rows():
            child = names[label]
            known.record(child, "people", people)
            known.record(child, "participations", participations)
            children.append(child)
        known.lines.append((cell, children, ROW_MEASURES))
    children = []
    for row in board.projects:
        child = _child(shape, cell, "project", row["project"].project_id)
        known.record(child, "people", row["people"])
        known.record(child, "participations", row["participations"])
        children.append(child)
    known.lines.append((cell, children, ROW_MEASURES))


def _dates(period: tuple[str, int]) -> tuple[dt.date, dt.date]:
    kind, number = period
    first = {"Y": 1, "Q": 3 * number - 2, "M": number}[kind]
    last = {"Y": 12, "Q": 3 * number, "M": number}[kind]
    following = dt.date(YEAR + last // 12, last % 12 + 1, 1)
    return dt.date(YEAR, first, 1), following - dt.timedelta(days=1)


# --- the attack ------------------------------------------------------------------------


class Finding(NamedTuple):
    kind: str  # period, place, provider, category, funding, or parts
    total: Any
    part: Any
    measure: str
    value: int


def _nesting(total: Cell, part: Cell) -> str:
    if total.period != part.period:
        return "period"
    if (total.region, total.district) != (part.region, part.district):
        return "place"
    if (total.organisation, total.project) != (part.organisation, part.project):
        return "provider"
    if total.category != part.category:
        return "category"
    return "funding"


def differences(known: Knowledge, shape: Shape, threshold: int) -> Iterator[Finding]:
    """Every shown figure subtracted from every shown figure it nests in."""
    for (part, measure), value in known.shown.items():
        if not isinstance(part, Cell):
            continue
        for total in shape.ancestors(part):
            if (total, measure) in known.shown:
                difference = known.shown[total, measure] - value
                if 0 < difference < threshold:
                    yield Finding(_nesting(total, part), total, part, measure, difference)


def residues(known: Knowledge, lines: Iterable[Line], threshold: int) -> Iterator[Finding]:
    """Every shown total minus the sum of its parts shown anywhere, where some part is
    hidden: what is left is the hidden parts' sum (for people, at least the people
    reached only there)."""
    for total, parts, measures in lines:
        for measure in measures:
            if (total, measure) not in known.shown:
                continue
            unknown = [p for p in parts if (p, measure) not in known.shown]
            if not unknown:
                continue
            left = known.shown[total, measure] - sum(known.shown.get((p, measure), 0) for p in parts)
            if 0 < left < threshold:
                yield Finding("parts", total, tuple(unknown), measure, left)


def period_lines(known: Knowledge) -> list[Line]:
    """A year and its quarters or months, a quarter and its months, wherever all of them
    were asked for."""
    lines: list[Line] = []
    for key, measure in list(known.shown):
        if not isinstance(key, Cell) or measure != "people":
            continue
        kind, number = key.period
        families: list[list[tuple[str, int]]] = []
        if kind == "Y":
            families = [[("Q", q) for q in range(1, 5)], [("M", m) for m in range(1, 13)]]
        elif kind == "Q":
            families = [[("M", m) for m in range(3 * number - 2, 3 * number + 1)]]
        for periods in families:
            parts: list[Any] = [key._replace(period=p) for p in periods]
            if all(known.observed(p, "people") for p in parts):
                lines.append((key, parts, ROW_MEASURES))
    return lines


def attack(known: Knowledge, shape: Shape, threshold: int) -> list[Finding]:
    return [
        *differences(known, shape, threshold),
        *residues(known, [*known.lines, *period_lines(known)], threshold),
    ]


# --- the test ----------------------------------------------------------------------------


def _filters(scene: Scene) -> list[Cell]:
    world = scene.world
    almaty = factories.region(factories.ALMATY).pk
    turkistan = factories.region(factories.TURKISTAN).pk
    first, second = (d.pk for d in scene.districts)
    p = {name: project.pk for name, project in scene.projects.items()}
    y = YEAR_CELL
    return [
        y,
        y._replace(region=almaty),
        y._replace(region=turkistan),
        y._replace(district=first),
        y._replace(district=second),
        y._replace(organisation=world.almaty_ngo.pk),
        y._replace(organisation=scene.kamkor.pk),
        y._replace(organisation=world.turkistan_ngo.pk),
        *[y._replace(project=pk) for pk in p.values()],
        y._replace(category=scene.category.pk),
        y._replace(funding="state_grant"),
        y._replace(funding="sponsor"),
        y._replace(region=almaty, funding="state_grant"),
        y._replace(region=almaty, category=scene.category.pk),
        y._replace(district=first, project=p["main"]),
        y._replace(organisation=world.almaty_ngo.pk, district=second),
        y._replace(project=p["main"], category=scene.category.pk),
    ]


ONE_WAY = ("month", "region", "district", "organisation", "project", "category", "funding_source")
TWO_WAY = (("region", "month"), ("district", "category"), ("project", "month"))


def _breakdowns(cell: Cell) -> list[tuple[str, ...]]:
    """Every breakdown whose rows are not the cell itself (a district has one region, a
    project one organisation and funding source), by month within a year or a quarter,
    two-way ones for the year, and months by district."""
    pinned = {
        "region": cell.region is not None,
        "district": cell.district is not None,
        "organisation": cell.organisation is not None,
        "project": cell.project is not None,
        "category": cell.category is not None,
        "funding_source": cell.funding is not None,
        "month": cell.period[0] == "M",
    }
    if cell.period[0] == "M":
        return [()] if pinned["district"] else [(), ("district",)]
    ways: list[tuple[str, ...]] = [(d,) for d in ONE_WAY if not pinned[d]]
    if cell.period[0] == "Y":
        ways += [b for b in TWO_WAY if not any(pinned[d] for d in b)]
    return [(), *ways]


def test_no_public_figure_can_be_subtracted_into_a_small_group(scene: Scene, client: Client) -> None:
    districts = Place.objects.filter(level=Place.Level.DISTRICT, parent__isnull=False)
    shape = Shape(
        district_region=dict(districts.values_list("pk", "parent_id")),
        project_organisation=dict(Project.objects.values_list("pk", "organisation_id")),
        project_funding=dict(Project.objects.values_list("pk", "funding_source")),
    )
    filters = [c for c in (shape.canonical(cell) for cell in _filters(scene)) if c is not None]
    assert len(filters) == len(_filters(scene))
    public = Knowledge()
    for base, period in itertools.product(filters, PERIODS):
        cell = base._replace(period=period)
        for by in _breakdowns(cell):
            ask_api(client, scene, shape, public, cell, by)
    for period, region in itertools.product(
        [*PERIODS[:5], ("M", 5), ("M", 7)], [None, *{c.region for c in filters}]
    ):
        ask_dashboard(client, scene, shape, public, Cell(period, region=region))

    assert public.hidden, "small figures are hidden"
    assert attack(public, shape, THRESHOLD) == []
    assert public.shown[YEAR_CELL, "people"] == 75  # 40 + 2 + 32 + 3 = 77 people, rounded

    # The same attack where the public sees a figure, but with its exact value, finds
    # every group the data hide: the attack works, and rounding is what defeats it.
    ministry = Client()
    ministry.force_login(scene.world.ministry)
    exact = Knowledge()
    for base, period in itertools.product(filters, PERIODS):
        ask_api(ministry, scene, shape, exact, base._replace(period=period), ())
    ask_api(ministry, scene, shape, exact, YEAR_CELL, ("region",))
    revealed = Knowledge(
        shown={key: exact.shown[key] for key in public.shown if key in exact.shown},
        hidden=public.hidden,
        lines=public.lines,
    )
    findings = attack(revealed, shape, THRESHOLD)
    kinds = {f.kind for f in findings}
    assert kinds == {"period", "place", "provider", "category", "funding", "parts"}, kinds
    # The second district's 3 people, the sponsored project's 2, July's 2, the 4 outside
    # the category are all among them.
    people = {(f.kind, f.value) for f in findings if f.measure == "people"}
    assert {("place", 3), ("provider", 2), ("funding", 2), ("period", 2), ("category", 4)} <= people


# --- periods and bounds ----------------------------------------------------------------


@pytest.fixture
def served() -> factories.World:
    """Twelve people served in Almaty, one of them on 31 October."""
    world = factories.world()
    almaty = factories.region(factories.ALMATY)
    project = _project(world.almaty_admin, world.almaty_ngo, "Күз", "state_grant", almaty)
    people = _people(world.almaty_staff, world.almaty_ngo, 12, almaty, None, "Күз")
    for day, person in enumerate(people[:-2], start=1):
        _deliver(world.almaty_staff, project, person, dt.date(YEAR, 10, day))
    _deliver(world.almaty_staff, project, people[-2], dt.date(YEAR, 10, 31))
    _deliver(world.almaty_staff, project, people[-1], dt.date(YEAR, 10, 31))
    return world


def test_the_public_is_refused_any_range_but_a_year_quarter_or_month(served, client) -> None:
    # The attack: two ranges a day apart differed by the 2 people of 31 October.
    for date_to in ("2025-10-30", "2025-10-31"):
        answer = client.get(
            IMPACT, {"date_from": "2025-01-01", "date_to": date_to}, HTTP_COOKIE="qoldau_language=en"
        )
        assert answer.status_code == 400
        body = answer.json()
        assert (body["code"], body["field"]) == ("public_period_only", "date_from")
        for accepted in ("year=", "quarter=", "month="):
            assert accepted in body["message"]
    assert client.get(IMPACT, {"date_from": "2025-10-31"}).json()["code"] == "public_period_only"
    assert client.get(IMPACT, {"year": YEAR, "date_to": "2025-10-31"}).json()["code"] == "public_period_only"
    # The message is given in the request's language (one translated sentence).
    russian = client.get(
        IMPACT, {"date_from": "2025-01-01", "date_to": "2025-10-31"}, HTTP_COOKIE="qoldau_language=ru"
    )
    with translation.override("ru"):
        assert russian.json()["message"] == str(PUBLIC_PERIOD_ONLY)

    # A year, a quarter and a month are whole periods: answered, and named in the answer.
    for query, period in (
        ({"year": YEAR}, ("2025-01-01", "2025-12-31")),
        ({"year": YEAR, "quarter": 4}, ("2025-10-01", "2025-12-31")),
        ({"year": YEAR, "month": 10}, ("2025-10-01", "2025-10-31")),
        ({"year": 2024, "month": 2}, ("2024-02-01", "2024-02-29")),
    ):
        answer = client.get(IMPACT, query)
        assert answer.status_code == 200, answer.content
        assert (answer.json()["date_from"], answer.json()["date_to"]) == period
    assert client.get(IMPACT, {"year": YEAR, "month": 10}).json()["people_reached"] == 10  # 12, rounded

    # Signed in, any range within one's scope, exact.
    ministry = Client()
    ministry.force_login(served.ministry)
    exact = [
        ministry.get(IMPACT, {"date_from": "2025-01-01", "date_to": date_to}).json()["people_reached"]
        for date_to in ("2025-10-30", "2025-10-31")
    ]
    assert exact == [10, 12]
    staff = Client()
    staff.force_login(served.turkistan_staff)
    other = staff.get(IMPACT, {"date_from": "2025-01-01", "date_to": "2025-10-31"})
    assert (other.status_code, other.json()["people_reached"]) == (200, 0)  # Almaty is not their scope
    both: dict[str, Any] = {"year": YEAR, "date_from": "2025-01-01", "date_to": "2025-10-31"}
    mixed = ministry.get(IMPACT, both)
    assert (mixed.status_code, mixed.json()["field"]) == (400, "date_from")


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        # Outside a field's bounds (core.bounds): refused by the schema, 422.
        ({"year": 1999}, "year", 422),
        ({"year": 2101}, "year", 422),
        ({"year": 0}, "year", 422),
        ({"year": -2025}, "year", 422),
        ({"year": 10**30}, "year", 422),
        ({"year": YEAR, "quarter": 0}, "quarter", 422),
        ({"year": YEAR, "quarter": 5}, "quarter", 422),
        ({"year": YEAR, "quarter": -1}, "quarter", 422),
        ({"year": YEAR, "month": 0}, "month", 422),
        ({"year": YEAR, "month": 13}, "month", 422),
        ({"year": YEAR, "month": 10**30}, "month", 422),
        ({"month": 13}, "month", 422),
        # Each within bounds, together not a period: refused by the report's rule, 400.
        ({"year": YEAR, "quarter": 1, "month": 2}, "month", 400),
    ],
)
def test_numbers_out_of_bounds_are_a_clear_error(
    client: Client, query: dict[str, Any], field: str, status: int
) -> None:
    signed_in = Client()
    signed_in.force_login(factories.user("officer", "ministry_officer"))
    for asker in (client, signed_in):
        answer = asker.get(IMPACT, query, HTTP_COOKIE="qoldau_language=en")
        assert answer.status_code == status, answer.content
        body = answer.json()
        assert (body["code"], body["field"]) == ("validation_error", field)
        assert body["message"].endswith(".")


def test_unknown_or_impossible_ids_are_not_found_not_a_crash(client) -> None:
    for query, name, status in (
        ({"district": 987654321}, "district", 404),
        ({"district": 10**30}, "district", 422),  # beyond any id: refused by its bounds
        ({"district": factories.region(factories.ALMATY).pk}, "district", 404),  # a region, not a district
        ({"project": 987654321}, "project", 404),
        ({"project": 10**30}, "project", 422),
        ({"organisation": "9" * 30}, "organisation", 404),
    ):
        answer = client.get(IMPACT, {"year": YEAR, **query})
        assert answer.status_code == status, (query, answer.content)
        assert answer.json()["field"] == name
    assert client.get(IMPACT, {"year": "twenty"}).status_code == 422
