"""The classifier of occupations, loaded from the official file as KATO is: all or nothing,
each bad row reported with its number, and loading the same file twice changes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import CoreErrorCode, ValidationFailed
from qoldau.jobs import policy
from qoldau.jobs.classifier import is_occupation_code, isco_of, occupation_ancestors, occupation_level
from qoldau.jobs.models import Occupation


@dataclass(frozen=True)
class OccupationRow:
    row_number: int
    code: str
    name_kk: str
    name_ru: str
    name_en: str = ""


@dataclass
class OccupationsImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _depth(code: str) -> tuple[int, int, str]:
    """Groups before their units: fewer digits first, then fewer suffixes."""
    return (len(code.split("-")[0]), code.count("-"), code)


def occupations_import(*, actor: Actor | None, rows: Iterable[OccupationRow]) -> OccupationsImportResult:
    """Load units of the classifier of occupations (all or nothing). A row with a code
    that is not one, without a name, or (below a major group) with no group above it in
    the file or the classifier fails the whole import with its row number."""
    policy.check_may_keep_catalogues(actor)
    errors: list[str] = []
    clean: dict[str, OccupationRow] = {}
    for row in rows:
        code = row.code.strip()
        if not is_occupation_code(code):
            errors.append(
                str(_("Row %(row)s: %(code)s is not a code of the classifier of occupations."))
                % {"row": row.row_number, "code": code[:20]}
            )
            continue
        if not row.name_kk.strip() and not row.name_ru.strip():
            errors.append(str(_("Row %(row)s: the occupation has no name.")) % {"row": row.row_number})
            continue
        clean[code] = OccupationRow(
            row.row_number, code, row.name_kk.strip(), row.name_ru.strip(), row.name_en.strip()
        )
    existing = {o.code: o for o in Occupation.objects.all()}
    known = set(clean) | set(existing)
    parents: dict[str, str | None] = {}
    for code, row in clean.items():
        parent = next((c for c in occupation_ancestors(code) if c in known), None)
        if parent is None and len(code) > 1:
            errors.append(
                str(
                    _("Row %(row)s: occupation %(code)s has no group above it in the file or the classifier.")
                )
                % {"row": row.row_number, "code": code}
            )
        parents[code] = parent
    if errors:
        raise ValidationFailed("\n".join(errors), code=CoreErrorCode.IMPORT_REJECTED)

    result = OccupationsImportResult()
    with transaction.atomic():
        for code in sorted(clean, key=_depth):
            row = clean[code]
            parent_code = parents[code]
            values = {
                "level": occupation_level(code),
                "parent": existing[parent_code] if parent_code else None,
                "isco_code": isco_of(code),
                "name_kk": row.name_kk or row.name_ru,
                "name_ru": row.name_ru or row.name_kk,
                "name_en": row.name_en,
            }
            occupation = existing.get(code)
            if occupation is None:
                existing[code] = Occupation.objects.create(code=code, **values)
                result.created += 1
            elif any(getattr(occupation, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(occupation, name, value)
                occupation.save(update_fields=list(values))
                result.updated += 1
            else:
                result.unchanged += 1
        audit_record(
            actor, "occupations.import", details={"created": result.created, "updated": result.updated}
        )
    return result
