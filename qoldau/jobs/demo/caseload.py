"""JOBCOACH's caseload in the demo: the Almaty Career Centre's 1,620 participants of 2025
registered as job seekers, each with a case of supported employment whose first session is
the delivery already recorded for them, and their way through 2025 (the model in
`qoldau.jobs.demo`'s text): the stages, a placement for about half, the retention
follow-ups due by the end of the year, the case closed when the support ends. Then, as of
the day the demo is loaded, the demo coach's live pipeline to the demo employer."""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from qoldau.core import demo_data as d
from qoldau.core import services as core_services
from qoldau.core.models import Organisation, Person, PersonCategory, Place, Role
from qoldau.jobs import matching, profiles, selectors, services
from qoldau.jobs.demo.common import DemoState
from qoldau.jobs.demo.data import (
    AS_OF,
    COACHES,
    CONTRAINDICATIONS,
    DEMO_EMPLOYER,
    EDUCATION,
    IMPAIRMENTS,
    OCCUPATIONS_WANTED,
)
from qoldau.jobs.models import (
    Accommodation,
    CoachingCase,
    CoachingStage,
    Placement,
    Proposal,
    Seeker,
    Vacancy,
)
from qoldau.jobs.reference_data import COACHING_SERVICE
from qoldau.projects.models import Project, ServiceDelivery

# The JOBCOACH caseload's plan: what happens to each person, on which day. ------------------


@dataclass
class CasePlan:
    person_id: int
    delivery_id: int
    opened_on: dt.date
    profile_on: dt.date
    finding_on: dt.date
    engagement_on: dt.date | None = None
    start_on: dt.date | None = None
    close_on: dt.date | None = None
    close_reason: str = ""
    # Months after the start at which the person is found to have left (None: stays).
    leaves_at: int | None = None


def plan_case(rnd: random.Random, person_id: int, delivery_id: int, opened_on: dt.date) -> CasePlan:
    """One person's way through supported employment (the model in the module's text)."""
    plan = CasePlan(
        person_id=person_id,
        delivery_id=delivery_id,
        opened_on=opened_on,
        profile_on=opened_on + dt.timedelta(days=rnd.randint(3, 8)),
        finding_on=opened_on + dt.timedelta(days=rnd.randint(10, 20)),
    )
    if rnd.random() < 0.48:
        plan.start_on = opened_on + dt.timedelta(days=rnd.randint(28, 75))
        plan.engagement_on = max(
            plan.finding_on + dt.timedelta(days=1), plan.start_on - dt.timedelta(days=rnd.randint(4, 9))
        )
        plan.close_on = plan.start_on + dt.timedelta(days=rnd.randint(21, 42))
        plan.leaves_at = rnd.choices([1, 3, 6, 12, None], [0.07, 0.08, 0.06, 0.05, 0.74])[0]
        plan.close_reason = "other" if plan.leaves_at == 1 else "retained"
    else:
        plan.close_on = opened_on + dt.timedelta(days=rnd.randint(21, 75))
        plan.close_reason = rnd.choices(["withdrew", "moved", "other"], [0.6, 0.25, 0.15])[0]
    return plan


def peak_open_cases(plans: Iterable[CasePlan]) -> int:
    """The most cases open on one day (closing before opening on the same day)."""
    events = []
    for plan in plans:
        events.append((plan.opened_on, 1))
        if plan.close_on is not None and plan.close_on <= AS_OF:
            events.append((plan.close_on, -1))
    open_now = peak = 0
    for _day, change in sorted(events, key=lambda e: (e[0], e[1])):
        open_now += change
        peak = max(peak, open_now)
    return peak


@dataclass(frozen=True)
class Placing:
    """What placing people reads, loaded once the vacancies are posted: each vacancy's
    profile, opening day and employer, and the accommodations' catalogue."""

    vacancy_profiles: dict[int, matching.VacancyProfile]
    opens: dict[int, dt.date]
    employers_of: dict[int, int]
    coverage: matching.Coverage
    accommodation_codes: dict[int, str]


def jobcoach() -> tuple[Project, Organisation]:
    """The JOBCOACH project of article 002 and its organisation, the Almaty Career Centre."""
    project = Project.objects.select_related("organisation").get(
        title_en=d.JOBCOACH.title_en, organisation__name_en="Almaty Career Centre"
    )
    return project, project.organisation


