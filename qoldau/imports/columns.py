"""The columns of imports: the values each kind of import reads, the header names each is
recognised by (in Kazakh, Russian or English), and which column of a file holds which.

A `Field` also says what the template of its import shows for it: an example, a sentence
explaining it on the notes sheet, and the fixed values a column offers as a list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from qoldau.core.models import Person, VulnerabilityCategory
from qoldau.imports.errors import ImportErrorCode
from qoldau.imports.limits import ImportFileError
from qoldau.imports.models import ImportKind
from qoldau.projects.models import ServiceType

# Fields ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A value an import reads, and the header names it is recognised by (compared after
    `normalise_header`, so case, spaces and punctuation do not matter; its label in every
    language counts too, so a template's header is always read back).

    For the template: `example` (a value, or a function giving one when the template is
    made), `help` (what to write, a sentence for the notes sheet), `choices` (a function
    giving the values the column offers as a list, in the active language) and whether
    the column is in the template at all (`in_template`: an alternative to other columns
    is not) and whether it is formatted as text (`as_text`)."""

    name: str
    label: str | Promise
    aliases: tuple[str, ...]
    required: bool = False
    example: object = None
    help: str | Promise = ""
    choices: Callable[[], Sequence[str]] | None = None
    in_template: bool = True
    # The template formats the column as text: a 12-digit number keeps its leading zero.
    as_text: bool = False


IIN = Field(
    "iin",
    _("IIN"),
    (
        "IIN",
        "ИИН",
        "ЖСН",
        "Individual identification number",
        "Индивидуальный идентификационный номер",
        "Жеке сәйкестендіру нөмірі",
        "ИИН получателя",
        "Алушының ЖСН",
    ),
    example=lambda: EXAMPLE_IIN,
    help=_(
        "12 digits. Format the column as text, so that Excel keeps the leading 0 of people born "
        "from 2000; a number that lost it is read with the 0 again."
    ),
    as_text=True,
)
LAST_NAME = Field(
    "last_name",
    _("Last name"),
    ("Last name", "Surname", "Family name", "Фамилия", "Тегі", "Тек"),
    example="Ахметова",
    help=_("A file of deliveries needs the names only of people not registered yet."),
)
FIRST_NAME = Field(
    "first_name",
    _("First name"),
    ("First name", "Given name", "Имя", "Аты", "Есімі"),
    example="Айгүл",
    help=_("A file of deliveries needs the names only of people not registered yet."),
)
PATRONYMIC = Field(
    "patronymic",
    _("Patronymic"),
    ("Patronymic", "Middle name", "Отчество", "Әкесінің аты"),
    example="Серікқызы",
    help=_("When the person has one."),
)
FULL_NAME = Field(
    "full_name",
    _("Full name (last, first, patronymic)"),
    ("Full name", "ФИО", "Ф.И.О.", "Фамилия Имя Отчество", "Аты-жөні", "Тегі, аты, әкесінің аты"),
    help=_("Last name, first name and patronymic in one cell, instead of three columns."),
    in_template=False,
)
SERVICE = Field(
    "service",
    _("Service"),
    (
        "Service",
        "Service code",
        "Услуга",
        "Вид услуги",
        "Код услуги",
        "Қызмет",
        "Қызмет түрі",
        "Қызмет коды",
    ),
    required=True,
    example=lambda: next(iter(service_choices()), ""),
    help=_("A service of the catalogue, by its name in any language or its code."),
    choices=lambda: service_choices(),
)
DATE = Field(
    "date",
    _("Date"),
    (
        "Date",
        "Delivery date",
        "Дата",
        "Дата оказания",
        "Дата оказания услуги",
        "Күні",
        "Күн",
        "Қызмет көрсетілген күні",
    ),
    required=True,
    example=dt.date(2025, 3, 6),
    help=_(
        "Inside the project's period: a date cell, or text such as 06.03.2025, 2025-03-06, "
        "6 марта 2025 or 6 наурыз 2025."
    ),
)
QUANTITY = Field(
    "quantity",
    _("Quantity"),
    ("Quantity", "Qty", "Количество", "Кол-во", "Саны"),
    example=1,
    help=_("How many times or units; 1 when empty. At most two decimals."),
)
NOTE = Field(
    "note",
    _("Note"),
    ("Note", "Comment", "Примечание", "Комментарий", "Ескертпе", "Түсініктеме"),
    example=_("By phone"),
    help=_("Any short text."),
)
NO_IIN_REASON = Field(
    "no_iin_reason",
    _("Reason there is no IIN"),
    (
        "No IIN reason",
        "Reason there is no IIN",
        "Причина отсутствия ИИН",
        "ЖСН жоқ себебі",
        "ЖСН болмау себебі",
    ),
    help=_("Only for a person without an IIN: why there is none."),
    choices=lambda: no_iin_reason_choices(),
)
BIRTH_DATE = Field(
    "birth_date",
    _("Birth date"),
    ("Birth date", "Date of birth", "Дата рождения", "Туған күні", "Туған күн"),
    help=_("Only for a person without an IIN (an IIN holds the birth date)."),
)
SEX = Field(
    "sex",
    _("Sex"),
    ("Sex", "Gender", "Пол", "Жынысы", "Жыныс"),
    help=_("Only for a person without an IIN (an IIN holds the sex)."),
    choices=lambda: sex_choices(),
)
PHONE = Field(
    "phone",
    _("Phone"),
    ("Phone", "Telephone", "Phone number", "Телефон", "Номер телефона", "Телефон нөмірі"),
    example="+7 701 000 00 00",
    help=_("Digits, spaces, +, - and brackets."),
)
REGION = Field(
    "region",
    _("Region (KATO)"),
    (
        "Region",
        "Region (KATO)",
        "Region KATO",
        "Регион",
        "Регион (КАТО)",
        "Область",
        "КАТО региона",
        "Өңір",
        "Өңір (КАТО)",
        "Облыс",
    ),
    example="750000000",
    help=_("The region's KATO code, such as 750000000 for Almaty."),
)
DISTRICT = Field(
    "district",
    _("District (KATO or name)"),
    ("District", "District (KATO)", "Район", "Район (КАТО)", "КАТО района", "Аудан", "Аудан (КАТО)"),
    help=_("The district's KATO code, or its name in any language."),
)
CATEGORIES = Field(
    "categories",
    _("Categories"),
    (
        "Category",
        "Categories",
        "Category code",
        "Категория",
        "Категории",
        "Код категории",
        "Санаты",
        "Санат",
        "Санаттары",
    ),
    example=lambda: next(iter(category_choices()), ""),
    help=_("Names or codes of categories, several separated by a semicolon."),
    choices=lambda: category_choices(),
)
CONSENT_DATE = Field(
    "consent_date",
    _("Consent date"),
    (
        "Consent date",
        "Consent given on",
        "Дата согласия",
        "Согласие от",
        "Келісім күні",
        "Келісім берілген күні",
    ),
    example=dt.date(2025, 3, 1),
    help=_("The day the person gave consent; today when empty."),
)

