"""Checking every row of a file of vacancies or of staff reports before anything is
written. Each row goes through the same rules its service applies (`vacancy_check`,
`rules.staff_report_day` and `rules.check_staff_report`), and each refusal becomes a bad
cell: the row's number, the column as the file names it, and the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from qoldau.core.errors import ValidationFailed
from qoldau.core.identifiers import is_ascii_digits, normalise_digits, validate_bin
from qoldau.core.models import Organisation, Place
from qoldau.imports.readers import ColumnMatch, cell_text
from qoldau.imports.validation import ErrorList, identifier_text, normalise_name, parse_day
from qoldau.jobs import rules
from qoldau.jobs.errors import JobsErrorCode
from qoldau.jobs.models import StaffReport, Vacancy
from qoldau.jobs.services import VacancyInput, vacancy_check

# Rows checked between two reports of progress.
PROGRESS_EVERY = 100

Progress = Callable[[int, int], None]


# Cells ------------------------------------------------------------------------------------


def count_of(value: object) -> int | None:
    """A whole number of 0 or more from a cell (a number cell, or digits with spaces);
    None for anything else, a negative number included."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = normalise_digits(cell_text(value).replace(" ", "").replace("\u00a0", "").replace("\u202f", ""))
    return int(text) if is_ascii_digits(text) and len(text) <= 12 else None


def amount_of(value: object) -> Decimal | None:
    """An amount of tenge from a cell: a number, or text with spaces between the thousands
    and a comma or a point before the tiyn; None for anything else, a negative one too."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        text = repr(value)
    else:
        text = cell_text(value).replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


_YES = frozenset({"yes", "y", "true", "1", "+", "да", "д", "иә", "ия", "иа", "бар"})
_NO = frozenset({"no", "n", "false", "0", "-", "нет", "н", "жоқ", "жок"})


def flag_of(value: object) -> bool | None:
    """Yes or no in any of the three languages; an empty cell is no."""
    if isinstance(value, bool):
        return value
    text = normalise_name(cell_text(value))
    if not text or text in _NO:
        return False
    return True if text in _YES else None


def codes_of(value: object) -> list[str]:
    """Codes of a catalogue, separated by commas, semicolons or lines."""
    text = cell_text(value).replace(";", ",").replace("\n", ",")
    return [code.strip() for code in text.split(",") if code.strip()]


class _Cells:
    """One file's columns: where each field is, and the name its column has in the file."""

    def __init__(self, columns: ColumnMatch) -> None:
        self.at = {name: position for position, name in enumerate(columns.fields) if name}
        self.names = {name: columns.column_name(name) for name in self.at}
        self.width = len(columns.header)

    def row(self, raw: Sequence[Any]) -> list[Any]:
        return list(raw) + [""] * max(0, self.width - len(raw))

    def get(self, cells: list[Any], name: str) -> Any:
        position = self.at.get(name)
        return cells[position] if position is not None else ""

    def column(self, name: str, fallback: str) -> str:
        """The file's name of a field's column; of `fallback`'s when the file has none."""
        return self.names.get(name) or self.names.get(fallback) or name


def _refusal(errors: ErrorList, number: int, column: str, exc: ValidationFailed) -> None:
    """A service's refusal as a bad cell: the reasons the imports name have a code of
    their own (rendered in the reader's language when shown); any other is its message,
    rendered now in the language of whoever started the import."""
    params = {key: str(value) for key, value in exc.params.items()}
    if exc.code == JobsErrorCode.UNKNOWN_CODE and exc.field == "occupation_code":
        errors.add(number, column, "jobs_unknown_occupation", params)
    elif exc.code == JobsErrorCode.BELOW_MINIMUM_WAGE:
        errors.add(number, column, "jobs_below_minimum_wage", params)
    else:
        errors.add(number, column, "jobs_refused", {"reason": exc.render()})


# Vacancies --------------------------------------------------------------------------------

