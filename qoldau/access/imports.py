"""Import of infrastructure objects from .xlsx and .csv files into one region.

The machinery is the imports app's: its readers recognise the columns (`OBJECT_FIELDS`,
registered under `ImportKind.OBJECTS` when the app is ready), its `ErrorList` keeps every
bad cell with its row number, column and reason, and its tasks and job pages run the dry
run and the write with progress. What is particular to objects is here:

- one row is one object: register number, name in kk/ru/en, address, district (KATO code
  or name in any language), kind (code or name in any language), owner (BIN or name),
  latitude and longitude;
- the register number identifies an object within its region, so importing the same
  list again updates the objects it names instead of registering them twice;
- every row is checked before anything is written; one bad row and nothing is written;
- the write is one transaction of batched inserts and updates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.access import policy
from qoldau.access.models import AccessObject, ObjectKind
from qoldau.access.services import LATITUDE_RANGE, LONGITUDE_RANGE
from qoldau.core import bounds
from qoldau.core.audit import audit_record
from qoldau.core.identifiers import check_digit, is_ascii_digits, normalise_digits
from qoldau.core.models import Organisation, Place
from qoldau.core.services import Actor, acting_user
from qoldau.imports.models import ImportKind, ImportRun
from qoldau.imports.readers import DISTRICT, Field, cell_text, open_table
from qoldau.imports.registry import importer_register
from qoldau.imports.services import (
    STAGE_READING,
    STAGE_WRITING,
    ImportRejected,
    ImportReport,
    ImportSource,
    ProgressReport,
    file_sha256,
    table_columns,
)
from qoldau.imports.validation import CellProblem, ErrorList, checked_text, identifier_text, normalise_name

REGISTER_NUMBER = Field(
    "register_number",
    _("Register number"),
    (
        "Register number",
        "Register No",
        "Registry number",
        "External id",
        "Номер в реестре",
        "Реестровый номер",
        "№ в реестре",
        "Номер объекта",
        "Тізілімдегі нөмірі",
        "Тізілім нөмірі",
        "Нысан нөмірі",
    ),
    required=True,
    # Not a number a register uses: a template's example row is told by it.
    example="EXAMPLE-0001",
    help=_("The object's number in the region's register; the same number updates the same object."),
)
NAME_KK = Field(
    "name_kk",
    _("Name in Kazakh"),
    (
        "Name in Kazakh",
        "Name (Kazakh)",
        "Name kk",
        "Наименование на казахском",
        "Название на казахском",
        "Атауы",
        "Атауы (қазақша)",
        "Қазақша атауы",
    ),
    required=True,
    example="№ 5 емхана",
    help=_("The name in Kazakh."),
)
NAME_RU = Field(
    "name_ru",
    _("Name in Russian"),
    (
        "Name in Russian",
        "Name (Russian)",
        "Name ru",
        "Наименование",
        "Наименование на русском",
        "Название",
        "Название на русском",
        "Атауы (орысша)",
        "Орысша атауы",
    ),
    example="Поликлиника № 5",
    help=_("The name in Russian, when there is one."),
)
NAME_EN = Field(
    "name_en",
    _("Name in English"),
    (
        "Name in English",
        "Name (English)",
        "Name en",
        "Наименование на английском",
        "Название на английском",
        "Атауы (ағылшынша)",
        "Ағылшынша атауы",
    ),
    example="Polyclinic No. 5",
    help=_("The name in English, when there is one."),
)
ADDRESS = Field(
    "address",
    _("Address"),
    ("Address", "Адрес", "Мекенжай", "Мекенжайы", "Мекен-жайы"),
    required=True,
    example="Абай даңғылы, 10",
    help=_("Street and building."),
)
OBJECT_DISTRICT = Field(
    DISTRICT.name,
    DISTRICT.label,
    DISTRICT.aliases,
    required=True,
    example="Алмалы ауданы",
    help=_("A district of the region: its KATO code, or its name in any language."),
)
KIND = Field(
    "kind",
    _("Kind of object"),
    (
        "Kind",
        "Kind of object",
        "Type",
        "Type of object",
        "Sector",
        "Вид",
        "Вид объекта",
        "Тип объекта",
        "Сфера",
        "Түрі",
        "Нысан түрі",
        "Нысанның түрі",
        "Сала",
    ),
    required=True,
    example=lambda: str(ObjectKind.HEALTH.label),
    help=_("The kind of object, by its name in any language or its code."),
    choices=lambda: [str(label) for _code, label in ObjectKind.choices],
)
OWNER = Field(
    "owner",
    _("Owner (BIN or name)"),
    (
        "Owner",
        "Owner BIN",
        "Owner organisation",
        "Balance holder",
        "Собственник",
        "БИН собственника",
        "Владелец",
        "Балансодержатель",
        "Меншік иесі",
        "Иесі",
        "Иесінің БСН",
        "Теңгерім ұстаушы",
    ),
    help=_("The BIN (12 digits) of a registered organisation, or the owner's name."),
    as_text=True,
)
LATITUDE = Field(
    "latitude",
    _("Latitude"),
    ("Latitude", "Lat", "Широта", "Ендік"),
    required=True,
    example=43.2389,
    help=_("Degrees north, for example 43.2389."),
)
LONGITUDE = Field(
    "longitude",
    _("Longitude"),
    ("Longitude", "Lon", "Lng", "Long", "Долгота", "Бойлық"),
    required=True,
    example=76.8897,
    help=_("Degrees east, for example 76.8897."),
)

OBJECT_FIELDS = (
    REGISTER_NUMBER,
    NAME_KK,
    NAME_RU,
    NAME_EN,
    ADDRESS,
    OBJECT_DISTRICT,
    KIND,
    OWNER,
    LATITUDE,
    LONGITUDE,
)

OBJECT_REASONS: dict[str, str | Promise] = {
    "object_unknown_district": _("There is no district “%(value)s” in %(region)s."),
    "object_district_other_region": _("The district “%(value)s” is not in %(region)s."),
    "object_unknown_kind": _("Unknown kind of object “%(value)s”; use one of: %(choices)s."),
    "object_invalid_coordinate": _("“%(value)s” is not a number; write degrees like 43.2389."),
    "object_outside_kazakhstan": _(
        "The point %(latitude)s, %(longitude)s is outside Kazakhstan. "
        "Check that latitude and longitude are not swapped."
    ),
    "object_duplicate_register_number": _("This row repeats the register number of row %(first_row)s."),
    "object_invalid_bin": _("“%(value)s” is not a valid BIN: check it for typos."),
    "object_unknown_owner_bin": _("No organisation with the BIN %(value)s is registered on the platform."),
    "object_owner_not_yours": _(
        "Only the region's officers may import objects of other owners; name your organisation as the owner."
    ),
    "object_not_yours": _(
        "The object with this register number belongs to another owner; "
        "only the region's officers may change it."
    ),
}

# Rows checked between two reports of progress.
PROGRESS_EVERY = 1000
WRITE_BATCH = 1000
# The fields an import sets; an existing object with all of them equal is "unchanged".
WRITTEN_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "address",
    "district_id",
    "kind",
    "owner_id",
    "owner_name",
    "latitude",
    "longitude",
)


def register() -> None:
    """Make objects known to the imports app: their columns, error reasons and the import
    its jobs run (called once, from the access app's `ready`)."""
    importer_register(
        kind=ImportKind.OBJECTS, fields=OBJECT_FIELDS, reasons=OBJECT_REASONS, run=_run_objects_import
    )


def _run_objects_import(
    *,
    actor: Actor,
    params: Mapping[str, Any],
    source: ImportSource,
    dry_run: bool,
    progress: ProgressReport | None,
    job_id: str | None,
) -> ObjectsImportReport:
    region = Place.objects.get(pk=params["region_id"])
    return import_objects(
        actor=actor, region=region, source=source, dry_run=dry_run, progress=progress, job_id=job_id
    )


@dataclass
class ObjectsImportReport(ImportReport):
    objects_created: int = 0
    objects_updated: int = 0
    region_id: int | None = None

    def as_result(self) -> dict[str, Any]:
        return {
            **super().as_result(),
            "objects_created": self.objects_created,
            "objects_updated": self.objects_updated,
            "region_id": self.region_id,
        }


@dataclass(frozen=True)
class ObjectRow:
    row: int
    external_id: str
    name_kk: str
    name_ru: str
    name_en: str
    address: str
    district_id: int
    kind: str
    owner_id: int | None
    owner_name: str
    latitude: float
    longitude: float

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in WRITTEN_FIELDS)


