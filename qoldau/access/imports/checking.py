"""Checking every row of an objects file before anything is written: the lookups of
districts, kinds and owners, the coordinates, and each bad cell with its reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation

from qoldau.access.imports.columns import OWNER
from qoldau.access.imports.rows import CheckedObjects, ExistingObject, ObjectRow
from qoldau.access.models import ObjectKind
from qoldau.access.services import LATITUDE_RANGE, LONGITUDE_RANGE
from qoldau.core import bounds
from qoldau.core.identifiers import check_digit, is_ascii_digits, normalise_digits
from qoldau.core.models import Organisation, Place
from qoldau.imports.readers import cell_text
from qoldau.imports.validation import CellProblem, checked_text, identifier_text, normalise_name

# Rows checked between two reports of progress.
PROGRESS_EVERY = 1000

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


def check_object_rows(
    table: Any,
    columns: Any,
    *,
    region: Place,
    owner_ids: frozenset[int] | None,
    existing: dict[str, ExistingObject],
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
