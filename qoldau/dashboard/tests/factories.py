"""Employment test data for the dashboard, made through the jobs app's real services:
seekers in Almaty's two districts and in Turkistan, cases, placements with follow-ups
(retained, left, not recorded, too recent to judge), a person served by two
organisations, a category and the employers' staff reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from qoldau.core import services as core_services
from qoldau.core.models import Place, VulnerabilityCategory
from qoldau.core.tests import factories as core_factories
from qoldau.jobs import services
from qoldau.jobs.models import Placement, Seeker
from qoldau.jobs.tests import factories as f

YEAR = 2025


def other_district() -> Place:
    return (
        Place.objects.filter(level=Place.Level.DISTRICT, parent__kato=f.ALMATY)
        .exclude(name_en="Almaly District")
        .order_by("kato")[0]
    )


def register_seeker(
    s,
    *,
    coach: str = "centre.coach",
    organisation=None,
    registered_on: dt.date,
    district: Place | None = None,
    region_kato: str | None = None,
    needs: tuple[str, ...] = (),
    iin: str | None = None,
) -> Seeker:
    return services.seeker_register_person(
        actor=s[coach],
        organisation=organisation or s.centre,
        person_data=core_services.PersonInput(
            last_name="Іздеуші", first_name="Айгүл", iin=iin or core_factories.valid_iin()
        ),
        consent_given_on=dt.date(2024, 1, 10),
        data=services.SeekerInput(
            education="vocational",
            region_id=core_factories.region(region_kato).pk if region_kato else None,
            district_id=None if region_kato else (district or f.almaty_district()).pk,
            categories_needed=needs,
        ),
        registered_on=registered_on,
    )


def place(s, case, start: dt.date, project=None, actor: str = "centre.coach") -> Placement:
    return services.placement_record(
        actor=s[actor],
        case=case,
        project=project or s.project,
        data=services.PlacementInput(
            employer_id=s.employer_a.pk,
            start_date=start,
            pay=Decimal(150_000),
            weekly_hours=40,
            contract_kind="open_ended",
            quota=True,
        ),
    )


def follow_up(s, placement: Placement, months: int, outcome: str, project=None, actor="centre.coach"):
    follow_up = placement.follow_ups.get(months=months)
    left = outcome == "left"
    services.follow_up_record(
        actor=s[actor],
        follow_up=follow_up,
        project=project or s.project,
        recorded_on=follow_up.due_on,
        outcome=outcome,
        left_on=follow_up.due_on - dt.timedelta(days=10) if left else None,
        left_reason="resigned" if left else "",
    )


def employment_world(s) -> dict[str, Any]:
    """Almaty (two districts) and Turkistan; needs К, С, О, У and none; a placement
    retained at six months, one left, one whose follow-up is not recorded, one too recent
    to judge; a person registered and coached by the centre in Almaty and by the NGO in
    Turkistan (one identity); a Turkistan case opened in 2024 and still open; a seeker
    never coached; and a category two of them belong to."""
    other = other_district()
    a1 = register_seeker(s, registered_on=dt.date(2025, 1, 15), needs=("К",))
    a2 = register_seeker(s, registered_on=dt.date(2025, 2, 10), district=other, needs=("К", "С"))
    a3 = register_seeker(s, registered_on=dt.date(2025, 3, 5))
    a4 = register_seeker(s, registered_on=dt.date(2025, 6, 1), needs=("С",))
    iin = core_factories.valid_iin()
    shared = register_seeker(s, registered_on=dt.date(2025, 4, 1), needs=("О",), iin=iin)
    again = register_seeker(
        s,
        coach="turkistan.coach",
        organisation=s.turkistan_ngo,
        registered_on=dt.date(2025, 5, 1),
        region_kato=f.TURKISTAN,
        needs=("О",),
        iin=iin,
    )
    t1 = register_seeker(
        s,
        coach="turkistan.coach",
        organisation=s.turkistan_ngo,
        registered_on=dt.date(2024, 11, 1),
        region_kato=f.TURKISTAN,
        needs=("У",),
    )
    register_seeker(s, registered_on=dt.date(2025, 8, 1), district=other)

    c1 = f.case(s, a1, opened_on=dt.date(2025, 1, 20))
    c2 = f.case(s, a2, opened_on=dt.date(2025, 2, 12))
    c3 = f.case(s, a3, opened_on=dt.date(2025, 3, 6))
    c4 = f.case(s, a4, opened_on=dt.date(2025, 6, 2))
    f.case(s, shared, opened_on=dt.date(2025, 4, 2))
    t_coach = s["turkistan.coach"]
    c_again = services.case_open(actor=t_coach, seeker=again, coach=t_coach, opened_on=dt.date(2025, 5, 3))
    services.case_open(actor=t_coach, seeker=t1, coach=t_coach, opened_on=dt.date(2024, 11, 5))

    p1 = place(s, c1, dt.date(2025, 3, 1))
    follow_up(s, p1, 6, "employed")
    p2 = place(s, c2, dt.date(2025, 4, 1))
    follow_up(s, p2, 6, "left")
    services.case_close(actor=s["centre.coach"], case=c2, closed_on=dt.date(2025, 9, 30), reason="withdrew")
    place(s, c3, dt.date(2025, 5, 1))  # its six-month follow-up is due and not recorded
    place(s, c4, dt.date(2025, 10, 1))  # too recent to judge at six months on AS_OF
    place(s, c_again, dt.date(2025, 7, 1), project=s.turkistan_project, actor="turkistan.coach")

    category = VulnerabilityCategory.objects.order_by("pk")[0]
    for person in (a1, a3):
        core_services.person_category_add(
            actor=s["centre.staff"], person=person.person, category=category, since=dt.date(2024, 1, 1)
        )
    services.staff_report_record(
        actor=s["employer.a"],
        employer=s.employer_a,
        as_of=dt.date(2025, 1, 15),
        headcount=175,
        hazardous_jobs=25,
    )
    services.staff_report_record(
        actor=s["employer.b"],
        employer=s.employer_b,
        as_of=dt.date(2025, 1, 15),
        headcount=300,
        employees_with_disabilities=3,
    )
    return {"category": category, "other": other, "shared": (shared, again)}