@dataclass
class CheckedObjects:
    total: int = 0
    rows: list[ObjectRow] = field(default_factory=list)
    errors: ErrorList = field(default_factory=ErrorList)


# Lookups ----------------------------------------------------------------------------------

# Words that name what a district is rather than which one it is ("Алмалы ауданы",
# "Алмалинский район", "Almaly District"), so that "Алмалы" finds it too.
DISTRICT_WORDS = frozenset({"ауданы", "аудан", "район", "р-н", "district"})


def _district_keys(name: str) -> set[str]:
    full = normalise_name(name)
    short = " ".join(word for word in full.split() if word not in DISTRICT_WORDS)
    return {key for key in (full, short) if key}


class _Districts:
    """The districts of one region by KATO code and by name in any language; and those of
    other regions, to say so when a row names one."""

    def __init__(self, region: Place) -> None:
        self.region = region
        self.by_name: dict[str, int] = {}
        self.by_kato: dict[str, int] = {}
        self.elsewhere: set[str] = set()
        for pk, kato, parent_id, kk, ru, en in Place.objects.filter(level=Place.Level.DISTRICT).values_list(
            "pk", "kato", "parent_id", "name_kk", "name_ru", "name_en"
        ):
            if parent_id != region.pk:
                if kato:
                    self.elsewhere.add(kato)
                for name in (kk, ru, en):
                    self.elsewhere.update(_district_keys(name or ""))
                continue
            if kato:
                self.by_kato[kato] = pk
            for name in (kk, ru, en):
                for key in _district_keys(name or ""):
                    self.by_name[key] = pk

    def find(self, text: str) -> int | str:
        """The district's id, or the reason code it is refused with."""
        digits = text.strip()
        if digits.endswith(".0"):
            digits = digits[:-2]
        digits = normalise_digits(digits)
        if is_ascii_digits(digits):
            if digits in self.by_kato:
                return self.by_kato[digits]
            return "object_district_other_region" if digits in self.elsewhere else "object_unknown_district"
        keys = _district_keys(text)
        for key in keys:
            if key in self.by_name:
                return self.by_name[key]
        return "object_district_other_region" if keys & self.elsewhere else "object_unknown_district"


