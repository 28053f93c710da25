"""Almaty's network of article 002 in the demo: the catalogue's terms it uses, the 9
medical-social institutions, 14 NGOs and 8 home-care units of the district akimats (names
generated and marked), the three named centres, their permits (some expiring soon), their
buildings (Almaty coordinates; the access demo's building in the same district where it
is loaded), services with capacity, each provider's project of 2025, the planned centres,
and the demo users of the Early Intervention Centre."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User

from qoldau.access import accessibility
from qoldau.core import demo_data as d
from qoldau.core import services as core
from qoldau.core.identifiers import make_bin
from qoldau.core.models import Organisation, Place
from qoldau.projects.models import Project, ServiceType
from qoldau.services.demo import data
from qoldau.services.demo.common import DemoState, ProviderPlan
from qoldau.services.models import (
    Capacity,
    CapacityUnit,
    CatalogueTerm,
    Location,
    Permit,
    PlannedCentre,
    PriorityTier,
    Provider,
    ProviderKind,
    RequiredDocument,
    Service,
    ServiceAtLocation,
)

# Where each district lies (centre latitude and longitude, half-sizes in degrees), so that
# generated buildings fall in their district.
DISTRICT_AREAS: dict[str, tuple[float, float, float, float]] = {
    "Alatau District": (43.292, 76.838, 0.028, 0.042),
    "Almaly District": (43.252, 76.915, 0.014, 0.024),
    "Auezov District": (43.224, 76.848, 0.018, 0.030),
    "Bostandyq District": (43.205, 76.905, 0.024, 0.038),
    "Zhetysu District": (43.284, 76.928, 0.018, 0.028),
    "Medeu District": (43.232, 76.985, 0.024, 0.034),
    "Nauryzbay District": (43.198, 76.792, 0.022, 0.032),
    "Turksib District": (43.328, 76.962, 0.028, 0.034),
}

STREETS = ["Абая", "Сейфуллина", "Толе би", "Жандосова", "Райымбека"]
ISSUER_KK = "Алматы қаласының Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы"
ACTIVITY_KK = "Арнаулы әлеуметтік қызметтер көрсету"
DOCUMENTS = [
    ("Жеке басын куәландыратын құжат", "Документ, удостоверяющий личность", "Identity document"),
    ("Медициналық қорытынды", "Медицинское заключение", "Medical report"),
]


def catalogue_terms(state: DemoState) -> None:
    """The settings and types the demo's services use. The directory's data migration
    makes the whole catalogue; until it is there, the terms are made here by their codes,
    and a term that exists is used as it is."""
    for taxonomy, rows, found in (
        (CatalogueTerm.Taxonomy.SETTING, data.SETTINGS, state.settings),
        (CatalogueTerm.Taxonomy.TYPE, data.TYPES, state.types),
    ):
        for order, (code, kk, ru, en) in enumerate(rows, start=1):
            term, _created = CatalogueTerm.objects.get_or_create(
                taxonomy=taxonomy,
                code=code,
                defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "sort_order": order * 10},
            )
            found[code] = term
    code, kk, ru, en = data.DELIVERY_TYPE
    state.delivery_type, _created = ServiceType.objects.get_or_create(
        code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en}
    )


def _new_bin(state: DemoState) -> str:
    while True:
        state.serial += 1
        serial = data.BIN_SERIALS + state.serial
        number = make_bin(2000 + serial % 23, 1 + serial % 12, serial)
        if number is not None and not Organisation.objects.filter(bin=number).exists():
            return number


def _point(state: DemoState, district: Place) -> tuple[Decimal, Decimal]:
    lat, lon, half_lat, half_lon = DISTRICT_AREAS[district.name_en]
    rnd = state.rnd
    return (
        Decimal(f"{lat + rnd.uniform(-half_lat, half_lat) * 0.8:.6f}"),
        Decimal(f"{lon + rnd.uniform(-half_lon, half_lon) * 0.8:.6f}"),
    )


def _buildings(state: DemoState) -> dict[int, list[int]]:
    """The access demo's social-protection and health buildings of Almaty, by district."""
    found: dict[int, list[int]] = {}
    for obj in accessibility.objects_in_region(
        state.almaty.pk, kinds=["social_protection", "health"], limit=2_000
    ):
        if obj.district_id is not None:
            found.setdefault(obj.district_id, []).append(obj.id)
    return found