IIN_REQUIRED = replace(IIN, required=True)

FIELDS: dict[str, tuple[Field, ...]] = {
    ImportKind.DELIVERIES: (
        IIN_REQUIRED,
        LAST_NAME,
        FIRST_NAME,
        PATRONYMIC,
        FULL_NAME,
        SERVICE,
        DATE,
        QUANTITY,
        NOTE,
    ),
    ImportKind.PEOPLE: (
        IIN_REQUIRED,
        NO_IIN_REASON,
        LAST_NAME,
        FIRST_NAME,
        PATRONYMIC,
        FULL_NAME,
        BIRTH_DATE,
        SEX,
        PHONE,
        REGION,
        DISTRICT,
        CATEGORIES,
        CONSENT_DATE,
    ),
}

# Row-number columns people keep in spreadsheets ("№", "№ п/п", "р/с"): read as known and
# ignored, so they do not send the importer to the column-mapping step.
IGNORED_HEADERS = frozenset({"", "n", "no", "nn", "пп", "нпп", "рс", "id"})

# The IIN of a template's example row: a valid number, so the example shows what a good
# row looks like, and the row that holds it is skipped when the file is imported (a
# template sent back with its example left in registers nobody).
EXAMPLE_IIN = "000101500011"


def service_choices() -> list[str]:
    """The catalogue's services by name in the active language."""
    return [service.name for service in ServiceType.objects.order_by("code")]


def category_choices() -> list[str]:
    return [category.name for category in VulnerabilityCategory.objects.all()]


def no_iin_reason_choices() -> list[str]:
    return [str(label) for _value, label in Person.NoIinReason.choices]


def sex_choices() -> list[str]:
    return [pgettext("sex", "M"), pgettext("sex", "F")]


def normalise_header(text: object) -> str:
    """A header as compared: lower case, ё as е, letters and digits only."""
    return "".join(c for c in str(text).casefold().replace("ё", "е") if c.isalnum())


def alias_table(kind: str) -> dict[str, str]:
    """The field each header name stands for: its names, its aliases, and its label in
    every language of the site (a template's header is its labels)."""
    table: dict[str, str] = {}
    for item in FIELDS[kind]:
        table[normalise_header(item.name)] = item.name
        for alias in item.aliases:
            table[normalise_header(alias)] = item.name
    for item in FIELDS[kind]:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                table.setdefault(normalise_header(item.label), item.name)
    return table


def fields_of(kind: str) -> tuple[Field, ...]:
    return FIELDS[kind]


def field_label(kind: str, name: str) -> str:
    for item in FIELDS[kind]:
        if item.name == name:
            return str(item.label)
    return name