def kind_lookup() -> dict[str, str]:
    """Kinds of object by code and by their name in each language."""
    table = {normalise_name(code): code for code in ObjectKind.values}
    for code, label in ObjectKind.choices:
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                table[normalise_name(label)] = code
    return table


class _Owners:
    """Registered organisations by BIN and by name in any language (read once per file)."""

    def __init__(self) -> None:
        self.by_bin: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        for pk, bin_, kk, ru, en in Organisation.objects.values_list(
            "pk", "bin", "name_kk", "name_ru", "name_en"
        ):
            if bin_:
                self.by_bin[bin_] = pk
            for name in (kk, ru, en):
                if name:
                    self.by_name.setdefault(normalise_name(name), pk)

    def find(self, text: str) -> tuple[int | None, str] | str:
        """(organisation id, owner as written) or the reason code the cell is refused with.
        Twelve digits are a BIN, which must be registered; anything else is a name,
        linked to the organisation of that name when there is one."""
        digits = normalise_digits(text)
        if is_ascii_digits(digits, 12):
            if check_digit(digits[:11]) != int(digits[11]):
                return "object_invalid_bin"
            pk = self.by_bin.get(digits)
            return (pk, "") if pk is not None else "object_unknown_owner_bin"
        pk = self.by_name.get(normalise_name(text))
        return (pk, "") if pk is not None else (None, text)