def _provider(
    state: DemoState,
    *,
    kind: str,
    org_kind: str,
    names: tuple[str, str, str],
    district: Place,
    generated: bool,
) -> Provider:
    kk, ru, en = names
    organisation = core.organisation_create_in_transaction(
        actor=None,
        bin=_new_bin(state),
        kind=org_kind,
        name_kk=kk,
        name_ru=ru,
        name_en=en,
        region_id=state.almaty.pk,
        district_id=district.pk,
        in_state_ngo_database=org_kind in {Organisation.Kind.PUBLIC_ASSOCIATION, Organisation.Kind.NGO},
    )
    return Provider.objects.create(organisation=organisation, kind=kind, generated=generated)


def _marked(kk: str, ru: str, en: str, generated: bool) -> tuple[str, str, str]:
    if not generated:
        return kk, ru, en
    return f"{kk} ({data.GENERATED_KK})", f"{ru} ({data.GENERATED_RU})", f"{en} ({data.GENERATED_EN})"


def _project(state: DemoState, provider: Provider, district: Place, funding: str) -> Project:
    organisation = provider.organisation
    project = Project.objects.create(
        organisation=organisation,
        title_kk=f"{organisation.name_kk}: арнаулы әлеуметтік қызметтер, {data.YEAR}",
        title_ru=f"{organisation.name_ru}: специальные социальные услуги, {data.YEAR}",
        title_en=f"{organisation.name_en}: special social services, {data.YEAR}",
        starts_on=dt.date(data.YEAR, 1, 1),
        ends_on=dt.date(data.YEAR, 12, 31),
        funding_source=funding,
        funder="Алматы қаласының әкімдігі",
    )
    project.regions.set([state.almaty])
    project.districts.set([district])
    return project


# The needs of the catalogue (qoldau/services/catalogue.py) a demo service meets.
NEEDS_OF_SETTING = {
    "residential": "residential_care",
    "semi_residential": "day_care",
    "at_home": "home_care",
    "temporary_stay": "residential_care",
}
NEEDS_OF_TYPE = {
    "medical": "rehabilitation",
    "psychological": "psychological_help",
    "pedagogical": "rehabilitation",
    "labour": "employment_help",
    "legal": "legal_help",
    "social_household": "family_support",
}


def _service(
    state: DemoState,
    provider: Provider,
    project: Project,
    *,
    names: tuple[str, str, str],
    setting: str,
    kind: str,
    location: Location,
    ages: tuple[int | None, int | None] = (None, None),
    admission: str = Service.Admission.FIRST_COME,
    needs: tuple[str, ...] = (),
) -> Service:
    kk, ru, en = names
    service = Service.objects.create(
        provider=provider,
        name_kk=kk,
        name_ru=ru,
        name_en=en,
        setting=state.settings[setting],
        kind=state.types[kind],
        minimum_age=ages[0],
        maximum_age=ages[1],
        schedule_kk="Дс–Жм, 09:00–18:00" if setting != "residential" else "Тәулік бойы",
        schedule_ru="Пн–Пт, 09:00–18:00" if setting != "residential" else "Круглосуточно",
        schedule_en="Mon–Fri, 09:00–18:00" if setting != "residential" else "Round the clock",
        admission=admission,
        project=project,
        delivery_type=state.delivery_type,
    )
    ServiceAtLocation.objects.create(service=service, location=location)
    # The needs people search the public directory by, from the service's setting and type.
    wanted = {NEEDS_OF_SETTING.get(setting, ""), NEEDS_OF_TYPE.get(kind, ""), *needs} - {""}
    service.needs.set(CatalogueTerm.objects.filter(taxonomy=CatalogueTerm.Taxonomy.NEED, code__in=wanted))
    RequiredDocument.objects.bulk_create(
        RequiredDocument(service=service, name_kk=a, name_ru=b, name_en=c, sort_order=i)
        for i, (a, b, c) in enumerate(DOCUMENTS)
    )
    return service


