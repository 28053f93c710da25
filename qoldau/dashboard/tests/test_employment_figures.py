"""The dashboard's employment figures (issue 14, item 7): seekers, coached, placed,
retention at 6 and 12 months by placement cohort and the quota, read through the jobs
app's seam (`qoldau.jobs.employment_figures`), equal to a count made here another way on
a made-up set (two regions, two districts, categories, months, a placement too recent to
judge, a person served by two organisations); small counts hidden on the public page as
everywhere else; the filters; a fixed number of queries; the seam holding no model; and
every piece of employment work counted among the people reached."""

from __future__ import annotations

import ast
import calendar
import dataclasses
import datetime as dt
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, models
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qoldau.core.models import BackgroundJob, Place, VulnerabilityCategory
from qoldau.core.tests.pdf import read_pdf
from qoldau.dashboard.exports import export_job_start
from qoldau.dashboard.selectors import dashboard, employment_section
from qoldau.dashboard.tests.factories import (
    employment_world,
    follow_up,
    other_district,
    place,
    register_seeker,
)
from qoldau.jobs import employment_figures as seam
from qoldau.jobs import figures as jobs_figures
from qoldau.jobs import selectors as jobs_selectors
from qoldau.jobs import services
from qoldau.jobs.models import CoachingSession, Placement, RetentionFollowUp, Seeker
from qoldau.jobs.tests import factories as f
from qoldau.projects.impact import ImpactFilter, impact_report, public_round
from qoldau.projects.models import Attendance, ServiceDelivery
from qoldau.projects.selectors import project_figures

pytestmark = pytest.mark.django_db

YEAR = 2025
# The seekers, the cases, the placements with their follow-ups, the places' names and the
# quota's reports, placements, exemptions, sanctions and bands; and the user's scope.
MAX_QUERIES = 12
AS_OF = dt.date(2025, 12, 31)


@pytest.fixture
def s():
    return f.scene(buildings=False)


# The reference: the same figures counted seeker by seeker, with the months added by hand.


