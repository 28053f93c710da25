"""The bounds of every value a person or a program sends to Qoldau: how long a text may be
and which characters it may hold, the range of each number, amount and date.

Each bound is stated once, as an annotated type (`Title`, `Quantity`, `BirthDate`, ...).
The same type serves the three doors a value comes in by:

- the API: a schema field annotated with it (`title_kk: bounds.Title`) is validated by
  pydantic and documented in the OpenAPI document (`maxLength`, `minimum`, `maximum`);
- the pages: `bounds.form_field(bounds.Title, label=...)` makes the matching Django form
  field, with the same limits, cleaning and messages;
- the imports: `bounds.clean(bounds.PersonName, cell)` checks a cell by the same rule.

Text is cleaned the same way everywhere: line breaks written as CR LF become LF, the text
is put in Unicode normal form C (so "й" typed as "и" and a combining breve is stored and
counted as one character), stripped of surrounding white space, and refused when it holds a
control character (a single line: none at all; several lines: only line feed and tab) or
an unpaired surrogate (which no database can store). Length is counted after cleaning, in
characters, which is what a database column's length counts.

The domain's own rules (a project's end after its start, a quantity within what was
delivered) stay in the services; these bounds only keep every value inside what the
domain can ever mean and what the database can hold.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, get_args

from annotated_types import MaxLen
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema
from pydantic_core.core_schema import CoreSchema


class BoundError(ValueError):
    """A value outside its bounds: a reason code, a translatable sentence and its
    parameters (never the value itself, which may be personal data)."""

    def __init__(self, code: str, message: str | StrPromise, params: dict[str, Any] | None = None) -> None:
        self.code = code
        self.message = message
        self.params = params or {}
        super().__init__(code)

    def render(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


TOO_LONG = _("The text is longer than %(limit)s characters.")
CONTROL_CHARACTER = _(
    "The text holds a control character (such as a tab, a line break or an invisible code); remove it."
)
UNPAIRED_SURROGATE = _("The text holds a broken character (an unpaired surrogate); type it again.")
OUT_OF_RANGE = _("Give a number from %(low)s to %(high)s.")
TOO_MANY_DECIMALS = _("Give at most %(places)s digits after the decimal point.")
NOT_A_NUMBER = _("Give a number, for example 12 or 12.5.")
DATE_OUT_OF_RANGE = _("Give a date from %(low)s to %(high)s.")
INPUT_TOO_LONG = _("The value is longer than %(limit)s characters.")

# One line: everything below U+0020, DEL, the C1 controls and the Unicode line and
# paragraph separators. Several lines keep LF and tab. Surrogates are refused in both.
_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINES_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_forbidden_characters(text: str) -> bool:
    """True when a text holds NUL or an unpaired surrogate: the two things no field of
    Qoldau accepts and no database stores (the safety net of every request checks it)."""
    return "\x00" in text or _SURROGATE.search(text) is not None


@dataclass(frozen=True)
class TextLimit:
    """At most `max_length` characters of one line, or of several lines (`multiline`)."""

    max_length: int
    multiline: bool = False

    def clean(self, value: str) -> str:
        if _SURROGATE.search(value):
            raise BoundError("unpaired_surrogate", UNPAIRED_SURROGATE)
        if self.multiline:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = unicodedata.normalize("NFC", value).strip()
        forbidden = _LINES_FORBIDDEN if self.multiline else _LINE_FORBIDDEN
        if forbidden.search(value):
            raise BoundError("control_character", CONTROL_CHARACTER)
        if len(value) > self.max_length:
            raise BoundError("too_long", TOO_LONG, {"limit": self.max_length})
        return value

    # pydantic: a str, cleaned by this rule after parsing.
    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(_pydantic(self.clean), core_schema.str_schema())

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["maxLength"] = self.max_length
        return json_schema


@dataclass(frozen=True)
class IntRange:
    """A whole number from `low` to `high`, both included."""

    low: int
    high: int

    def clean(self, value: int) -> int:
        if not self.low <= value <= self.high:
            raise BoundError("out_of_range", OUT_OF_RANGE, {"low": self.low, "high": self.high})
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.int_schema(ge=self.low, le=self.high)


@dataclass(frozen=True)
class DecimalRange:
    """A decimal number from `low` to `high` with at most `places` decimals: an amount of
    money, a quantity, a score. Sent as a JSON number or as a decimal string."""

    low: Decimal
    high: Decimal
    places: int = 2

    @property
    def max_digits(self) -> int:
        return len(str(int(self.high))) + self.places

    @property
    def max_text(self) -> int:
        # Every digit, a sign and the decimal point.
        return self.max_digits + 2

    def clean(self, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise BoundError("not_a_number", NOT_A_NUMBER)
        if not self.low <= value <= self.high:
            raise BoundError("out_of_range", OUT_OF_RANGE, {"low": self.low, "high": self.high})
        if value != value.quantize(Decimal(1).scaleb(-self.places)):
            raise BoundError("too_many_decimals", TOO_MANY_DECIMALS, {"places": self.places})
        return value

    def parse(self, text: object) -> Decimal:
        """A decimal as typed (a comma or a point; spaces between thousands, the narrow one
        that kk and ru pages group with too), cleaned."""
        raw = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
        if not raw or len(raw) > self.max_text:
            raise BoundError("not_a_number", NOT_A_NUMBER)
        try:
            value = Decimal(raw)
        except ArithmeticError:
            raise BoundError("not_a_number", NOT_A_NUMBER) from None
        return self.clean(value)

    def _short_enough(self, value: Any) -> Any:
        if isinstance(value, str) and len(value.strip()) > self.max_text:
            raise BoundError("too_long", INPUT_TOO_LONG, {"limit": self.max_text})
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(
            _pydantic(self._short_enough),
            core_schema.no_info_after_validator_function(
                _pydantic(self.clean),
                core_schema.decimal_schema(
                    ge=self.low,
                    le=self.high,
                    decimal_places=self.places,
                    max_digits=self.max_digits,
                    allow_inf_nan=False,
                ),
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        # pydantic documents a decimal as a number or a numeric string; the string is
        # bounded too.
        for branch in json_schema.get("anyOf", [json_schema]):
            if branch.get("type") == "string":
                branch["maxLength"] = self.max_text
        return json_schema


def today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class DateRange:
    """A calendar date from `low` to `high` (or to today, when `high` is `today`)."""

    low: dt.date
    high: dt.date | Callable[[], dt.date]

    # An ISO date is ten characters; a longer string is not a date.
    MAX_TEXT = 10

    def upper(self) -> dt.date:
        return self.high() if callable(self.high) else self.high

    def clean(self, value: dt.date) -> dt.date:
        day = value.date() if isinstance(value, dt.datetime) else value
        if not self.low <= day <= self.upper():
            raise BoundError(
                "out_of_range",
                DATE_OUT_OF_RANGE,
                {"low": self.low.isoformat(), "high": self.upper().isoformat()},
            )
        return value

    def _short_enough(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > self.MAX_TEXT:
            raise BoundError("too_long", INPUT_TOO_LONG, {"limit": self.MAX_TEXT})
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(
            _pydantic(self._short_enough),
            core_schema.no_info_after_validator_function(_pydantic(self.clean), core_schema.date_schema()),
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(
            maxLength=self.MAX_TEXT,
            formatMinimum=self.low.isoformat(),
            formatMaximum=self.upper().isoformat(),
        )
        return json_schema


@dataclass(frozen=True)
class DateTimeRange:
    """A moment whose date (in Astana time) lies from `low` to `high`."""

    low: dt.date
    high: dt.date

    # 2025-03-01T09:00:00.000000+05:00
    MAX_TEXT = 32

    def clean(self, value: dt.datetime) -> dt.datetime:
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if not self.low <= day <= self.high:
            raise BoundError(
                "out_of_range",
                DATE_OUT_OF_RANGE,
                {"low": self.low.isoformat(), "high": self.high.isoformat()},
            )
        return value

    def _short_enough(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > self.MAX_TEXT:
            raise BoundError("too_long", INPUT_TOO_LONG, {"limit": self.MAX_TEXT})
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(
            _pydantic(self._short_enough),
            core_schema.no_info_after_validator_function(
                _pydantic(self.clean), core_schema.datetime_schema()
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(
            maxLength=self.MAX_TEXT,
            formatMinimum=f"{self.low.isoformat()}T00:00:00+05:00",
            formatMaximum=f"{self.high.isoformat()}T23:59:59+05:00",
        )
        return json_schema


Bound = TextLimit | IntRange | DecimalRange | DateRange | DateTimeRange


def _pydantic(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A bound's check as a pydantic validator: its refusal becomes a pydantic error with
    the bound's code and its sentence in the request's language."""

    def validate(value: Any) -> Any:
        try:
            return check(value)
        except BoundError as exc:
            # The rendered sentence is the template: escape pydantic's own placeholders.
            message = exc.render().replace("{", "{{").replace("}", "}}")
            raise PydanticCustomError(exc.code, message) from None

    return validate