def _coordinate(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = cell_text(value).replace(" ", "").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _inside(latitude: float, longitude: float) -> bool:
    return (
        LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]
        and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]
    )


# Checking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Existing:
    pk: int
    owner_id: int | None
    version: int
    values: tuple[Any, ...]


def _existing_objects(region: Place, *, lock: bool = False) -> dict[str, _Existing]:
    """The region's objects that have a register number, by that number."""
    qs = AccessObject.objects.filter(region=region).exclude(external_id="")
    if lock:
        qs = qs.select_for_update()
    return {
        external_id: _Existing(pk, owner_id, version, tuple(values))
        for pk, external_id, owner_id, version, *values in qs.values_list(
            "pk", "external_id", "owner_id", "version", *WRITTEN_FIELDS
        )
    }


def check_object_rows(
    table: Any,
    columns: Any,
    *,
    region: Place,
    owner_ids: frozenset[int] | None,
    existing: dict[str, _Existing],
    progress: Callable[[int, int], None] | None = None,
) -> CheckedObjects:
    """Check every row of an objects file: a register number (not repeated in the file),
    a name in Kazakh, an address, a district of the region, a known kind, an owner
    (a registered BIN, or a name), and a point inside Kazakhstan. `owner_ids` limits the
    owners (and the existing objects) the importer may write; None means any."""
    result = CheckedObjects()
    errors = result.errors
    districts = _Districts(region)
    kinds = kind_lookup()
    kind_choices = ", ".join(ObjectKind.values)
    at = {name: position for position, name in enumerate(columns.fields) if name}
    col = {name: columns.column_name(name) for name in at}
    owners = _Owners() if "owner" in at else None
    width = len(columns.header)
    seen: dict[str, int] = {}
    region_name = region.name

    def cell(cells: list[Any], name: str) -> Any:
        position = at.get(name)
        return cells[position] if position is not None else ""

    count = 0
    for number, raw_cells in table.rows:
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, max(table.total, count))
        cells = list(raw_cells) + [""] * max(0, width - len(raw_cells))
        before = errors.count

        external_id = cell_text(cell(cells, "register_number"))
        if not external_id:
            errors.add(number, col["register_number"], "required")
        elif isinstance(id_checked := checked_text(bounds.Code, external_id), CellProblem):
            errors.add(number, col["register_number"], id_checked.code, id_checked.params)
        elif external_id in seen:
            errors.add(
                number,
                col["register_number"],
                "object_duplicate_register_number",
                {"first_row": seen[external_id]},
            )
        else:
            seen[external_id] = number

        texts: dict[str, str] = {}
        for name, field_type, required in (
            ("name_kk", bounds.Name, True),
            ("name_ru", bounds.Name, False),
            ("name_en", bounds.Name, False),
            ("address", bounds.Address, True),
        ):
            text = cell_text(cell(cells, name))
            if required and not text:
                errors.add(number, col[name], "required")
            elif isinstance(text_checked := checked_text(field_type, text), CellProblem):
                errors.add(number, col[name], text_checked.code, text_checked.params)
            else:
                text = text_checked
            texts[name] = text

        district_id: int | None = None
        district_text = cell_text(cell(cells, "district"))
        if not district_text:
            errors.add(number, col["district"], "required")
        else:
            found = districts.find(district_text)
            if isinstance(found, str):
                errors.add(
                    number, col["district"], found, {"value": district_text[:100], "region": region_name}
                )
            else:
                district_id = found

        kind_text = cell_text(cell(cells, "kind"))
        kind = kinds.get(normalise_name(kind_text), "")
        if not kind_text:
            errors.add(number, col["kind"], "required")
        elif not kind:
            errors.add(
                number,
                col["kind"],
                "object_unknown_kind",
                {"value": kind_text[:100], "choices": kind_choices},
            )

        owner_id: int | None = None
        owner_name = ""
        # A BIN Excel kept as a number lost its leading zero: read back with it.
        owner_text = identifier_text(cell(cells, "owner"), text_may_lack_zeros=not table.typed)
        if owner_text and owners is not None:
            owner = owners.find(owner_text)
            if isinstance(owner, str):
                errors.add(number, col["owner"], owner, {"value": owner_text[:20]})
            elif isinstance(owner_checked := checked_text(bounds.Name, owner[1]), CellProblem):
                errors.add(number, col["owner"], owner_checked.code, owner_checked.params)
            else:
                owner_id, owner_name = owner[0], owner_checked
        if owner_ids is not None and owner_id not in owner_ids:
            errors.add(number, col.get("owner") or str(OWNER.label), "object_owner_not_yours")

        latitude = _coordinate(cell(cells, "latitude"))
        longitude = _coordinate(cell(cells, "longitude"))
        for name, value in (("latitude", latitude), ("longitude", longitude)):
            if value is None:
                text = cell_text(cell(cells, name))
                errors.add(
                    number,
                    col[name],
                    "object_invalid_coordinate" if text else "required",
                    {"value": text[:40]},
                )
        if latitude is not None and longitude is not None and not _inside(latitude, longitude):
            errors.add(
                number,
                col["latitude"],
                "object_outside_kazakhstan",
                {"latitude": latitude, "longitude": longitude},
            )

        previous = existing.get(external_id)
        if previous is not None and owner_ids is not None and previous.owner_id not in owner_ids:
            errors.add(number, col["register_number"], "object_not_yours")

        if (
            errors.count == before
            and district_id is not None
            and latitude is not None
            and longitude is not None
        ):
            result.rows.append(
                ObjectRow(
                    row=number,
                    external_id=external_id,
                    name_kk=texts["name_kk"],
                    name_ru=texts["name_ru"],
                    name_en=texts["name_en"],
                    address=texts["address"],
                    district_id=district_id,
                    kind=kind,
                    owner_id=owner_id,
                    owner_name=owner_name,
                    latitude=latitude,
                    longitude=longitude,
                )
            )
    result.total = count
    if progress is not None:
        progress(count, count)
    return result


