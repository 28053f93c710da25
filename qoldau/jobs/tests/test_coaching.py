"""Job coaching: the caseload's cap, the five stages, encrypted notes, sessions, placements
and retention follow-ups, each a delivery of the organisation's project; every bad input
refused with a clear sentence and nothing changed; retention by cohort with placements too
recent to judge left out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import translation

from qoldau.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from qoldau.jobs import selectors, services
from qoldau.jobs.models import CaseNote, CoachingCase, CoachingSession, Placement, RetentionFollowUp
from qoldau.jobs.retention import PlacementOutcome, add_months, retention_by_cohort
from qoldau.jobs.tests import factories as f
from qoldau.projects import services as project_services
from qoldau.projects.impact import reach_cells_of_slice
from qoldau.projects.models import ReachStale, ServiceDelivery, ServiceType

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return f.scene(buildings=False)


def en(error: ApplicationError) -> str:
    with translation.override("en"):
        return error.render()


def refused(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def _counts() -> tuple[int, ...]:
    return (
        CoachingCase.objects.count(),
        Placement.objects.count(),
        RetentionFollowUp.objects.count(),
        ServiceDelivery.objects.count(),
        CaseNote.objects.count(),
    )


# Cases ------------------------------------------------------------------------------------


@override_settings(QOLDAU_JOB_COACH_CASELOAD=2)
def test_a_coach_carries_no_more_cases_than_the_cap(s):
    staff = s["centre.staff"]
    people = [f.seeker(staff, s.centre) for _ in range(4)]
    first = f.case(s, people[0])
    f.case(s, people[1])
    before = _counts()
    error = refused(lambda: f.case(s, people[2]))
    assert (type(error), error.field, error.code) == (ValidationFailed, "coach", "caseload_full")
    assert (
        en(error) == "The coach already carries 2 open cases, the most one coach may. Choose another coach."
    )
    assert _counts() == before
    # Another coach has room; a case given to a full coach is refused too.
    other = f.case(s, people[2], coach="centre.coach2")
    error = refused(
        lambda: services.case_reassign(actor=s["centre.admin"], case=other, coach=s["centre.coach"])
    )
    assert error.code == "caseload_full"
    # A closed case frees a place.
    services.case_close(actor=s["centre.coach"], case=first, closed_on=f.PAST, reason="withdrew")
    assert f.case(s, people[3]).coach == s["centre.coach"]


def test_a_case_needs_a_job_coach_of_the_organisation_and_one_open_case_per_person(s):
    person = f.seeker(s["centre.staff"], s.centre)
    for coach in ("centre.staff", "turkistan.coach"):
        error = refused(lambda coach=coach: f.case(s, person, coach=coach))
        assert (error.code, en(error)) == (
            "not_a_job_coach",
            "This user is not a job coach of the organisation.",
        )
    f.case(s, person)
    error = refused(lambda: f.case(s, person, coach="centre.coach2"))
    assert (type(error), en(error)) == (Conflict, "The person already has an open case.")
    # An employer's staff cannot open a case for a seeker they do not serve.
    error = refused(
        lambda: services.case_open(actor=s["employer.a"], seeker=person, coach=s["centre.coach2"])
    )
    assert error.status == 404
    assert CoachingCase.objects.count() == 1


def test_a_case_moves_through_the_five_stages_with_a_next_step(s):
    coach = s["centre.coach"]
    case = f.case(s, f.seeker(coach, s.centre))
    assert case.stage == "engagement"
    for stage in ("vocational_profile", "job_finding", "employer_engagement", "support"):
        case = services.case_update(
            actor=coach,
            case=case,
            expected_version=case.version,
            stage=stage,
            next_step="Жұмыс берушімен кездесу",
            next_step_due=dt.date(2026, 12, 20),
        )
        assert case.stage == stage
    error = refused(
        lambda: services.case_update(actor=coach, case=case, expected_version=case.version, stage="lunch")
    )
    assert en(error) == "Unknown stage of supported employment."
    error = refused(
        lambda: services.case_update(
            actor=coach, case=case, expected_version=case.version - 1, stage="support"
        )
    )
    assert error.code == "edit_conflict"
    # The coach's caseload shows it with its next step.
    [line] = selectors.caseload(coach)
    assert (line.case, line.case.next_step, line.follow_ups_overdue) == (case, "Жұмыс берушімен кездесу", 0)
    assert selectors.caseload(s["centre.coach2"]) == []


def test_case_notes_are_encrypted_and_read_only_by_those_who_coach_the_case(s):
    coach = s["centre.coach"]
    case = f.case(s, f.seeker(coach, s.centre))
    services.case_note_add(actor=coach, case=case, text="ИПАР: түнгі жұмысқа болмайды.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM jobs_casenote")
        [(stored,)] = cursor.fetchall()
    assert "ИПАР" not in stored
    assert [n.text for n in selectors.case_notes(coach, case)] == ["ИПАР: түнгі жұмысқа болмайды."]
    assert [n.text for n in selectors.case_notes(s["centre.admin"], case)] == [
        "ИПАР: түнгі жұмысқа болмайды."
    ]
    error = refused(lambda: selectors.case_notes(s["centre.staff"], case))
    assert isinstance(error, PermissionDenied)
    error = refused(lambda: services.case_note_add(actor=s["centre.coach2"], case=case, text="Жазба"))
    assert isinstance(error, PermissionDenied)
    error = refused(lambda: services.case_note_add(actor=coach, case=case, text="   "))
    assert en(error) == "Write the note."
    assert CaseNote.objects.count() == 1


# Sessions, placements and follow-ups are deliveries -------------------------------------------


def test_sessions_placements_and_follow_ups_are_deliveries_and_the_person_is_reached_once(s):
    coach = s["centre.coach"]
    person = f.seeker(coach, s.centre)
    case = f.case(s, person)
    ReachStale.objects.all().delete()
    session = services.coaching_session_record(
        actor=coach,
        case=case,
        project=s.project,
        held_on=dt.date(2025, 3, 10),
        note="Кәсіби профиль жасалды.",
    )
    assert (session.stage, session.delivery.service.code) == ("engagement", "employment_support")
    placed = f.placement(s, case)
    follow_up = placed.follow_ups.get(months=1)
    services.follow_up_record(
        actor=coach, follow_up=follow_up, project=s.project, recorded_on=follow_up.due_on, outcome="employed"
    )
    codes = sorted(
        ServiceDelivery.objects.filter(person=person.person).values_list("service__code", flat=True)
    )
    assert codes == ["employment_support", "job_placement", "retention_follow_up"]
    assert ServiceDelivery.objects.filter(project=s.project).count() == 3
    assert ReachStale.objects.filter(year=2025).exists()
    region = person.region_id
    [total] = [
        c
        for c in reach_cells_of_slice(2025, region)
        if (c.month, c.district_key, c.category_key) == (0, 0, 0)
    ]
    assert (total.people, total.participations) == (1, 3)
    # The session's note joined the case's notes.
    assert [n.text for n in selectors.case_notes(coach, case)] == ["Кәсіби профиль жасалды."]


def test_a_delivery_goes_to_a_project_of_the_persons_organisation(s):
    coach = s["centre.coach"]
    case = f.case(s, f.seeker(coach, s.centre))
    before = _counts()
    error = refused(
        lambda: services.coaching_session_record(
            actor=coach, case=case, project=s.turkistan_project, held_on=dt.date(2025, 3, 10)
        )
    )
    assert (error.field, en(error)) == (
        "project",
        "Choose a project of the organisation that serves the person.",
    )
    error = refused(
        lambda: services.coaching_session_record(
            actor=coach, case=case, project=s.project, held_on=dt.date(2025, 1, 1)
        )
    )
    assert en(error) == "The session cannot be before the case opened."
    assert _counts() == before


def test_a_delivery_recorded_before_the_case_becomes_its_session_counted_once(s):
    staff, coach = s["centre.staff"], s["centre.coach"]
    person = f.seeker(coach, s.centre)
    support, placement_service = (
        ServiceType.objects.get(code=code) for code in ("employment_support", "job_placement")
    )

    def delivered(service, day=dt.date(2025, 3, 10), who=person.person):
        return project_services.delivery_record(
            actor=staff, project=s.project, person_id=who.pk, service=service, delivered_on=day
        )

    earlier = delivered(support)
    other_service = delivered(placement_service)
    someone_else = delivered(support, who=f.seeker(coach, s.centre).person)
    before_case = delivered(support, day=dt.date(2025, 3, 2))
    case = f.case(s, person)
    before = (*_counts(), CoachingSession.objects.count())
    for delivery, sentence in (
        (
            other_service,
            "Only a delivery of employment support to the person by their organisation is a session.",
        ),
        (
            someone_else,
            "Only a delivery of employment support to the person by their organisation is a session.",
        ),
        (before_case, "The session cannot be before the case opened."),
    ):
        error = refused(lambda d=delivery: services.coaching_session_link(actor=coach, case=case, delivery=d))
        assert (error.field, en(error)) == ("delivery", sentence)
    error = refused(lambda: services.coaching_session_link(actor=staff, case=case, delivery=earlier))
    assert type(error) is PermissionDenied
    assert (*_counts(), CoachingSession.objects.count()) == before

    session = services.coaching_session_link(actor=coach, case=case, delivery=earlier)
    assert (session.held_on, session.stage, session.delivery) == (dt.date(2025, 3, 10), "engagement", earlier)
    error = refused(lambda: services.coaching_session_link(actor=coach, case=case, delivery=earlier))
    assert (type(error), error.code) == (Conflict, "duplicate")
    # Nothing new was delivered: the person was reached by the delivery already there.
    assert ServiceDelivery.objects.filter(person=person.person).count() == 3


def test_a_placement_is_recorded_with_its_follow_ups_and_the_hire(s):
    coach, employer = s["centre.coach"], s["employer.a"]
    person = f.seeker(coach, s.centre)
    job = f.vacancy(employer, s.employer_a, quota=True, opens_on=dt.date(2025, 3, 20))
    proposal = f.sent_proposal(s, person, job)
    for state in ("interview", "offer"):
        proposal = services.proposal_advance(actor=employer, proposal=proposal, state=state)
    case = f.case(s, person)
    placed = services.placement_record(
        actor=coach,
        case=case,
        project=s.project,
        data=services.PlacementInput(
            employer_id=s.employer_a.pk,
            vacancy_id=job.pk,
            start_date=dt.date(2025, 1, 31) + dt.timedelta(days=60),
            pay=Decimal(160_000),
            weekly_hours=40,
            contract_kind="fixed_term",
            programme_code="special_workplace",
            accommodation_codes=("seated_work",),
        ),
    )
    assert placed.start_date == dt.date(2025, 4, 1)
    assert placed.quota  # the vacancy was a quota job
    assert placed.programme is not None
    assert placed.programme.code == "special_workplace"
    assert [(u.months, u.due_on) for u in placed.follow_ups.order_by("months")] == [
        (1, dt.date(2025, 5, 1)),
        (3, dt.date(2025, 7, 1)),
        (6, dt.date(2025, 10, 1)),
        (12, dt.date(2026, 4, 1)),
    ]
    proposal.refresh_from_db()
    person.refresh_from_db()
    case.refresh_from_db()
    assert (proposal.state, person.status, case.stage) == ("hired", "employed", "support")
    # The overdue follow-ups show in the coach's caseload and reminders.
    [line] = selectors.caseload(coach, today=dt.date(2025, 8, 1))
    assert line.follow_ups_overdue == 2
    assert [u.months for u in selectors.follow_ups_due(coach, until=dt.date(2025, 8, 1))] == [1, 3]


def test_bad_placements_are_refused_and_change_nothing(s):
    coach, employer = s["centre.coach"], s["employer.a"]
    person = f.seeker(coach, s.centre)
    job = f.vacancy(employer, s.employer_a, opens_on=dt.date(2025, 5, 1))
    other_job = f.vacancy(s["employer.b"], s.employer_b)
    case = f.case(s, person)
    before = _counts()

    def place(**changes):
        data = {
            "employer_id": s.employer_a.pk,
            "vacancy_id": job.pk,
            "start_date": dt.date(2025, 5, 5),
            "pay": Decimal(150_000),
            "weekly_hours": 40,
            "contract_kind": "open_ended",
        } | changes
        return lambda: services.placement_record(
            actor=coach, case=case, project=s.project, data=services.PlacementInput(**data)
        )

    cases = [
        (
            place(start_date=dt.date(2025, 4, 30)),
            "start_date",
            "A placement cannot start before the vacancy opened (2025-05-01).",
        ),
        (
            place(pay=Decimal(80_000)),
            "pay",
            "The pay of 80000 tenge a month is below the minimum wage in force on 2025-05-05: "
            "at least 85000.00 tenge for 40 hours a week.",
        ),
        (
            place(pay=Decimal(40_000), weekly_hours=20),
            "pay",
            "The pay of 40000 tenge a month is below the minimum wage in force on 2025-05-05: "
            "at least 42500.00 tenge for 20 hours a week.",
        ),
        (place(vacancy_id=other_job.pk), "vacancy_id", "The vacancy is another employer's."),
        (
            place(programme_code="no_such_programme"),
            "programme_code",
            "There is no subsidised programme no_such_programme in force on 2025-05-05.",
        ),
        (place(contract_kind="handshake"), "contract_kind", "Unknown kind of contract."),
        (place(start_date=dt.date(2030, 1, 1)), "start_date", "The date is in the future."),
        (place(weekly_hours=0), "weekly_hours", "Give a number from 1 to 168."),
        (
            place(accommodation_codes=("teleport",)),
            "accommodation_codes",
            "There is no accommodation teleport in the catalogue.",
        ),
    ]
    for call, field, message in cases:
        error = refused(call)
        assert (error.field, en(error)) == (field, message)
    error = refused(
        lambda: services.placement_record(
            actor=s["centre.staff"],
            case=case,
            project=s.project,
            data=services.PlacementInput(
                employer_id=s.employer_a.pk,
                start_date=dt.date(2025, 5, 5),
                pay=Decimal(150_000),
                weekly_hours=40,
                contract_kind="open_ended",
            ),
        )
    )
    assert isinstance(error, PermissionDenied)
    assert _counts() == before


def test_a_follow_up_for_a_placement_that_ended_is_refused(s):
    coach = s["centre.coach"]
    person = f.seeker(coach, s.centre)
    placed = f.placement(s, f.case(s, person))
    one, three, six = (placed.follow_ups.get(months=m) for m in (1, 3, 6))
    # Too early, and incomplete: refused.
    error = refused(
        lambda: services.follow_up_record(
            actor=coach, follow_up=six, project=s.project, recorded_on=dt.date(2025, 5, 1), outcome="employed"
        )
    )
    assert (error.code, en(error)) == (
        "too_early",
        "The follow-up is due on 2025-10-01; it cannot be recorded that early.",
    )
    error = refused(
        lambda: services.follow_up_record(
            actor=coach, follow_up=three, project=s.project, recorded_on=three.due_on, outcome="left"
        )
    )
    assert en(error) == "Say when the person left the job and why."
    services.follow_up_record(
        actor=coach, follow_up=one, project=s.project, recorded_on=one.due_on, outcome="employed"
    )
    error = refused(
        lambda: services.follow_up_record(
            actor=coach, follow_up=one, project=s.project, recorded_on=one.due_on, outcome="employed"
        )
    )
    assert (type(error), en(error)) == (Conflict, "This follow-up is already recorded.")
    # The three-month follow-up finds the person gone: the placement ends.
    services.follow_up_record(
        actor=coach,
        follow_up=three,
        project=s.project,
        recorded_on=three.due_on,
        outcome="left",
        left_on=dt.date(2025, 6, 15),
        left_reason="accessibility",
    )
    placed.refresh_from_db()
    assert (placed.ended_on, placed.end_reason) == (dt.date(2025, 6, 15), "accessibility")
    before = _counts()
    error = refused(
        lambda: services.follow_up_record(
            actor=coach, follow_up=six, project=s.project, recorded_on=six.due_on, outcome="employed"
        )
    )
    assert (error.code, en(error)) == (
        "placement_ended",
        "The placement ended on 2025-06-15: there is nothing left to follow up.",
    )
    assert _counts() == before
    six.refresh_from_db()
    assert six.outcome == ""
    # Ending it again is refused as well.
    error = refused(
        lambda: services.placement_end(
            actor=coach, placement=placed, ended_on=dt.date(2025, 7, 1), reason="resigned"
        )
    )
    assert en(error) == "The placement already ended on 2025-06-15."
    # Its later follow-ups are no longer due.
    assert list(selectors.follow_ups_due(coach, until=dt.date(2026, 12, 1))) == []


# Retention --------------------------------------------------------------------------------


def _outcome(cohort, start, ended=None, **follow_ups):
    return PlacementOutcome(
        cohort=cohort,
        start_date=start,
        ended_on=ended,
        follow_ups={int(k[1:]): v for k, v in follow_ups.items()},
    )


def test_retention_leaves_placements_too_recent_to_judge_out_of_the_rate():
    as_of = dt.date(2025, 12, 31)
    placements = [
        _outcome("2025-01", dt.date(2025, 1, 10), m6="employed"),
        _outcome("2025-01", dt.date(2025, 1, 20), m6="employed"),
        _outcome("2025-01", dt.date(2025, 1, 25), ended=dt.date(2025, 3, 1)),  # left before 6 months
        _outcome("2025-01", dt.date(2025, 1, 28), m6="left"),
        _outcome("2025-02", dt.date(2025, 2, 3)),  # due, not followed up: unknown
        _outcome("2025-02", dt.date(2025, 2, 5), m6="employed"),
        _outcome("2025-07", dt.date(2025, 7, 1), m6="employed"),  # due 2026-01-01: censored
        _outcome("2025-07", dt.date(2025, 7, 2)),  # censored, not a failure
    ]
    january, february, july = retention_by_cohort(placements, 6, as_of)
    assert (january.placed, january.retained, january.left, january.censored, january.unknown) == (
        4,
        2,
        2,
        0,
        0,
    )
    assert january.rate == Decimal("50.0")
    assert (february.retained, february.left, february.unknown, february.rate) == (1, 0, 1, Decimal("100.0"))
    assert (july.placed, july.censored, july.judged, july.rate) == (2, 2, 0, None)
    # At one month, everything is judged but the one placement left after that.
    [january_1] = [c for c in retention_by_cohort(placements, 1, as_of) if c.cohort == "2025-01"]
    assert (january_1.left, january_1.unknown) == (0, 4)


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)
    assert add_months(dt.date(2025, 6, 30), 12) == dt.date(2026, 6, 30)


def test_retention_by_cohort_from_the_records(s):
    coach = s["centre.coach"]

    def placed(start):
        person = f.seeker(coach, s.centre)
        return f.placement(s, f.case(s, person, opened_on=start), start=start)

    kept, gone, recent, silent = (
        placed(dt.date(2025, 4, 1)),
        placed(dt.date(2025, 4, 15)),
        placed(dt.date(2026, 9, 1)),
        placed(dt.date(2025, 5, 1)),
    )
    six = kept.follow_ups.get(months=6)
    services.follow_up_record(
        actor=coach, follow_up=six, project=s.project, recorded_on=six.due_on, outcome="employed"
    )
    three = gone.follow_ups.get(months=3)
    services.follow_up_record(
        actor=coach,
        follow_up=three,
        project=s.project,
        recorded_on=three.due_on,
        outcome="left",
        left_on=three.due_on,
        left_reason="resigned",
    )
    lines = {
        c.cohort: c
        for c in selectors.retention_of_organisation(coach, s.centre, 6, as_of=dt.date(2026, 12, 1))
    }
    assert (lines["2025-04"].retained, lines["2025-04"].left, lines["2025-04"].rate) == (
        1,
        1,
        Decimal("50.0"),
    )
    assert (lines["2025-05"].unknown, lines["2025-05"].rate) == (1, None)
    assert (lines["2026-09"].censored, lines["2026-09"].rate) == (1, None)
    # Another organisation's staff count none of these placements.
    assert selectors.retention_of_organisation(s["turkistan.coach"], s.centre, 6) == []
    assert recent.start_date == dt.date(2026, 9, 1)
    assert silent.follow_ups.exclude(outcome="").count() == 0
