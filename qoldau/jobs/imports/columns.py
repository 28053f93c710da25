"""The columns of the jobs app's two imports (their names in kk, ru and en as a header may
write them) and the reasons a cell of one is refused with: an employer's vacancies, and a
list of employers' staff reports by BIN."""

from __future__ import annotations

import datetime as dt

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.imports.readers import DISTRICT, Field

VACANCIES = "vacancies"
STAFF_REPORTS = "staff_reports"
KIND_LABELS: dict[str, str | Promise] = {
    VACANCIES: _("Vacancies"),
    STAFF_REPORTS: _("Staff reports"),
}


def _yes_no() -> list[str]:
    return [str(_("yes")), str(_("no"))]


# Vacancies --------------------------------------------------------------------------------

OCCUPATION_CODE = Field(
    "occupation_code",
    _("Occupation code"),
    (
        "Occupation code",
        "Occupation",
        "ISCO code",
        "Код профессии",
        "Код НКЗ",
        "Код занятия",
        "Кәсіп коды",
        "Мамандық коды",
    ),
    required=True,
    example="4110",
    help=_("The code in the classifier of occupations (НК РК 01-2017), for example 4110."),
    as_text=True,
)
TITLE_KK = Field(
    "title_kk",
    _("Title in Kazakh"),
    (
        "Title in Kazakh",
        "Title (Kazakh)",
        "Title",
        "Job title",
        "Название на казахском",
        "Название вакансии на казахском",
        "Атауы",
        "Лауазым атауы",
        "Қазақша атауы",
        "Бос орын атауы",
    ),
    required=True,
    example="Кеңсе қызметкері",
    help=_("The vacancy's title in Kazakh."),
)
TITLE_RU = Field(
    "title_ru",
    _("Title in Russian"),
    ("Title in Russian", "Title (Russian)", "Название", "Название вакансии", "Должность", "Орысша атауы"),
    example="Офисный сотрудник",
    help=_("The title in Russian, when there is one."),
)
TITLE_EN = Field(
    "title_en",
    _("Title in English"),
    ("Title in English", "Title (English)", "Название на английском", "Ағылшынша атауы"),
    example="Office clerk",
    help=_("The title in English, when there is one."),
)
DUTIES = Field(
    "duties",
    _("What the work is"),
    (
        "Duties",
        "What the work is",
        "Обязанности",
        "Должностные обязанности",
        "Міндеттері",
        "Жұмыс міндеттері",
    ),
    help=_("The duties, in any language."),
)
CONDITIONS = Field(
    "conditions",
    _("Working conditions"),
    ("Working conditions", "Conditions", "Условия труда", "Условия работы", "Еңбек жағдайлары"),
    help=_("Codes of the catalogue of working conditions, several separated by a comma."),
)
ACCOMMODATIONS = Field(
    "accommodations",
    _("Accommodations the employer offers"),
    ("Accommodations", "Accommodations offered", "Приспособления", "Разумные приспособления", "Бейімдеулер"),
    help=_("Codes of the catalogue of accommodations, several separated by a comma."),
)
WEEKLY_HOURS = Field(
    "weekly_hours",
    _("Hours a week"),
    (
        "Hours a week",
        "Weekly hours",
        "Hours",
        "Часов в неделю",
        "Часы в неделю",
        "Аптасына сағат",
        "Апталық сағат",
    ),
    example=40,
    help=_("Working hours a week; 40 when empty."),
)
PAY_FROM = Field(
    "pay_from",
    _("Pay from, tenge a month"),
    (
        "Pay from",
        "Pay",
        "Salary",
        "Зарплата от",
        "Зарплата",
        "Заработная плата",
        "Оклад",
        "Жалақы",
        "Жалақы бастап",
    ),
    required=True,
    example=150000,
    help=_("Tenge a month; not below the minimum wage on the opening day (in proportion for fewer hours)."),
)
PAY_TO = Field(
    "pay_to",
    _("Pay up to, tenge a month"),
    ("Pay up to", "Pay to", "Зарплата до", "Жалақы дейін"),
    help=_("The pay's upper end, when there is one."),
)
POSITIONS = Field(
    "positions",
    _("Places"),
    ("Places", "Positions", "Количество мест", "Число мест", "Орын саны", "Орындар саны"),
    example=1,
    help=_("How many people the employer takes; 1 when empty."),
)
QUOTA = Field(
    "quota",
    _("A quota job, kept for people with disabilities"),
    ("Quota job", "Quota", "Квотируемое место", "Квота", "Квоталық орын", "Квоталық"),
    help=_("Yes or no (иә or жоқ, да or нет); no when empty."),
    choices=_yes_no,
)
REMOTE = Field(
    "remote",
    _("Remote work"),
    (
        "Remote work",
        "Remote",
        "Удалённая работа",
        "Удаленная работа",
        "Дистанционная работа",
        "Қашықтан жұмыс",
    ),
    help=_("Yes or no (иә or жоқ, да or нет); no when empty."),
    choices=_yes_no,
)
VACANCY_DISTRICT = Field(
    DISTRICT.name,
    DISTRICT.label,
    DISTRICT.aliases,
    help=_("A district of the employer's region: its KATO code, or its name in any language."),
)
OPENS_ON = Field(
    "opens_on",
    _("Opens on"),
    ("Opens on", "Open from", "Дата открытия", "Открыта с", "Ашылған күні", "Ашылу күні"),
    example=dt.date(2025, 3, 3),
    help=_("The day the vacancy opens; today when empty."),
)
CLOSES_ON = Field(
    "closes_on",
    _("Closes on"),
    ("Closes on", "Дата закрытия", "Открыта до", "Жабылу күні"),
    help=_("The day it closes, when known."),
)

