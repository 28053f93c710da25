"""Reads of the directory: the public search (by need, district, age, category and the
name in the reader's language), a service's and a provider's public page, what provider
staff keep, and the public summary of a region. Public reads go through the policy's
`services_public`: active services of providers, never a person's data."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext

from qoldau.access import accessibility
from qoldau.core.access import Actor
from qoldau.core.errors import NotFound
from qoldau.core.i18n import in_language, translated
from qoldau.core.models import Place
from qoldau.services import policy, search_keys
from qoldau.services.catalogue import LANGUAGES
from qoldau.services.models import (
    Capacity,
    CatalogueTerm,
    DirectoryKey,
    Enrolment,
    Location,
    Permit,
    Provider,
    ProviderKind,
    Service,
    WaitListEntry,
)

# At most this many words of free text are searched (each must be in the name).
MAX_WORDS = 5


def reader_language(language: str | None = None) -> str:
    code = (language or translation.get_language() or "kk")[:2]
    return code if code in ("kk", "ru", "en") else "kk"


@dataclass(frozen=True)
class DirectoryFilter:
    """What a reader searches the directory by; every part optional, all combined."""

    need: str = ""
    district_id: int | None = None
    region_id: int | None = None
    age: int | None = None
    category: str = ""
    text: str = ""
    setting: str = ""
    kind: str = ""
    provider_id: int | None = None
    term_public_id: uuid.UUID | None = None
    # `need`: only services that meet a need of the catalogue (HSDS's taxonomy filter).
    taxonomy: str = ""
    modified_after: dt.datetime | None = None


def _term_id(taxonomy: str, code: str, *, active_only: bool = False) -> int | None:
    terms = catalogue(taxonomy) if active_only else CatalogueTerm.objects.filter(taxonomy=taxonomy)
    found: int | None = terms.filter(code=code).values_list("pk", flat=True).first()
    return found


@dataclass(frozen=True)
class KeyParts:
    """The parts of a filter the search index answers, each a condition on one service's
    keys: exact keys (a service has each at most once) and words' beginnings (a beginning
    can be that of two words of one name)."""

    exact: list[Q]
    words: list[Q]

    def all(self) -> list[Q]:
        return [*self.exact, *self.words]


def _key_parts(flt: DirectoryFilter, language: str) -> KeyParts | None:
    """The filter's parts the search index answers; None when a part names something the
    directory does not have (nothing is found)."""
    exact: list[str | list[str]] = []
    if flt.district_id is not None:
        exact.append(search_keys.district_key(flt.district_id))
    if flt.region_id is not None:
        exact.append(search_keys.region_key(flt.region_id))
    if flt.need:
        need_id = _term_id(CatalogueTerm.Taxonomy.NEED, flt.need, active_only=True)
        if need_id is None:
            return None
        exact.append(search_keys.term_key(need_id))
    if flt.term_public_id is not None:
        term_id = (
            CatalogueTerm.objects.filter(public_id=flt.term_public_id).values_list("pk", flat=True).first()
        )
        if term_id is None:
            return None
        exact.append(search_keys.term_key(term_id))
    for taxonomy, code in (
        (CatalogueTerm.Taxonomy.SETTING, flt.setting),
        (CatalogueTerm.Taxonomy.TYPE, flt.kind),
    ):
        if code:
            term_id = _term_id(taxonomy, code)
            if term_id is None:
                return None
            exact.append(search_keys.term_key(term_id))
    if flt.taxonomy == CatalogueTerm.Taxonomy.NEED:
        exact.append(search_keys.taxonomy_key(flt.taxonomy))
    if flt.category:
        exact.append([search_keys.ANY_CATEGORY, search_keys.category_key(flt.category)])
    words: list[Q] = []
    # English names are optional: an English reader's words are looked for in the Kazakh
    # and Russian names too.
    languages = search_keys.NAME_LANGUAGES if language == "en" else (language,)
    for word in search_keys.words_of(flt.text)[:MAX_WORDS]:
        begins = Q()
        for code in languages:
            begins |= Q(key__startswith=search_keys.word_key(code, word))
        words.append(begins)
    return KeyParts([Q(key__in=key) if isinstance(key, list) else Q(key=key) for key in exact], words)


def _keyed(part: Q) -> QuerySet[DirectoryKey]:
    return DirectoryKey.objects.filter(part)


def services_search(flt: DirectoryFilter, *, language: str | None = None) -> QuerySet[Service]:
    """The public services matching every part of the filter, ordered by name in the
    reader's language. One query: each part of the filter the search index answers is a
    subquery of its keys."""
    language = reader_language(language)
    services = policy.services_public()
    parts = _key_parts(flt, language)
    if parts is None:
        return services.none()
    for part in parts.all():
        services = services.filter(pk__in=_keyed(part).values("service_id"))
    services = _narrowed(services, flt)
    return services.order_by(f"name_{language}" if language != "en" else "name_kk", "pk")


def _narrowed(services: QuerySet[Service], flt: DirectoryFilter) -> QuerySet[Service]:
    """The parts of the filter read off the service itself."""
    if flt.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=flt.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=flt.age),
        )
    if flt.provider_id is not None:
        services = services.filter(provider_id=flt.provider_id)
    if flt.modified_after is not None:
        services = services.filter(updated_at__gte=flt.modified_after)
    return services


def services_count(flt: DirectoryFilter, *, language: str | None = None) -> int:
    """How many public services the filter finds, exactly. When every part of the filter is
    in the search index, it is counted off the index alone (the keys of public services),
    without reading a service."""
    language = reader_language(language)
    if flt.age is not None or flt.provider_id is not None or flt.modified_after is not None:
        return services_search(flt, language=language).order_by().count()
    parts = _key_parts(flt, language)
    if parts is None:
        return 0
    # With no part, the whole directory: the key every public service has.
    first, *others = parts.all() or [Q(key=search_keys.EVERY_SERVICE)]
    keys = _keyed(first)
    for part in others:
        keys = keys.filter(service_id__in=_keyed(part).values("service_id"))
    return keys.count() if parts.exact else keys.values("service_id").distinct().count()


@dataclass(frozen=True)
class Accessibility:
    """How accessible a location's building is, in words, from its passport."""

    building_id: int | None
    building_name: str
    # (category's label, status's label, status) for each category of people.
    statuses: list[tuple[str, str, str]]


