"""What the parts of the social-services demo share: the random numbers, Almaty and its
districts, the catalogue's terms, and the providers made so far with their services."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils import timezone

from qoldau.core import demo_data as d
from qoldau.core.models import Place
from qoldau.projects.models import Project, ServiceType
from qoldau.services.demo.data import SEED
from qoldau.services.models import CatalogueTerm, Provider, Service

T = TypeVar("T")
Progress = Callable[[Iterable[Any], str], Iterable[Any]]


def no_progress(items: Iterable[T], label: str) -> Iterable[T]:
    return items


@dataclass
class ProviderPlan:
    """A provider as the demo made it: its main service (where its recipients are
    enrolled), that service's capacity and unit, how many people it served in the year,
    its project and its district."""

    provider: Provider
    service: Service
    unit: str
    places: int
    recipients: int
    project: Project
    district: Place
    # Typical days a person stays enrolled.
    stay_days: int
    ages: tuple[int, int]
    categories: tuple[str, ...]
    key: str = ""


@dataclass
class DemoState:
    progress: Progress = no_progress
    rnd: random.Random = field(default_factory=lambda: random.Random(SEED))  # noqa: S311 - demo data
    # The moment of loading: what is live (open offers, referrals not yet due, permits
    # expiring soon) is dated from it; the year's records are dated in 2025.
    now: dt.datetime = field(default_factory=timezone.now)
    almaty: Place = field(default_factory=lambda: Place.objects.get(kato=d.ALMATY, level=Place.Level.REGION))
    districts: dict[str, Place] = field(default_factory=dict)
    settings: dict[str, CatalogueTerm] = field(default_factory=dict)
    types: dict[str, CatalogueTerm] = field(default_factory=dict)
    delivery_type: ServiceType | None = None
    plans: list[ProviderPlan] = field(default_factory=list)
    serial: int = 0

    def __post_init__(self) -> None:
        if not self.districts:
            self.districts = {
                p.name_en: p for p in Place.objects.filter(parent=self.almaty, level=Place.Level.DISTRICT)
            }

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def plan(self, key: str) -> ProviderPlan:
        return next(p for p in self.plans if p.key == key)
