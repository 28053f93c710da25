"""What another app may know of an object's accessibility: the five categories of people,
and an object's public status for each, as the public map shows them. The access app's
public seam (.importlinter); the rest of the app is its own business.

The jobs app reads its vacancies' workplaces through it: a vacancy points at its building
by the model's label (`access.AccessObject`), and asks here, in one query for many
objects, whether the building is accessible for the categories a seeker needs. Its demo
and benchmark place the workplaces they generate in a region's real buildings
(`objects_in_region`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from qoldau.access.models import CATEGORY_ALIASES, STATUS_FIELD, AccessObject, PeopleCategory, PublicStatus

# The categories of people, by their Cyrillic letters (К, О, С, Г, У), in the forms' order.
CATEGORIES: tuple[str, ...] = tuple(PeopleCategory.values)
CATEGORY_CHOICES = PeopleCategory.choices
# The public statuses, and the one that means "accessible" for a category.
STATUSES: tuple[str, ...] = tuple(PublicStatus.values)
STATUS_CHOICES = PublicStatus.choices
ACCESSIBLE = PublicStatus.ACCESSIBLE.value
UNKNOWN = PublicStatus.UNKNOWN.value


def category_code(text: str) -> str | None:
    """The category a letter names (Cyrillic, or the Latin look-alike people type); None
    for anything else."""
    letter = text.strip().upper()
    letter = CATEGORY_ALIASES.get(letter, letter)
    return letter if letter in CATEGORIES else None


def object_exists(object_id: int) -> bool:
    """Whether there is such an object (objects and their statuses are public)."""
    return AccessObject.objects.filter(pk=object_id).exists()


def statuses_of(object_ids: Iterable[int] | QuerySet[Any]) -> dict[int, dict[str, str]]:
    """Each object's public status for each category, in one query; an id that is not an
    object is left out. The ids may be a query of them (`vacancies.values("workplace_id")`),
    which the database reads as a subquery: thousands of ids are then not sent one by one."""
    if isinstance(object_ids, QuerySet):
        objects = AccessObject.objects.filter(pk__in=object_ids)
    else:
        wanted = set(object_ids)
        if not wanted:
            return {}
        objects = AccessObject.objects.filter(pk__in=wanted)
    fields = [STATUS_FIELD[PeopleCategory(category)] for category in CATEGORIES]
    rows = objects.values_list("pk", *fields)
    return {row[0]: dict(zip(CATEGORIES, (str(s) for s in row[1:]), strict=True)) for row in rows}


def accessible_object_ids(category: str) -> QuerySet[AccessObject, int]:
    """The ids of the objects accessible for a category, as a subquery (a vacancy search
    filters its workplaces by it in the database)."""
    field = STATUS_FIELD[PeopleCategory(category)]
    return AccessObject.objects.filter(**{field: ACCESSIBLE}).values_list("pk", flat=True)


@dataclass(frozen=True)
class PublicObject:
    """What the public map shows of an object: its name in the active language, its
    address, and its public status for each category."""

    id: int
    name: str
    address: str
    statuses: dict[str, str]


def object_public(object_id: int) -> PublicObject | None:
    """An object as the public sees it; None when there is no such object."""
    obj = AccessObject.objects.filter(pk=object_id).first()
    if obj is None:
        return None
    return PublicObject(
        id=obj.pk,
        name=obj.name,
        address=obj.address,
        statuses={category: obj.public_status(category) for category in CATEGORIES},
    )


@dataclass(frozen=True)
class PlacedObject:
    id: int
    district_id: int | None
    kind: str


def objects_in_region(
    region_id: int, *, kinds: Iterable[str] | None = None, assessed_only: bool = False, limit: int = 20_000
) -> list[PlacedObject]:
    """A region's objects (of these kinds, if given; only those with a passport, if asked),
    oldest first, at most `limit`: where another app places the workplaces it generates."""
    objects = AccessObject.objects.filter(region_id=region_id)
    if kinds is not None:
        objects = objects.filter(kind__in=list(kinds))
    if assessed_only:
        objects = objects.filter(passported_on__isnull=False)
    rows = objects.order_by("pk").values_list("pk", "district_id", "kind")[:limit]
    return [PlacedObject(pk, district_id, kind) for pk, district_id, kind in rows]
