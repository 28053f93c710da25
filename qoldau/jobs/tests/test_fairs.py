"""Job fairs: an event of the organiser's project whose attendance is the fair's, people and
employers registered, interview slots, referrals and hires, and the funnel counted from
them; every bad input refused with a clear sentence and nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from qoldau.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from qoldau.core.models import AuditEntry
from qoldau.jobs import selectors, services
from qoldau.jobs.models import FairEmployer, FairReferral, FairSeeker, InterviewSlot, JobFair
from qoldau.jobs.tests import factories as f
from qoldau.projects import services as project_services
from qoldau.projects.models import Attendance, Event
from qoldau.projects.selectors import project_figures

pytestmark = pytest.mark.django_db

FAIR_DAY = dt.date(2025, 5, 20)
NINE, HALF_PAST_NINE, TEN = dt.time(9, 0), dt.time(9, 30), dt.time(10, 0)


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
        JobFair.objects.count(),
        FairSeeker.objects.filter(stage="registered").count(),
        FairSeeker.objects.exclude(stage="registered").count(),
        FairEmployer.objects.filter(attended=True).count(),
        InterviewSlot.objects.exclude(booked_by=None).count(),
        InterviewSlot.objects.exclude(outcome="").count(),
        FairReferral.objects.count(),
        FairReferral.objects.exclude(outcome="").count(),
        Attendance.objects.count(),
        Event.objects.count(),
    )


def test_a_fair_is_an_event_of_the_project_and_its_funnel_counts_each_stage(s):
    staff = s["centre.staff"]
    fair = f.fair(s, FAIR_DAY)
    assert (fair.event.kind, fair.event.project, fair.event.held_on) == ("job_fair", s.project, FAIR_DAY)
    people = [f.person(s) for _ in range(5)]
    registrations = [
        services.fair_register_seeker(actor=staff, fair=fair, person=p, registered_on=dt.date(2025, 5, 2))
        for p in people
    ]
    job = f.vacancy(s["employer.a"], s.employer_a)
    table_a = services.fair_register_employer(
        actor=s["employer.a"], fair=fair, employer=s.employer_a, vacancy_ids=[job.pk]
    )
    table_b = services.fair_register_employer(actor=staff, fair=fair, employer=s.employer_b)
    assert list(table_a.vacancies.all()) == [job]
    assert table_a.registered_on == FAIR_DAY  # today is after the fair: registered on its day

    assert services.fair_attendance_record(actor=staff, fair=fair, person_ids=[p.pk for p in people[:4]]) == 4
    # Recording them again adds nobody.
    assert services.fair_attendance_record(actor=staff, fair=fair, person_ids=[people[0].pk]) == 0
    assert services.fair_employers_attended(actor=staff, fair=fair, employer_ids=[s.employer_a.pk]) == 1
    fair.event.refresh_from_db()
    assert fair.event.employers == 1  # the event's figure follows the employers who came
    assert set(Attendance.objects.filter(event=fair.event).values_list("person_id", flat=True)) == {
        p.pk for p in people[:4]
    }

    nine, half_past, ten = services.interview_slots_add(
        actor=staff, fair_employer=table_a, starts_at=[TEN, NINE, HALF_PAST_NINE]
    )
    assert [slot.starts_at for slot in (nine, half_past, ten)] == [NINE, HALF_PAST_NINE, TEN]
    for slot, registration in zip((nine, half_past, ten), registrations[:3], strict=True):
        services.interview_slot_book(actor=staff, slot=slot, registration=registration)
    services.interview_record(actor=staff, slot=nine, outcome="held")
    services.interview_record(actor=staff, slot=half_past, outcome="held")
    services.interview_record(actor=staff, slot=ten, outcome="no_show")
    referral = services.referral_record(
        actor=staff, registration=registrations[0], fair_employer=table_a, referred_on=FAIR_DAY, vacancy=job
    )
    services.referral_record(actor=staff, registration=registrations[1], fair_employer=table_a)
    services.referral_outcome_record(
        actor=staff, referral=referral, outcome="hired", outcome_on=dt.date(2025, 6, 2)
    )

    funnel = selectors.fair_funnel(staff, fair)
    assert funnel.stages() == [
        ("registered", 5),
        ("attended", 4),
        ("interviewed", 2),
        ("referred", 2),
        ("hired", 1),
    ]
    assert (funnel.employers_registered, funnel.employers_attended) == (2, 1)
    assert (funnel.slots, funnel.slots_booked, funnel.interviews_held) == (3, 3, 2)
    assert [r.stage for r in selectors.fair_registrations(staff, fair)] == [
        "hired",
        "referred",
        "attended",
        "attended",
        "registered",
    ]
    # The people who came are people the project reached; the one who did not is not.
    assert project_figures(s.project).people_reached == 4
    actions = set(AuditEntry.objects.filter(object_type="job_fair").values_list("action", flat=True))
    assert {
        "fair.create",
        "fair.register_seeker",
        "fair.attendance",
        "fair.interview",
        "fair.referral",
    } <= actions
    assert table_b.attended is False


def test_the_funnel_of_several_fairs_counts_a_person_once(s, django_assert_num_queries):
    staff = s["centre.staff"]
    spring, autumn = f.fair(s, FAIR_DAY), f.fair(s, dt.date(2025, 10, 7))
    person, other = f.person(s), f.person(s)
    for fair in (spring, autumn):
        services.fair_register_seeker(actor=staff, fair=fair, person=person)
        services.fair_register_employer(actor=staff, fair=fair, employer=s.employer_a)
        services.fair_attendance_record(actor=staff, fair=fair, person_ids=[person.pk])
        services.fair_employers_attended(actor=staff, fair=fair, employer_ids=[s.employer_a.pk])
    services.fair_register_seeker(actor=staff, fair=autumn, person=other)
    with django_assert_num_queries(7):
        found = selectors.fairs_funnel(staff, s.project)
    assert [line.fair for line in found.fairs] == [spring, autumn]
    assert [(line.funnel.registered, line.funnel.attended) for line in found.fairs] == [(1, 1), (2, 1)]
    assert (found.total.registered, found.total.attended) == (2, 1)
    # The same employer at both fairs is one employer of the fairs together.
    assert (found.total.employers_registered, found.total.employers_attended) == (1, 1)
    assert sum(line.funnel.employers_attended for line in found.fairs) == 2


def test_an_event_recorded_as_a_job_fair_becomes_one_once(s):
    staff = s["centre.staff"]
    seminar, fair_event = (
        project_services.event_record(
            actor=staff,
            project=s.project,
            data=project_services.EventInput(kind=kind, title_kk="Іс-шара", held_on=FAIR_DAY),
        )
        for kind in ("online_seminar", "job_fair")
    )
    error = refused(lambda: services.fair_from_event(actor=staff, event=seminar))
    assert (type(error), error.code) == (ValidationFailed, "not_a_job_fair")
    assert en(error) == "Only an event recorded as a job fair can become one."
    fair = services.fair_from_event(actor=staff, event=fair_event)
    assert fair.event == fair_event
    error = refused(lambda: services.fair_from_event(actor=staff, event=fair_event))
    assert (type(error), error.code) == (Conflict, "duplicate")
    assert JobFair.objects.count() == 1
    # Another organisation's staff make no fair of the centre's event.
    error = refused(lambda: services.fair_from_event(actor=s["turkistan.admin"], event=seminar))
    assert type(error) is PermissionDenied


def test_bad_registrations_are_refused_and_change_nothing(s):
    staff = s["centre.staff"]
    fair = f.fair(s, FAIR_DAY)
    person = f.person(s)
    services.fair_register_seeker(actor=staff, fair=fair, person=person)
    stranger = f.person(s, s.turkistan_ngo, actor="turkistan.admin")
    job_b = f.vacancy(s["employer.b"], s.employer_b)
    before = _counts()
    cases = [
        # Another organisation's person is not one the organiser serves.
        (
            lambda: services.fair_register_seeker(actor=staff, fair=fair, person=stranger),
            NotFound,
            "not_found",
            "There is no such person among the people you serve.",
        ),
        (
            lambda: services.fair_register_seeker(actor=staff, fair=fair, person=person),
            Conflict,
            "duplicate",
            "The person is registered for this job fair already.",
        ),
        (
            lambda: services.fair_register_seeker(
                actor=staff, fair=fair, person=f.person(s), registered_on=dt.date(2025, 5, 21)
            ),
            ValidationFailed,
            "fair_over",
            "The job fair was on 2025-05-20: registration for it has closed.",
        ),
        (
            lambda: services.fair_register_employer(
                actor=staff, fair=fair, employer=s.employer_a, vacancy_ids=[job_b.pk]
            ),
            ValidationFailed,
            "wrong_employer",
            "Bring only the employer's own open vacancies to the fair.",
        ),
        (
            lambda: services.fair_register_employer(actor=s["employer.a"], fair=fair, employer=s.employer_b),
            PermissionDenied,
            "forbidden",
            "Only the job fair's organisers or the employer's own staff register the employer for it.",
        ),
        (
            lambda: services.fair_register_seeker(actor=s["turkistan.admin"], fair=fair, person=stranger),
            PermissionDenied,
            "forbidden",
            "Only the staff of the organisation holding the job fair may do this.",
        ),
        (
            lambda: services.fair_attendance_record(actor=staff, fair=fair, person_ids=[stranger.pk]),
            ValidationFailed,
            "not_registered",
            "Register the person for the job fair before recording that they came.",
        ),
        (
            lambda: services.fair_employers_attended(actor=staff, fair=fair, employer_ids=[s.employer_b.pk]),
            ValidationFailed,
            "not_registered",
            "Register the employer for the job fair before recording that it came.",
        ),
    ]
    for call, kind, code, sentence in cases:
        error = refused(call)
        assert (type(error), error.code, en(error)) == (kind, code, sentence)
    # The person made for the late registration is a core record, not the fair's.
    assert _counts() == before


def test_a_fair_still_to_come_takes_registrations_but_no_attendance(s):
    staff = s["centre.staff"]
    coming = f.fair(s, dt.date(2027, 3, 4))
    person = f.person(s)
    registration = services.fair_register_seeker(actor=staff, fair=coming, person=person)
    assert registration.registered_on <= dt.date(2027, 3, 4)
    services.fair_register_employer(actor=staff, fair=coming, employer=s.employer_a)
    before = _counts()
    for call in (
        lambda: services.fair_attendance_record(actor=staff, fair=coming, person_ids=[person.pk]),
        lambda: services.fair_employers_attended(actor=staff, fair=coming, employer_ids=[s.employer_a.pk]),
    ):
        error = refused(call)
        assert (error.code, en(error)) == (
            "fair_not_held",
            "The job fair is on 2027-03-04: what happened there is recorded from that day on.",
        )
    assert _counts() == before


def test_interviews_and_referrals_follow_the_funnel(s):
    staff = s["centre.staff"]
    fair = f.fair(s, FAIR_DAY)
    came, absent = f.person(s), f.person(s)
    registered = {
        p.pk: services.fair_register_seeker(actor=staff, fair=fair, person=p) for p in (came, absent)
    }
    table_a = services.fair_register_employer(actor=staff, fair=fair, employer=s.employer_a)
    table_b = services.fair_register_employer(actor=staff, fair=fair, employer=s.employer_b)
    services.fair_attendance_record(actor=staff, fair=fair, person_ids=[came.pk])
    services.fair_employers_attended(actor=staff, fair=fair, employer_ids=[s.employer_a.pk])
    [a_nine, a_ten] = services.interview_slots_add(actor=staff, fair_employer=table_a, starts_at=[NINE, TEN])
    [b_nine] = services.interview_slots_add(actor=staff, fair_employer=table_b, starts_at=[NINE])
    services.interview_slot_book(actor=staff, slot=a_nine, registration=registered[came.pk])
    services.interview_slot_book(actor=staff, slot=a_ten, registration=registered[absent.pk])
    other_fair = f.fair(s, dt.date(2025, 9, 1))
    elsewhere = services.fair_register_seeker(actor=staff, fair=other_fair, person=came)
    job_b = f.vacancy(s["employer.b"], s.employer_b)
    before = _counts()
    cases = [
        (
            lambda: services.interview_slots_add(actor=staff, fair_employer=table_a, starts_at=[TEN]),
            "duplicate",
            "The employer has a slot at 10:00 already.",
        ),
        (
            lambda: services.interview_slots_add(actor=staff, fair_employer=table_a, starts_at=[NINE, NINE]),
            "duplicate",
            "Each interview time is given once.",
        ),
        (
            lambda: services.interview_slot_book(
                actor=staff, slot=a_nine, registration=registered[absent.pk]
            ),
            "slot_taken",
            "The slot is booked already.",
        ),
        (
            lambda: services.interview_slot_book(actor=staff, slot=b_nine, registration=registered[came.pk]),
            "slot_taken",
            "The person has an interview at another table at 09:00.",
        ),
        (
            lambda: services.interview_slot_book(actor=staff, slot=b_nine, registration=elsewhere),
            "not_registered",
            "The person is not registered for this job fair.",
        ),
        (
            lambda: services.interview_record(actor=staff, slot=a_ten, outcome="held"),
            "not_attended",
            "The person did not come to the job fair: record their attendance first.",
        ),
        (
            lambda: services.interview_record(actor=staff, slot=b_nine, outcome="held"),
            "not_registered",
            "Nobody booked the slot.",
        ),
        (
            lambda: services.interview_record(actor=staff, slot=a_nine, outcome="maybe"),
            "invalid_choice",
            "Say whether the interview was held.",
        ),
        (
            lambda: services.referral_record(
                actor=staff, registration=registered[came.pk], fair_employer=table_a
            ),
            "not_interviewed",
            "The employer did not interview the person at the job fair: record the interview first.",
        ),
        (
            lambda: services.referral_record(
                actor=staff, registration=registered[came.pk], fair_employer=table_a, vacancy=job_b
            ),
            "wrong_employer",
            "The vacancy is another employer's.",
        ),
    ]
    for call, code, sentence in cases:
        error = refused(call)
        assert (error.code, en(error)) == (code, sentence)
    assert _counts() == before

    # At the table of an employer that did not come, no interview is held.
    services.interview_slot_book(actor=staff, slot=b_nine, registration=registered[absent.pk])
    services.fair_attendance_record(actor=staff, fair=fair, person_ids=[absent.pk])
    error = refused(lambda: services.interview_record(actor=staff, slot=b_nine, outcome="held"))
    assert (error.code, en(error)) == (
        "employer_absent",
        "The employer did not come to the job fair: record that it came first.",
    )

    services.interview_record(actor=staff, slot=a_nine, outcome="held")
    error = refused(lambda: services.interview_record(actor=staff, slot=a_nine, outcome="no_show"))
    assert (type(error), error.code) == (Conflict, "duplicate")
    error = refused(
        lambda: services.referral_record(
            actor=staff,
            registration=registered[came.pk],
            fair_employer=table_a,
            referred_on=dt.date(2025, 5, 19),
        )
    )
    assert (error.code, en(error)) == (
        "fair_not_held",
        "A referral from the job fair is made on its day (2025-05-20) or after.",
    )
    referral = services.referral_record(actor=staff, registration=registered[came.pk], fair_employer=table_a)
    error = refused(
        lambda: services.referral_record(actor=staff, registration=registered[came.pk], fair_employer=table_a)
    )
    assert (type(error), error.code) == (Conflict, "duplicate")
    error = refused(
        lambda: services.referral_outcome_record(
            actor=staff,
            referral=referral,
            outcome="hired",
            outcome_on=referral.referred_on - dt.timedelta(days=1),
        )
    )
    assert en(error) == f"The outcome cannot come before the referral ({referral.referred_on.isoformat()})."
    services.referral_outcome_record(
        actor=staff, referral=referral, outcome="not_hired", outcome_on=referral.referred_on
    )
    error = refused(
        lambda: services.referral_outcome_record(
            actor=staff, referral=referral, outcome="hired", outcome_on=referral.referred_on
        )
    )
    assert (type(error), error.code) == (Conflict, "duplicate")
    # Not hired leaves the person referred: the funnel never goes back.
    assert FairSeeker.objects.get(pk=registered[came.pk].pk).stage == "referred"


def test_who_sees_a_fairs_funnel_and_who_organises_it(s):
    fair = f.fair(s, FAIR_DAY)
    for name in ("centre.staff", "centre.coach", "akimat.almaty", "ministry", "sysadmin"):
        assert selectors.fair_funnel(s[name], fair).registered == 0, name
    for name in ("turkistan.admin", "akimat.turkistan", "nobody"):
        error = refused(lambda name=name: selectors.fair_funnel(s[name], fair))
        assert (type(error), en(error)) == (
            NotFound,
            "There is no such job fair, or it is outside your scope.",
        )
    # Officers follow the counts; only the organiser's staff read who registered.
    error = refused(lambda: selectors.fair_registrations(s["akimat.almaty"], fair))
    assert type(error) is PermissionDenied
    assert selectors.fair_registrations(s["centre.coach"], fair) == []