# A service's input named by a refusal, and the column of the file that holds it.
VACANCY_COLUMNS = {
    "condition_codes": "conditions",
    "accommodation_codes": "accommodations",
    "region_id": "district",
    "district_id": "district",
    "region": "district",
    "district": "district",
    "workplace_id": "occupation_code",
    "education_required": "occupation_code",
    "experience_months_required": "occupation_code",
}


@dataclass(frozen=True)
class VacancyRow:
    row: int
    data: VacancyInput


@dataclass
class CheckedVacancies:
    total: int = 0
    rows: list[VacancyRow] = field(default_factory=list)
    unchanged: int = 0
    errors: ErrorList = field(default_factory=ErrorList)


def _vacancy_key(data: VacancyInput) -> tuple[str, str, dt.date, Decimal]:
    return (data.occupation_code.strip(), data.title_kk.strip(), data.opens_on, Decimal(data.pay_from))


class _Districts:
    """The districts of the employer's region, by KATO code and by name in any language
    (with or without the word for a district)."""

    WORDS = frozenset({"ауданы", "аудан", "район", "р-н", "district"})

    def __init__(self, region_id: int | None) -> None:
        self.found: dict[str, int] = {}
        for pk, kato, *names in Place.objects.filter(
            level=Place.Level.DISTRICT, parent_id=region_id
        ).values_list("pk", "kato", "name_kk", "name_ru", "name_en"):
            if kato:
                self.found[kato] = pk
            for name in names:
                for key in self._keys(name or ""):
                    self.found[key] = pk

    def _keys(self, text: str) -> set[str]:
        full = normalise_name(text)
        short = " ".join(word for word in full.split() if word not in self.WORDS)
        return {key for key in (full, short) if key}

    def find(self, text: str) -> int | None:
        digits = normalise_digits(text.removesuffix(".0"))
        if is_ascii_digits(digits):
            return self.found.get(digits)
        return next((self.found[key] for key in self._keys(text) if key in self.found), None)


