"""What the parts of the employment demo share: its random numbers, the users and
employers made so far, and how a generated employer and a demo user are made."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db.models import QuerySet

from qoldau.core import demo_data as d
from qoldau.core import services as core_services
from qoldau.core.identifiers import make_bin
from qoldau.core.models import Organisation, Place
from qoldau.jobs.demo.data import BIN_SERIALS, GENERATED_EN, GENERATED_KK, GENERATED_RU, SEED, Sector

T = TypeVar("T")
Progress = Callable[[Iterable[Any], str], Iterable[Any]]


def no_progress(items: Iterable[T], label: str) -> Iterable[T]:
    return items


@dataclass
class DemoState:
    progress: Progress = no_progress
    rnd: random.Random = field(default_factory=lambda: random.Random(SEED))  # noqa: S311 - demo data
    serial: int = BIN_SERIALS
    users: dict[str, User] = field(default_factory=dict)
    employers: list[Organisation] = field(default_factory=list)
    sectors: dict[int, Sector] = field(default_factory=dict)
    districts: dict[int, int] = field(default_factory=dict)  # employer → district

    def new_bin(self) -> str:
        """A valid BIN no organisation has."""
        while True:
            self.serial += 1
            number = make_bin(2008 + self.serial % 15, 1 + self.serial % 12, self.serial)
            if number is not None and not Organisation.objects.filter(bin=number).exists():
                return number

    def employer(
        self,
        region: Place,
        district: Place | None,
        sector: Sector,
        brand: tuple[str, str],
        city: bool = False,
    ) -> Organisation:
        """A generated company, its name saying so (and, outside Almaty, where it is)."""
        kk, en = brand
        where_kk, where_ru, where_en = (
            (f"{region.name_kk}, ", f"{region.name_ru}, ", f"{region.name_en}, ") if city else ("", "", "")
        )
        return core_services.organisation_create(
            actor=None,
            bin=self.new_bin(),
            kind=Organisation.Kind.COMPANY,
            name_kk=f"«{kk} {sector.kk}» ЖШС ({where_kk}{GENERATED_KK})",
            name_ru=f"ТОО «{kk} {sector.ru}» ({where_ru}{GENERATED_RU})",
            name_en=f'"{en} {sector.en}" LLP ({where_en}{GENERATED_EN})',
            region_id=region.pk,
            district_id=district.pk if district is not None else None,
            in_state_ngo_database=False,
        )

    def user(self, username: str, role: str, organisation: Organisation, *, password: bool) -> User:
        """A user with a role at an organisation; a demo user (with the demo password) or not."""
        user = User.objects.create_user(username, password=d.DEMO_PASSWORD if password else None)
        core_services.role_assign(actor=None, user=user, role=role, organisation=organisation)
        return user

    def organisations(self) -> QuerySet[Organisation]:
        """Almaty's generated employers."""
        return Organisation.objects.filter(pk__in=[e.pk for e in self.employers])
