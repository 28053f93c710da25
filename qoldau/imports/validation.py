"""Row rules of imports. Each bad cell becomes a `RowError`: the row number a spreadsheet
shows, the column as the file names it, and a reason code with its parameters.

Reasons are rendered when shown (`RowError.reason`), in the reader's language, from
codes and parameters that never carry personal data: no IIN, name or phone is ever put
into a reason, since job results and logs are not encrypted.

The loops here run once per row of files with millions of rows, so every value that
repeats (IINs, dates, services, quantities) is parsed once and cached.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.errors import ValidationFailed
from qoldau.core.identifiers import (
    CENTURY_BY_DIGIT,
    check_digit,
    is_ascii_digits,
    normalise_digits,
    parse_iin,
)
from qoldau.core.models import Person, Place, VulnerabilityCategory
from qoldau.core.services import normalise_kato
from qoldau.imports.readers import ColumnMatch, Table, cell_text
from qoldau.imports.values import identifier_text as identifier_text
from qoldau.imports.values import is_rounded_number
from qoldau.imports.values import parse_day as parse_day
from qoldau.projects.models import Project, ServiceType

REASONS: dict[str, str | Promise] = {
    "required": _("A value is required here."),
    "iin_format": _("An IIN has exactly 12 digits."),
    "iin_rounded": _(
        "The IIN was saved as a rounded number (like 4.01015E+10), which has lost its last "
        "digits. In Excel, format the IIN column as text, type the IINs again and save."
    ),
    "iin_check_digit": _("The IIN has a wrong check digit: check it for typos."),
    "iin_birth_date": _("The IIN does not start with a real birth date (or its 7th digit is impossible)."),
    "iin_or_reason": _("Give the IIN, or the reason the person has none."),
    "no_iin_reason": _("Unknown reason for a missing IIN; use one of: %(choices)s."),
    "unknown_service": _("There is no service “%(value)s” in the catalogue."),
    "invalid_date": _("“%(value)s” is not a date; write it as 31.12.2025 or 2025-12-31."),
    "outside_project_period": _("The date %(date)s is outside the project's period (%(start)s – %(end)s)."),
    "future_date": _("The date %(date)s is in the future."),
    "invalid_quantity": _(
        "The quantity must be a positive number below 100,000,000 with at most two decimals."
    ),
    "unknown_region": _("There is no region with the KATO code “%(value)s”."),
    "unknown_district": _("There is no district “%(value)s” in the person's region."),
    "duplicate_delivery": _("This row repeats row %(first_row)s: the same person, service and date."),
    "duplicate_person": _("This row repeats row %(first_row)s: the same IIN."),
    "person_unknown": _(
        "The person is not registered yet, and none of their rows gives a last and a first name "
        "to register them with."
    ),
    "invalid_sex": _("Unknown sex “%(value)s”; write M or F."),
    "invalid_phone": _("A phone number may hold only digits, spaces, +, - and brackets."),
    "unknown_category": _("There is no category “%(value)s”."),
    "too_long": _("The text is longer than %(limit)s characters."),
    "invalid_text": _(
        "The text holds a control character (such as a tab or an invisible code) or a broken "
        "character; remove it."
    ),
    "date_out_of_range": _("The date %(date)s is outside %(low)s – %(high)s."),
}

# Kept in memory per import; a file with more bad rows than this is reported by count.
MAX_KEPT_ERRORS = 10_000
PROGRESS_EVERY = 10_000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return render_reason(self.code, self.params)

    def as_list(self) -> list[Any]:
        return [self.row, self.column, self.code, self.params]

    @classmethod
    def from_list(cls, data: list[Any]) -> RowError:
        return cls(row=int(data[0]), column=str(data[1]), code=str(data[2]), params=dict(data[3] or {}))


def render_reason(code: str, params: dict[str, Any]) -> str:
    message = str(REASONS.get(code, REASONS["required"]))
    return message % params if params else message


class ErrorList:
    """Bad cells of one file: all counted, the first MAX_KEPT_ERRORS kept."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.count = 0
        self.rows: set[int] = set()

    def add(self, row: int, column: str, code: str, params: dict[str, Any] | None = None) -> None:
        self.count += 1
        self.rows.add(row)
        if len(self.kept) < MAX_KEPT_ERRORS:
            # A reason shows back a column's name and a cell's value: never with characters
            # no database stores (a NUL cannot even be kept in a JSON column).
            shown = {key: _shown(value) for key, value in (params or {}).items()}
            self.kept.append(RowError(row, _shown(column), code, shown))

    def sorted(self) -> list[RowError]:
        return sorted(self.kept, key=lambda e: e.row)


