"""Qorgan-M's six job fairs in the demo (article 000): the events recorded as job fairs
become fairs; the 125 people who attended each registered for theirs, with a few who
registered and did not come; the 65 employers that came are generated companies of the
fairs' regions. The article gives only the attendance: the interviews, referrals and hires
are generated."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from qoldau.core import demo_data as d
from qoldau.core.models import Person
from qoldau.jobs import services
from qoldau.jobs.demo.common import DemoState
from qoldau.jobs.demo.data import BRANDS, SECTORS
from qoldau.jobs.models import FairEmployer, FairSeeker, InterviewSlot
from qoldau.projects.models import Attendance, Event


def load_fairs(state: DemoState) -> None:
    rnd = state.rnd
    staff = User.objects.get(username="qorgan.staff")
    events = list(
        Event.objects.filter(
            kind=Event.Kind.JOB_FAIR, project__organisation__name_en=d.ORGANISATIONS[0].name_en
        )
        .select_related("place", "project")
        .order_by("held_on", "pk")
    )
    attended_anywhere = set(Attendance.objects.filter(event__in=events).values_list("person_id", flat=True))
    brand_index = 0
    for event in state.progress(events, "Qorgan-M: job fairs"):
        fair = services.fair_from_event(actor=staff, event=event)
        attendees = list(
            Attendance.objects.filter(event=event).order_by("person_id").values_list("person_id", flat=True)
        )
        region = event.place
        if region is None:
            raise ValueError(f"The job fair {event.pk} has no place: its employers would have no region.")
        # A few people of the region registered and did not come.
        others = list(
            Person.objects.filter(organisation=event.project.organisation, region=region)
            .exclude(pk__in=attended_anywhere)
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        absent = rnd.sample(others, min(len(others), rnd.randint(2, 5)))
        attended_anywhere.update(absent)
        people = Person.objects.in_bulk([*attendees, *absent])
        registrations: dict[int, FairSeeker] = {}
        for person_id in [*attendees, *absent]:
            registrations[person_id] = services.fair_register_seeker(
                actor=staff,
                fair=fair,
                person=people[person_id],
                registered_on=event.held_on - dt.timedelta(days=rnd.randint(1, 14)),
            )
        tables: list[FairEmployer] = []
        for _number in range(event.employers):
            sector = SECTORS[brand_index % len(SECTORS)]
            brand = BRANDS[(brand_index * 7) % len(BRANDS)]
            brand_index += 1
            employer = state.employer(region, None, sector, brand, city=True)
            tables.append(
                services.fair_register_employer(
                    actor=staff,
                    fair=fair,
                    employer=employer,
                    registered_on=event.held_on - dt.timedelta(days=rnd.randint(3, 20)),
                )
            )
        services.fair_attendance_record(actor=staff, fair=fair, person_ids=attendees)
        services.fair_employers_attended(actor=staff, fair=fair, employer_ids=[t.employer_id for t in tables])
        times = [dt.time(10 + minutes // 60, minutes % 60) for minutes in range(0, 180, 20)]
        slots = {
            table.pk: services.interview_slots_add(actor=staff, fair_employer=table, starts_at=times)
            for table in tables
        }
        for person_id in attendees:
            registration = registrations[person_id]
            interviewed: list[FairEmployer] = []
            for table in rnd.sample(tables, rnd.choice([0, 1, 1, 2])):
                free = [s for s in slots[table.pk] if s.booked_by_id is None]
                taken = set(
                    InterviewSlot.objects.filter(booked_by=registration).values_list("starts_at", flat=True)
                )
                free = [s for s in free if s.starts_at not in taken]
                if not free:
                    continue
                slot = services.interview_slot_book(
                    actor=staff, slot=rnd.choice(free), registration=registration
                )
                held = rnd.random() < 0.88
                services.interview_record(actor=staff, slot=slot, outcome="held" if held else "no_show")
                if held:
                    interviewed.append(table)
            if interviewed and rnd.random() < 0.45:
                referral = services.referral_record(
                    actor=staff,
                    registration=registration,
                    fair_employer=rnd.choice(interviewed),
                    referred_on=event.held_on,
                )
                services.referral_outcome_record(
                    actor=staff,
                    referral=referral,
                    outcome="hired" if rnd.random() < 0.4 else "not_hired",
                    outcome_on=event.held_on + dt.timedelta(days=rnd.randint(7, 30)),
                )
