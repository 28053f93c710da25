"""Almaty's employers in the demo: generated companies with their headcounts, staff
reports for 2024 and 2025, vacancies whose workplaces are the access demo's buildings (where
it is loaded), and the quota's exemption, warnings and fines by the akimat's officer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import User

from qoldau.access import accessibility
from qoldau.core.models import Organisation, Place, Role
from qoldau.jobs import figures, services
from qoldau.jobs.demo.common import DemoState
from qoldau.jobs.demo.data import BRANDS, DEMO_EMPLOYER, EMPLOYERS, OFFERED, SECTORS
from qoldau.jobs.models import Occupation


def load_employers(state: DemoState, almaty: Place) -> None:
    """Almaty's 120 generated employers across its districts, the demo employer's staff
    member, and each employer's staff reported for 2024 and 2025."""
    rnd = state.rnd
    districts = list(Place.objects.filter(parent=almaty, level=Place.Level.DISTRICT).order_by("pk"))
    # Each sector with each brand once: 120 names.
    for index in state.progress(range(EMPLOYERS), "Almaty employers"):
        sector = SECTORS[index % len(SECTORS)]
        brand = BRANDS[(index // len(SECTORS)) % len(BRANDS)]
        district = districts[rnd.randrange(len(districts))]
        employer = state.employer(almaty, district, sector, brand)
        state.employers.append(employer)
        state.sectors[employer.pk] = sector
        state.districts[employer.pk] = district.pk
    officer = User.objects.get(username="akimat.almaty")
    state.users["employer.staff"] = state.user(
        "employer.staff", Role.EMPLOYER_STAFF, state.employers[DEMO_EMPLOYER], password=True
    )
    for employer in state.progress(state.employers, "Almaty employers: staff reports"):
        own = employer == state.employers[DEMO_EMPLOYER]
        # Headcounts spread as firms' do: many small, few large.
        headcount = 420 if own else int(min(3000, max(12, rnd.lognormvariate(4.3, 1.0))))
        sector = state.sectors[employer.pk]
        hazardous = int(headcount * sector.hazardous_share * rnd.uniform(0.5, 1.5))
        # About what the quota asks (its bands' table decides it): to report a plausible
        # number of employees with disabilities, some short of it, some beyond.
        band = 0.04 if headcount > 250 else 0.03 if headcount > 100 else 0.02 if headcount >= 50 else 0
        required = int(max(headcount - hazardous, 0) * band)
        reporter = state.users["employer.staff"] if own else officer
        for year, growth in ((2024, rnd.uniform(0.9, 1.0)), (2025, 1.0)):
            staff = max(1, int(headcount * growth))
            disabled = min(staff, int(required * rnd.choice([0, 0.3, 0.5, 0.8, 1.0, 1.0, 1.2])))
            services.staff_report_record(
                actor=reporter,
                employer=employer,
                as_of=dt.date(year, 1, 15),
                headcount=staff,
                hazardous_jobs=min(hazardous, staff - disabled),
                employees_with_disabilities=disabled,
            )


def workplaces(almaty: Place) -> dict[tuple[int | None, str], list[int]]:
    """The access demo's buildings with a passport by district and kind (none when it is
    not loaded), through the access app's seam."""
    found: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    kinds = {kind for sector in SECTORS for kind in sector.buildings}
    for building in accessibility.objects_in_region(almaty.pk, kinds=kinds, assessed_only=True):
        found[(building.district_id, building.kind)].append(building.id)
    return found


def load_vacancies(state: DemoState, almaty: Place) -> None:
    """One to five vacancies of each employer (six of the demo employer's), opening through
    2025, in a building of its district that suits its sector; quota jobs at employers the
    quota binds."""
    rnd = state.rnd
    buildings = workplaces(almaty)
    admin = User.objects.get(username="admin")
    occupations = {o.code: o for o in Occupation.objects.all()}
    for employer in state.progress(state.employers, "Almaty employers: vacancies"):
        sector = state.sectors[employer.pk]
        district_id = state.districts[employer.pk]
        own = employer == state.employers[DEMO_EMPLOYER]
        actor = state.users["employer.staff"] if own else admin
        quota_employer = figures.compliance_of(Organisation.objects.filter(pk=employer.pk), 2025)
        required = quota_employer[0].required if quota_employer else 0
        for number in range(6 if own else rnd.randint(1, 5)):
            occupation = rnd.choice(sector.occupations)
            kinds = [k for k in sector.buildings if buildings.get((district_id, k))]
            workplace = rnd.choice(buildings[(district_id, rnd.choice(kinds))]) if kinds else None
            remote = rnd.random() < sector.remote_share
            hours = rnd.choices([40, 30, 20], [0.75, 0.15, 0.1])[0]
            pay_from = Decimal(rnd.randrange(90_000, 260_000, 5_000)) * hours / 40
            pay_from = max(pay_from, Decimal(85_000) * hours / 40).quantize(Decimal(1))
            services.vacancy_post(
                actor=actor,
                employer=employer,
                data=services.VacancyInput(
                    occupation_code=occupation,
                    title_kk=_vacancy_title(occupations, occupation, number),
                    title_ru=_vacancy_title(occupations, occupation, number, "ru"),
                    title_en=_vacancy_title(occupations, occupation, number, "en"),
                    weekly_hours=hours,
                    pay_from=pay_from,
                    pay_to=(pay_from * Decimal("1.3")).quantize(Decimal(1)) if rnd.random() < 0.6 else None,
                    opens_on=dt.date(2025, 1, 6) + dt.timedelta(days=rnd.randint(0, 270)),
                    condition_codes=rnd.sample(
                        sector.conditions, rnd.randint(0, min(3, len(sector.conditions)))
                    ),
                    accommodation_codes=[code for code, share in OFFERED if rnd.random() < share],
                    positions=rnd.choice([1, 1, 1, 2, 3]),
                    quota=required > 0 and rnd.random() < 0.45,
                    remote=remote,
                    workplace_id=None if remote else workplace,
                    district_id=district_id,
                    education_required=rnd.choice(["", "", "general_secondary", "vocational", "higher"])
                    if occupation[0] in "23"
                    else "",
                    experience_months_required=rnd.choice([0, 0, 6, 12]),
                ),
            )


def load_quota_enforcement(state: DemoState) -> None:
    """An exemption, warnings for 2024's shortfall early in 2025, and fines for 2025's
    to the employers warned, by the akimat's officer."""
    officer = User.objects.get(username="akimat.almaty")
    short_2024 = sorted(
        (c for c in figures.compliance_of(state.organisations(), 2024) if c.shortfall > 0),
        key=lambda c: (-c.shortfall, c.employer_id),
    )
    # A garment maker of a society of people with disabilities is exempt.
    garments = [e for e in state.employers if state.sectors[e.pk].en == "Garments"]
    exempt = garments[0].pk if garments else None
    if exempt is not None:
        services.quota_exemption_record(
            actor=officer,
            employer=Organisation.objects.get(pk=exempt),
            year=2025,
            reason="organisation_of_disabled",
            note="Мүгедектер қоғамының кәсіпорны (генерацияланған)",
        )
    warned = [c.employer_id for c in short_2024[:8] if c.employer_id != exempt]
    for index, employer_id in enumerate(warned):
        services.quota_sanction_record(
            actor=officer,
            employer=Organisation.objects.get(pk=employer_id),
            year=2024,
            kind="warning",
            issued_on=dt.date(2025, 2, 10) + dt.timedelta(days=index),
        )
    short_2025 = {
        c.employer_id
        for c in figures.compliance_of(state.organisations(), 2025)
        if c.shortfall > 0 and not c.exemption
    }
    for index, employer_id in enumerate(e for e in warned if e in short_2025):
        if index >= 3:
            break
        services.quota_sanction_record(
            actor=officer,
            employer=Organisation.objects.get(pk=employer_id),
            year=2025,
            kind="fine",
            issued_on=dt.date(2025, 12, 15) + dt.timedelta(days=index),
            fine_mci=5 + index * 2,
        )


def _vacancy_title(occupations: dict[str, Occupation], code: str, number: int, language: str = "kk") -> str:
    """The occupation's name, numbered when an employer posts several."""
    found = occupations[code]
    name = getattr(found, f"name_{language}") or found.name_kk
    return name if number == 0 else f"{name} ({number + 1})"