def _location(
    state: DemoState, provider: Provider, district: Place, buildings: dict[int, list[int]], *, at_home: bool
) -> Location:
    organisation = provider.organisation
    if at_home:
        return Location.objects.create(
            provider=provider,
            kind=Location.Kind.VIRTUAL,
            name_kk=f"{district.name_kk}: үйде",
            name_ru=f"{district.name_ru}: на дому",
            name_en=f"{district.name_en}: at home",
            region=state.almaty,
            district=district,
        )
    latitude, longitude = _point(state, district)
    nearby = buildings.get(district.pk) or []
    building = nearby.pop(0) if nearby else None
    return Location.objects.create(
        provider=provider,
        name_kk=organisation.name_kk,
        name_ru=organisation.name_ru,
        name_en=organisation.name_en,
        address=f"{district.name_ru}, ул. {state.rnd.choice(STREETS)}, {state.rnd.randint(1, 240)}",
        region=state.almaty,
        district=district,
        latitude=latitude,
        longitude=longitude,
        building_id=building,
    )


def _capacity(service: Service, unit: str, places: int) -> None:
    # The places of the year, in force from before its first day.
    Capacity.objects.create(service=service, unit=unit, places=places, since=dt.date(data.YEAR - 1, 12, 1))


def _places(recipients: int, stay_days: int) -> int:
    """Places enough for the year's recipients at the typical stay, a little to spare."""
    return max(10, round(recipients * stay_days / 365 * 1.05))