def bound_of(annotated: Any) -> Bound:
    """The bound an annotated type carries (`bound_of(Title).max_length == 300`)."""
    for meta in get_args(annotated)[1:]:
        if isinstance(meta, TextLimit | IntRange | DecimalRange | DateRange | DateTimeRange):
            return meta
    raise TypeError(f"{annotated!r} carries no bound")


def max_length(annotated: Any) -> int:
    """The most characters a text type holds (for a form field Django makes itself, such
    as an e-mail or a web address field)."""
    bound = bound_of(annotated)
    if not isinstance(bound, TextLimit):
        raise TypeError(f"{annotated!r} is not a text")
    return bound.max_length


def parse(annotated: Any, text: object) -> Decimal:
    """A decimal typed as text ("1 500,50"), within the bounds of its type."""
    bound = bound_of(annotated)
    if not isinstance(bound, DecimalRange):
        raise TypeError(f"{annotated!r} is not a decimal")
    return bound.parse(text)


def clean(annotated: Any, value: Any) -> Any:
    """A value checked (and text cleaned) by the bound of its type; `BoundError` if it is
    outside. For callers that are neither a form nor a schema: imports, commands."""
    return bound_of(annotated).clean(value)


# --- The bounds of Qoldau's fields ------------------------------------------------------

