"""A commission with its members, a contest with criteria and applications to score:
the scene the commission pages' tests and the seat-read test share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse

from qoldau.contests import selectors
from qoldau.contests.models import Application, Commission, Contest, Criterion
from qoldau.contests.tests import factories as f
from qoldau.core.tests.factories import ALMATY, ASTANA


@dataclass
class Scene:
    minister: User
    contest: Contest
    almaty: f.Panel
    astana: f.Panel
    first: Application  # Almaty, eligible
    second: Application  # Almaty, eligible
    astana_application: Application  # Astana, eligible
    criteria: list[Criterion]

    @property
    def commission(self) -> Commission:
        return self.almaty.commission


def scene(members: int = 2) -> Scene:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    almaty = f.regional_panel(contest, kato=ALMATY, actor=minister, members=members)
    astana = f.regional_panel(contest, kato=ASTANA, actor=minister)
    first = f.eligible(
        f.contest_application(contest, kato=ALMATY, title="Инклюзивті шеберхана"), almaty.secretary
    )
    second = f.eligible(
        f.contest_application(contest, kato=ALMATY, title="Ымдау тілі курсы"), almaty.secretary
    )
    other = f.eligible(f.contest_application(contest, kato=ASTANA, title="Астана жобасы"), astana.secretary)
    return Scene(
        minister, contest, almaty, astana, first, second, other, selectors.criteria_of(almaty.commission)
    )


def sheet(s: Scene, values: list[str], comments: list[str] | None = None) -> dict[str, str]:
    data = {}
    for index, (criterion, value) in enumerate(zip(s.criteria, values, strict=True)):
        data[f"criterion_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = comments[index] if comments else ""
    return data


def score_url(s: Scene, application: Application, commission: Commission | None = None) -> str:
    return reverse(
        "contests:score",
        kwargs={"commission_id": (commission or s.commission).pk, "application_id": application.pk},
    )


def text(response: Any) -> str:
    return str(response.content.decode())