def check_vacancy_rows(
    table: Any, columns: ColumnMatch, *, employer: Organisation, progress: Progress | None = None
) -> CheckedVacancies:
    """Check every row of a file of an employer's vacancies as `vacancy_post` would post
    it (the occupation in the classifier, pay not below the minimum wage, the catalogues'
    codes, a district of the employer's region...). A row the same as a vacancy the
    employer has (occupation, title, opening day and pay) is counted unchanged, so that a
    file imported twice posts nothing twice; a row repeating another row is refused."""
    result = CheckedVacancies()
    errors = result.errors
    cells_of = _Cells(columns)
    districts = _Districts(employer.region_id)
    region_name = employer.region.name if employer.region is not None else ""
    existing = {
        (code, title, opens_on, pay)
        for code, title, opens_on, pay in Vacancy.objects.filter(employer=employer).values_list(
            "occupation__code", "title_kk", "opens_on", "pay_from"
        )
    }
    seen: dict[tuple[str, str, dt.date, Decimal], int] = {}
    today = timezone.localdate()
    count = 0
    for number, raw in table.rows:
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, max(table.total, count))
        cells = cells_of.row(raw)
        before = errors.count

        def text(name: str, cells: list[Any] = cells) -> str:
            return cell_text(cells_of.get(cells, name))

        occupation = text("occupation_code")
        title = text("title_kk")
        for name, given in (("occupation_code", occupation), ("title_kk", title)):
            if not given:
                errors.add(number, cells_of.column(name, name), "required")
        numbers: dict[str, Any] = {}
        for name, parse, default in (
            ("pay_from", amount_of, None),
            ("pay_to", amount_of, None),
            ("weekly_hours", count_of, 40),
            ("positions", count_of, 1),
        ):
            raw_value = cells_of.get(cells, name)
            shown = cell_text(raw_value)
            if not shown:
                if default is None and name == "pay_from":
                    errors.add(number, cells_of.column(name, name), "required")
                numbers[name] = default
                continue
            value = parse(raw_value)
            if value is None:
                reason = "jobs_invalid_amount" if parse is amount_of else "jobs_not_a_count"
                errors.add(number, cells_of.column(name, name), reason, {"value": shown[:40]})
            numbers[name] = value
        flags: dict[str, bool] = {}
        for name in ("quota", "remote"):
            raw_value = cells_of.get(cells, name)
            flag = flag_of(raw_value)
            if flag is None:
                errors.add(
                    number,
                    cells_of.column(name, name),
                    "jobs_invalid_flag",
                    {"value": cell_text(raw_value)[:40]},
                )
            flags[name] = bool(flag)
        days: dict[str, dt.date | None] = {}
        for name, default_day in (("opens_on", today), ("closes_on", None)):
            shown = text(name)
            day = parse_day(cells_of.get(cells, name)) if shown else default_day
            if shown and day is None:
                errors.add(number, cells_of.column(name, name), "invalid_date", {"value": shown[:40]})
            days[name] = day
        district_id: int | None = None
        district_text = text("district")
        if district_text:
            district_id = districts.find(district_text)
            if district_id is None:
                errors.add(
                    number,
                    cells_of.column("district", "district"),
                    "jobs_unknown_district",
                    {"value": district_text[:100], "region": region_name},
                )
        if errors.count != before:
            continue
        data = VacancyInput(
            occupation_code=occupation,
            title_kk=title,
            title_ru=text("title_ru"),
            title_en=text("title_en"),
            duties=text("duties"),
            condition_codes=codes_of(cells_of.get(cells, "conditions")),
            accommodation_codes=codes_of(cells_of.get(cells, "accommodations")),
            weekly_hours=numbers["weekly_hours"],
            pay_from=numbers["pay_from"],
            pay_to=numbers["pay_to"],
            positions=numbers["positions"],
            quota=flags["quota"],
            remote=flags["remote"],
            region_id=employer.region_id if district_id is not None else None,
            district_id=district_id,
            opens_on=days["opens_on"] or today,
            closes_on=days["closes_on"],
        )
        try:
            vacancy_check(employer=employer, data=data)
        except ValidationFailed as exc:
            name = VACANCY_COLUMNS.get(exc.field or "", exc.field or "occupation_code")
            _refusal(errors, number, cells_of.column(name, "occupation_code"), exc)
            continue
        key = _vacancy_key(data)
        if key in seen:
            errors.add(
                number,
                cells_of.column("title_kk", "title_kk"),
                "jobs_repeated_vacancy",
                {"first_row": seen[key]},
            )
            continue
        seen[key] = number
        if key in existing:
            result.unchanged += 1
            continue
        result.rows.append(VacancyRow(number, data))
    result.total = count
    if progress is not None:
        progress(count, count)
    return result


# Staff reports ----------------------------------------------------------------------------

# A rule's input named by a refusal, and the column of the file that holds it.
STAFF_REPORT_COLUMNS = {"as_of": "as_of", "year": "year", "headcount": "headcount"}


@dataclass(frozen=True)
class StaffReportRow:
    row: int
    employer_id: int
    as_of: dt.date
    headcount: int
    hazardous_jobs: int
    employees_with_disabilities: int

    def figures(self) -> tuple[int, int, int]:
        return (self.headcount, self.hazardous_jobs, self.employees_with_disabilities)


@dataclass
class CheckedStaffReports:
    total: int = 0
    rows: list[StaffReportRow] = field(default_factory=list)
    unchanged: int = 0
    errors: ErrorList = field(default_factory=ErrorList)