def accessibility_of(building_ids: list[int]) -> dict[int, Accessibility]:
    """The public accessibility of these buildings, in one query (the access app's seam)."""
    statuses = accessibility.statuses_of([pk for pk in building_ids if pk])
    category_labels = dict(accessibility.CATEGORY_CHOICES)
    status_labels = dict(accessibility.STATUS_CHOICES)
    return {
        pk: Accessibility(
            building_id=pk,
            building_name="",
            statuses=[(str(category_labels[c]), str(status_labels[s]), s) for c, s in by_category.items()],
        )
        for pk, by_category in statuses.items()
    }


@dataclass(frozen=True)
class PublicLocation:
    location: Location
    accessibility: Accessibility | None


@dataclass(frozen=True)
class ServicePage:
    service: Service
    locations: list[PublicLocation]
    documents: list[str]
    needs: list[str]
    categories: list[str]
    languages: list[str]
    tiers: list[str] = field(default_factory=list)
    fee_note: str = ""


def service_public_get(public_id: uuid.UUID) -> ServicePage:
    """A public service with what its page shows; not found for one that is not active."""
    service = (
        policy.services_public()
        .select_related("provider__organisation", "setting", "kind")
        .filter(public_id=public_id)
        .first()
    )
    if service is None:
        raise NotFound(_not_found())
    locations = list(service.locations.select_related("region", "district").order_by("name_kk", "pk"))
    access = accessibility_of([loc.building_id for loc in locations if loc.building_id])
    return ServicePage(
        service=service,
        locations=[
            PublicLocation(loc, access.get(loc.building_id) if loc.building_id else None) for loc in locations
        ],
        documents=[doc.name for doc in service.documents.all()],
        needs=[term.name for term in service.needs.order_by("sort_order")],
        categories=[category.name for category in service.categories.all()],
        languages=[str(LANGUAGES.get(code, code)) for code in service.language_codes],
        tiers=[str(tier) for tier in service.priority_tiers.all()],
        fee_note=translated(service, "fee_note"),
    )


def _not_found() -> str:
    return gettext("There is no such service in the directory.")


@dataclass(frozen=True)
class ProviderPage:
    provider: Provider
    services: list[Service]
    locations: list[Location]


def provider_public_get(public_id: uuid.UUID) -> ProviderPage:
    """A provider's public page: its active services and where it gives them; not found
    for a provider with none."""
    provider = policy.providers_public().select_related("organisation").filter(public_id=public_id).first()
    if provider is None:
        raise NotFound(gettext("There is no such provider in the directory."))
    services = list(
        policy.services_public()
        .filter(provider=provider)
        .select_related("setting", "kind")
        .order_by("name_kk", "pk")
    )
    locations = list(
        Location.objects.filter(provider=provider, service_links__service__in=services)
        .distinct()
        .select_related("district")
        .order_by("name_kk", "pk")
    )
    return ProviderPage(provider=provider, services=services, locations=locations)


def map_points(
    flt: DirectoryFilter, *, language: str | None = None, limit: int = 5000
) -> list[dict[str, Any]]:
    """The locations of the services a search finds, with coordinates, for the map: one
    point per location, at most `limit`."""
    services = services_search(flt, language=language).order_by()
    rows = (
        Location.objects.filter(
            service_links__service__in=services.values("pk"), latitude__isnull=False, longitude__isnull=False
        )
        .distinct()
        .values(
            "public_id",
            "name_kk",
            "name_ru",
            "name_en",
            "address",
            "latitude",
            "longitude",
            "provider__public_id",
        )
        .order_by("pk")[:limit]
    )
    language = reader_language(language)
    points: list[dict[str, Any]] = []
    for row in rows:
        values: dict[str, Any] = dict(row)
        points.append(
            {
                "id": str(values["public_id"]),
                "name": in_language({c: values[f"name_{c}"] for c in ("kk", "ru", "en")}, language),
                "address": values["address"],
                "lat": float(values["latitude"]),
                "lon": float(values["longitude"]),
                "provider": str(values["provider__public_id"]),
            }
        )
    return points