# Identifiers of records: database keys (64-bit).
MAX_ID = 2**63 - 1
Id = Annotated[int, IntRange(1, MAX_ID)]
# The version of a record an editor read (a stale one is refused by the service).
Version = Annotated[int, IntRange(0, 2**31 - 1)]

# Paging through lists.
PageLimit = Annotated[int, IntRange(1, 100)]
PageOffset = Annotated[int, IntRange(0, 1_000_000_000)]
PageNumber = Annotated[int, IntRange(1, 1_000_000)]

# People: the names, phone and notes of a person as staff type them.
PersonName = Annotated[str, TextLimit(100)]
Phone = Annotated[str, TextLimit(40)]
Note = Annotated[str, TextLimit(300)]
# An IIN or a BIN as typed: twelve digits, perhaps with spaces.
IdNumber = Annotated[str, TextLimit(14)]
CategoryDetails = Annotated[str, TextLimit(1000, multiline=True)]
# IINs typed one per line (an event's attendees): up to MANY people of 12 digits.
IdNumberList = Annotated[str, TextLimit(200_000, multiline=True)]

# Records' names and titles (one line), in each language.
Title = Annotated[str, TextLimit(300)]
Name = Annotated[str, TextLimit(300)]
Address = Annotated[str, TextLimit(300)]
# Shorter labels: a stage's venue, a document's title.
Label = Annotated[str, TextLimit(200)]
Unit = Annotated[str, TextLimit(50)]
Email = Annotated[str, TextLimit(254)]
Website = Annotated[str, TextLimit(200)]
Username = Annotated[str, TextLimit(150)]
# Codes of choices and catalogue entries (a kind, a category, a service, a KATO code).
Code = Annotated[str, TextLimit(64)]
SearchText = Annotated[str, TextLimit(100)]
# A number typed as text, read by its service (a measurement, a cost, a coordinate).
NumberText = Annotated[str, TextLimit(30)]
Coordinate = Annotated[str, TextLimit(32)]

