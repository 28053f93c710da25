"""A small interpreting service's 2025 whose figures are computed by hand (the dashboard's
interpreting section and the seam's tests share it).

An Almaty service, three entitled people (60 hours a year each, 180 in all), two of them
living in Almaty region and one whose region is not recorded. Queued calls:

- March: ten calls: seven answered after 10, 30, 60, 100, 120, 150 and 200
  seconds (five within 120 s: 50.0 %; median 100 s; p95 by nearest rank: the 7th, 200 s),
  two missed and one given up (three missed);
- April: one call answered after 40 s.

The period: 11 calls, 8 answered, 6 within 120 s (54.5 %), median of the eight waits
(60 + 100) / 2 = 80 s, p95 the 8th of 8, 200 s, 3 missed. Each answered call was a
session of 10 minutes (80 minutes, 1.3 hours used): March's for a medical purpose, April's
legal; by region, Almaty 60 minutes (two people), not recorded 20 minutes (one person)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from qoldau.core.models import Person, Place
from qoldau.core.tests import factories as core_factories
from qoldau.interpreting.models import Call, CallStatus, Purpose, Session
from qoldau.interpreting.tests import factories

ALMATY_TZ = ZoneInfo("Asia/Almaty")
MARCH_WAITS = [10, 30, 60, 100, 120, 150, 200]


@dataclass
class FiguresScene:
    scene: factories.Scene
    people: list[Person]


def figures_scene(*, kato: str = core_factories.ALMATY) -> FiguresScene:
    s = factories.scene(interpreters=1, kato=kato)
    (interpreter,) = s.interpreters
    people = [factories.deaf_citizen(s, hours=60)[1] for _ in range(3)]
    region = Place.objects.get(kato=kato, level=Place.Level.REGION)
    Person.objects.filter(pk__in=[people[0].pk, people[1].pk]).update(region=region)

    def call(at: dt.datetime, person: Person, purpose: str, wait: int | None, status: str) -> None:
        answered = at + dt.timedelta(seconds=wait) if wait is not None else None
        made = Call.objects.create(
            service=s.service,
            person=person,
            place="Алматы",
            purpose=purpose,
            status=status,
            created_at=at,
            answered_at=answered,
            closed_at=(answered or at) + dt.timedelta(minutes=10),
        )
        if answered is not None:
            Session.objects.create(
                call=made,
                interpreter=interpreter,
                person=person,
                started_at=answered,
                ended_at=answered + dt.timedelta(minutes=10),
                minutes=10,
            )

    march = dt.datetime(2025, 3, 10, 10, 0, tzinfo=ALMATY_TZ)
    for i, wait in enumerate(MARCH_WAITS):
        call(march + dt.timedelta(hours=i), people[i % 3], Purpose.MEDICAL, wait, CallStatus.CONNECTED)
    call(march + dt.timedelta(days=1), people[0], Purpose.MEDICAL, None, CallStatus.MISSED)
    call(march + dt.timedelta(days=1, hours=1), people[1], Purpose.MEDICAL, None, CallStatus.MISSED)
    call(march + dt.timedelta(days=1, hours=2), people[2], Purpose.MEDICAL, None, CallStatus.CANCELLED)
    call(dt.datetime(2025, 4, 2, 11, 0, tzinfo=ALMATY_TZ), people[1], Purpose.LEGAL, 40, CallStatus.CONNECTED)
    return FiguresScene(scene=s, people=people)