VACANCY_FIELDS = (
    OCCUPATION_CODE,
    TITLE_KK,
    TITLE_RU,
    TITLE_EN,
    DUTIES,
    CONDITIONS,
    ACCOMMODATIONS,
    WEEKLY_HOURS,
    PAY_FROM,
    PAY_TO,
    POSITIONS,
    QUOTA,
    REMOTE,
    VACANCY_DISTRICT,
    OPENS_ON,
    CLOSES_ON,
)

# Staff reports ----------------------------------------------------------------------------

# Never a registered BIN: a template's example row is told by it.
EXAMPLE_BIN = "000000000000"

EMPLOYER_BIN = Field(
    "bin",
    _("Employer's BIN"),
    (
        "BIN",
        "Employer BIN",
        "Employer's BIN",
        "БИН",
        "БИН работодателя",
        "БСН",
        "Жұмыс берушінің БСН",
    ),
    required=True,
    example=EXAMPLE_BIN,
    help=_(
        "12 digits. Format the column as text, so that Excel keeps a leading 0; a number "
        "that lost it is read with the 0 again."
    ),
    as_text=True,
)
YEAR = Field(
    "year",
    _("Year"),
    ("Year", "Reporting year", "Год", "Отчётный год", "Отчетный год", "Жыл", "Есепті жыл"),
    required=True,
    example=2025,
    help=_("The year the report is for; not a year to come."),
)
AS_OF = Field(
    "as_of",
    _("As of"),
    ("As of", "Report date", "На дату", "Дата отчёта", "Дата отчета", "Есеп күні"),
    help=_("A day of that year; when empty, the year's last day, or today for this year."),
)
HEADCOUNT = Field(
    "headcount",
    _("Headcount"),
    (
        "Headcount",
        "Staff",
        "Number of staff",
        "Численность",
        "Численность работников",
        "Списочная численность",
        "Қызметкерлер саны",
        "Штат саны",
    ),
    required=True,
    example=200,
    help=_("The number of staff."),
)
HAZARDOUS_JOBS = Field(
    "hazardous_jobs",
    _("Jobs in heavy, harmful or hazardous work"),
    (
        "Hazardous jobs",
        "Jobs in hazardous work",
        "Рабочие места с вредными условиями",
        "Вредные условия труда",
        "Зиянды жұмыс орындары",
        "Қауіпті жұмыс орындары",
    ),
    example=0,
    help=_("Left out of the quota's base; 0 when empty."),
)
EMPLOYEES_WITH_DISABILITIES = Field(
    "employees_with_disabilities",
    _("Employees with disabilities"),
    (
        "Employees with disabilities",
        "Работники с инвалидностью",
        "Работники-инвалиды",
        "Мүгедектігі бар қызметкерлер",
        "Мүгедек қызметкерлер",
    ),
    example=4,
    help=_("They fill quota jobs; 0 when empty."),
)

STAFF_REPORT_FIELDS = (EMPLOYER_BIN, YEAR, AS_OF, HEADCOUNT, HAZARDOUS_JOBS, EMPLOYEES_WITH_DISABILITIES)

# Reasons ----------------------------------------------------------------------------------

JOBS_REASONS: dict[str, str | Promise] = {
    # The message of a rule of the services, rendered in the importer's language.
    "jobs_refused": "%(reason)s",
    "jobs_invalid_bin": _("“%(value)s” is not a valid BIN: check it for typos."),
    "jobs_unknown_employer": _(
        "There is no employer with the BIN %(value)s among those whose staff you report."
    ),
    "jobs_not_a_count": _("“%(value)s” is not a whole number of 0 or more."),
    "jobs_invalid_year": _("“%(value)s” is not a year."),
    "jobs_repeated_report": _("This row repeats row %(first_row)s: the same employer and day."),
    "jobs_already_reported": _("The employer's staff on %(date)s are already reported, with other figures."),
    "jobs_unknown_occupation": _("There is no occupation %(code)s in the classifier."),
    "jobs_below_minimum_wage": _(
        "The pay of %(pay)s tenge a month is below the minimum wage in force on %(day)s: "
        "at least %(least)s tenge for %(hours)s hours a week."
    ),
    "jobs_unknown_district": _("There is no district “%(value)s” in %(region)s."),
    "jobs_invalid_flag": _("“%(value)s” is neither yes nor no: write иә or жоқ, да or нет, yes or no."),
    "jobs_invalid_amount": _("“%(value)s” is not an amount of tenge."),
    "jobs_repeated_vacancy": _(
        "This row repeats row %(first_row)s: the same occupation, title, pay and opening day."
    ),
}