# Several lines: a remark beside a passport item or a measure, a comment or a reason, a
# description or a report's narrative, a question to the assistant.
Remark = Annotated[str, TextLimit(500, multiline=True)]
Comment = Annotated[str, TextLimit(4000, multiline=True)]
Description = Annotated[str, TextLimit(20_000, multiline=True)]
Question = Annotated[str, TextLimit(40_000, multiline=True)]

# Counts of people (volunteers, participants, people reached): at most everyone in
# Kazakhstan.
Headcount = Annotated[int, IntRange(0, 20_000_000)]
Year = Annotated[int, IntRange(2000, 2100)]
Quarter = Annotated[int, IntRange(1, 4)]
Month = Annotated[int, IntRange(1, 12)]
ContestPlaces = Annotated[int, IntRange(1, 10)]
AdvancingPlaces = Annotated[int, IntRange(1, 5)]
# A score scale's ends, and scores on it: at most a hundred points.
ScaleEnd = Annotated[int, IntRange(0, 100)]
Score = Annotated[Decimal, DecimalRange(Decimal(0), Decimal(100))]
Weight = Annotated[Decimal, DecimalRange(Decimal(0), Decimal(100))]
# A grant lasts at most 36 months (the long band of the law on state social order).
DurationMonths = Annotated[int, IntRange(1, 36)]
# Employment (the jobs app): hours a week (a week has 168), months of work experience (a
# working life), a fine in monthly calculation indices, a vacancy's places.
WeeklyHours = Annotated[int, IntRange(1, 168)]
ExperienceMonths = Annotated[int, IntRange(0, 720)]
FineMci = Annotated[int, IntRange(1, 1000)]
Positions = Annotated[int, IntRange(1, 10_000)]

# Amounts, as their database columns hold them.
Quantity = Annotated[Decimal, DecimalRange(Decimal("0.01"), Decimal("99999999.99"))]
Money = Annotated[Decimal, DecimalRange(Decimal(0), Decimal("99999999999999.99"))]
PositiveMoney = Annotated[Decimal, DecimalRange(Decimal("0.01"), Decimal("99999999999999.99"))]
IndicatorValue = Annotated[Decimal, DecimalRange(Decimal(0), Decimal("999999999999.99"))]
Cost = Annotated[Decimal, DecimalRange(Decimal(0), Decimal("999999999999.99"))]
# A monthly wage in tenge.
Wage = Annotated[Decimal, DecimalRange(Decimal(0), Decimal("999999999.99"))]

# Dates. A record of the platform (a delivery, an event, a project, a payment) falls in
# this century; a person's dates (a category since childhood) may go back further; a
# birth date is never in the future.
FIRST_DAY = dt.date(1900, 1, 1)
FIRST_RECORD_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
Day = Annotated[dt.date, DateRange(FIRST_DAY, LAST_DAY)]
RecordDate = Annotated[dt.date, DateRange(FIRST_RECORD_DAY, LAST_DAY)]
BirthDate = Annotated[dt.date, DateRange(FIRST_DAY, today)]
Moment = Annotated[dt.datetime, DateTimeRange(FIRST_RECORD_DAY, LAST_DAY)]