def register_seekers(
    state: DemoState, centre: Organisation, deliveries: list[tuple[int, int, dt.date]]
) -> dict[int, Seeker]:
    """Each participant (the centre's own record) registered as a job seeker on the day of
    their first session, with wishes, an ИПАР's contraindications and needs that fit their
    disability group."""
    rnd = state.rnd
    staff = User.objects.get(username="jobcoach.staff")
    districts = list(
        Place.objects.filter(parent=centre.region, level=Place.Level.DISTRICT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    groups = dict(
        PersonCategory.objects.filter(
            person_id__in=[p for p, _d, _day in deliveries], category__code__startswith="disability_group"
        ).values_list("person_id", "category__code")
    )
    people = Person.objects.in_bulk([p for p, _d, _day in deliveries])
    seekers: dict[int, Seeker] = {}
    for person_id, _delivery, day in state.progress(deliveries, "JOBCOACH: job seekers"):
        group = groups.get(person_id, "disability_group_3")
        impairment, _share, categories, accommodations = rnd.choices(
            IMPAIRMENTS, [i[1] for i in IMPAIRMENTS]
        )[0]
        # Group 3 rarely needs an accessible building; groups 1 and 2 mostly do.
        needs_access = rnd.random() < {"disability_group_1": 0.9, "disability_group_2": 0.6}.get(group, 0.25)
        severity = {"disability_group_1": 3, "disability_group_2": 2}.get(group, 1)
        seekers[person_id] = services.seeker_register(
            actor=staff,
            person=people[person_id],
            registered_on=day,
            data=services.SeekerInput(
                education=rnd.choices([e for e, _w in EDUCATION], [w for _e, w in EDUCATION])[0],
                region_id=centre.region_id,
                district_id=rnd.choice(districts),
                occupation_codes=rnd.sample(OCCUPATIONS_WANTED, rnd.choice([1, 1, 2])),
                experience_months=rnd.choice([0, 0, 6, 12, 24, 36, 60, 120]),
                weekly_hours_wanted=rnd.choices([40, 30, 20], [0.65, 0.2, 0.15])[0],
                pay_wanted=Decimal(rnd.randrange(90_000, 250_000, 10_000)) if rnd.random() < 0.7 else None,
                remote_ok=rnd.random() < 0.2,
                contraindication_codes=rnd.sample(
                    CONTRAINDICATIONS[impairment], min(severity, len(CONTRAINDICATIONS[impairment]))
                ),
                accommodation_codes=rnd.sample(accommodations, rnd.randint(1, min(2, len(accommodations)))),
                categories_needed=categories if needs_access else (),
            ),
        )
    return seekers


def load_jobcoach(state: DemoState) -> None:
    """The centre's coaches, its participants as seekers, and every case's 2025."""
    project, centre = jobcoach()
    rnd = state.rnd
    deliveries = sorted(
        ServiceDelivery.objects.filter(project=project, service__code=COACHING_SERVICE).values_list(
            "person_id", "pk", "delivered_on"
        ),
        key=lambda row: (row[2], row[0]),
    )
    plans = [plan_case(rnd, person_id, delivery_id, day) for person_id, delivery_id, day in deliveries]
    coaches = [
        state.user(
            "jobcoach.coach" if n == 1 else f"jobcoach.coach{n:02d}",
            Role.JOB_COACH,
            centre,
            password=n == 1,
        )
        for n in range(1, COACHES + 1)
    ]
    state.users["jobcoach.coach"] = coaches[0]
    seekers = register_seekers(state, centre, deliveries)
    seeker_profiles = profiles.seeker_profiles(Seeker.objects.filter(pk__in=[s.pk for s in seekers.values()]))
    vacancies = Vacancy.objects.filter(employer__in=state.employers, status=Vacancy.Status.OPEN)
    placing = Placing(
        vacancy_profiles=profiles.vacancy_profiles(vacancies),
        opens=dict(vacancies.values_list("pk", "opens_on")),
        employers_of=dict(vacancies.values_list("pk", "employer_id")),
        coverage=profiles.coverage(),
        accommodation_codes=dict(Accommodation.objects.values_list("pk", "code")),
    )
    delivery_rows = ServiceDelivery.objects.select_related("service", "project").in_bulk(
        [p.delivery_id for p in plans]
    )

    # Every step of every case, in the order of the days (a case's steps in their own
    # order; on one day, closing before opening, so that the cap holds as it did).
    Step = tuple[dt.date, int, int, str]
    steps: list[Step] = []
    for index, plan in enumerate(plans):
        steps.append((plan.opened_on, 1, index, "open"))
        steps.append((plan.profile_on, 2, index, "profile"))
        steps.append((plan.finding_on, 2, index, "finding"))
        if plan.engagement_on is not None:
            steps.append((plan.engagement_on, 2, index, "engagement"))
        if plan.start_on is not None:
            steps.append((plan.start_on, 2, index, "place"))
        if plan.close_on is not None:
            steps.append((plan.close_on, 0, index, "close"))
    heapq.heapify(steps)
    open_cases: dict[int, int] = {c.pk: 0 for c in coaches}
    case_of: dict[int, CoachingCase] = {}
    placement_of: dict[int, Placement] = {}
    coach_of: dict[int, User] = {}
    by_pk = {c.pk: c for c in coaches}
    bar = iter(state.progress(range(len(steps)), "JOBCOACH: caseload through 2025"))
    while steps:
        day, _order, index, kind = heapq.heappop(steps)
        next(bar, None)
        if day > AS_OF:
            continue
        plan = plans[index]
        seeker = seekers[plan.person_id]
        if kind == "open":
            coach = by_pk[min(open_cases, key=lambda pk: (open_cases[pk], pk))]
            open_cases[coach.pk] += 1
            coach_of[index] = coach
            case = services.case_open(actor=coach, seeker=seeker, coach=coach, opened_on=day)
            services.coaching_session_link(actor=coach, case=case, delivery=delivery_rows[plan.delivery_id])
            case_of[index] = case
            continue
        case, coach = case_of[index], coach_of[index]
        if kind in {"profile", "finding", "engagement"}:
            if case.closed_on is not None or (plan.start_on is not None and day >= plan.start_on):
                continue
            stage, step, due = _stage_step(kind, day, plan)
            services.case_update(
                actor=coach,
                case=case,
                expected_version=case.version,
                stage=stage,
                next_step=step,
                next_step_due=due,
            )
        elif kind == "place":
            placement = place(state, placing, coach, case, project, seeker_profiles[seeker.pk], day)
            placement_of[index] = placement
            # The follow-ups go on after the case closes, each on its own day.
            for months in (1, 3, 6, 12):
                follow_up = placement.follow_ups.get(months=months)
                recorded_on = follow_up.due_on + dt.timedelta(days=rnd.randint(0, 9))
                heapq.heappush(steps, (recorded_on, 3, index, f"follow_up:{months}"))
        elif kind.startswith("follow_up:"):
            record_follow_up(state, coach, placement_of[index], int(kind.split(":")[1]), plan, day, project)
        elif kind == "close":
            placed = placement_of.get(index)
            reason = plan.close_reason
            if placed is not None:
                placed.refresh_from_db(fields=["ended_on"])
                reason = "retained" if placed.ended_on is None else "other"
            services.case_close(actor=coach, case=case, closed_on=day, reason=reason)
            open_cases[coach.pk] -= 1
            if placed is None:
                services.seeker_set_status(actor=coach, seeker=seeker, status=Seeker.Status.CLOSED)


def place(
    state: DemoState,
    placing: Placing,
    coach: User,
    case: CoachingCase,
    project: Project,
    profile: matching.SeekerProfile,
    day: dt.date,
) -> Placement:
    """A job for the person from the day: a vacancy that fits them (never one a hard
    rule keeps from them), else a job with an employer outside the vacancies posted."""
    rnd = state.rnd
    fits = matching.rank_vacancies(
        profile,
        (v for pk, v in placing.vacancy_profiles.items() if placing.opens[pk] <= day),
        placing.coverage,
        5,
    )
    programme = rnd.choices(["", "special_workplace", "social_workplace"], [0.8, 0.12, 0.08])[0]
    if fits:
        fit = rnd.choice(fits)
        vacancy = placing.vacancy_profiles[fit.vacancy_id]
        employer_id = placing.employers_of[fit.vacancy_id]
        pay = vacancy.pay_to if vacancy.pay_to is not None else vacancy.pay_from
        accommodations = sorted(
            fit.offered | set(rnd.sample(sorted(fit.to_arrange), min(1, len(fit.to_arrange))))
        )
        codes = [placing.accommodation_codes[pk] for pk in accommodations]
        data = services.PlacementInput(
            employer_id=employer_id,
            vacancy_id=fit.vacancy_id,
            start_date=day,
            pay=pay,
            weekly_hours=vacancy.weekly_hours,
            contract_kind=rnd.choices(["open_ended", "fixed_term"], [0.7, 0.3])[0],
            programme_code=programme,
            accommodation_codes=codes,
        )
    else:
        hours = profile.weekly_hours_wanted or 40
        data = services.PlacementInput(
            employer_id=rnd.choice(state.employers).pk,
            start_date=day,
            pay=(Decimal(85_000) * hours / 40 * Decimal(rnd.choice(["1.1", "1.3", "1.6"]))).quantize(
                Decimal(1)
            ),
            weekly_hours=hours,
            contract_kind=rnd.choice(["fixed_term", "civil"]),
            programme_code=programme,
        )
    return services.placement_record(actor=coach, case=case, project=project, data=data)


def record_follow_up(
    state: DemoState,
    coach: User,
    placement: Placement,
    months: int,
    plan: CasePlan,
    day: dt.date,
    project: Project,
) -> None:
    placement.refresh_from_db(fields=["ended_on"])
    # The last fortnight's follow-ups are still to record: the coaches see them due.
    if placement.ended_on is not None or day > AS_OF - dt.timedelta(days=14):
        return
    follow_up = placement.follow_ups.get(months=months)
    if plan.leaves_at == months:
        left_on = max(placement.start_date, follow_up.due_on - dt.timedelta(days=state.rnd.randint(3, 25)))
        services.follow_up_record(
            actor=coach,
            follow_up=follow_up,
            project=project,
            recorded_on=day,
            outcome="left",
            left_on=min(left_on, day),
            left_reason=state.rnd.choice(
                ["resigned", "health", "accessibility", "contract_ended", "dismissed"]
            ),
        )
    else:
        services.follow_up_record(
            actor=coach, follow_up=follow_up, project=project, recorded_on=day, outcome="employed"
        )


def load_pipeline(state: DemoState) -> None:
    """A live pipeline as of the day the demo is loaded: the demo coach proposes jobs
    that fit the people of their open cases, the demo employer's first where one
    fits; most of those are sent, one is at the interview. The employer's staff see
    only the people sent to them."""
    coach = state.users["jobcoach.coach"]
    employer_user = state.users["employer.staff"]
    employer = state.employers[DEMO_EMPLOYER]
    cases = (
        CoachingCase.objects.filter(coach=coach, closed_on__isnull=True, seeker__status=Seeker.Status.ACTIVE)
        .select_related("seeker__person")
        .order_by("pk")
    )
    own = list(Vacancy.objects.filter(employer=employer, status=Vacancy.Status.OPEN).order_by("pk"))
    interviewed = False
    for case in cases[:6]:
        fitting = [v for v in own if isinstance(services.assess_pair(case.seeker, v), matching.Fit)]
        if fitting:
            proposal = services.proposal_create(actor=coach, seeker=case.seeker, vacancy=fitting[0])
            proposal = services.proposal_agree(actor=coach, proposal=proposal)
            proposal = services.proposal_send(actor=coach, proposal=proposal)
            if not interviewed:
                services.proposal_advance(actor=employer_user, proposal=proposal, state="interview")
                interviewed = True
            continue
        for found in selectors.matches_for_seeker(coach, case.seeker, limit=1):
            services.proposal_create(actor=coach, seeker=case.seeker, vacancy=found.vacancy)
    _load_demo_citizen(coach, list(cases))


def _load_demo_citizen(coach: User, cases: list[CoachingCase]) -> None:
    """The demo's citizen account, `jobseeker.citizen`: one of the demo coach's seekers
    (one the pipeline above left alone, if any), whose record the centre links to their
    own account (IIN confirmed), with vacancies that fit and one proposal waiting for
    their agreement."""
    proposed = set(Proposal.objects.filter(seeker__cases__in=cases).values_list("seeker_id", flat=True))
    for case in sorted(cases, key=lambda c: (c.seeker_id in proposed, c.pk)):
        taken = set(Proposal.objects.filter(seeker=case.seeker).values_list("vacancy_id", flat=True))
        matches = [
            m for m in selectors.matches_for_seeker(coach, case.seeker, limit=10) if m.vacancy.pk not in taken
        ]
        if not matches:
            continue
        account = core_services.citizen_sign_up(
            phone=d.DEMO_CITIZEN_PHONE,
            password=d.DEMO_PASSWORD,
            name=case.seeker.person.first_name or "",
            username="jobseeker.citizen",
        )
        with transaction.atomic():
            core_services.citizen_record_link_in_transaction(
                actor=coach, person=case.seeker.person, account=account
            )
        services.proposal_create(actor=coach, seeker=case.seeker, vacancy=matches[0].vacancy)
        return
    raise RuntimeError("No seeker of the demo coach has a vacancy that fits: the demo citizen needs one.")


# Qorgan-M's job fairs -------------------------------------------------------------------


def _stage_step(kind: str, day: dt.date, plan: CasePlan) -> tuple[str, str, dt.date]:
    """The stage a case moves to on a step, its next step and when it is due."""
    if kind == "profile":
        return (
            CoachingStage.VOCATIONAL_PROFILE,
            "Кәсіби профильді аяқтау, ИПАР-мен салыстыру",
            min(plan.finding_on, day + dt.timedelta(days=14)),
        )
    if kind == "finding":
        return (
            CoachingStage.JOB_FINDING,
            "Сәйкес бос орындарды іріктеу, түйіндеме дайындау",
            day + dt.timedelta(days=21),
        )
    return (
        CoachingStage.EMPLOYER_ENGAGEMENT,
        "Жұмыс берушімен кездесу, жұмыс орнын бейімдеуді келісу",
        day + dt.timedelta(days=10),
    )
