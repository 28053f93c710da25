"""What the social-services demo is made of: article 002's figures for Almaty, the
catalogue terms it needs, the named centres and the planned ones, and the demo users.
Every figure the article gives is here by name; everything else is generated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qoldau.core import demo_data as d

SEED = 15
YEAR = 2025
# The records stop where the article stops; the permits are dated from the day of loading.
AS_OF = dt.date(2025, 12, 31)
BIN_SERIALS = 70_000
# IIN serials of the generated recipients (the base demo's run from 1000 up).
IIN_SERIALS = 6_000

GENERATED_KK, GENERATED_RU, GENERATED_EN = "генерацияланған", "сгенерировано", "generated"
SOURCE = "Kazinform, 2025-11-09 (article 002)"

# Article 002: licensed providers of special social services in Almaty.
MEDICAL_SOCIAL_INSTITUTIONS = 9
NGOS = 14
HOME_CARE_UNITS = 8  # one per district akimat
RECIPIENTS = 7_000  # "Жыл сайын 7 мың қызмет алушы қамтылады"
SOCIAL_WORKERS = 1_600  # "1,6 мың әлеуметтік қызметкерге ... 30 %"
BONUS_PERCENT = 30
TRAINING_TARGET = 1_000  # "2026 жылдың алғашқы жартыжылдығына дейін 1 мыңнан астам маман"
TRAINING_DEADLINE = dt.date(2026, 6, 30)
# Trainings completed in 2025 (generated): progress towards the target as of AS_OF.
TRAINED_BY_AS_OF = 640
ACTIVE_LONGEVITY_PENSIONERS = 24_000
REHABILITATION_CENTRE_PLACES = 150
NEW_CENTRES_PLACES = 200  # "жалпы қамтуы 200 адамға дейін" (up to 200 in total)
# The split of the 200 places between the three new centres is not given: generated.
NEW_CENTRES = (("Nauryzbay District", 70), ("Bostandyq District", 70), ("Medeu District", 60))

# The catalogue's terms the demo uses, until the directory's data migration provides them:
# (taxonomy, code, kk, ru, en).
SETTINGS = [
    ("residential", "Стационарлық", "Стационарные", "Residential"),
    (
        "semi_residential",
        "Жартылай стационарлық (күндізгі)",
        "Полустационарные (дневные)",
        "Semi-residential (day)",
    ),
    ("at_home", "Үйде", "На дому", "At home"),
    ("temporary_stay", "Уақытша болу", "Временное пребывание", "Temporary stay"),
]
TYPES = [
    ("social_household", "Әлеуметтік-тұрмыстық", "Социально-бытовые", "Social-household"),
    ("medical", "Әлеуметтік-медициналық", "Социально-медицинские", "Medical"),
    ("psychological", "Әлеуметтік-психологиялық", "Социально-психологические", "Psychological"),
    ("pedagogical", "Әлеуметтік-педагогикалық", "Социально-педагогические", "Pedagogical"),
    ("labour", "Әлеуметтік-еңбек", "Социально-трудовые", "Labour"),
    ("cultural", "Әлеуметтік-мәдени", "Социально-культурные", "Cultural"),
    ("economic", "Әлеуметтік-экономикалық", "Социально-экономические", "Economic"),
    ("legal", "Әлеуметтік-құқықтық", "Социально-правовые", "Legal"),
]

# The kind of delivery each provider's project records its services as.
DELIVERY_TYPE = (
    "special_social_service",
    "Арнаулы әлеуметтік қызмет",
    "Специальная социальная услуга",
    "Special social service",
)


@dataclass(frozen=True)
class CentreSpec:
    """A centre the article names, run as a state centre."""

    key: str
    name_kk: str
    name_ru: str
    name_en: str
    district: str
    setting: str
    kind: str
    unit: str
    places: int
    recipients: int
    minimum_age: int | None = None
    maximum_age: int | None = None


CENTRES = [
    CentreSpec(
        "early_intervention",
        "Ерте араласу орталығы",
        "Центр раннего вмешательства",
        "Early Intervention Centre",
        "Bostandyq District",
        "semi_residential",
        "pedagogical",
        "early_intervention_slot",
        places=60,
        recipients=240,
        minimum_age=0,
        maximum_age=2,
    ),
    CentreSpec(
        "family_support",
        "Отбасыны қолдау орталығы",
        "Центр поддержки семьи",
        "Family Support Centre",
        "Almaly District",
        "semi_residential",
        "psychological",
        "day_place",
        places=80,
        recipients=420,
    ),
    CentreSpec(
        "active_longevity",
        "Белсенді ұзақ өмір орталығы",
        "Центр активного долголетия",
        "Active Longevity Centre",
        "Medeu District",
        "semi_residential",
        "cultural",
        "day_place",
        places=120,
        recipients=0,
        minimum_age=60,
    ),
]

# Generated names of the licensed providers (none is given by the article).
MSI_NAMES = [
    ("Шуақ", "Шуак", "Shuaq"),
    ("Мейірім", "Мейирим", "Meyirim"),
    ("Ақ ниет", "Ак ниет", "Aq Niet"),
    ("Қамқор", "Камкор", "Qamqor"),
    ("Жанұя", "Жануя", "Zhanuya"),
    ("Сенім", "Сеним", "Senim"),
    ("Алатау", "Алатау", "Alatau"),
    ("Нұрлы жол", "Нурлы жол", "Nurly Zhol"),
    ("Бақыт", "Бакыт", "Baqyt"),
]
NGO_NAMES = [
    ("Жол ашық", "Жол ашык", "Zhol Ashyq"),
    ("Көмек қолы", "Комек колы", "Komek Qoly"),
    ("Достық", "Достык", "Dostyq"),
    ("Арман", "Арман", "Arman"),
    ("Үміт", "Умит", "Umit"),
    ("Шаңырақ", "Шанырак", "Shanyraq"),
    ("Мирас", "Мирас", "Miras"),
    ("Жарық", "Жарык", "Zharyq"),
    ("Қолдау", "Колдау", "Qoldau"),
    ("Бірлік", "Бирлик", "Birlik"),
    ("Сәуле", "Сауле", "Saule"),
    ("Тірек", "Тирек", "Tirek"),
    ("Ақжол", "Акжол", "Aqzhol"),
    ("Шапағат", "Шапагат", "Shapagat"),
]

# Recipients of 2025 by kind of provider (each provider's share generated); with the
# early-intervention and family-support centres' they make RECIPIENTS.
RECIPIENTS_BY_KIND = {
    "medical_social_institution": 1_890,
    "ngo": 2_450,
    "home_care_unit": 2_000,
}

SERVICES_USERS: list[d.UserSpec] = [
    d.UserSpec(
        "services.staff",
        "ngo_staff",
        what_kk="Ерте араласу орталығының қызметкері / provider's staff, Early Intervention Centre",
    ),
    d.UserSpec(
        "services.admin",
        "ngo_admin",
        what_kk="Ерте араласу орталығының әкімшісі / provider administrator, Early Intervention Centre",
    ),
]