# How many items a list in a request may hold.
FEW = 100
MANY = 10_000
Ids = Annotated[list[Id], MaxLen(FEW)]
PersonIds = Annotated[list[Id], MaxLen(MANY)]
Codes = Annotated[list[Code], MaxLen(FEW)]
# A contest's or a call's criteria (and so a score sheet), and a grant budget's lines.
MAX_CRITERIA = 30
MAX_BUDGET_LINES = 100


def parse_id(raw: object) -> int | None:
    """A record's id from a page's parameter ("12"), or None for anything that is not one:
    not ASCII digits ("²" is a digit to `str.isdigit`, not to `int`), or beyond the keys'
    range (which the database refuses with an error instead of finding nothing)."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


class IdConverter:
    """`<id:name>` in a page's address: a record's id within the keys' range. A longer
    number is no address of Qoldau's (404), rather than a query the database fails on."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError(value)
        return parsed

    def to_url(self, value: int) -> str:
        return str(value)


# --- Form fields -------------------------------------------------------------------------


def _form_error(exc: BoundError) -> ValidationError:
    return ValidationError(exc.message, code=exc.code, params=exc.params)


class TextField(forms.CharField):
    """A form's text input cleaned by a `TextLimit`."""

    def __init__(self, *, limit: TextLimit, **kwargs: Any) -> None:
        self.limit = limit
        if limit.multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(max_length=limit.max_length, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return self.limit.clean(value)
        except BoundError as exc:
            raise _form_error(exc) from None


class BoundValidator:
    """Checks a parsed value (a number, a date) by its bound."""

    def __init__(self, bound: IntRange | DecimalRange | DateRange | DateTimeRange) -> None:
        self.bound = bound

    def __call__(self, value: Any) -> None:
        try:
            self.bound.clean(value)
        except BoundError as exc:
            raise _form_error(exc) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BoundValidator) and other.bound == self.bound

    def __hash__(self) -> int:
        return hash(self.bound)


class DateWidget(forms.DateInput):
    """The browser's date picker, limited to the bound's range."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, *, bound: DateRange | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
        self.bound = bound

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        if self.bound is not None:
            attrs = {
                "min": self.bound.low.isoformat(),
                "max": self.bound.upper().isoformat(),
                **(attrs or {}),
            }
        return super().get_context(name, value, attrs)


def form_field(annotated: Any, **kwargs: Any) -> forms.Field:
    """The Django form field of an annotated type, with its bounds: `form_field(Title,
    label=_("Title in Kazakh"))`. Any keyword a Django field takes may be given."""
    bound = bound_of(annotated)
    if isinstance(bound, TextLimit):
        return TextField(limit=bound, **kwargs)
    validators = [BoundValidator(bound), *kwargs.pop("validators", [])]
    # The bound's validator alone gives the range's message (Django's own min, max and
    # digits validators would each add theirs); the widget still tells the browser.
    made: forms.Field
    if isinstance(bound, IntRange):
        made = forms.IntegerField(validators=validators, **kwargs)
        made.widget.attrs.setdefault("min", str(bound.low))
        made.widget.attrs.setdefault("max", str(bound.high))
    elif isinstance(bound, DecimalRange):
        kwargs.setdefault("localize", False)
        made = forms.DecimalField(validators=validators, **kwargs)
        if not made.localize:
            made.widget.attrs.setdefault("step", str(Decimal(1).scaleb(-bound.places)))
            made.widget.attrs.setdefault("min", str(bound.low))
            made.widget.attrs.setdefault("max", str(bound.high))
    elif isinstance(bound, DateRange):
        kwargs.setdefault("widget", DateWidget(bound=bound))
        made = forms.DateField(validators=validators, **kwargs)
    else:
        made = forms.DateTimeField(validators=validators, **kwargs)
    return made