def check_staff_report_rows(
    table: Any, columns: ColumnMatch, *, employers: dict[str, int], progress: Progress | None = None
) -> CheckedStaffReports:
    """Check every row of a file of staff reports: a BIN (Excel's number too) of an
    employer among `employers` (those whose staff the importer reports, by BIN: any other
    BIN answers as one not registered), a year begun or past and a day in it, and counts
    that `rules.check_staff_report` accepts. A row the same as a report already recorded
    is counted unchanged; one for a day reported with other figures is refused, as is a
    row repeating another's employer and day."""
    result = CheckedStaffReports()
    errors = result.errors
    cells_of = _Cells(columns)
    seen: dict[tuple[int, dt.date], int] = {}
    checked: list[StaffReportRow] = []
    count = 0
    for number, raw in table.rows:
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, max(table.total, count))
        cells = cells_of.row(raw)
        before = errors.count

        bin_column = cells_of.column("bin", "bin")
        # A BIN Excel kept as a number lost its leading zero: read back with it.
        number_text = identifier_text(cells_of.get(cells, "bin"), text_may_lack_zeros=not table.typed)
        employer_id: int | None = None
        if not number_text:
            errors.add(number, bin_column, "required")
        else:
            try:
                valid = validate_bin(number_text)
            except ValidationFailed:
                errors.add(number, bin_column, "jobs_invalid_bin", {"value": number_text[:20]})
            else:
                employer_id = employers.get(valid)
                if employer_id is None:
                    errors.add(number, bin_column, "jobs_unknown_employer", {"value": valid})

        counts: dict[str, int] = {}
        for name, required in (
            ("headcount", True),
            ("hazardous_jobs", False),
            ("employees_with_disabilities", False),
        ):
            raw_value = cells_of.get(cells, name)
            shown = cell_text(raw_value)
            if not shown:
                if required:
                    errors.add(number, cells_of.column(name, name), "required")
                counts[name] = 0
                continue
            value = count_of(raw_value)
            if value is None:
                errors.add(number, cells_of.column(name, name), "jobs_not_a_count", {"value": shown[:40]})
            counts[name] = value or 0

        year_text = cell_text(cells_of.get(cells, "year"))
        year = count_of(cells_of.get(cells, "year")) if year_text else None
        if not year_text:
            errors.add(number, cells_of.column("year", "year"), "required")
        elif year is None:
            errors.add(
                number, cells_of.column("year", "year"), "jobs_invalid_year", {"value": year_text[:40]}
            )
        as_of_text = cell_text(cells_of.get(cells, "as_of"))
        as_of = parse_day(cells_of.get(cells, "as_of")) if as_of_text else None
        if as_of_text and as_of is None:
            errors.add(number, cells_of.column("as_of", "year"), "invalid_date", {"value": as_of_text[:40]})
        if errors.count != before or employer_id is None or year is None:
            continue
        try:
            day = rules.staff_report_day(year, as_of)
            rules.check_staff_report(as_of=day, **counts)
        except ValidationFailed as exc:
            name = STAFF_REPORT_COLUMNS.get(exc.field or "", exc.field or "year")
            _refusal(errors, number, cells_of.column(name, "year"), exc)
            continue
        key = (employer_id, day)
        if key in seen:
            errors.add(number, bin_column, "jobs_repeated_report", {"first_row": seen[key]})
            continue
        seen[key] = number
        checked.append(StaffReportRow(number, employer_id, day, **counts))
    recorded = {
        (employer_id, as_of): (headcount, hazardous, disabled)
        for employer_id, as_of, headcount, hazardous, disabled in StaffReport.objects.filter(
            employer_id__in={row.employer_id for row in checked}
        ).values_list("employer_id", "as_of", "headcount", "hazardous_jobs", "employees_with_disabilities")
    }
    for row in checked:
        before_figures = recorded.get((row.employer_id, row.as_of))
        if before_figures is None:
            result.rows.append(row)
        elif before_figures == row.figures():
            result.unchanged += 1
        else:
            errors.add(
                row.row,
                cells_of.column("as_of", "year"),
                "jobs_already_reported",
                {"date": row.as_of.isoformat()},
            )
    result.total = count
    if progress is not None:
        progress(count, count)
    return result