def _shown(value: Any) -> Any:
    if isinstance(value, str) and bounds.has_forbidden_characters(value):
        return "".join("\ufffd" if bounds.has_forbidden_characters(c) else c for c in value)
    return value


def checked_text(annotated: Any, text: str) -> str | CellProblem:
    """A text cell cleaned by the bound of its field (the same as the form's and the API's),
    or why it is refused."""
    try:
        return str(bounds.clean(annotated, text))
    except bounds.BoundError as exc:
        if exc.code == "too_long":
            return CellProblem("too_long", exc.params)
        return CellProblem("invalid_text")


def checked_day(annotated: Any, day: dt.date) -> dt.date | CellProblem:
    """A date within the range of its field, or why it is refused."""
    try:
        return cast(dt.date, bounds.clean(annotated, day))
    except bounds.BoundError as exc:
        return CellProblem("date_out_of_range", {"date": day.isoformat(), **exc.params})


# Values -----------------------------------------------------------------------------------


def iin_text(value: object, *, text_may_lack_zeros: bool = False) -> str:
    """An IIN cell as its 12 digits: Excel keeps IINs typed as numbers without the leading
    zero of people born in the 2000s, so a number is padded back to 12 digits (and text of
    fewer digits too, from a CSV file, where Excel writes such a number as its digits)."""
    return identifier_text(value, text_may_lack_zeros=text_may_lack_zeros)


@dataclass(frozen=True)
class IinCheck:
    iin: str
    birth_date: dt.date
    sex: str


def _iin_accepted(iin: str) -> IinCheck | None:
    """The facts of an IIN that `parse_iin` accepts, found with core's own check digit
    and century table; None for anything else, which `parse_iin` then refuses with its
    reason. `parse_iin` renders its translated label on every call (about 15 µs), which
    is most of the time of checking a file of a million rows; `test_validation.py` pins
    that both accept exactly the same numbers."""
    if not is_ascii_digits(iin, 12) or check_digit(iin[:11]) != int(iin[11]):
        return None
    century = CENTURY_BY_DIGIT.get(int(iin[6]))
    if century is None:
        return None
    try:
        birth_date = dt.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None
    return IinCheck(iin=iin, birth_date=birth_date, sex="M" if int(iin[6]) % 2 else "F")


def check_iin(value: object, *, text_may_lack_zeros: bool = False) -> IinCheck | str:
    """The IIN's facts, or the reason code it is refused with. `text_may_lack_zeros`: the
    cell comes from a CSV file, whose numbers are text (`iin_text`)."""
    text = iin_text(value, text_may_lack_zeros=text_may_lack_zeros)
    accepted = _iin_accepted(text)
    if accepted is not None:
        return accepted
    if isinstance(value, str) and is_rounded_number(value):
        return "iin_rounded"
    try:
        facts = parse_iin(text)
    except ValidationFailed as exc:
        return {
            "invalid_format": "iin_format",
            "invalid_check_digit": "iin_check_digit",
        }.get(exc.code, "iin_birth_date")
    return IinCheck(iin=facts.iin, birth_date=facts.birth_date, sex=facts.sex)


def parse_quantity(value: object) -> Decimal | None:
    """A quantity within the bounds of a delivery's (positive, at most two decimals, a
    comma as the decimal sign too); a blank cell is 1."""
    if value is None or value == "":
        return Decimal(1)
    if isinstance(value, bool):
        return None
    if not str(value).strip():
        return Decimal(1)
    try:
        amount = bounds.parse(bounds.Quantity, value)
    except bounds.BoundError:
        return None
    return amount.quantize(Decimal("0.01"))


def normalise_name(text: object) -> str:
    return " ".join(str(text).casefold().replace("ё", "е").split())