def column_letter(position: int) -> str:
    """A column's letters as a spreadsheet shows them, from its 0-based position."""
    letters = ""
    number = position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class ColumnMatch:
    """Which field each column of the file holds (None: the column is not imported), and
    the row the header was read from (0 when not known)."""

    kind: str
    header: list[str]
    fields: list[str | None]
    unknown: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    header_row: int = 0

    @property
    def complete(self) -> bool:
        """Every column recognised and every required field present, once."""
        return not (self.unknown or self.missing or self.repeated)

    @property
    def usable(self) -> bool:
        """Every required field present, once (unknown columns are left out)."""
        return not (self.missing or self.repeated)

    def index(self, name: str) -> int | None:
        try:
            return self.fields.index(name)
        except ValueError:
            return None

    def column_name(self, name: str) -> str:
        """The header of the column that holds a field, as the file writes it."""
        position = self.index(name)
        if position is not None and self.header[position].strip():
            return self.header[position].strip()
        return field_label(self.kind, name)

    def as_mapping(self) -> list[str]:
        return [name or "" for name in self.fields]

    def columns_holding(self, name: str) -> str:
        """The columns that hold a field, by letter and header ("B “ИИН”, E “ЖСН”")."""
        return ", ".join(
            f"{column_letter(position)} “{self.header[position]}”"
            for position, held in enumerate(self.fields)
            if held == name
        )

    def check(self) -> None:
        """Refuse a file whose required columns are missing or given twice."""
        if self.missing:
            raise ImportFileError(
                _(
                    "The file has no column for: %(fields)s (the header was taken from row "
                    "%(row)s: no row among the first %(rows)s names these columns). Rename the "
                    "headers or map the columns."
                ),
                code=ImportErrorCode.MISSING_COLUMNS,
                params={
                    "fields": ", ".join(field_label(self.kind, f) for f in self.missing),
                    "row": self.header_row or 1,
                    "rows": HEADER_SEARCH_ROWS,
                },
            )
        if self.repeated:
            name = self.repeated[0]
            raise ImportFileError(
                _(
                    "Columns %(columns)s of the header (row %(row)s) all look like “%(field)s”. "
                    "Keep one of them, or say which one holds it."
                ),
                code=ImportErrorCode.REPEATED_COLUMNS,
                params={
                    "columns": self.columns_holding(name),
                    "row": self.header_row or 1,
                    "field": field_label(self.kind, name),
                },
            )


# The header is looked for among a sheet's first rows that hold something.
HEADER_SEARCH_ROWS = 20


def match_columns(
    kind: str,
    header: Sequence[object],
    mapping: Sequence[str] | Mapping[int, str] | None = None,
    *,
    header_row: int = 0,
    aliases: Mapping[str, str] | None = None,
) -> ColumnMatch:
    """Recognise each header; with `mapping` (a field name, or "" to ignore, per column)
    the person importing has said what each column holds and no header is guessed.
    `aliases` is `alias_table(kind)` when the caller has it already."""
    texts = ["" if h is None else str(h).strip() for h in header]
    known = {f.name for f in FIELDS[kind]}
    fields: list[str | None] = []
    unknown: list[int] = []
    if mapping is not None:
        chosen = dict(enumerate(mapping)) if not isinstance(mapping, Mapping) else dict(mapping)
        for position in range(len(texts)):
            name = chosen.get(position) or None
            fields.append(name if name in known else None)
    else:
        table = aliases if aliases is not None else alias_table(kind)
        for position, text in enumerate(texts):
            key = normalise_header(text)
            name = table.get(key)
            fields.append(name)
            if name is None and key not in IGNORED_HEADERS:
                unknown.append(position)
    present = [f for f in fields if f]
    repeated = sorted({f for f in present if present.count(f) > 1})
    missing = [item.name for item in FIELDS[kind] if item.required and item.name not in present]
    # A full-name column stands for the last and first name columns.
    if kind == ImportKind.PEOPLE and "full_name" not in present:
        missing += [n for n in PEOPLE_NAMES if n not in present]
    return ColumnMatch(
        kind=kind,
        header=texts,
        fields=fields,
        unknown=unknown,
        missing=missing,
        repeated=repeated,
        header_row=header_row,
    )


# A file of people needs their names (in two columns, or one of full names).
PEOPLE_NAMES = ("last_name", "first_name")


def required_fields(kind: str) -> set[str]:
    """The columns a file of `kind` must have (a template's: the full name is not in it)."""
    required = {item.name for item in FIELDS[kind] if item.required}
    return required | set(PEOPLE_NAMES) if kind == ImportKind.PEOPLE else required


def template_fields(kind: str) -> list[Field]:
    """The columns a template of `kind` has, in order."""
    return [item for item in FIELDS[kind] if item.in_template]


def example_value(item: Field) -> Any:
    """A field's example for a template: its function called now, a translated text in
    the active language."""
    value = item.example() if callable(item.example) else item.example
    return str(value) if isinstance(value, Promise) else value
