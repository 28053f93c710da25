"""What the employment demo is made of: its fixed numbers, the sectors of Almaty's
generated employers and what their jobs ask, and the impairments, needs and wishes of the
JOBCOACH participants as job seekers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SEED = 14
# The demo's records of employment stop here: the end of JOBCOACH's project and of 2025.
AS_OF = dt.date(2025, 12, 31)
COACHES = 24
EMPLOYERS = 120
BIN_SERIALS = 50_000
# The employer whose staff member is a demo user: an IT company (its jobs suit many people).
DEMO_EMPLOYER = 3

GENERATED_KK, GENERATED_RU, GENERATED_EN = "генерацияланған", "сгенерировано", "generated"


# What a sector employs, the conditions of its jobs and the buildings it works in. -----------


@dataclass(frozen=True)
class Sector:
    kk: str
    ru: str
    en: str
    occupations: tuple[str, ...]
    conditions: tuple[str, ...]
    buildings: tuple[str, ...]
    hazardous_share: float = 0.0
    remote_share: float = 0.0


SECTORS: tuple[Sector, ...] = (
    Sector(
        "Логистика",
        "Логистика",
        "Logistics",
        ("9329", "8322", "4110", "4311"),
        ("lifting_loads", "heavy_physical_work", "shift_work", "driving", "prolonged_standing", "night_work"),
        ("transport", "other"),
        hazardous_share=0.12,
    ),
    Sector(
        "Сауда",
        "Торговля",
        "Retail",
        ("5223", "9112", "4311"),
        ("prolonged_standing", "shift_work", "lifting_loads"),
        ("trade_services",),
    ),
    Sector(
        "Тағам",
        "Продукты",
        "Foods",
        ("5120", "7512", "9112"),
        ("prolonged_standing", "temperature_extremes", "shift_work", "night_work"),
        ("trade_services", "other"),
        hazardous_share=0.05,
    ),
    Sector(
        "Тех",
        "Тех",
        "Tech",
        ("2512", "3512", "4132", "4222", "4110"),
        ("visual_strain", "emotional_strain"),
        ("administrative",),
        remote_share=0.3,
    ),
    Sector(
        "Сервис",
        "Сервис",
        "Service",
        ("5141", "9621", "9112", "4222"),
        ("prolonged_standing", "prolonged_walking", "emotional_strain"),
        ("trade_services",),
    ),
    Sector(
        "Тігін",
        "Швейная фабрика",
        "Garments",
        ("7531", "9329"),
        ("fine_manual_work", "visual_strain", "noise"),
        ("other",),
        hazardous_share=0.03,
    ),
    Sector(
        "Электр Құрылыс",
        "ЭлектроСтрой",
        "Electric Works",
        ("7411", "9329"),
        ("work_at_height", "heavy_physical_work", "noise", "vibration", "moving_machinery"),
        ("other",),
        hazardous_share=0.3,
    ),
    Sector(
        "Білім",
        "Образование",
        "Learning",
        ("2330", "4110"),
        ("emotional_strain", "prolonged_standing"),
        ("education",),
        remote_share=0.1,
    ),
)

BRANDS: tuple[tuple[str, str], ...] = (
    ("Алатау", "Alatau"),
    ("Медеу", "Medeu"),
    ("Жетісу", "Zhetysu"),
    ("Көктем", "Koktem"),
    ("Самал", "Samal"),
    ("Достық", "Dostyk"),
    ("Арай", "Aray"),
    ("Сұңқар", "Sunkar"),
    ("Ақсай", "Aksay"),
    ("Шымбұлақ", "Shymbulak"),
    ("Тұран", "Turan"),
    ("Байтерек", "Bayterek"),
    ("Нұрлы Жол", "Nurly Zhol"),
    ("Қайнар", "Kaynar"),
    ("Орбита", "Orbita"),
)

# Accommodations employers commonly offer, and how often.
OFFERED: tuple[tuple[str, float], ...] = (
    ("flexible_schedule", 0.45),
    ("seated_work", 0.35),
    ("step_free_workplace", 0.25),
    ("written_communication", 0.3),
    ("quiet_workspace", 0.2),
    ("easy_read_instructions", 0.2),
    ("job_coach_on_site", 0.15),
    ("screen_reader", 0.12),
    ("visual_alarms_signage", 0.1),
    ("sign_interpreter", 0.05),
    ("tactile_route", 0.05),
)

# A seeker's impairment: the categories of accessibility they may need and the
# accommodations their ИПАР names.
IMPAIRMENTS: tuple[tuple[str, float, tuple[str, ...], tuple[str, ...]], ...] = (
    ("wheelchair", 0.15, ("К",), ("step_free_workplace", "adjustable_desk")),
    ("mobility", 0.27, ("О",), ("seated_work", "flexible_schedule", "parking_near_entrance")),
    ("vision", 0.18, ("С",), ("screen_reader", "screen_magnifier", "tactile_route", "orientation_training")),
    ("hearing", 0.18, ("Г",), ("written_communication", "visual_alarms_signage", "sign_interpreter")),
    ("intellectual", 0.22, ("У",), ("job_coach_on_site", "easy_read_instructions", "quiet_workspace")),
)
CONTRAINDICATIONS = {
    "wheelchair": ("prolonged_standing", "prolonged_walking", "work_at_height", "lifting_loads"),
    "mobility": ("heavy_physical_work", "lifting_loads", "prolonged_standing", "work_at_height"),
    "vision": ("visual_strain", "driving", "moving_machinery", "fine_manual_work", "night_work"),
    "hearing": ("hearing_dependent", "noise", "driving"),
    "intellectual": ("emotional_strain", "night_work", "moving_machinery", "business_travel"),
}
OCCUPATIONS_WANTED = (
    "4110",
    "4132",
    "4222",
    "4311",
    "5223",
    "5120",
    "7512",
    "7531",
    "9112",
    "9329",
    "9621",
    "2512",
    "3512",
    "5141",
    "2330",
    "8322",
)
EDUCATION = (
    ("general_secondary", 0.3),
    ("vocational", 0.36),
    ("higher", 0.24),
    ("basic_secondary", 0.08),
    ("none", 0.02),
)
