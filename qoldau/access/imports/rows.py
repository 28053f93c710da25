"""What an objects import reads and reports: a checked row, the rows of a file, the
region's objects already registered, and the report of the import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qoldau.access.models import AccessObject
from qoldau.core.models import Place
from qoldau.imports.services import ImportReport
from qoldau.imports.validation import ErrorList

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


@dataclass(frozen=True)
class ExistingObject:
    pk: int
    owner_id: int | None
    version: int
    values: tuple[Any, ...]


def existing_objects(region: Place, *, lock: bool = False) -> dict[str, ExistingObject]:
    """The region's objects that have a register number, by that number."""
    qs = AccessObject.objects.filter(region=region).exclude(external_id="")
    if lock:
        qs = qs.select_for_update()
    return {
        external_id: ExistingObject(pk, owner_id, version, tuple(values))
        for pk, external_id, owner_id, version, *values in qs.values_list(
            "pk", "external_id", "owner_id", "version", *WRITTEN_FIELDS
        )
    }
