"""A commission with its members, a contest with criteria and applications to score:
the scene the commission pages' tests and the seat-read test share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse

from qoldau.contests import selectors, services
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


@dataclass
class HalfScored:
    panel: f.Panel
    first: Application
    second: Application

    @property
    def c(self) -> int:
        return int(self.panel.commission.pk)


def half_scored(*, approved: bool = False) -> HalfScored:
    """An Almaty commission with two eligible applications (one scored by everyone, the
    other by the chair only, one member's marks far from the others), one application
    waiting for the eligibility check; with `approved`, everything scored and approved."""
    minister = f.ministry()
    contest = f.contest(actor=minister)
    panel = f.regional_panel(contest, kato=ALMATY, actor=minister, members=3)
    first = f.eligible(f.contest_application(contest, title="Инклюзивті шеберхана"), panel.secretary)
    second = f.eligible(f.contest_application(contest, title="Ымдау тілі курсы"), panel.secretary)
    f.contest_application(contest, title="Тексерілмеген өтінім")
    criteria = selectors.criteria_of(panel.commission)
    for scorer, value in zip(panel.scorers, [8, 8, 7, 1], strict=True):
        services.scores_record(
            actor=scorer,
            commission=panel.commission,
            application=first,
            scores=[services.ScoreInput(c.pk, Decimal(value), "Түсініктеме") for c in criteria],
        )
    if approved:
        f.score_all(panel, second, [9, 9, 9])
        services.commission_approve(actor=panel.chair, commission=panel.commission)
    else:
        services.scores_record(
            actor=panel.chair,
            commission=panel.commission,
            application=second,
            scores=[services.ScoreInput(c.pk, Decimal(6)) for c in criteria],
        )
    return HalfScored(panel, first, second)
