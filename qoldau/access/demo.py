"""Generated infrastructure objects for the demo and the benchmarks: a city's (or a
region's) objects at plausible places in its districts, a realistic mix of kinds, names in
kk/ru/en, and the passports and measures of the platform's history.

Generated data bypasses the services for speed (tens of thousands of passports in seconds),
so it keeps their invariants itself:

* every generated passport is submitted and complete, and each zone status is backed by its
  checklist items (`services.passport_problems` finds nothing);
* the object's public statuses are `checklist.public_statuses` of its passport;
* every shortfall has a measure, as `services.passport_submit` creates them; a few hundred
  are planned (some done, some overdue), with a responsible party, deadline and cost;
* coordinates lie inside the district's area (`district_areas`), inside Kazakhstan.

Generation is idempotent: the objects carry register numbers `GEN-<seed>-<n>`, and a region
that already has objects of the seed gets nothing more.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from qoldau.access import checklist
from qoldau.access.models import (
    STATUS_FIELD,
    AccessObject,
    Measure,
    ObjectKind,
    Passport,
    PassportItem,
    PassportZoneStatus,
    PeopleCategory,
    Zone,
    ZoneStatus,
)
from qoldau.core.models import Place

T = TypeVar("T")
Progress = Callable[[Iterable[Any], str], Iterable[Any]]

ALMATY = "750000000"
REGISTER_PREFIX = "GEN"
# The platform's history: passports from this day on.
HISTORY_START = dt.date(2022, 1, 10)
CHUNK = 2000
ZONES: tuple[str, ...] = tuple(Zone.values)
CATEGORIES: tuple[str, ...] = tuple(PeopleCategory.values)


@dataclass(frozen=True)
class Area:
    """A district's area as a centre and half-sizes in degrees: generated points fall
    inside the box, most of them near the centre."""

    latitude: float
    longitude: float
    half_lat: float
    half_lon: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return (
            abs(latitude - self.latitude) <= self.half_lat + 1e-9
            and abs(longitude - self.longitude) <= self.half_lon + 1e-9
        )


# Almaty's eight districts (by their English names in reference_data): the centre lies
# near the Almaly/Medeu border, Medeu and Bostandyq stretch south-east and south towards
# the mountains, Turksib and Zhetysu north, Alatau and Nauryzbay west. The weights follow
# the districts' sizes.
ALMATY_DISTRICTS: dict[str, tuple[Area, float]] = {
    "Alatau District": (Area(43.292, 76.838, 0.028, 0.042), 0.13),
    "Almaly District": (Area(43.252, 76.915, 0.014, 0.024), 0.14),
    "Auezov District": (Area(43.224, 76.848, 0.018, 0.030), 0.17),
    "Bostandyq District": (Area(43.205, 76.905, 0.024, 0.038), 0.16),
    "Zhetysu District": (Area(43.284, 76.928, 0.018, 0.028), 0.09),
    "Medeu District": (Area(43.232, 76.985, 0.024, 0.034), 0.12),
    "Nauryzbay District": (Area(43.198, 76.792, 0.022, 0.032), 0.07),
    "Turksib District": (Area(43.328, 76.962, 0.028, 0.034), 0.12),
}

# The regions' administrative centres, for regions other than Almaty: districts are laid
# around them.
REGION_CENTRES: dict[str, tuple[float, float]] = {
    "100000000": (50.411, 80.227),  # Semey
    "110000000": (53.283, 69.396),  # Kokshetau
    "150000000": (50.283, 57.167),  # Aktobe
    "190000000": (43.866, 77.064),  # Konaev
    "230000000": (47.106, 51.923),  # Atyrau
    "270000000": (51.227, 51.367),  # Oral
    "310000000": (42.900, 71.366),  # Taraz
    "330000000": (45.017, 78.373),  # Taldykorgan
    "350000000": (49.806, 73.086),  # Karaganda
    "390000000": (53.214, 63.632),  # Kostanay
    "430000000": (44.853, 65.509),  # Kyzylorda
    "470000000": (43.650, 51.160),  # Aktau
    "550000000": (52.287, 76.967),  # Pavlodar
    "590000000": (54.875, 69.163),  # Petropavl
    "610000000": (43.297, 68.252),  # Turkistan
    "620000000": (47.783, 67.714),  # Zhezkazgan
    "630000000": (49.949, 82.628),  # Oskemen
    "710000000": (51.128, 71.430),  # Astana
    "750000000": (43.238, 76.910),  # Almaty
    "790000000": (42.317, 69.596),  # Shymkent
}

# Residential buildings and shops are most of a city's objects.
KIND_WEIGHTS: dict[str, float] = {
    ObjectKind.RESIDENTIAL: 0.30,
    ObjectKind.TRADE_SERVICES: 0.25,
    ObjectKind.EDUCATION: 0.10,
    ObjectKind.HEALTH: 0.07,
    ObjectKind.TRANSPORT: 0.06,
    ObjectKind.ADMINISTRATIVE: 0.05,
    ObjectKind.SOCIAL_PROTECTION: 0.03,
    ObjectKind.CULTURE: 0.04,
    ObjectKind.SPORT: 0.04,
    ObjectKind.OTHER: 0.06,
}

# (kk, ru, en) of streets; real streets of Almaty, common in every city of the country.
STREETS: tuple[tuple[str, str, str], ...] = (
    ("Абай даңғылы", "проспект Абая", "Abai Avenue"),
    ("Достық даңғылы", "проспект Достык", "Dostyq Avenue"),
    ("Әл-Фараби даңғылы", "проспект аль-Фараби", "Al-Farabi Avenue"),
    ("Төле би көшесі", "улица Толе би", "Tole Bi Street"),
    ("Сейфуллин даңғылы", "проспект Сейфуллина", "Seifullin Avenue"),
    ("Райымбек даңғылы", "проспект Райымбека", "Raiymbek Avenue"),
    ("Жібек жолы көшесі", "улица Жибек Жолы", "Zhibek Zholy Street"),
    ("Гоголь көшесі", "улица Гоголя", "Gogol Street"),
    ("Сәтпаев көшесі", "улица Сатпаева", "Satpayev Street"),
    ("Тимирязев көшесі", "улица Тимирязева", "Timiryazev Street"),
    ("Жандосов көшесі", "улица Жандосова", "Zhandosov Street"),
    ("Рысқұлов даңғылы", "проспект Рыскулова", "Ryskulov Avenue"),
    ("Сүйінбай даңғылы", "проспект Суюнбая", "Suyinbay Avenue"),
    ("Бөкейханов көшесі", "улица Букейханова", "Bokeikhanov Street"),
    ("Момышұлы көшесі", "улица Момышулы", "Momyshuly Street"),
    ("Әуезов көшесі", "улица Ауэзова", "Auezov Street"),
    ("Розыбакиев көшесі", "улица Розыбакиева", "Rozybakiev Street"),
    ("Саин көшесі", "улица Саина", "Sain Street"),
    ("Мақатаев көшесі", "улица Макатаева", "Makatayev Street"),
    ("Қабанбай батыр көшесі", "улица Кабанбай батыра", "Kabanbai Batyr Street"),
    ("Бөгенбай батыр көшесі", "улица Богенбай батыра", "Bogenbai Batyr Street"),
    ("Құрманғазы көшесі", "улица Курмангазы", "Kurmangazy Street"),
    ("Жарокова көшесі", "улица Жарокова", "Zharokov Street"),
    ("Шаляпин көшесі", "улица Шаляпина", "Shalyapin Street"),
    ("Өтеген батыр көшесі", "улица Утеген батыра", "Otegen Batyr Street"),
    ("Сайран көшесі", "улица Сайран", "Sairan Street"),
)

LATIN_SUFFIX = str.maketrans({"А": "A", "Б": "B", "В": "V"})

# Trade names people give shops, cafés, complexes: the same in every language.
BRANDS: tuple[tuple[str, str], ...] = (
    ("Береке", "Bereke"),
    ("Шаңырақ", "Shanyraq"),
    ("Достық", "Dostyq"),
    ("Нұр", "Nur"),
    ("Самал", "Samal"),
    ("Арман", "Arman"),
    ("Әсем", "Asem"),
    ("Тұмар", "Tumar"),
    ("Көктем", "Koktem"),
    ("Жұлдыз", "Zhuldyz"),
    ("Бәйтерек", "Baiterek"),
    ("Алтын Орда", "Altyn Orda"),
    ("Ақбұлақ", "Akbulak"),
    ("Тау Самалы", "Tau Samaly"),
    ("Мереке", "Mereke"),
    ("Сәуле", "Saule"),
)

# Per kind, (kk, ru, en, highest number) name patterns; {n} a number, {b} a brand, {s} a street.
NAMES: dict[str, tuple[tuple[str, str, str, int], ...]] = {
    ObjectKind.EDUCATION: (
        ("№ {n} мектеп-гимназия", "Школа-гимназия № {n}", "School-gymnasium No. {n}", 210),
        (
            "№ {n} жалпы білім беретін мектеп",
            "Общеобразовательная школа № {n}",
            "Secondary school No. {n}",
            210,
        ),
        ("№ {n} балабақша", "Детский сад № {n}", "Kindergarten No. {n}", 190),
        ("«{b}» балабақшасы", "Детский сад «{b}»", "“{b}” kindergarten", 0),
        ("«{b}» колледжі", "Колледж «{b}»", "“{b}” College", 0),
    ),
    ObjectKind.HEALTH: (
        ("№ {n} қалалық емхана", "Городская поликлиника № {n}", "City polyclinic No. {n}", 36),
        ("№ {n} қалалық аурухана", "Городская больница № {n}", "City hospital No. {n}", 12),
        ("№ {n} дәріхана", "Аптека № {n}", "Pharmacy No. {n}", 400),
        ("«{b}» стоматология", "Стоматология «{b}»", "“{b}” dental clinic", 0),
        ("«{b}» медициналық орталығы", "Медицинский центр «{b}»", "“{b}” medical centre", 0),
    ),
    ObjectKind.SOCIAL_PROTECTION: (
        (
            "№ {n} арнаулы әлеуметтік қызметтер көрсету орталығы",
            "Центр оказания специальных социальных услуг № {n}",
            "Special social services centre No. {n}",
            12,
        ),
        (
            "№ {n} оңалту орталығы",
            "Реабилитационный центр № {n}",
            "Rehabilitation centre No. {n}",
            8,
        ),
        ("«{b}» күндізгі болу орталығы", "Центр дневного пребывания «{b}»", "“{b}” day-care centre", 0),
    ),
    ObjectKind.CULTURE: (
        ("№ {n} кітапхана", "Библиотека № {n}", "Library No. {n}", 40),
        ("«{b}» мәдениет үйі", "Дом культуры «{b}»", "“{b}” House of Culture", 0),
        ("«{b}» кинотеатры", "Кинотеатр «{b}»", "“{b}” cinema", 0),
        ("«{b}» өнер мектебі", "Школа искусств «{b}»", "“{b}” arts school", 0),
    ),
    ObjectKind.SPORT: (
        (
            "№ {n} балалар-жасөспірімдер спорт мектебі",
            "Детско-юношеская спортивная школа № {n}",
            "Youth sports school No. {n}",
            30,
        ),
        ("«{b}» спорт кешені", "Спортивный комплекс «{b}»", "“{b}” sports complex", 0),
        ("«{b}» фитнес-клубы", "Фитнес-клуб «{b}»", "“{b}” fitness club", 0),
    ),
    ObjectKind.TRADE_SERVICES: (
        ("«{b}» дүкені", "Магазин «{b}»", "“{b}” shop", 0),
        ("«{b}» сауда орталығы", "Торговый центр «{b}»", "“{b}” shopping centre", 0),
        ("«{b}» дәмханасы", "Кафе «{b}»", "“{b}” café", 0),
        ("«{b}» шаштаразы", "Парикмахерская «{b}»", "“{b}” hairdresser", 0),
        ("№ {n} банк бөлімшесі", "Отделение банка № {n}", "Bank branch No. {n}", 300),
        ("№ {n} «Қазпошта» бөлімшесі", "Отделение «Казпочты» № {n}", "Kazpost office No. {n}", 80),
    ),
    ObjectKind.TRANSPORT: (
        ("«{s}» аялдамасы", "Остановка «{s}»", "“{s}” bus stop", 0),
        ("«{b}» метро бекеті", "Станция метро «{b}»", "{b} metro station", 0),
        ("№ {n} автобус паркі", "Автобусный парк № {n}", "Bus depot No. {n}", 6),
        ("«{b}» автовокзалы", "Автовокзал «{b}»", "“{b}” bus station", 0),
    ),
    ObjectKind.ADMINISTRATIVE: (
        (
            "№ {n} халыққа қызмет көрсету орталығы",
            "Центр обслуживания населения № {n}",
            "Public service centre No. {n}",
            20,
        ),
        ("№ {n} полиция бөлімі", "Отдел полиции № {n}", "Police station No. {n}", 25),
        ("№ {n} салық басқармасы", "Управление государственных доходов № {n}", "Tax office No. {n}", 10),
    ),
    ObjectKind.RESIDENTIAL: (
        ("Тұрғын үй, {s}", "Жилой дом, {s}", "Residential building, {s}", 0),
        ("«{b}» тұрғын үй кешені", "Жилой комплекс «{b}»", "“{b}” residential complex", 0),
    ),
    ObjectKind.OTHER: (
        ("«{b}» саябағы", "Парк «{b}»", "“{b}” park", 0),
        ("«{b}» мешіті", "Мечеть «{b}»", "“{b}” mosque", 0),
        ("№ {n} қоғамдық дәретхана", "Общественный туалет № {n}", "Public toilet No. {n}", 60),
        ("«{b}» қонақ үйі", "Гостиница «{b}»", "“{b}” hotel", 0),
    ),
}

# Who owns objects of a kind where no registered organisation is given: {r} the region.
OWNER_NAMES: dict[str, str] = {
    ObjectKind.EDUCATION: "{r} білім басқармасы",
    ObjectKind.HEALTH: "{r} қоғамдық денсаулық сақтау басқармасы",
    ObjectKind.SOCIAL_PROTECTION: "{r} жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
    ObjectKind.CULTURE: "{r} мәдениет басқармасы",
    ObjectKind.SPORT: "{r} дене шынықтыру және спорт басқармасы",
    ObjectKind.TRADE_SERVICES: "«{b}» ЖШС",
    ObjectKind.TRANSPORT: "{r} жолаушылар көлігі және автомобиль жолдары басқармасы",
    ObjectKind.ADMINISTRATIVE: "{r} әкімдігі",
    ObjectKind.RESIDENTIAL: "«{b}» пәтер иелерінің кооперативі",
    ObjectKind.OTHER: "«{b}» ЖШС",
}

# How well objects meet the norm: (share of objects, chance an item is met). Newer and
# public buildings do better; this gives roughly the map's mix of statuses.
QUALITY_PROFILES: tuple[tuple[float, float], ...] = ((0.22, 0.985), (0.43, 0.86), (0.35, 0.65))

# Items that do not apply to many buildings: no steps at the entrance, one storey.
OFTEN_NOT_APPLICABLE = {"ramp": 0.25, "lift": 0.35, "handrails_stairs": 0.2, "parking_reserved": 0.15}

# Planned measures: (kind, share, lowest and highest cost in tenge).
MEASURE_KINDS: tuple[tuple[str, float, int, int], ...] = (
    (Measure.Kind.REPAIR, 0.5, 400_000, 18_000_000),
    (Measure.Kind.INDIVIDUAL_SOLUTION, 0.2, 80_000, 2_500_000),
    (Measure.Kind.ALTERNATIVE_SERVICE, 0.2, 0, 350_000),
    (Measure.Kind.NONE_NEEDED, 0.1, 0, 0),
)


def district_areas(region: Place) -> dict[int, tuple[Area, float]]:
    """Each district of the region (by id) with its area and share of the objects.

    Almaty's districts have their own areas; another region's districts are laid around
    its centre. A region with no districts has none (the caller adds them first)."""
    districts = list(Place.objects.filter(parent=region, level=Place.Level.DISTRICT).order_by("pk"))
    if region.kato == ALMATY:
        known = {d.pk: ALMATY_DISTRICTS[d.name_en] for d in districts if d.name_en in ALMATY_DISTRICTS}
        if known:
            return known
    centre = REGION_CENTRES.get(region.kato or "", REGION_CENTRES[ALMATY])
    areas: dict[int, tuple[Area, float]] = {}
    for index, district in enumerate(districts):
        angle = 2 * math.pi * index / max(len(districts), 1)
        areas[district.pk] = (
            Area(centre[0] + 0.05 * math.sin(angle), centre[1] + 0.07 * math.cos(angle), 0.03, 0.04),
            1.0,
        )
    return areas


def _point(rnd: random.Random, area: Area) -> tuple[float, float]:
    # Denser near the centre, never outside the district's box.
    while True:
        latitude = rnd.gauss(area.latitude, area.half_lat / 2)
        longitude = rnd.gauss(area.longitude, area.half_lon / 2)
        if area.contains(latitude, longitude):
            return round(latitude, 6), round(longitude, 6)


def _name(rnd: random.Random, kind: str, street: tuple[str, str, str], house: str) -> tuple[str, str, str]:
    kk, ru, en, highest = rnd.choice(NAMES[kind])
    brand_kk, brand_en = rnd.choice(BRANDS)
    values = {
        "n": str(rnd.randint(1, highest)) if highest else "",
        "s_kk": f"{street[0]}, {house}",
        "s_ru": f"{street[1]}, {house}",
        "s_en": f"{house.translate(LATIN_SUFFIX)} {street[2]}",
    }
    stop_kk, stop_ru, stop_en = street
    if "{s}" in kk and "аялдама" in kk:
        # A stop is named by its street alone.
        values["s_kk"], values["s_ru"], values["s_en"] = stop_kk, stop_ru.split(" ", 1)[-1], stop_en
    return (
        kk.format(n=values["n"], b=brand_kk, s=values["s_kk"]),
        ru.format(n=values["n"], b=brand_kk, s=values["s_ru"]),
        en.format(n=values["n"], b=brand_en, s=values["s_en"]),
    )


def _item_results(rnd: random.Random, met_chance: float) -> dict[str, tuple[str, Decimal | None]]:
    """A complete checklist: every item met, not met or not applicable, with measurements
    that agree with the result."""
    results: dict[str, tuple[str, Decimal | None]] = {}
    for item in checklist.CHECKLIST:
        if rnd.random() < OFTEN_NOT_APPLICABLE.get(item.code, 0.0):
            results[item.code] = (checklist.NOT_APPLICABLE, None)
            continue
        results[item.code] = (checklist.MET if rnd.random() < met_chance else checklist.NOT_MET, None)
    # A ramp's slope is measured only where there is a ramp to measure.
    if results["ramp"][0] != checklist.MET:
        results["ramp_slope"] = (checklist.NOT_APPLICABLE, None)
    for code in ("ramp_slope", "door_width"):
        result = results[code][0]
        if result == checklist.NOT_APPLICABLE:
            continue
        if code == "ramp_slope":
            slope = rnd.uniform(2.0, 5.0) if result == checklist.MET else rnd.uniform(5.5, 12.0)
            value = Decimal(f"{slope:.1f}")
        else:
            width = rnd.uniform(0.9, 1.4) if result == checklist.MET else rnd.uniform(0.65, 0.89)
            value = Decimal(f"{width:.2f}")
        results[code] = (result, value)
    return results


def _zone_statuses(rnd: random.Random, results: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """The status of every zone and category the checklist backs: the suggested one, or ДУ
    (help or another form of service) for some shortfalls, as surveyors choose."""
    statuses: dict[tuple[str, str], str] = {}
    for zone in ZONES:
        for category in CATEGORIES:
            status = checklist.suggested_zone_status(results, zone, category)
            if status != ZoneStatus.FULL and rnd.random() < 0.15:
                status = ZoneStatus.CONDITIONAL
            statuses[(zone, category)] = status
    return statuses


MEASURE_COLUMNS = (
    "object_id",
    "passport_id",
    "zone",
    "item_code",
    "kind",
    "state",
    "responsible_id",
    "responsible_name",
    "deadline",
    "cost",
    "completed_on",
    "note",
    "version",
    "created_at",
    "updated_at",
)


def _insert(model: type[Any], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows (no model instances): the bulk of a passport is its ~65 rows of
    items and zone statuses, too many for model instances at city scale."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _chunks(count: int) -> list[range]:
    return [range(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]


def generated_count(region: Place, seed: int) -> int:
    return AccessObject.objects.filter(
        region=region, external_id__startswith=f"{REGISTER_PREFIX}-{seed}-"
    ).count()


@transaction.atomic
def generate_objects(
    *,
    region_kato: str = ALMATY,
    count: int = 34000,
    seed: int = 1,
    passported_share: float = 0.72,
    planned_measures: int = 300,
    owners: Mapping[str, int] | None = None,
    surveyor: User | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    """Generate `count` objects in the region's districts with passports and measures; return
    how many objects were created (0 when the region already has this seed's objects).

    `owners` maps a kind to the registered organisation owning its objects (others get an
    owner written as text); `surveyor` signs the generated passports. Everything is written
    in one transaction: a failure leaves nothing behind."""
    region = Place.objects.get(kato=region_kato, level=Place.Level.REGION)
    if generated_count(region, seed):
        return 0
    areas = district_areas(region)
    if not areas:
        raise ValueError(f"Region {region_kato} has no districts to place objects in.")
    today = today or timezone.localdate()
    # Reproducible demo data, not secrets.
    rnd = random.Random(f"{region_kato}-{seed}")  # noqa: S311
    district_ids = list(areas)
    district_weights = [areas[d][1] for d in district_ids]
    kinds = list(KIND_WEIGHTS)
    kind_weights = list(KIND_WEIGHTS.values())
    history_days = max((today - HISTORY_START).days - 14, 1)
    owners = owners or {}
    region_name = region.name_kk
    prefix = f"{REGISTER_PREFIX}-{seed}-"
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    zone_of = {item.code: item.zone.value for item in checklist.CHECKLIST}

    chunks = _chunks(count)
    for chunk in progress(chunks, "objects") if progress else chunks:
        objects: list[AccessObject] = []
        checklists: list[tuple[dict[str, tuple[str, Decimal | None]], dict[tuple[str, str], str]] | None] = []
        for index in chunk:
            district_id = rnd.choices(district_ids, district_weights)[0]
            kind = rnd.choices(kinds, kind_weights)[0]
            latitude, longitude = _point(rnd, areas[district_id][0])
            street = rnd.choice(STREETS)
            house = str(rnd.randint(1, 280))
            if rnd.random() < 0.15:
                house += rnd.choice("АБВ")
            name_kk, name_ru, name_en = _name(rnd, kind, street, house)
            obj = AccessObject(
                name_kk=name_kk,
                name_ru=name_ru,
                name_en=name_en,
                address=f"{street[0]}, {house}",
                region_id=region.pk,
                district_id=district_id,
                kind=kind,
                owner_id=owners.get(kind),
                owner_name=""
                if kind in owners
                else OWNER_NAMES[kind].format(r=region_name, b=rnd.choice(BRANDS)[0]),
                latitude=latitude,
                longitude=longitude,
                external_id=f"{prefix}{index + 1:06d}",
            )
            if rnd.random() < passported_share:
                met_chance = rnd.choices([p[1] for p in QUALITY_PROFILES], [p[0] for p in QUALITY_PROFILES])[
                    0
                ]
                results = _item_results(rnd, met_chance)
                zones = _zone_statuses(rnd, {code: r for code, (r, _v) in results.items()})
                public = checklist.public_statuses((z, c, s) for (z, c), s in zones.items())
                for category, status in public.items():
                    setattr(obj, STATUS_FIELD[PeopleCategory(category)], status.value)
                obj.passported_on = HISTORY_START + dt.timedelta(days=rnd.randrange(history_days))
                checklists.append((results, zones))
            else:
                checklists.append(None)
            objects.append(obj)
        AccessObject.objects.bulk_create(objects)

        passports = [
            Passport(
                object_id=obj.pk,
                number=1,
                state=Passport.State.SUBMITTED,
                surveyor=surveyor,
                surveyed_on=obj.passported_on,
                submitted_at=dt.datetime.combine(obj.passported_on, dt.time(10), tzinfo=dt.UTC)
                + dt.timedelta(minutes=rnd.randrange(480)),
                version=2,
            )
            for obj, answers in zip(objects, checklists, strict=True)
            if answers is not None and obj.passported_on is not None
        ]
        Passport.objects.bulk_create(passports)
        answered = [a for a in checklists if a is not None]
        items: list[tuple[Any, ...]] = []
        zone_rows: list[tuple[Any, ...]] = []
        measures: list[tuple[Any, ...]] = []
        for passport, (results, zones) in zip(passports, answered, strict=True):
            for code, (result, value) in results.items():
                measurement = value if value is None or connection.vendor == "postgresql" else str(value)
                items.append((passport.pk, code, result, measurement, ""))
                if result == checklist.NOT_MET:
                    # An unplanned measure for every shortfall, as passport_submit leaves it.
                    measures.append(
                        (
                            *(
                                passport.object_id,
                                passport.pk,
                                zone_of[code],
                                code,
                                "",
                                Measure.State.UNPLANNED,
                            ),
                            *(None, "", None, None, None, "", 1, stamp, stamp),
                        )
                    )
            zone_rows.extend((passport.pk, z, c, s, "") for (z, c), s in zones.items())
        _insert(PassportItem, ("passport_id", "code", "result", "measurement", "comment"), items)
        _insert(PassportZoneStatus, ("passport_id", "zone", "category", "status", "comment"), zone_rows)
        _insert(Measure, MEASURE_COLUMNS, measures)

    measure_ids = list(
        Measure.objects.filter(object__region=region, object__external_id__startswith=prefix)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _plan_measures(rnd, measure_ids, planned_measures, today)
    return count


def _plan_measures(rnd: random.Random, measure_ids: list[int], planned: int, today: dt.date) -> None:
    """Plan some shortfalls' measures: about a third done, a quarter of the rest overdue."""
    chosen = rnd.sample(measure_ids, min(planned, len(measure_ids)))
    measures = Measure.objects.filter(pk__in=chosen).select_related("object", "passport")
    updated: list[Measure] = []
    for measure in measures:
        kind, _share, low, high = rnd.choices(MEASURE_KINDS, [k[1] for k in MEASURE_KINDS])[0]
        measure.kind = kind
        measure.state = Measure.State.PLANNED
        measure.responsible_id = measure.object.owner_id
        measure.responsible_name = "" if measure.object.owner_id else measure.object.owner_name
        measure.version = 2
        if kind == Measure.Kind.NONE_NEEDED:
            updated.append(measure)
            continue
        measure.cost = Decimal(rnd.randrange(low, high + 1, 5000) if high else 0)
        surveyed = measure.passport.surveyed_on or today
        roll = rnd.random()
        if roll < 0.35 and (today - surveyed).days > 45:
            measure.state = Measure.State.DONE
            measure.completed_on = surveyed + dt.timedelta(days=rnd.randint(30, (today - surveyed).days - 1))
            measure.deadline = measure.completed_on + dt.timedelta(days=rnd.randint(0, 90))
        elif roll < 0.52 and (today - surveyed).days > 40:
            # Overdue: the deadline passed, but after the survey that found the shortfall.
            measure.deadline = today - dt.timedelta(
                days=rnd.randint(5, min(300, (today - surveyed).days - 30))
            )
        else:
            measure.deadline = today + dt.timedelta(days=rnd.randint(20, 1200))
        updated.append(measure)
    Measure.objects.bulk_update(
        updated,
        ["kind", "state", "responsible", "responsible_name", "cost", "deadline", "completed_on", "version"],
        batch_size=500,
    )