def split_full_name(text: str) -> tuple[str, str, str]:
    """Last name, first name and patronymic from "Last First Patronymic"."""
    parts = text.split()
    if len(parts) < 2:
        return (parts[0] if parts else "", "", "")
    return parts[0], parts[1], " ".join(parts[2:])


PHONE_CHARS = frozenset("0123456789+-() ")
SEX_VALUES = {
    "m": "M",
    "male": "M",
    "м": "M",
    "муж": "M",
    "мужской": "M",
    "е": "M",
    "ер": "M",
    "еркек": "M",
    "f": "F",
    "female": "F",
    "ж": "F",
    "жен": "F",
    "женский": "F",
    "ә": "F",
    "әйел": "F",
}


def no_iin_reasons() -> dict[str, str]:
    """Reasons for a missing IIN by code and by their label in each language."""
    table = {code: code for code in Person.NoIinReason.values}
    for code, label in Person.NoIinReason.choices:
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                table[normalise_name(label)] = code
    return table


# Deliveries -------------------------------------------------------------------------------


@dataclass
class PersonSeen:
    """A person a deliveries file names: the IIN's facts, their first row and date, and
    the first names the file gives them (needed only if they are not registered yet)."""

    iin: str
    birth_date: dt.date
    sex: str
    first_row: int
    first_date: dt.date
    names: tuple[str, str, str] | None = None


@dataclass
class CheckedDeliveries:
    total: int = 0
    # (row number, IIN, service id, date, quantity, note), in file order
    rows: list[tuple[int, str, int, dt.date, Decimal, str]] = field(default_factory=list)
    people: dict[str, PersonSeen] = field(default_factory=dict)
    errors: ErrorList = field(default_factory=ErrorList)


