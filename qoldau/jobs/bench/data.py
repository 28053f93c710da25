"""The bench's data, written straight into the tables (the package's text), and its
removal."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction

from qoldau.access import accessibility
from qoldau.core.identifiers import make_bin
from qoldau.core.models import Consent, Identity, Organisation, Person, Place, Role, RoleAssignment
from qoldau.jobs.bench.common import (
    BENCH_ORG,
    BUILDINGS,
    EMPLOYER_PREFIX,
    EMPLOYERS,
    NIGHT_WORK,
    REGIONS,
    SEED,
    SEEKERS,
    STEP_FREE,
    TACTILE,
    TRAP_KINDS,
    USER_PREFIX,
    VACANCIES,
    YEAR,
    BenchData,
    Trap,
    Writer,
    bench_employers,
    bench_org,
    bench_seekers,
    bench_vacancies,
)
from qoldau.jobs.models import (
    Accommodation,
    CoachingCase,
    EducationLevel,
    Occupation,
    Placement,
    QuotaExemption,
    QuotaSanction,
    Seeker,
    StaffReport,
    Vacancy,
    WorkingCondition,
)
from qoldau.projects.models import Project, ServiceDelivery, ServiceType


def _sizes_match(organisation: Organisation, seekers: int, vacancies: int, employers: int) -> bool:
    return (
        bench_seekers(organisation).count() == seekers
        and bench_vacancies().count() == vacancies
        and bench_employers().count() == employers
    )


def _traps(organisation: Organisation) -> list[Trap]:
    """The traps, read back from the vacancies' titles (`TRAP <kind> <seeker>` and `TWIN
    <kind> <seeker>`)."""
    found: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for pk, title in bench_vacancies().filter(title_en__regex=r"^(TRAP|TWIN) ").values_list("pk", "title_en"):
        role, kind, seeker_id = title.split(" ")
        found[(kind, int(seeker_id))][role] = pk
    return [
        Trap(seeker_id=seeker_id, trap_id=pair["TRAP"], twin_id=pair["TWIN"], kind=kind)
        for (kind, seeker_id), pair in sorted(found.items(), key=lambda item: item[0][1])
    ]


def _data(organisation: Organisation) -> BenchData:
    return BenchData(
        organisation=organisation,
        staff=User.objects.get(username=f"{USER_PREFIX}staff"),
        officer=User.objects.get(username=f"{USER_PREFIX}officer"),
        region=Place.objects.get(kato=REGIONS[0][0], level=Place.Level.REGION),
        traps=_traps(organisation),
    )


def bench_generate(
    *, seekers: int = SEEKERS, vacancies: int = VACANCIES, employers: int = EMPLOYERS, out: Writer
) -> BenchData:
    """The bench organisation's seekers, the bench employers with their vacancies (traps
    among them), staff reports, placements, exemptions and sanctions; reused when they are
    there with the same sizes."""
    existing = bench_org()
    if existing is not None and _sizes_match(existing, seekers, vacancies, employers):
        return _data(existing)
    if existing is not None:
        bench_remove()
    started = time.perf_counter()
    with transaction.atomic():
        data = _Generator(seekers=seekers, vacancies=vacancies, employers=employers).run()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Person, Consent, Seeker, Vacancy, Placement, StaffReport, CoachingCase):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            for through in (
                Seeker.occupations.through,
                Seeker.contraindications.through,
                Seeker.accommodations_needed.through,
                Vacancy.conditions.through,
                Vacancy.accommodations_offered.through,
            ):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(through._meta.db_table)}")
    out.write(
        f"generated {seekers:,} seekers, {vacancies:,} vacancies ({len(data.traps) * 2:,} of them traps and "
        f"their twins) of {employers:,} employers in {time.perf_counter() - started:.1f} s"
    )
    return data


@dataclass
class _Generator:
    seekers: int
    vacancies: int
    employers: int
    rnd: random.Random = field(default_factory=lambda: random.Random(SEED))  # noqa: S311 - bench data

    def run(self) -> BenchData:
        self.regions = {
            kato: Place.objects.get(kato=kato, level=Place.Level.REGION) for kato, _share in REGIONS
        }
        self.districts = {
            kato: list(Place.objects.filter(parent=region).order_by("pk").values_list("pk", flat=True))
            for kato, region in self.regions.items()
        }
        home = self.regions[REGIONS[0][0]]
        bins = self._bins(self.employers + 1)
        organisation = Organisation.objects.create(
            kind=Organisation.Kind.NGO, bin=bins[0], name_kk=BENCH_ORG, region=home
        )
        staff = User.objects.create_user(f"{USER_PREFIX}staff")
        officer = User.objects.create_user(f"{USER_PREFIX}officer")
        RoleAssignment.objects.create(user=staff, role=Role.NGO_STAFF, organisation=organisation)
        RoleAssignment.objects.create(user=officer, role=Role.AKIMAT_OFFICER, region=home)
        employers = Organisation.objects.bulk_create(
            Organisation(
                kind=Organisation.Kind.COMPANY, bin=bins[n], name_kk=f"{EMPLOYER_PREFIX}{n:05d}", region=home
            )
            for n in range(1, self.employers + 1)
        )
        self.occupations = list(
            Occupation.objects.filter(level=Occupation.Level.UNIT, active=True).values_list("pk", flat=True)
        )
        self.conditions = dict(WorkingCondition.objects.values_list("code", "pk"))
        self.accommodations = dict(Accommodation.objects.values_list("code", "pk"))
        self.buildings = self._buildings()
        seekers = self._seekers(organisation)
        traps_wanted = min(max(4, self.vacancies // 20), self.vacancies // 2)
        trap_seekers = [s for s in seekers if s.region_id == home.pk][:traps_wanted]
        self._make_trap_seekers(trap_seekers)
        traps = self._vacancies(employers, trap_seekers)
        self._quota(organisation, staff, employers, seekers)
        return BenchData(organisation=organisation, staff=staff, officer=officer, region=home, traps=traps)

    def _bins(self, count: int) -> list[str]:
        """Valid BINs no organisation has (registered in 2099's months: never a real one)."""
        taken = set(Organisation.objects.exclude(bin=None).values_list("bin", flat=True))
        found: list[str] = []
        serial = 0
        while len(found) < count:
            serial += 1
            number = make_bin(2099, 1 + serial % 12, serial)
            if number is not None and number not in taken:
                taken.add(number)
                found.append(number)
        return found

    # Buildings, through the access app's seam ------------------------------------------

    def _buildings(self) -> dict[str, list[tuple[int, int | None, dict[str, str]]]]:
        """Each region's assessed buildings with their district and statuses."""
        found: dict[str, list[tuple[int, int | None, dict[str, str]]]] = {}
        for kato, region in self.regions.items():
            placed = accessibility.objects_in_region(region.pk, assessed_only=True, limit=BUILDINGS)
            statuses = accessibility.statuses_of(b.id for b in placed)
            found[kato] = [(b.id, b.district_id, statuses.get(b.id, {})) for b in placed]
        return found

    # Seekers ------------------------------------------------------------------------------

    def _region(self) -> str:
        return self.rnd.choices([kato for kato, _s in REGIONS], [share for _k, share in REGIONS])[0]

    def _seekers(self, organisation: Organisation) -> list[Seeker]:
        rnd = self.rnd
        identities = Identity.objects.bulk_create(Identity() for _ in range(self.seekers))
        places = [self._region() for _ in range(self.seekers)]
        people = Person.objects.bulk_create(
            (
                Person(
                    organisation=organisation,
                    identity=identity,
                    no_iin_reason=Person.NoIinReason.OTHER,
                    last_name=f"Bench{n}",
                    first_name="Seeker",
                    region=self.regions[kato],
                    district_id=rnd.choice(self.districts[kato]) if self.districts[kato] else None,
                )
                for n, (identity, kato) in enumerate(zip(identities, places, strict=True), start=1)
            ),
            batch_size=2000,
        )
        Consent.objects.bulk_create(
            (Consent(person=p, organisation=organisation, given_on=dt.date(2025, 1, 10)) for p in people),
            batch_size=5000,
        )
        education = list(EducationLevel.values)
        seekers = Seeker.objects.bulk_create(
            (
                Seeker(
                    person=person,
                    region=self.regions[kato],
                    education=rnd.choice(education[2:]),
                    experience_months=rnd.choice([0, 6, 12, 24, 60, 120]),
                    district_id=person.district_id,
                    weekly_hours_wanted=rnd.choice([None, 20, 30, 40, 40]),
                    pay_wanted=Decimal(rnd.randrange(90_000, 400_000, 10_000))
                    if rnd.random() < 0.7
                    else None,
                    remote_ok=rnd.random() < 0.1,
                    categories_needed="".join(
                        sorted(
                            set(rnd.choices("КОСГУ", [25, 25, 20, 15, 15], k=rnd.choice([1, 1, 1, 2]))),
                            key="КОСГУ".index,
                        )
                    )
                    if rnd.random() < 0.3
                    else "",
                    registered_on=dt.date(2025, 1, 10),
                )
                for person, kato in zip(people, places, strict=True)
            ),
            batch_size=5000,
        )
        conditions = list(self.conditions.values())
        accommodations = list(self.accommodations.values())
        self._link(
            Seeker.occupations.through,
            "seeker_id",
            "occupation_id",
            {s.pk: rnd.sample(self.occupations, rnd.choice([1, 1, 2])) for s in seekers},
        )
        self._link(
            Seeker.contraindications.through,
            "seeker_id",
            "workingcondition_id",
            {s.pk: rnd.sample(conditions, rnd.choices([0, 1, 2, 3], [40, 35, 20, 5])[0]) for s in seekers},
        )
        self._link(
            Seeker.accommodations_needed.through,
            "seeker_id",
            "accommodation_id",
            {s.pk: rnd.sample(accommodations, rnd.choice([0, 0, 1, 2])) for s in seekers},
        )
        return seekers

    def _link(self, through: Any, left: str, right: str, pairs: dict[int, Sequence[int]]) -> None:
        through.objects.bulk_create(
            (through(**{left: a, right: b}) for a, bs in pairs.items() for b in bs), batch_size=10_000
        )

    def _make_trap_seekers(self, seekers: list[Seeker]) -> None:
        """Trap seekers need К, their ИПАР rules out night work, and they need a step-free
        workplace; nothing else is asked of them that a vacancy made for them misses."""
        ids = [s.pk for s in seekers]
        Seeker.objects.filter(pk__in=ids).update(
            categories_needed="К",
            pay_wanted=Decimal(150_000),
            weekly_hours_wanted=40,
            remote_ok=False,
            education=EducationLevel.GENERAL_SECONDARY,
            experience_months=24,
        )
        Seeker.contraindications.through.objects.filter(seeker_id__in=ids).delete()
        Seeker.accommodations_needed.through.objects.filter(seeker_id__in=ids).delete()
        self._link(
            Seeker.contraindications.through,
            "seeker_id",
            "workingcondition_id",
            {i: [self.conditions[NIGHT_WORK]] for i in ids},
        )
        self._link(
            Seeker.accommodations_needed.through,
            "seeker_id",
            "accommodation_id",
            {i: [self.accommodations[STEP_FREE]] for i in ids},
        )

    # Vacancies -----------------------------------------------------------------------------

    def _vacancies(self, employers: list[Organisation], trap_seekers: list[Seeker]) -> list[Trap]:
        rnd = self.rnd
        rows: list[Vacancy] = []
        conditions: list[list[int]] = []
        offered: list[list[int]] = []
        all_conditions = list(self.conditions.values())
        all_accommodations = list(self.accommodations.values())
        for _n in range(self.vacancies - 2 * len(trap_seekers)):
            kato = self._region()
            building = (
                rnd.choice(self.buildings[kato]) if self.buildings[kato] and rnd.random() < 0.85 else None
            )
            remote = rnd.random() < 0.08
            hours = rnd.choice([20, 30, 40, 40, 40])
            pay = Decimal(rnd.randrange(90_000, 450_000, 5_000))
            rows.append(
                Vacancy(
                    employer=rnd.choice(employers),
                    occupation_id=rnd.choice(self.occupations),
                    title_kk="Бос орын",
                    title_en="Vacancy",
                    weekly_hours=hours,
                    pay_from=pay,
                    pay_to=pay * Decimal("1.25") if rnd.random() < 0.5 else None,
                    positions=rnd.choice([1, 1, 2, 3]),
                    quota=rnd.random() < 0.3,
                    remote=remote,
                    workplace_id=None if remote or building is None else building[0],
                    region=self.regions[kato],
                    district_id=(building[1] if building else None)
                    or (rnd.choice(self.districts[kato]) if self.districts[kato] else None),
                    education_required=rnd.choice(["", "", "general_secondary", "vocational", "higher"]),
                    experience_months_required=rnd.choice([0, 0, 6, 12, 24]),
                    opens_on=dt.date(2025, 1, 6) + dt.timedelta(days=rnd.randint(0, 300)),
                    status=Vacancy.Status.OPEN if rnd.random() < 0.9 else Vacancy.Status.CLOSED,
                )
            )
            conditions.append(rnd.sample(all_conditions, rnd.choices([0, 1, 2, 3], [35, 35, 20, 10])[0]))
            offered.append(rnd.sample(all_accommodations, rnd.choices([0, 1, 2, 3], [30, 30, 25, 15])[0]))
        traps = self._trap_rows(trap_seekers, employers, rows, conditions, offered)
        created = Vacancy.objects.bulk_create(rows, batch_size=2000)
        self._link(
            Vacancy.conditions.through,
            "vacancy_id",
            "workingcondition_id",
            {v.pk: c for v, c in zip(created, conditions, strict=True)},
        )
        self._link(
            Vacancy.accommodations_offered.through,
            "vacancy_id",
            "accommodation_id",
            {v.pk: a for v, a in zip(created, offered, strict=True)},
        )
        by_title = {v.title_en: v.pk for v in created if v.title_en.startswith(("TRAP ", "TWIN "))}
        return [
            Trap(
                seeker_id=seeker_id,
                trap_id=by_title[f"TRAP {kind} {seeker_id}"],
                twin_id=by_title[f"TWIN {kind} {seeker_id}"],
                kind=kind,
            )
            for seeker_id, kind in traps
        ]

    def _trap_rows(
        self,
        seekers: list[Seeker],
        employers: list[Organisation],
        rows: list[Vacancy],
        conditions: list[list[int]],
        offered: list[list[int]],
    ) -> list[tuple[int, str]]:
        """A trap and its twin for each trap seeker (module text)."""
        home = REGIONS[0][0]
        not_for_k = [b for b in self.buildings[home] if b[2].get("К") != accessibility.ACCESSIBLE]
        partial = [b for b in not_for_k if b[2].get("К") in {"partial", accessibility.UNKNOWN}] or not_for_k
        occupation_of = dict(
            Seeker.occupations.through.objects.filter(seeker__in=seekers).values_list(
                "seeker_id", "occupation_id"
            )
        )
        made = []
        for index, seeker in enumerate(seekers):
            kind = TRAP_KINDS[index % len(TRAP_KINDS)]
            building: tuple[int, int | None, dict[str, str]] | None = None
            if kind == "contraindicated" and self.buildings[home]:
                building = self.rnd.choice(self.buildings[home])
            elif kind == "other_category" and not_for_k:
                building = self.rnd.choice(not_for_k)
            elif kind == "partial" and partial:
                building = self.rnd.choice(partial)
            trap_conditions = [self.conditions[NIGHT_WORK]] if kind == "contraindicated" else []
            trap_offered = {
                "contraindicated": [self.accommodations[STEP_FREE]],
                "other_category": [self.accommodations[TACTILE]],
                "no_building": [self.accommodations["flexible_schedule"]],
                "partial": [],
            }[kind]
            twin_offered = [self.accommodations[STEP_FREE]] + (
                [self.accommodations[TACTILE]] if kind == "other_category" else []
            )
            employer = employers[index % len(employers)]
            for role, conds, offers in (("TRAP", trap_conditions, trap_offered), ("TWIN", [], twin_offered)):
                rows.append(
                    Vacancy(
                        employer=employer,
                        occupation_id=occupation_of[seeker.pk],
                        title_kk="Бос орын",
                        title_en=f"{role} {kind} {seeker.pk}",
                        weekly_hours=40,
                        pay_from=Decimal(200_000),
                        positions=1,
                        remote=False,
                        workplace_id=building[0] if building else None,
                        region_id=seeker.region_id,
                        district_id=seeker.district_id,
                        opens_on=dt.date(2025, 1, 6),
                        status=Vacancy.Status.OPEN,
                    )
                )
                conditions.append(conds)
                offered.append(offers)
            made.append((seeker.pk, kind))
        return made

    # The quota -----------------------------------------------------------------------------

    def _quota(
        self, organisation: Organisation, staff: User, employers: list[Organisation], seekers: list[Seeker]
    ) -> None:
        """Staff reports (some with a later report in the year, which counts; some with one
        of the year before too, which does not), placements counting or not (not a quota job, started before
        the report, ended before the year's end, started the year before), exemptions,
        warnings and fines."""
        rnd = self.rnd
        reports = []
        for employer in employers:
            headcount = int(min(20_000, max(10, rnd.lognormvariate(4.6, 1.1))))
            hazardous = int(headcount * rnd.choice([0, 0, 0, 0.05, 0.2]))
            disabled = min(headcount - hazardous, int(headcount * rnd.choice([0, 0.005, 0.01, 0.02, 0.04])))
            reports.append(
                StaffReport(
                    employer=employer,
                    as_of=dt.date(YEAR, 1, 15),
                    headcount=headcount,
                    hazardous_jobs=hazardous,
                    employees_with_disabilities=disabled,
                )
            )
            if rnd.random() < 0.05:
                reports.append(
                    StaffReport(
                        employer=employer,
                        as_of=dt.date(YEAR - 1, 1, 15),
                        headcount=headcount * 2,
                        hazardous_jobs=0,
                        employees_with_disabilities=0,
                    )
                )
            if rnd.random() < 0.1:
                grown = int(headcount * 1.1) + 1
                reports.append(
                    StaffReport(
                        employer=employer,
                        as_of=dt.date(YEAR, 6, 1),
                        headcount=grown,
                        hazardous_jobs=hazardous,
                        employees_with_disabilities=min(grown, disabled + 1),
                    )
                )
        StaffReport.objects.bulk_create(reports, batch_size=5000)
        home = Place.objects.get(kato=REGIONS[0][0], level=Place.Level.REGION)
        project = Project.objects.create(
            organisation=organisation,
            title_kk=BENCH_ORG,
            starts_on=dt.date(YEAR - 1, 1, 1),
            ends_on=dt.date(YEAR + 1, 12, 31),
            funding_source="own_funds",
        )
        project.regions.set([home])
        service = ServiceType.objects.get(code="job_placement")
        placed = rnd.sample(seekers, min(len(seekers), 3 * len(employers)))
        identity_of = dict(
            Person.objects.filter(pk__in=[s.person_id for s in placed]).values_list("pk", "identity_id")
        )
        starts = []
        for _seeker in placed:
            roll = rnd.random()
            if roll < 0.05:
                starts.append(dt.date(YEAR - 1, 11, 1) + dt.timedelta(days=rnd.randint(0, 40)))
            elif roll < 0.15:
                starts.append(dt.date(YEAR, 1, 2) + dt.timedelta(days=rnd.randint(0, 12)))
            else:
                starts.append(dt.date(YEAR, 2, 1) + dt.timedelta(days=rnd.randint(0, 300)))
        cases = CoachingCase.objects.bulk_create(
            (
                CoachingCase(
                    seeker=s,
                    coach=staff,
                    opened_on=day - dt.timedelta(days=30),
                    closed_on=day + dt.timedelta(days=60),
                    close_reason="retained",
                )
                for s, day in zip(placed, starts, strict=True)
            ),
            batch_size=5000,
        )
        deliveries = ServiceDelivery.objects.bulk_create(
            (
                ServiceDelivery(
                    project=project,
                    person_id=s.person_id,
                    identity_id=identity_of[s.person_id],
                    service=service,
                    delivered_on=day,
                    region_id=s.region_id,
                )
                for s, day in zip(placed, starts, strict=True)
            ),
            batch_size=5000,
        )
        placements = []
        for seeker, case, delivery, day in zip(placed, cases, deliveries, starts, strict=True):
            ended = day + dt.timedelta(days=rnd.randint(30, 200)) if rnd.random() < 0.12 else None
            placements.append(
                Placement(
                    seeker=seeker,
                    case=case,
                    employer=rnd.choice(employers),
                    start_date=day,
                    pay=Decimal(150_000),
                    weekly_hours=40,
                    contract_kind="open_ended",
                    quota=rnd.random() < 0.8,
                    ended_on=ended,
                    end_reason="resigned" if ended else "",
                    delivery=delivery,
                )
            )
        Placement.objects.bulk_create(placements, batch_size=5000)
        QuotaExemption.objects.bulk_create(
            QuotaExemption(employer=e, year=YEAR, reason="organisation_of_disabled")
            for e in rnd.sample(employers, max(1, len(employers) // 50))
        )
        sanctions = []
        for employer in rnd.sample(employers, max(1, len(employers) // 20)):
            sanctions.append(
                QuotaSanction(employer=employer, year=YEAR, kind="warning", issued_on=dt.date(YEAR, 3, 1))
            )
            if rnd.random() < 0.4:
                sanctions.append(
                    QuotaSanction(
                        employer=employer,
                        year=YEAR,
                        kind="fine",
                        issued_on=dt.date(YEAR, 11, 1),
                        fine_mci=7,
                        fine_amount=Decimal(7 * 3932),
                    )
                )
        QuotaSanction.objects.bulk_create(sanctions)


def bench_remove() -> None:
    """Delete everything the bench generated (the buildings are the access generator's and
    stay)."""
    organisation = bench_org()
    employers = bench_employers()
    with transaction.atomic():
        if organisation is not None:
            seekers = bench_seekers(organisation)
            placements = Placement.objects.filter(seeker__in=seekers)
            deliveries = list(placements.values_list("delivery_id", flat=True))
            placements.delete()
            ServiceDelivery.objects.filter(pk__in=deliveries).delete()
            CoachingCase.objects.filter(seeker__in=seekers).delete()
        Vacancy.objects.filter(employer__in=employers).delete()
        StaffReport.objects.filter(employer__in=employers).delete()
        QuotaExemption.objects.filter(employer__in=employers).delete()
        QuotaSanction.objects.filter(employer__in=employers).delete()
        if organisation is not None:
            people = Person.objects.filter(organisation=organisation)
            identities = list(people.values_list("identity_id", flat=True))
            Seeker.objects.filter(person__in=people).delete()
            Project.objects.filter(organisation=organisation).delete()
            Consent.objects.filter(organisation=organisation).delete()
            people.delete()
            Identity.objects.filter(pk__in=identities).delete()
            RoleAssignment.objects.filter(organisation=organisation).delete()
            organisation.delete()
        employers.delete()
        User.objects.filter(username__startswith=USER_PREFIX).delete()