# The service ------------------------------------------------------------------------------


def objects_import_runs(user: Actor) -> QuerySet[ImportRun]:
    """The imports of objects the user sees (`policy.object_import_runs_visible`), newest
    first."""
    return policy.object_import_runs_visible(user).select_related("region", "user")


def _stage(progress: ProgressReport | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_objects(
    *,
    actor: Actor,
    region: Place,
    source: ImportSource,
    dry_run: bool = False,
    progress: ProgressReport | None = None,
    job_id: str | None = None,
) -> ObjectsImportReport:
    """Import a file of infrastructure objects into a region, all or nothing.

    Guarantees: every row is checked before anything is written, and each bad cell is
    reported with its row number, column and reason; a dry run writes nothing; a write
    with any bad row raises ImportRejected and writes nothing; otherwise every row is
    written in one transaction: a register number new to the region registers an
    object, a known one updates that object (its version moves on, so an editor who
    opened it before sees an edit conflict) or leaves it as it is when nothing differs.
    The audit row and the `ImportRun` hold counts, never the rows.

    Raises PermissionDenied unless the actor is an officer of the region, an
    administrator, or staff of an organisation (who may import only their own objects).
    """
    policy.check_may_import_objects_into(actor, region)
    owner_ids = policy.object_owners_importable(actor, region)
    report = ObjectsImportReport(
        kind=ImportKind.OBJECTS,
        dry_run=dry_run,
        file_name=source.name,
        file_sha256=file_sha256(source.path),
        region_id=region.pk,
    )
    existing = _existing_objects(region)
    with open_table(source.path, source.name, kind=ImportKind.OBJECTS, sheet=source.sheet) as table:
        columns = table_columns(ImportKind.OBJECTS, table, source.mapping, report)
        checked = check_object_rows(
            table,
            columns,
            region=region,
            owner_ids=owner_ids,
            existing=existing,
            progress=_stage(progress, STAGE_READING),
        )
    report.total = checked.total
    report._take_errors(checked.errors)
    if dry_run:
        _count_changes(report, checked.rows, existing)
        return report
    if report.errors_total:
        raise ImportRejected(report)
    with transaction.atomic():
        # Locked now, so that an object edited meanwhile is compared and versioned as it is.
        existing = _existing_objects(region, lock=True)
        _write(report, checked.rows, existing, region, _stage(progress, STAGE_WRITING))
        ImportRun.objects.create(
            kind=ImportKind.OBJECTS,
            file_sha256=report.file_sha256,
            file_name=source.name[:255],
            region=region,
            user=acting_user(actor),
            rows=report.total,
            objects_created=report.objects_created,
            objects_updated=report.objects_updated,
            unchanged=report.unchanged,
            job_id=job_id,
        )
        audit_record(
            actor,
            "access.objects_import",
            object_type="region",
            object_id=region.pk,
            details={
                "rows": report.total,
                "objects_created": report.objects_created,
                "objects_updated": report.objects_updated,
                "unchanged": report.unchanged,
                "file_sha256": report.file_sha256,
            },
        )
    return report


def _count_changes(
    report: ObjectsImportReport, rows: list[ObjectRow], existing: dict[str, _Existing]
) -> None:
    for row in rows:
        previous = existing.get(row.external_id)
        if previous is None:
            report.objects_created += 1
        elif previous.values != row.values():
            report.objects_updated += 1
        else:
            report.unchanged += 1


def _write(
    report: ObjectsImportReport,
    rows: list[ObjectRow],
    existing: dict[str, _Existing],
    region: Place,
    progress: Callable[[int, int], None] | None,
) -> None:
    new = [row for row in rows if row.external_id not in existing]
    changed = [
        row
        for row in rows
        if row.external_id in existing and existing[row.external_id].values != row.values()
    ]
    report.objects_created = len(new)
    report.objects_updated = len(changed)
    report.unchanged = len(rows) - len(new) - len(changed)
    total = len(new) + len(changed)
    done = 0
    if progress is not None:
        progress(0, total)
    now = timezone.now()
    # Set-based SQL: building 34,000 model instances and their SQL through the ORM takes
    # ten times longer than the database's own work. PostgreSQL gets the rows by COPY (as
    # the imports app does), elsewhere multi-row INSERTs and batched UPDATEs. Values are
    # prepared by the model's fields, as on any save.
    inserted = _insert_statement(region, now)
    updated_at = _model_field("updated_at").get_db_prep_save(now, connection)
    updates = [
        (existing[row.external_id].pk, *(getattr(row, name) for name in WRITTEN_FIELDS)) for row in changed
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {inserted.table} ({', '.join(inserted.columns)}) FROM STDIN"
            ) as copy:
                for row in new:
                    copy.write_row(inserted.values(row))
            if progress is not None:
                progress(len(new), total)
            if updates:
                _update_postgresql(cursor, updates, updated_at)
        else:
            limit = connection.features.max_query_params
            per_statement = max(1, min(WRITE_BATCH, limit // len(inserted.columns))) if limit else WRITE_BATCH
            placeholders = "(" + ", ".join(["%s"] * len(inserted.columns)) + ")"
            sql = f"INSERT INTO {inserted.table} ({', '.join(inserted.columns)}) VALUES "  # noqa: S608 - our own names
            for chunk in _chunks(new, per_statement):
                cursor.execute(
                    sql + ", ".join([placeholders] * len(chunk)),
                    [value for row in chunk for value in inserted.values(row)],
                )
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
            for chunk in _chunks(updates, WRITE_BATCH):
                cursor.executemany(
                    _update_statement(), [[*values[1:], updated_at, values[0]] for values in chunk]
                )
    if progress is not None:
        progress(total, total)


def _update_postgresql(cursor: Any, updates: list[tuple[Any, ...]], updated_at: Any) -> None:
    """COPY the changed objects' values into a temporary table, then one UPDATE … FROM it."""
    names = ["id", *WRITTEN_FIELDS]
    types = ", ".join(f"{_quoted(name)} {_model_field(name).db_type(connection)}" for name in names)
    cursor.execute(f"CREATE TEMPORARY TABLE qoldau_import_object ({types}) ON COMMIT DROP")
    with cursor.cursor.copy(
        f"COPY qoldau_import_object ({', '.join(_quoted(name) for name in names)}) FROM STDIN"
    ) as copy:
        for values in updates:
            copy.write_row(values)
    table = connection.ops.quote_name(AccessObject._meta.db_table)
    assignments = ", ".join(f"{_quoted(name)} = v.{_quoted(name)}" for name in WRITTEN_FIELDS)
    version = _quoted("version")
    cursor.execute(
        f"UPDATE {table} SET {assignments}, {version} = {table}.{version} + 1, {_quoted('updated_at')} = %s"  # noqa: S608 - our own names
        f" FROM qoldau_import_object AS v WHERE {table}.{_quoted('id')} = v.{_quoted('id')}",
        [updated_at],
    )
    cursor.execute("DROP TABLE qoldau_import_object")


def _model_field(name: str) -> models.Field[Any, Any]:
    model_field = AccessObject._meta.get_field(name)
    if not isinstance(model_field, models.Field):
        raise TypeError(name)
    return model_field


def _quoted(name: str) -> str:
    return connection.ops.quote_name(_model_field(name).column)


def _update_statement() -> str:
    table = connection.ops.quote_name(AccessObject._meta.db_table)
    assignments = ", ".join(f"{_quoted(name)} = %s" for name in WRITTEN_FIELDS)
    version = _quoted("version")
    return (
        f"UPDATE {table} SET {assignments}, {version} = {version} + 1, {_quoted('updated_at')} = %s"  # noqa: S608 - our own names
        f" WHERE {_quoted('id')} = %s"
    )


@dataclass(frozen=True)
class _Insert:
    table: str
    columns: tuple[str, ...]
    # Per column: the row's attribute to read, or None for the fixed value beside it.
    sources: tuple[tuple[str | None, Any], ...]

    def values(self, row: ObjectRow) -> list[Any]:
        return [getattr(row, name) if name is not None else value for name, value in self.sources]


def _insert_statement(region: Place, now: dt.datetime) -> _Insert:
    """An INSERT of every column of an object: the row's fields, the region, and for the
    rest (statuses, version, dates) the value a new object gets from its model."""
    fixed: dict[str, Any] = {"region_id": region.pk, "created_at": now, "updated_at": now}
    columns: list[str] = []
    sources: list[tuple[str | None, Any]] = []
    for model_field in AccessObject._meta.concrete_fields:
        if model_field.primary_key:
            continue
        columns.append(connection.ops.quote_name(model_field.column))
        if model_field.attname in WRITTEN_FIELDS or model_field.attname == "external_id":
            sources.append((model_field.attname, None))
            continue
        value = fixed.get(model_field.attname, model_field.get_default())
        sources.append((None, model_field.get_db_prep_save(value, connection)))
    return _Insert(
        table=connection.ops.quote_name(AccessObject._meta.db_table),
        columns=tuple(columns),
        sources=tuple(sources),
    )