def service_lookup() -> dict[str, int]:
    """Services by code and by name in any language, compared case-insensitively."""
    table: dict[str, int] = {}
    for service in ServiceType.objects.all():
        for text in (service.name_en, service.name_ru, service.name_kk, service.code):
            if text:
                table[normalise_name(text)] = service.pk
    return table


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CellProblem:
    """Why a cell is refused (cached per distinct cell, like the values)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


_MISSING: Any = object()


def _service_of(raw: object, services: dict[str, int]) -> int | CellProblem:
    text = cell_text(raw)
    if not text:
        return CellProblem("required")
    found = services.get(normalise_name(text))
    return found if found is not None else CellProblem("unknown_service", {"value": text[:100]})


def _day_in(raw: object, starts: dt.date, ends: dt.date) -> dt.date | CellProblem:
    day = parse_day(raw)
    if day is None:
        text = cell_text(raw)
        return CellProblem("invalid_date", {"value": text[:40]}) if text else CellProblem("required")
    if not starts <= day <= ends:
        return CellProblem(
            "outside_project_period",
            {"date": day.isoformat(), "start": starts.isoformat(), "end": ends.isoformat()},
        )
    return day


def _iin_of(raw: object, text_may_lack_zeros: bool) -> IinCheck | CellProblem:
    if not cell_text(raw):
        return CellProblem("required")
    checked = check_iin(raw, text_may_lack_zeros=text_may_lack_zeros)
    return CellProblem(checked) if isinstance(checked, str) else checked


def check_delivery_rows(
    table: Table, columns: ColumnMatch, project: Project, progress: Progress | None = None
) -> CheckedDeliveries:
    """Check every row of a deliveries file against the row rules: a valid IIN, a known
    service, a date in the project's period, a positive quantity, a short note, and no
    row repeating another's person, service and date. Whether each person is registered
    is checked by the caller, which looks them up in bulk."""
    result = CheckedDeliveries()
    errors = result.errors
    services = service_lookup()
    width = len(columns.header)
    at = {name: position for position, name in enumerate(columns.fields) if name}
    i_iin, i_service, i_date = at["iin"], at["service"], at["date"]
    i_quantity, i_note = at.get("quantity"), at.get("note")
    i_last, i_first, i_patronymic, i_full = (
        at.get("last_name"),
        at.get("first_name"),
        at.get("patronymic"),
        at.get("full_name"),
    )
    col = {name: columns.column_name(name) for name in at}
    starts, ends = project.starts_on, project.ends_on
    from_text = not table.typed
    # Each distinct cell is checked once; these hold the value or the problem.
    iins: dict[object, IinCheck | CellProblem] = {}
    days: dict[object, dt.date | CellProblem] = {}
    quantities: dict[object, Decimal | None] = {}
    service_ids: dict[object, int | CellProblem] = {}
    iins_get, days_get, quantities_get, services_get = iins.get, days.get, quantities.get, service_ids.get
    seen: dict[tuple[str, int, dt.date], int] = {}
    seen_get = seen.get
    people = result.people
    people_get = people.get
    append = result.rows.append
    total = table.total
    one = Decimal(1)
    count = 0
    for number, cells in table.rows:
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, max(total, count))
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        raw = cells[i_iin]
        iin = iins_get(raw)
        if iin is None:
            iin = iins[raw] = _iin_of(raw, from_text)
        raw = cells[i_service]
        service_id = services_get(raw, _MISSING)
        if service_id is _MISSING:
            service_id = service_ids[raw] = _service_of(raw, services)
        raw = cells[i_date]
        day = days_get(raw)
        if day is None:
            day = days[raw] = _day_in(raw, starts, ends)
        quantity: Decimal | None = one
        if i_quantity is not None:
            raw = cells[i_quantity]
            quantity = quantities_get(raw, _MISSING)
            if quantity is _MISSING:
                quantity = quantities[raw] = parse_quantity(raw)
        note: str | CellProblem = cell_text(cells[i_note]) if i_note is not None else ""
        if note:
            note = checked_text(bounds.Note, cast(str, note))

        if (
            iin.__class__ is not IinCheck
            or service_id.__class__ is not int
            or day.__class__ is not dt.date
            or quantity is None
            or note.__class__ is not str
        ):
            for name, value in (("iin", iin), ("service", service_id), ("date", day), ("note", note)):
                if isinstance(value, CellProblem):
                    errors.add(number, col[name], value.code, value.params)
            if quantity is None:
                errors.add(number, col["quantity"], "invalid_quantity")
            continue
        # Narrowed by the class checks above (isinstance would cost a call per row).
        iin, service_id, day = cast(IinCheck, iin), cast(int, service_id), cast(dt.date, day)
        key = (iin.iin, service_id, day)
        first = seen_get(key)
        if first is not None:
            errors.add(number, col["date"], "duplicate_delivery", {"first_row": first})
            continue
        seen[key] = number
        person = people_get(iin.iin)
        if person is None:
            person = people[iin.iin] = PersonSeen(iin.iin, iin.birth_date, iin.sex, number, day)
        elif day < person.first_date:
            person.first_date = day
        if person.names is None:
            names = _row_names(cells, i_last, i_first, i_patronymic, i_full)
            if isinstance(names, NameProblem):
                # A name the person would be registered with, outside a name's bounds.
                problem = names.problem
                errors.add(number, col.get(names.field) or col["full_name"], problem.code, problem.params)
                continue
            person.names = names
        append((number, iin.iin, service_id, day, quantity, cast(str, note)))
    result.total = count
    if progress is not None:
        progress(count, count)
    return result


@dataclass(frozen=True)
class NameProblem:
    field: str
    problem: CellProblem


def _row_names(
    cells: list[Any] | Any,
    i_last: int | None,
    i_first: int | None,
    i_patronymic: int | None,
    i_full: int | None,
) -> tuple[str, str, str] | NameProblem | None:
    """The last name, first name and patronymic a row gives; None when it gives no last
    and first name; the problem when one is outside a person's name's bounds."""
    last = cell_text(cells[i_last]) if i_last is not None else ""
    first = cell_text(cells[i_first]) if i_first is not None else ""
    patronymic = cell_text(cells[i_patronymic]) if i_patronymic is not None else ""
    if not (last and first) and i_full is not None:
        last, first, patronymic = split_full_name(cell_text(cells[i_full]))
    if not (last and first):
        return None
    cleaned: list[str] = []
    for name, text in (("last_name", last), ("first_name", first), ("patronymic", patronymic)):
        checked = checked_text(bounds.PersonName, text)
        if isinstance(checked, CellProblem):
            return NameProblem(name, checked)
        cleaned.append(checked)
    return cleaned[0], cleaned[1], cleaned[2]


# People -----------------------------------------------------------------------------------


@dataclass
class PersonRow:
    row: int
    iin: str | None
    no_iin_reason: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: dt.date | None
    sex: str
    phone: str
    region_id: int | None
    district_id: int | None
    category_ids: list[int]
    consent_date: dt.date


@dataclass
class CheckedPeople:
    total: int = 0
    rows: list[PersonRow] = field(default_factory=list)
    errors: ErrorList = field(default_factory=ErrorList)


class _Places:
    """Regions by KATO code; districts by KATO code or by name within their region."""

    def __init__(self) -> None:
        self.regions: dict[str, int] = {}
        self.district_by_kato: dict[str, tuple[int, int | None]] = {}
        self.district_by_name: dict[tuple[int | None, str], int] = {}
        for pk, kato, level, parent_id, kk, ru, en in Place.objects.filter(
            level__in=[Place.Level.REGION, Place.Level.DISTRICT]
        ).values_list("pk", "kato", "level", "parent_id", "name_kk", "name_ru", "name_en"):
            if level == Place.Level.REGION:
                if kato:
                    self.regions[kato] = pk
                continue
            if kato:
                self.district_by_kato[kato] = (pk, parent_id)
            for name in (kk, ru, en):
                if name:
                    self.district_by_name[(parent_id, normalise_name(name))] = pk

    def region(self, text: str) -> int | None:
        try:
            return self.regions.get(normalise_kato(text))
        except ValidationFailed:
            return None

    def district(self, text: str, region_id: int | None) -> tuple[int, int | None] | None:
        """(district, its region), or None when there is no such district in the region."""
        digits = normalise_digits(text)
        if is_ascii_digits(digits):
            try:
                found = self.district_by_kato.get(normalise_kato(digits))
            except ValidationFailed:
                return None
            if found is None or (region_id is not None and found[1] != region_id):
                return None
            return found
        if region_id is None:
            return None
        pk = self.district_by_name.get((region_id, normalise_name(text)))
        return (pk, region_id) if pk is not None else None


def category_lookup() -> dict[str, int]:
    table: dict[str, int] = {}
    for category in VulnerabilityCategory.objects.all():
        for text in (category.name_en, category.name_ru, category.name_kk, category.code):
            if text:
                table[normalise_name(text)] = category.pk
    return table


def check_people_rows(table: Table, columns: ColumnMatch, progress: Progress | None = None) -> CheckedPeople:
    """Check every row of a people file: an IIN (valid) or a known reason for having none,
    a last and a first name, a phone of phone characters, a known region and district,
    known categories, a consent date not in the future, and no IIN twice in the file."""
    result = CheckedPeople()
    errors = result.errors
    places = _Places()
    categories = category_lookup()
    reasons = no_iin_reasons()
    today = timezone.localdate()
    width = len(columns.header)
    at = {name: position for position, name in enumerate(columns.fields) if name}
    col = {name: columns.column_name(name) for name in at}
    seen: dict[str, int] = {}

    def cell(cells: list[Any] | Any, name: str) -> Any:
        position = at.get(name)
        return cells[position] if position is not None else ""

    count = 0
    for number, raw_cells in table.rows:
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, max(table.total, count))
        cells = list(raw_cells) + [""] * max(0, width - len(raw_cells))
        before = errors.count

        iin: str | None = None
        birth_date: dt.date | None = None
        sex = ""
        reason = ""
        if cell_text(cell(cells, "iin")):
            checked = check_iin(cell(cells, "iin"), text_may_lack_zeros=not table.typed)
            if isinstance(checked, str):
                errors.add(number, col["iin"], checked)
            else:
                iin, birth_date, sex = checked.iin, checked.birth_date, checked.sex
                first = seen.get(iin)
                if first is not None:
                    errors.add(number, col["iin"], "duplicate_person", {"first_row": first})
                else:
                    seen[iin] = number
        else:
            reason_text = cell_text(cell(cells, "no_iin_reason"))
            reason = reasons.get(normalise_name(reason_text), "")
            if not reason_text:
                errors.add(number, col["iin"], "iin_or_reason")
            elif not reason:
                errors.add(
                    number,
                    col["no_iin_reason"],
                    "no_iin_reason",
                    {"choices": ", ".join(Person.NoIinReason.values)},
                )
            sex_text = cell_text(cell(cells, "sex"))
            if sex_text:
                sex = SEX_VALUES.get(normalise_name(sex_text).rstrip("."), "")
                if not sex:
                    errors.add(number, col["sex"], "invalid_sex", {"value": sex_text[:20]})
            birth_text = cell(cells, "birth_date")
            if cell_text(birth_text):
                birth_date = parse_day(birth_text)
                if birth_date is None:
                    errors.add(
                        number, col["birth_date"], "invalid_date", {"value": cell_text(birth_text)[:40]}
                    )
                elif birth_date > today:
                    errors.add(number, col["birth_date"], "future_date", {"date": birth_date.isoformat()})
                elif isinstance(problem := checked_day(bounds.BirthDate, birth_date), CellProblem):
                    errors.add(number, col["birth_date"], problem.code, problem.params)

        last, first_name, patronymic = (
            cell_text(cell(cells, "last_name")),
            cell_text(cell(cells, "first_name")),
            cell_text(cell(cells, "patronymic")),
        )
        if not (last and first_name) and "full_name" in at:
            last, first_name, patronymic = split_full_name(cell_text(cell(cells, "full_name")))
        if not last:
            errors.add(number, col.get("last_name") or col["full_name"], "required")
        if not first_name:
            errors.add(number, col.get("first_name") or col["full_name"], "required")
        names: dict[str, str] = {}
        for name, value in (("last_name", last), ("first_name", first_name), ("patronymic", patronymic)):
            name_checked = checked_text(bounds.PersonName, value)
            if isinstance(name_checked, CellProblem):
                errors.add(number, col.get(name) or col["full_name"], name_checked.code, name_checked.params)
            else:
                names[name] = name_checked
        last, first_name, patronymic = (names.get(n, "") for n in ("last_name", "first_name", "patronymic"))

        phone = cell_text(cell(cells, "phone"))
        if phone and not set(phone) <= PHONE_CHARS:
            errors.add(number, col["phone"], "invalid_phone")
        elif isinstance(phone_checked := checked_text(bounds.Phone, phone), CellProblem):
            errors.add(number, col["phone"], phone_checked.code, phone_checked.params)
        else:
            phone = phone_checked

        region_id: int | None = None
        district_id: int | None = None
        region_text = cell_text(cell(cells, "region"))
        if region_text:
            region_id = places.region(region_text)
            if region_id is None:
                errors.add(number, col["region"], "unknown_region", {"value": region_text[:20]})
        district_text = cell_text(cell(cells, "district"))
        if district_text and not (region_text and region_id is None):
            found = places.district(district_text, region_id)
            if found is None:
                errors.add(number, col["district"], "unknown_district", {"value": district_text[:100]})
            else:
                district_id, region_id = found[0], found[1] or region_id

        category_ids: list[int] = []
        for text in _split_list(cell_text(cell(cells, "categories"))):
            category_id = categories.get(normalise_name(text))
            if category_id is None:
                errors.add(number, col["categories"], "unknown_category", {"value": text[:100]})
            elif category_id not in category_ids:
                category_ids.append(category_id)

        consent_date = today
        consent_cell = cell(cells, "consent_date")
        if cell_text(consent_cell):
            parsed = parse_day(consent_cell)
            if parsed is None:
                errors.add(
                    number, col["consent_date"], "invalid_date", {"value": cell_text(consent_cell)[:40]}
                )
            elif parsed > today:
                errors.add(number, col["consent_date"], "future_date", {"date": parsed.isoformat()})
            elif isinstance(problem := checked_day(bounds.RecordDate, parsed), CellProblem):
                errors.add(number, col["consent_date"], problem.code, problem.params)
            else:
                consent_date = parsed

        if errors.count == before:
            result.rows.append(
                PersonRow(
                    row=number,
                    iin=iin,
                    no_iin_reason=reason,
                    last_name=last,
                    first_name=first_name,
                    patronymic=patronymic,
                    birth_date=birth_date,
                    sex=sex,
                    phone=phone,
                    region_id=region_id,
                    district_id=district_id,
                    category_ids=category_ids,
                    consent_date=consent_date,
                )
            )
    result.total = count
    if progress is not None:
        progress(count, count)
    return result


def _split_list(text: str) -> Iterable[str]:
    return [part.strip() for part in re.split(r"[;,\n]", text) if part.strip()]