def catalogue(taxonomy: str) -> QuerySet[CatalogueTerm]:
    return CatalogueTerm.objects.filter(taxonomy=taxonomy, active=True)


# The public list counts its results up to this many: a national search of 300,000
# services is not paged through, and counting every match of a broad search costs more
# than the page itself.
COUNT_CAP = 1000


def count_capped(found: QuerySet[Any], cap: int = COUNT_CAP) -> int:
    """How many rows a query finds, counting at most `cap` + 1 of them (cap + 1 means
    "more than cap")."""
    return found.order_by()[: cap + 1].count()


# What provider staff keep ----------------------------------------------------------------


def providers_for_user(user: Actor) -> QuerySet[Provider]:
    return policy.providers_managed_by(user).select_related("organisation")


def provider_get_for_user(user: Actor, provider_id: int) -> Provider:
    """A provider the user keeps; not found otherwise (not allowed answers the same)."""
    provider = providers_for_user(user).filter(pk=provider_id).first()
    if provider is None:
        raise NotFound(gettext("There is no such provider among yours."))
    return provider


def permits_of(provider: Provider) -> QuerySet[Permit]:
    return provider.permits.order_by("valid_to", "pk")


def locations_of(provider: Provider) -> QuerySet[Location]:
    return provider.locations.select_related("region", "district").order_by("name_kk", "pk")


def services_of(provider: Provider) -> QuerySet[Service]:
    return provider.services.select_related("setting", "kind").order_by("name_kk", "pk")


def service_get_for_user(user: Actor, service_id: int) -> Service:
    service = (
        Service.objects.filter(provider__in=policy.providers_managed_by(user), pk=service_id)
        .select_related("provider__organisation", "setting", "kind")
        .first()
    )
    if service is None:
        raise NotFound(_not_found())
    return service


def location_get_for_user(user: Actor, location_id: int) -> Location:
    location = Location.objects.filter(provider__in=policy.providers_managed_by(user), pk=location_id).first()
    if location is None:
        raise NotFound(gettext("There is no such location among yours."))
    return location


def permit_get_for_user(user: Actor, permit_id: int) -> Permit:
    permit = Permit.objects.filter(provider__in=policy.providers_administered_by(user), pk=permit_id).first()
    if permit is None:
        raise NotFound(gettext("There is no such permit among yours."))
    return permit


# The public summary of a region -----------------------------------------------------------


@dataclass(frozen=True)
class RegionSummary:
    """A region's network as exact counts; the API rounds and hides small counts of
    people before anyone sees them."""

    providers: dict[str, int]
    recipients_year: int
    places: int
    enrolled_today: int
    free_places: int
    waiting: int


def services_summary(region: Place, *, today: dt.date | None = None) -> RegionSummary:
    """Providers by kind (their organisation's region), and of their active services: the
    places in force today, the people enrolled today, the free places (per service, never
    below none), the people waiting, and the distinct people enrolled at any time of the
    current year (counted by identity, not by an organisation's record)."""
    today = today or timezone.localdate()
    kinds = Counter(Provider.objects.filter(organisation__region=region).values_list("kind", flat=True))
    services = policy.services_public().filter(provider__organisation__region=region)
    in_force = Capacity.objects.filter(service_id=OuterRef("pk"), since__lte=today).order_by("-since")
    enrolled_today = Enrolment.objects.filter(service_id=OuterRef("pk"), starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    rows = services.annotate(
        places=Coalesce(Subquery(in_force.values("places")[:1]), 0),
        enrolled=Coalesce(
            Subquery(
                enrolled_today.order_by().values("service_id").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
    ).values_list("places", "enrolled")
    places = enrolled = free = 0
    for service_places, service_enrolled in rows:
        places += service_places
        enrolled += service_enrolled
        free += max(service_places - service_enrolled, 0)
    year_start, year_end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    recipients = (
        Enrolment.objects.filter(service__in=services, starts_on__lte=year_end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=year_start))
        .values("identity_id")
        .distinct()
        .count()
    )
    waiting = (
        WaitListEntry.objects.filter(
            service__in=services,
            status__in=[
                WaitListEntry.Status.WAITING,
                WaitListEntry.Status.OFFERED,
                WaitListEntry.Status.PARKED,
            ],
        )
        .values("identity_id")
        .distinct()
        .count()
    )
    return RegionSummary(
        providers={kind: kinds.get(kind, 0) for kind in ProviderKind.values},
        recipients_year=recipients,
        places=places,
        enrolled_today=enrolled,
        free_places=free,
        waiting=waiting,
    )