def _due(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return dt.date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def _outcome(placement: Placement, months: int, as_of: dt.date) -> str:
    due = _due(placement.start_date, months)
    if due > as_of:
        return "censored"
    if placement.ended_on is not None and placement.ended_on < due:
        return "left"
    recorded = {u.months: u.outcome for u in placement.follow_ups.all()}.get(months, "")
    return {"employed": "retained", "left": "left"}.get(recorded, "unknown")


def _month_keys(first: dt.date, last: dt.date) -> list[str]:
    keys, day = [], first.replace(day=1)
    while day <= last:
        keys.append(f"{day:%Y-%m}")
        day = _due(day, 1)
    return keys


def reference(
    first: dt.date,
    last: dt.date,
    *,
    region: Place | None = None,
    district: Place | None = None,
    need: str = "",
    category: VulnerabilityCategory | None = None,
    by_district: bool = False,
) -> dict[str, Any]:
    totals: dict[str, set[int]] = defaultdict(set)
    rows: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    retention: dict[int, dict[str, int]] = {6: defaultdict(int), 12: defaultdict(int)}
    for seeker in Seeker.objects.select_related("person", "region", "district"):
        if region is not None and seeker.region_id != region.pk:
            continue
        if district is not None and seeker.district_id != district.pk:
            continue
        if need and need not in seeker.categories_needed:
            continue
        if category is not None and not any(
            c.category_id == category.pk and c.since <= last and (c.until is None or c.until >= first)
            for c in seeker.person.categories.all()
        ):
            continue
        who = seeker.person.identity_id
        place = seeker.district if by_district else seeker.region
        keys = [("place", place.name if place else "")] + [
            ("need", letter) for letter in (seeker.categories_needed or "-")
        ]
        if first <= seeker.registered_on <= last:
            totals["seekers"].add(who)
            for key in [*keys, ("month", f"{seeker.registered_on:%Y-%m}")]:
                rows[key]["seekers"].add(who)
        for case in seeker.cases.all():
            if case.opened_on <= last and (case.closed_on is None or case.closed_on >= first):
                totals["coached"].add(who)
                open_months = _month_keys(max(case.opened_on, first), min(case.closed_on or last, last))
                for key in [*keys, *(("month", m) for m in open_months)]:
                    rows[key]["coached"].add(who)
        for placement in seeker.placements.all():
            if first <= placement.start_date <= last:
                totals["placed"].add(who)
                for key in [*keys, ("month", f"{placement.start_date:%Y-%m}")]:
                    rows[key]["placed"].add(who)
                for months in (6, 12):
                    outcome = _outcome(placement, months, AS_OF)
                    retention[months][outcome] += 1
                    if outcome == "retained":
                        for key in [*keys, ("month", f"{placement.start_date:%Y-%m}")]:
                            rows[key][f"retained_{months}"].add(placement.pk)
    return {
        "totals": {k: len(v) for k, v in totals.items()},
        "retention": {m: dict(v) for m, v in retention.items()},
        "rows": {
            key: tuple(len(r[n]) for n in ("seekers", "coached", "placed", "retained_6", "retained_12"))
            for key, r in rows.items()
        },
    }


def _rows(found: seam.EmploymentFigures) -> dict[tuple[str, str], tuple[int, ...]]:
    def values(row: seam.EmploymentRow) -> tuple[int, ...]:
        return (row.seekers, row.coached, row.placed, row.retained_6_months, row.retained_12_months)

    rows = {("place", r.label if r.key else ""): values(r) for r in found.by_place}
    rows.update({("need", r.key or "-"): values(r) for r in found.by_need})
    rows.update({("month", r.key): values(r) for r in found.by_month})
    return {k: v for k, v in rows.items() if any(v)}


def _assert_equal_to_reference(found: seam.EmploymentFigures, expected: dict[str, Any]) -> None:
    totals = expected["totals"]
    assert (found.seekers, found.coached, found.placed) == (
        totals.get("seekers", 0),
        totals.get("coached", 0),
        totals.get("placed", 0),
    )
    for months in (6, 12):
        r = found.retention[months]
        want = expected["retention"][months]
        assert (r.retained, r.left, r.unknown, r.censored) == tuple(
            want.get(k, 0) for k in ("retained", "left", "unknown", "censored")
        )
    assert _rows(found) == {k: v for k, v in expected["rows"].items() if any(v)}


def test_the_figures_equal_a_count_made_seeker_by_seeker(s):
    employment_world(s)
    first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    found = seam.employment_figures(s["ministry"], ImpactFilter.for_year(YEAR), as_of=AS_OF)
    expected = reference(first, last)
    _assert_equal_to_reference(found, expected)
    # The person the centre and the NGO both serve is one of the people, in both regions'
    # rows: the rows add up to more than the total.
    assert (found.seekers, found.coached, found.placed) == (6, 6, 5)
    assert sum(r.coached for r in found.by_place) == 7
    assert [r.label for r in found.by_place] == sorted(
        (p.name for p in Place.objects.filter(kato__in=[f.ALMATY, f.TURKISTAN])), key=str.casefold
    )
    # One retained, one left, one not recorded, two too recent; the rate leaves the last
    # three out.
    six = found.retention[6]
    assert (six.retained, six.left, six.unknown, six.censored, six.rate) == (1, 1, 1, 2, 50)
    assert found.retention[12].censored == 5
    assert found.retention[12].rate is None
    assert [c.cohort for c in found.cohorts] == ["2025-03", "2025-04", "2025-05", "2025-07", "2025-10"]
    assert found.cohorts[0].milestones[6].rate == 100
    assert found.cohorts[-1].milestones[6].censored == 1
    # The quota: employer A must fill 3 % of 150 = 4 jobs and filled them with the four
    # quota placements still going on at the year's end (the fifth left); B 4 % of 300 =
    # 12, filled by the 3 employees with disabilities it reported.
    assert (found.quota_required, found.quota_filled) == (4 + 12, 4 + 3)
    compliance = jobs_figures.compliance_of(type(s.employer_a).objects.all(), YEAR)
    assert found.quota_filled == sum(c.filled for c in compliance)
    assert found.quota_year == YEAR
    assert found.quota_employers == 2


def test_the_figures_agree_with_the_public_summary_of_a_region(s):
    employment_world(s)
    almaty = Place.objects.get(kato=f.ALMATY)
    summary = jobs_selectors.employment_summary(almaty, YEAR)
    found = seam.employment_figures(None, ImpactFilter.for_year(YEAR, region_ids=(almaty.pk,)), as_of=AS_OF)
    assert (found.seekers, found.coached, found.placed, found.quota_required, found.quota_filled) == (
        summary.seekers,
        summary.coached,
        summary.placed,
        summary.quota_required,
        summary.quota_filled,
    )


@pytest.mark.parametrize(
    "case",
    ["almaty", "district", "need", "category", "month", "quarter", "turkistan"],
)
def test_each_filter_counts_what_the_reference_counts(s, case):
    data = employment_world(s)
    almaty, turkistan = Place.objects.get(kato=f.ALMATY), Place.objects.get(kato=f.TURKISTAN)
    first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    wanted = ImpactFilter.for_year(YEAR)
    need = ""
    kwargs: dict[str, Any] = {}
    if case == "almaty":
        wanted = ImpactFilter.for_year(YEAR, region_ids=(almaty.pk,))
        kwargs = {"region": almaty, "by_district": True}
    elif case == "turkistan":
        wanted = ImpactFilter.for_year(YEAR, region_ids=(turkistan.pk,))
        kwargs = {"region": turkistan, "by_district": True}
    elif case == "district":
        wanted = ImpactFilter.for_year(YEAR, district_ids=(data["other"].pk,))
        kwargs = {"district": data["other"], "by_district": True}
    elif case == "need":
        need = "С"
        kwargs = {"need": need}
    elif case == "category":
        wanted = ImpactFilter.for_year(YEAR, category_id=data["category"].pk)
        kwargs = {"category": data["category"]}
    elif case == "month":
        wanted = ImpactFilter.for_period(YEAR, month=4)
        first, last = dt.date(YEAR, 4, 1), dt.date(YEAR, 4, 30)
    elif case == "quarter":
        wanted = ImpactFilter.for_period(YEAR, quarter=2)
        first, last = dt.date(YEAR, 4, 1), dt.date(YEAR, 6, 30)
    found = seam.employment_figures(s["ministry"], wanted, need=need, as_of=AS_OF)
    _assert_equal_to_reference(found, reference(first, last, **kwargs))
    assert found.seekers + found.coached > 0  # every filter chose somebody


def test_an_unknown_need_counts_nobody(s):
    employment_world(s)
    found = seam.employment_figures(s["ministry"], ImpactFilter.for_year(YEAR), need="Z", as_of=AS_OF)
    assert (found.seekers, found.coached, found.placed, found.by_need) == (0, 0, 0, [])


def test_each_user_counts_within_their_scope(s):
    employment_world(s)
    everything = ImpactFilter.for_year(YEAR)
    ngo = seam.employment_figures(s["turkistan.admin"], everything, as_of=AS_OF)
    # The NGO's own seekers only: the shared person and the one of 2024; its quota is its own.
    assert (ngo.seekers, ngo.coached, ngo.placed, ngo.quota_employers) == (1, 2, 1, 0)
    akimat = seam.employment_figures(s["akimat.almaty"], everything, as_of=AS_OF)
    assert (akimat.seekers, akimat.coached, akimat.placed) == (6, 5, 4)
    assert {r.label for r in akimat.by_place} <= {p.name for p in Place.objects.filter(parent__kato=f.ALMATY)}
    # Asking for another region's figures gives none rather than theirs.
    turkistan = Place.objects.get(kato=f.TURKISTAN)
    asked = seam.employment_figures(
        s["akimat.almaty"], ImpactFilter.for_year(YEAR, region_ids=(turkistan.pk,)), as_of=AS_OF
    )
    assert (asked.seekers, asked.coached, asked.placed, asked.quota_required) == (0, 0, 0, 0)
    nobody = seam.employment_figures(s["employer.b"], everything, as_of=AS_OF)
    assert (nobody.seekers, nobody.coached, nobody.placed) == (0, 0, 0)


# Small counts ------------------------------------------------------------------------------


def _figures(**changes: Any) -> seam.EmploymentFigures:
    """Figures as the seam gives them, made up for the rules of showing them."""
    row = seam.EmploymentRow
    retention = {
        6: seam.Retention(6, 40, retained=20, left=3, unknown=9, censored=8),
        12: seam.Retention(12, 40, retained=12, left=8, unknown=0, censored=20),
    }
    cohorts = [
        seam.CohortRow(
            "2025-01", 22, {6: seam.Retention(6, 22, 12, 1, 5, 4), 12: seam.Retention(12, 22, 7, 5, 0, 10)}
        ),
        seam.CohortRow(
            "2025-02", 18, {6: seam.Retention(6, 18, 8, 2, 4, 4), 12: seam.Retention(12, 18, 5, 3, 0, 10)}
        ),
    ]
    values: dict[str, Any] = {
        "date_from": dt.date(YEAR, 1, 1),
        "date_to": dt.date(YEAR, 12, 31),
        "as_of": AS_OF,
        "seekers": 52,
        "coached": 3,
        "placed": 40,
        "retention": retention,
        "quota_year": YEAR,
        "quota_employers": 2,
        "quota_required": 16,
        "quota_filled": 4,
        "place_dimension": "region",
        "by_month": [row("2025-01", "2025-01", 30, 2, 22, 12, 7), row("2025-02", "2025-02", 22, 1, 18, 8, 5)],
        "by_place": [
            row("1", "Алматы", 40, 2, 30, 15, 9),
            row("2", "Түркістан", 9, 1, 7, 3, 2),
            row("3", "Шымкент", 3, 0, 3, 2, 1),
        ],
        "by_need": [],
        "cohorts": cohorts,
    }
    values.update(changes)
    return seam.EmploymentFigures(**values)


def test_a_signed_in_reader_sees_every_figure_exactly():
    shown = employment_section(_figures(), public=False, threshold=5)
    assert (shown.seekers, shown.coached, shown.placed, shown.quota_filled) == (52, 3, 40, 4)
    assert shown.retention[0].total.left == 3
    assert shown.retention[0].total.rate == 87
    assert [line.seekers for line in shown.by_place] == [40, 9, 3]


def test_the_public_sees_no_count_under_the_threshold_nor_one_found_by_subtraction():
    shown = employment_section(_figures(), public=True, threshold=5)
    # Alone: 3 people coached and 4 quota jobs filled are hidden; the rest rounded.
    assert (shown.seekers, shown.coached, shown.placed) == (50, None, 40)
    assert (shown.quota_required, shown.quota_filled) == (15, None)
    # The region rows under a shown total: 3 is hidden, and with it the next smallest (9),
    # so that the total minus the shown rows gives no small group.
    assert [line.seekers for line in shown.by_place] == [40, None, None]
    assert [line.coached for line in shown.by_place] == [None, None, 0]
    # Retention at six months: 3 left is hidden with the next smallest part; the rate,
    # which would give the hidden figure away, is not shown.
    six = shown.retention[0].total
    assert (six.placements, six.retained, six.left, six.unknown, six.censored) == (40, 20, None, 10, None)
    assert six.rate is None
    # No line of the cohort tables has one hidden part, nor hidden parts under 5.
    for table in shown.retention:
        for _cohort, line in table.cohorts:
            parts = [line.retained, line.left, line.unknown, line.censored]
            hidden = [p for p in parts if p is None]
            assert len(hidden) != 1
    # Every figure shown is a multiple of the threshold.
    for table in shown.retention:
        for _cohort, line in [*table.cohorts, ("", table.total)]:
            for value in (line.placements, line.retained, line.left, line.unknown, line.censored):
                assert value is None or value % 5 == 0


def test_the_public_dashboard_shows_the_section_with_small_counts_hidden(s):
    employment_world(s)
    client = Client()
    client.cookies["qoldau_language"] = "en"
    page = client.get("/dashboard/public/", {"year": YEAR}).content.decode()
    assert "Employment" in page
    assert "Retention by placement cohort" in page
    board = dashboard(None, ImpactFilter.for_year(YEAR))
    employment = board.employment
    # Six seekers, six coached and five placed are shown rounded to five.
    assert (employment.seekers, employment.coached, employment.placed) == (5, 5, 5)
    assert employment.retention[0].total.retained is None  # one person
    assert "fewer than 5" in page
    with override_settings(QOLDAU_SUPPRESSION_THRESHOLD=1):
        exact = dashboard(None, ImpactFilter.for_year(YEAR)).employment
    assert (exact.seekers, exact.coached, exact.placed) == (6, 6, 5)


def test_the_public_summary_and_the_public_dashboard_hide_and_round_alike(s):
    employment_world(s)
    almaty = Place.objects.get(kato=f.ALMATY)
    api = Client().get("/api/v1/jobs/summary", {"region": f.ALMATY, "year": YEAR}).json()
    board = dashboard(None, ImpactFilter.for_year(YEAR, region_ids=(almaty.pk,))).employment
    assert (api["seekers"], api["coached"], api["placed"], api["quota_required"], api["quota_filled"]) == (
        board.seekers,
        board.coached,
        board.placed,
        board.quota_required,
        board.quota_filled,
    )
    summary = jobs_selectors.employment_summary(almaty, YEAR)
    assert api["seekers"] == public_round(summary.seekers, 5)  # 5 people: shown, rounded


def test_the_signed_in_page_shows_exact_figures_and_the_filters_apply(s):
    data = employment_world(s)
    client = Client()
    client.force_login(s["ministry"])
    client.cookies["qoldau_language"] = "en"
    almaty = Place.objects.get(kato=f.ALMATY)
    response = client.get("/dashboard/", {"year": YEAR, "region": almaty.pk, "need": "С"})
    assert response.status_code == 200
    employment = response.context["board"].employment
    assert employment.place_dimension == "district"
    # С: a2 (the other district) and a4 (Almaly).
    assert (employment.seekers, employment.coached, employment.placed) == (2, 2, 2)
    assert sorted(line.label for line in employment.by_place) == sorted(
        [data["other"].name, f.almaty_district().name]
    )
    page = response.content.decode()
    assert "Employment by district" in page
    assert "Too recent to judge" in page
    # A need that is not a category is refused by the form, clearly.
    response = client.get("/dashboard/", {"year": YEAR, "need": "Z"})
    assert response.status_code == 200
    assert "need" in response.context["form"].errors
    # A project chosen is said not to apply.
    response = client.get("/dashboard/", {"year": YEAR, "project": s.project.pk})
    assert "do not depend on the project" in response.content.decode()


# Speed and the seam -----------------------------------------------------------------------


def test_the_figures_take_a_fixed_handful_of_queries_whatever_the_data(s, django_assert_max_num_queries):
    employment_world(s)
    wanted = ImpactFilter.for_year(YEAR)
    with CaptureQueriesContext(connection) as few:
        seam.employment_figures(None, wanted, as_of=AS_OF)
    for month in range(1, 7):
        person = register_seeker(
            s, registered_on=dt.date(2025, month, 3), district=other_district(), needs=("Г",)
        )
        case = f.case(s, person, opened_on=dt.date(2025, month, 4))
        placement = place(s, case, dt.date(2025, month, 5))
        if month < 4:
            follow_up(s, placement, 6, "employed")
    with CaptureQueriesContext(connection) as more:
        found = seam.employment_figures(None, wanted, as_of=AS_OF)
    assert found.placed == 11
    assert len(more.captured_queries) == len(few.captured_queries) <= MAX_QUERIES
    with django_assert_max_num_queries(MAX_QUERIES):
        seam.employment_figures(s["ministry"], ImpactFilter.for_period(YEAR, month=3), as_of=AS_OF)


def _holds_no_model(value: Any) -> bool:
    if isinstance(value, models.Model | models.QuerySet):
        return False
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return all(_holds_no_model(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return all(_holds_no_model(k) and _holds_no_model(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return all(_holds_no_model(v) for v in value)
    return True


def test_the_seam_gives_plain_data_and_the_dashboard_reads_jobs_only_through_it(s):
    employment_world(s)
    found = seam.employment_figures(s["ministry"], ImpactFilter.for_year(YEAR), as_of=AS_OF)
    assert _holds_no_model(found)
    dashboard_dir = Path(seam.__file__).parent.parent / "dashboard"
    imported = set()
    for path in dashboard_dir.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qoldau.jobs"):
                imported.update(f"{node.module}.{a.name}" for a in node.names)
            if isinstance(node, ast.Import):
                imported.update(a.name for a in node.names if a.name.startswith("qoldau.jobs"))
    assert imported == {"qoldau.jobs.employment_figures"}
    linter = (dashboard_dir.parent.parent / ".importlinter").read_text(encoding="utf-8")
    assert linter.count("qoldau.** -> qoldau.jobs.employment_figures") == 2


# Everything counts ------------------------------------------------------------------------


def test_every_piece_of_employment_work_is_a_participation_and_a_person_counts_once(s):
    """A coaching session, a placement and a follow-up are each a service delivery of the
    organisation's project, and a job fair attended is the fair's event attendance: people
    reached counts the person once, however many of them they had, and the person served
    by two organisations once too."""
    employment_world(s)
    coach = s["centre.coach"]
    seeker = Seeker.objects.filter(person__organisation=s.centre, placements__isnull=False).order_by("pk")[0]
    case = seeker.cases.get()
    deliveries_before = ServiceDelivery.objects.filter(person=seeker.person).count()
    session = services.coaching_session_record(
        actor=coach, case=case, project=s.project, held_on=dt.date(2025, 2, 1)
    )
    assert session.delivery.project == s.project
    assert session.delivery.person == seeker.person
    placement = seeker.placements.get()
    assert placement.delivery.project == s.project
    assert placement.delivery.person == seeker.person
    recorded = RetentionFollowUp.objects.filter(placement=placement).exclude(outcome="")
    assert recorded
    assert all(u.delivery and u.delivery.person == seeker.person for u in recorded)
    fair = f.fair(s, dt.date(2025, 5, 20))
    services.fair_register_seeker(
        actor=s["centre.staff"], fair=fair, person=seeker.person, registered_on=dt.date(2025, 5, 2)
    )
    services.fair_attendance_record(actor=s["centre.staff"], fair=fair, person_ids=[seeker.person.pk])
    assert Attendance.objects.filter(event=fair.event, person=seeker.person).exists()
    assert ServiceDelivery.objects.filter(person=seeker.person).count() == deliveries_before + 1
    assert CoachingSession.objects.filter(case=case).count() == 1

    # The centre's project: four placements, two follow-ups, one session and the fair
    # for four people; the person with all of them is one of them.
    figures = project_figures(s.project)
    assert (figures.people_reached, figures.participations) == (4, 8)

    # The person the centre and the NGO both serve, with a session of the centre's and a
    # placement of the NGO's, is one person reached in the country (one identity, two
    # records).
    shared = Seeker.objects.get(person__organisation=s.centre, categories_needed="О")
    again = Seeker.objects.get(person__organisation=s.turkistan_ngo, categories_needed="О")
    assert shared.person.identity_id == again.person.identity_id
    services.coaching_session_record(
        actor=coach, case=shared.cases.get(), project=s.project, held_on=dt.date(2025, 4, 10)
    )
    assert ServiceDelivery.objects.filter(person__in=[shared.person, again.person]).count() == 2
    served = {
        *ServiceDelivery.objects.values_list("person_id", "person__identity_id"),
        *Attendance.objects.values_list("person_id", "person__identity_id"),
    }
    report = impact_report(s["ministry"], ImpactFilter.for_year(YEAR))
    assert report.people_reached == len({identity for _person, identity in served}) == len(served) - 1


# Exports ----------------------------------------------------------------------------------


def _export(capture, actor, fmt: str, language: str, need: str = "") -> bytes:
    with capture(execute=True):
        job = export_job_start(
            actor=actor,
            report_filter=ImpactFilter.for_year(YEAR),
            by=[],
            fmt=fmt,
            language=language,
            need=need,
        )
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.SUCCEEDED, job.error
    with job.result_file.open("rb") as file:
        content: bytes = file.read()
    return content


def test_the_exports_carry_the_employment_figures(s, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    employment_world(s)
    expected = seam.employment_figures(s["ministry"], ImpactFilter.for_year(YEAR))
    workbook = load_workbook(
        io.BytesIO(_export(django_capture_on_commit_callbacks, s["ministry"], "xlsx", "ru"))
    )
    assert workbook.sheetnames[-1] == "Занятость"
    rows = [list(row) for row in workbook["Занятость"].iter_rows(values_only=True)]
    labelled = {row[0]: row[1] for row in rows if row and row[0] is not None}
    assert labelled["Зарегистрировано соискателей"] == 6
    assert labelled["Людей сопровождал джоб-коуч"] == 6
    assert labelled["Людей трудоустроено"] == 5
    assert labelled["Заполнено квотных рабочих мест в 2025 году"] == 7
    totals = [row for row in rows if row[0] == "Все трудоустройства периода"]
    six, twelve = expected.retention[6], expected.retention[12]
    assert [row[1:6] for row in totals] == [
        [5, six.retained, six.left, six.unknown, six.censored],
        [5, twelve.retained, twelve.left, twelve.unknown, twelve.censored],
    ]
    assert [row[0] for row in rows if row[0] in {"Через 6 мес.", "Через 12 мес."}] == [
        "Через 6 мес.",
        "Через 12 мес.",
    ]
    # The category needed chosen on the page goes with the export.
    workbook = load_workbook(
        io.BytesIO(_export(django_capture_on_commit_callbacks, s["ministry"], "xlsx", "en", need="С"))
    )
    labelled = {row[0]: row[1] for row in workbook["Employment"].iter_rows(values_only=True) if row[0]}
    assert labelled["Job seekers registered"] == 2

    doc = read_pdf(_export(django_capture_on_commit_callbacks, s["ministry"], "pdf", "en"))
    assert "Employment" in doc.headings("H2")
    assert doc.row_values()["Job seekers registered"] == ["6"]
    # The retention table's header row, as column headers.
    assert any(table[0][0] == ("TH", "At 6 months") for table in doc.tables())


def test_an_export_without_employment_has_no_employment_sheet(
    s, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    workbook = load_workbook(
        io.BytesIO(_export(django_capture_on_commit_callbacks, s["ministry"], "xlsx", "en"))
    )
    assert "Employment" not in workbook.sheetnames