def _split(total: int, parts: int, state: DemoState) -> list[int]:
    """`total` split into `parts` uneven shares that add up exactly."""
    weights = [state.rnd.uniform(0.6, 1.4) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[0] += total - sum(shares)
    return shares


def load_network(state: DemoState) -> None:
    catalogue_terms(state)
    buildings = _buildings(state)
    districts = [state.districts[name] for name in DISTRICT_AREAS]
    rnd = state.rnd

    kinds = [
        (
            ProviderKind.MEDICAL_SOCIAL_INSTITUTION,
            Organisation.Kind.STATE_INSTITUTION,
            data.MSI_NAMES,
            "residential",
            "medical",
            CapacityUnit.BED,
            300,
            (18, 90),
            ("disability_group_1", "disability_group_2", "pensioner"),
        ),
        (
            ProviderKind.NGO,
            Organisation.Kind.PUBLIC_ASSOCIATION,
            data.NGO_NAMES,
            "semi_residential",
            "psychological",
            CapacityUnit.DAY_PLACE,
            90,
            (6, 70),
            ("disability_group_2", "disability_group_3", "child_with_disability", "low_income_family"),
        ),
    ]
    for kind, org_kind, names, setting, type_code, unit, stay, ages, categories in kinds:
        shares = _split(data.RECIPIENTS_BY_KIND[kind], len(names), state)
        for index, ((kk, ru, en), recipients) in enumerate(zip(names, shares, strict=True)):
            district = districts[index % len(districts)]
            if kind == ProviderKind.MEDICAL_SOCIAL_INSTITUTION:
                full = (
                    f"«{kk}» медициналық-әлеуметтік мекемесі",
                    f"Медико-социальное учреждение «{ru}»",
                    f"{en} medical-social institution",
                )
            else:
                full = (
                    f"«{kk}» қоғамдық бірлестігі",
                    f"Общественное объединение «{ru}»",
                    f'"{en}" public association',
                )
            provider = _provider(
                state,
                kind=kind,
                org_kind=org_kind,
                names=_marked(*full, True),
                district=district,
                generated=True,
            )
            project = _project(state, provider, district, "state_social_order")
            location = _location(state, provider, district, buildings, at_home=False)
            service_type = (
                type_code
                if kind != ProviderKind.NGO
                else rnd.choice(["psychological", "pedagogical", "labour", "cultural", "legal"])
            )
            where, what = state.settings[setting], state.types[service_type]
            service = _service(
                state,
                provider,
                project,
                names=(
                    f"{where.name_kk}: {what.name_kk.lower()} қызметтер",
                    f"{where.name_ru}: {what.name_ru.lower()} услуги",
                    f"{where.name_en}: {what.name_en.lower()} services",
                ),
                setting=setting,
                kind=service_type,
                location=location,
                ages=(ages[0], ages[1]) if kind == ProviderKind.NGO else (18, None),
            )
            places = _places(recipients, stay)
            _capacity(service, unit, places)
            if kind == ProviderKind.MEDICAL_SOCIAL_INSTITUTION:
                # A second service of the institution, given at the same building (no enrolments
                # in the demo): temporary stay.
                extra = _service(
                    state,
                    provider,
                    project,
                    names=(
                        "Уақытша болу: әлеуметтік-тұрмыстық қызметтер",
                        "Временное пребывание: социально-бытовые услуги",
                        "Temporary stay: social-household services",
                    ),
                    setting="temporary_stay",
                    kind="social_household",
                    location=location,
                    ages=(18, None),
                )
                _capacity(extra, CapacityUnit.BED, 10)
            state.plans.append(
                ProviderPlan(
                    provider=provider,
                    service=service,
                    unit=unit,
                    places=places,
                    recipients=recipients,
                    project=project,
                    district=district,
                    stay_days=stay,
                    ages=ages,
                    categories=categories,
                    key=f"{kind}-{index + 1}",
                )
            )

    # One home-care unit per district akimat.
    shares = _split(data.RECIPIENTS_BY_KIND[ProviderKind.HOME_CARE_UNIT], len(districts), state)
    for index, (district, recipients) in enumerate(zip(districts, shares, strict=True)):
        unit_names = _marked(
            f"{district.name_kk} әкімдігінің үйде әлеуметтік қызмет көрсету бөлімшесі",
            "Отделение социального обслуживания на дому акимата "
            f"{district.name_ru.replace('район', 'района')}",
            f"Home-care unit of the {district.name_en} akimat",
            True,
        )
        provider = _provider(
            state,
            kind=ProviderKind.HOME_CARE_UNIT,
            org_kind=Organisation.Kind.AKIMAT_DEPARTMENT,
            names=unit_names,
            district=district,
            generated=True,
        )
        project = _project(state, provider, district, "own_funds")
        location = _location(state, provider, district, buildings, at_home=True)
        service = _service(
            state,
            provider,
            project,
            names=(
                "Үйде: әлеуметтік-тұрмыстық қызметтер",
                "На дому: социально-бытовые услуги",
                "At home: social-household services",
            ),
            setting="at_home",
            kind="social_household",
            location=location,
        )
        places = _places(recipients, 200)
        _capacity(service, CapacityUnit.HOME_CARE_CASE, places)
        state.plans.append(
            ProviderPlan(
                provider=provider,
                service=service,
                unit=CapacityUnit.HOME_CARE_CASE,
                places=places,
                recipients=recipients,
                project=project,
                district=district,
                stay_days=200,
                ages=(60, 92),
                categories=("pensioner", "disability_group_1"),
                key=f"home_care_unit-{index + 1}",
            )
        )

    # The centres the article names: state centres, their names as the article gives them.
    for spec in data.CENTRES:
        district = state.districts[spec.district]
        provider = _provider(
            state,
            kind=ProviderKind.STATE_CENTRE,
            org_kind=Organisation.Kind.STATE_INSTITUTION,
            names=(spec.name_kk, spec.name_ru, spec.name_en),
            district=district,
            generated=False,
        )
        project = _project(state, provider, district, "own_funds")
        location = _location(state, provider, district, buildings, at_home=False)
        service = _service(
            state,
            provider,
            project,
            names=(spec.name_kk, spec.name_ru, spec.name_en),
            setting=spec.setting,
            kind=spec.kind,
            location=location,
            ages=(spec.minimum_age, spec.maximum_age),
            admission=Service.Admission.PRIORITY_TIERS
            if spec.key == "early_intervention"
            else Service.Admission.FIRST_COME,
            # Each named centre is found by the need it is named for (early intervention,
            # family support, active longevity: the catalogue's needs of the same codes).
            needs=(spec.key,),
        )
        if spec.key != "active_longevity":
            # The Active Longevity Centre's pensioners are counted in aggregate (its events'
            # participants), not enrolled one by one: it has no places to fill.
            _capacity(service, spec.unit, spec.places)
        if spec.key == "early_intervention":
            # Children under 3: the youngest first, as the centre publishes (generated tiers).
            PriorityTier.objects.bulk_create(
                [
                    PriorityTier(
                        service=service,
                        rank=1,
                        name_kk="18 айға дейінгі балалар",
                        name_ru="Дети до 18 месяцев",
                        name_en="Children under 18 months",
                        under_age_months=18,
                        published_on=dt.date(data.YEAR, 1, 10),
                    ),
                    PriorityTier(
                        service=service,
                        rank=2,
                        name_kk="3 жасқа дейінгі балалар",
                        name_ru="Дети до 3 лет",
                        name_en="Children under 3",
                        under_age_months=36,
                        published_on=dt.date(data.YEAR, 1, 10),
                    ),
                ]
            )
        who: tuple[tuple[int, int], tuple[str, ...]] = {
            "early_intervention": ((0, 2), ("child_with_disability",)),
            "family_support": ((22, 50), ("low_income_family", "large_family")),
            "active_longevity": ((60, 85), ("pensioner",)),
        }[spec.key]
        state.plans.append(
            ProviderPlan(
                provider=provider,
                service=service,
                unit=spec.unit,
                places=spec.places,
                recipients=spec.recipients,
                project=project,
                district=district,
                stay_days=120 if spec.key == "early_intervention" else 60,
                ages=who[0],
                categories=who[1],
                key=spec.key,
            )
        )


def load_permits(state: DemoState) -> None:
    """A permit for each provider, from when the 2023 Social Code came in force or later;
    three expire within two months of the day the demo is loaded, one is suspended."""
    rnd = state.rnd
    soon = {3, 12, 25}
    permits = []
    for index, plan in enumerate(state.plans, start=1):
        valid_from = dt.date(2023, 7, 1) + dt.timedelta(days=rnd.randint(0, 500))
        valid_to = (
            state.today + dt.timedelta(days=15 + 12 * (index % 4))
            if index in soon
            else dt.date(2028 + index % 3, valid_from.month, min(valid_from.day, 28))
        )
        permits.append(
            Permit(
                provider=plan.provider,
                issuer=ISSUER_KK,
                number=f"АЛМ-{valid_from.year}-{index:04d}",
                activity=ACTIVITY_KK,
                valid_from=valid_from,
                valid_to=valid_to,
                status=Permit.Status.SUSPENDED if index == 7 else Permit.Status.VALID,
            )
        )
    Permit.objects.bulk_create(permits)


def load_planned(state: DemoState) -> None:
    """The 150-place rehabilitation centre (construction from 2026; its district is not
    given) and the new centres of Nauryzbay, Bostandyq and Medeu, up to 200 in total (the
    split between them is generated)."""
    rows = [
        PlannedCentre(
            name_kk="150 орындық оңалту орталығы",
            name_ru="Реабилитационный центр на 150 мест",
            name_en="150-place rehabilitation centre",
            region=state.almaty,
            places=data.REHABILITATION_CENTRE_PLACES,
            opens_on=None,
            stage=PlannedCentre.Stage.PLANNED,
            note_kk="Балалар мен ересектерге; жобаны іске асыру 2026 жылы басталады.",
            note_ru="Для детей и взрослых; реализация проекта начнётся в 2026 году.",
            note_en="For children and adults; construction starts in 2026.",
        )
    ]
    for name, places in data.NEW_CENTRES:
        district = state.districts[name]
        rows.append(
            PlannedCentre(
                name_kk=f"{district.name_kk}: жаңа оңалту орталығы",
                name_ru=f"{district.name_ru}: новый реабилитационный центр",
                name_en=f"{district.name_en}: new rehabilitation centre",
                region=state.almaty,
                district=district,
                places=places,
                stage=PlannedCentre.Stage.PLANNED,
                note_kk="Үш жаңа орталықтың жалпы қамтуы 200 адамға дейін; бөлінуі генерацияланған.",
                note_ru="Три новых центра — до 200 человек в сумме; разбивка сгенерирована.",
                note_en="The three new centres: up to 200 people in total; the split is generated.",
                generated=True,
            )
        )
    PlannedCentre.objects.bulk_create(rows)


def load_users(state: DemoState) -> dict[str, User]:
    """The Early Intervention Centre's demo staff member and administrator."""
    organisation = state.plan("early_intervention").provider.organisation
    users = {}
    for spec in data.SERVICES_USERS:
        user = User.objects.create_user(spec.username, password=d.DEMO_PASSWORD)
        core.role_assign_in_transaction(actor=None, user=user, role=spec.role, organisation=organisation)
        users[spec.username] = user
    return users
