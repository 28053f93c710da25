"""Places: the KATO classifier loaded from a file, and a region and district checked
against each other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import CoreErrorCode, ErrorCode, ValidationFailed
from qoldau.core.identifiers import is_ascii_digits, normalise_digits
from qoldau.core.models import Place

SHYMKENT_OLD_KATO = "511010000"
SHYMKENT_KATO = "790000000"


def normalise_kato(code: str) -> str:
    """A 9-digit KATO code; the pre-2018 Shymkent code is read as today's."""
    code = str(code).strip()
    if code.endswith(".0"):
        code = code[:-2]
    code = normalise_digits(code)
    if not is_ascii_digits(code, 9):
        raise ValidationFailed(
            _("A KATO code has 9 digits; %(code)s does not."),
            field="kato",
            code=CoreErrorCode.INVALID_KATO,
            params={"code": code},
        )
    return SHYMKENT_KATO if code == SHYMKENT_OLD_KATO else code


def kato_ancestors(code: str) -> list[str]:
    """The more general codes a KATO unit may hang under, nearest first.

    KATO zeroes digit groups from the right (AB CD EF HIJ), but a level can be skipped:
    Almaty's districts (7517xxxxx) hang directly under the city (750000000).
    """
    candidates = [code[:6] + "000", code[:4] + "00000", code[:2] + "0000000"]
    return [c for i, c in enumerate(candidates) if c != code and c not in candidates[:i]]


LEVEL_BELOW = {
    Place.Level.REGION: Place.Level.DISTRICT,
    Place.Level.DISTRICT: Place.Level.RURAL_DISTRICT,
    Place.Level.RURAL_DISTRICT: Place.Level.SETTLEMENT,
    Place.Level.SETTLEMENT: Place.Level.SETTLEMENT,
}


def _generality(code: str) -> tuple[int, str]:
    """Regions first, then districts, then finer units: parents before children."""
    return (len(code.rstrip("0")), code)


@dataclass(frozen=True)
class KatoRow:
    row_number: int
    code: str
    name_kk: str
    name_ru: str


@dataclass
class KatoImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def places_import_kato(*, actor: Actor | None, rows: Iterable[KatoRow]) -> KatoImportResult:
    """Load KATO units (all or nothing). Rows are validated first; any bad row (bad code,
    missing name, no parent unit in the file or the database) fails the whole import with
    its row number. Loading the same file twice changes nothing."""
    errors: list[str] = []
    clean: dict[str, KatoRow] = {}
    for row in rows:
        try:
            code = normalise_kato(row.code)
        except ValidationFailed as exc:
            errors.append(str(_("Row %(row)s: %(reason)s")) % {"row": row.row_number, "reason": exc.render()})
            continue
        if not row.name_kk.strip() and not row.name_ru.strip():
            errors.append(str(_("Row %(row)s: the unit has no name.")) % {"row": row.row_number})
            continue
        clean[code] = KatoRow(row.row_number, code, row.name_kk.strip(), row.name_ru.strip())
    existing = {p.kato: p for p in Place.objects.exclude(kato=None) if p.kato}
    known = set(clean) | set(existing)
    parents: dict[str, str | None] = {}
    for code, row in clean.items():
        if code[2:] == "0000000":
            parents[code] = None
            continue
        parent_code = next((c for c in kato_ancestors(code) if c in known), None)
        if parent_code is None:
            errors.append(
                str(_("Row %(row)s: unit %(code)s has no parent unit in the file or the classifier."))
                % {"row": row.row_number, "code": code}
            )
        parents[code] = parent_code
    if errors:
        raise ValidationFailed("\n".join(errors), code=CoreErrorCode.IMPORT_REJECTED)

    result = KatoImportResult()
    with transaction.atomic(durable=True):
        for code in sorted(clean, key=_generality):
            row = clean[code]
            parent_code = parents[code]
            parent = existing[parent_code] if parent_code else None
            level = LEVEL_BELOW[Place.Level(parent.level)] if parent else Place.Level.REGION
            name_kk = row.name_kk or row.name_ru
            name_ru = row.name_ru or row.name_kk
            place = existing.get(code)
            if place is None:
                # A unit loaded without its code (the demo's districts) gets it now.
                uncoded = Place.objects.filter(kato=None, parent=parent, name_kk=name_kk).first()
                if uncoded is not None:
                    uncoded.kato, uncoded.name_ru, uncoded.level = code, name_ru, level
                    uncoded.save(update_fields=["kato", "name_ru", "level"])
                    existing[code] = uncoded
                    result.updated += 1
                    continue
            if place is None:
                place = Place.objects.create(
                    kato=code, level=level, parent=parent, name_kk=name_kk, name_ru=name_ru
                )
                existing[code] = place
                result.created += 1
            elif (place.name_kk, place.name_ru, place.parent_id, place.level) != (
                name_kk,
                name_ru,
                parent.pk if parent else None,
                level,
            ):
                place.name_kk, place.name_ru, place.parent, place.level = name_kk, name_ru, parent, level
                place.save(update_fields=["name_kk", "name_ru", "parent", "level"])
                result.updated += 1
            else:
                result.unchanged += 1
        audit_record(
            actor,
            "places.import_kato",
            details={"created": result.created, "updated": result.updated},
        )
    return result


def _place_of_level(place_id: int | None, level: str, field: str) -> Place | None:
    if place_id is None:
        return None
    place = Place.objects.filter(pk=place_id, level=level).first()
    if place is None:
        raise ValidationFailed(
            _("There is no such region or district in the classifier."),
            field=field,
            code=CoreErrorCode.UNKNOWN_PLACE,
        )
    return place


def resolve_region_district(
    region_id: int | None, district_id: int | None, *, region_required: bool
) -> tuple[Place | None, Place | None]:
    """The region and district by id, checking that the district lies in the region."""
    if region_required and region_id is None:
        raise ValidationFailed(_("Region is required."), field="region", code=ErrorCode.REQUIRED)
    region = _place_of_level(region_id, Place.Level.REGION, "region")
    district = _place_of_level(district_id, Place.Level.DISTRICT, "district")
    if district is not None:
        if region is None:
            region = district.region
        elif district.parent_id != region.pk:
            raise ValidationFailed(
                _("The district is not in the chosen region."),
                field="district",
                code=CoreErrorCode.UNKNOWN_PLACE,
            )
    return region, district
