"""A read API that follows Open Referral's Human Services Data Specification 3.0
(openreferral/specification, `schema/*.json` and `schema/openapi.json`): organizations,
services, service_at_locations, taxonomies and taxonomy terms, with HSDS's pagination
envelope and filters combined with AND. Public, no sign-in: the directory is public, and
nothing here is a person's data.

Ids are the records' public UUIDs, never database keys; the parts HSDS gives ids that
Qoldau keeps as fields of a service (its schedule, cost, languages, accessibility) get a
UUID derived from the owner's (uuid5), stable from one read to the next. Names and
descriptions are in the language asked for (`?lang=`, else `Accept-Language`): Kazakh and
Russian always, English where the provider gave it (else Kazakh)."""

import math
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from qoldau.core import bounds
from qoldau.core.api import BearerToken, PublicAccess, SignedInSession
from qoldau.core.errors import NotFound
from qoldau.core.i18n import translated
from qoldau.core.models import Place
from qoldau.core.search import filter_words
from qoldau.services import policy, selectors
from qoldau.services.catalogue import LANGUAGES
from qoldau.services.models import (
    CatalogueTerm,
    Location,
    Provider,
    RequiredDocument,
    Service,
    ServiceAtLocation,
)

router = Router(tags=["hsds"])
PUBLIC = [BearerToken(), SignedInSession(), PublicAccess()]
# A page holds at most this many records (HSDS leaves the bound to the publisher).
MAX_PER_PAGE = 50
PerPage = Annotated[int, bounds.IntRange(1, MAX_PER_PAGE)]
# Derived ids of the parts of a record HSDS gives ids to, and of the three taxonomies.
NAMESPACE = uuid.UUID("6f0b5c1e-2d43-5a8e-9c1b-7a2f0e4d9b31")
HSDS_VERSION = "3.0"
TAXONOMY_DESCRIPTIONS = {
    "setting": gettext_lazy(
        "Where special social services are given: residential, day, at home, temporary stay."
    ),
    "type": gettext_lazy("The types of special social services, from social-household to legal."),
    "need": gettext_lazy("What people look for: home care, rehabilitation, legal help and more."),
}


def part_id(owner: uuid.UUID, part: str) -> str:
    return str(uuid.uuid5(owner, part))


def taxonomy_id(taxonomy: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy:{taxonomy}"))


def _uuid(text: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(_("Nothing was found at this address."), field=field) from None


@contextmanager
def _language(lang: str | None) -> Iterator[str]:
    language = selectors.reader_language(lang or translation.get_language())
    with translation.override(language):
        yield language


class PageQuery(Schema):
    page: bounds.PageNumber = Field(1, description="Page number of paginated result, from 1.")
    per_page: PerPage = Field(20, description=f"Records in a page, at most {MAX_PER_PAGE}.")
    lang: bounds.Code | None = Field(None, description="kk, ru or en; else Accept-Language.")


class ServiceQuery(PageQuery):
    search: bounds.SearchText = Field("", description="Words of the service's name in the language asked.")
    taxonomy_term_id: bounds.Code = Field("", description="Services with this taxonomy term (id).")
    taxonomy_id: bounds.Code = Field("", description="Services with any term of this taxonomy (id).")
    organization_id: bounds.Code = Field("", description="Services of this organization (id).")
    modified_after: bounds.Moment | None = Field(None, description="Changed on or after this moment.")
    district: bounds.Code = Field("", description="KATO code of a district where the service is given.")
    region: bounds.Code = Field("", description="KATO code of a region where the service is given.")


class OrganizationQuery(PageQuery):
    search: bounds.SearchText = Field("", description="Words of the organization's name.")
    full_service: bool = Field(False, description="Each organization with its services in full.")


class TermQuery(PageQuery):
    taxonomy_id: bounds.Code = Field("", description="Terms of this taxonomy (id).")
    top_only: bool = Field(False, description="Only terms without a parent.")
    parent_id: bounds.Code = Field("", description="Terms under this term (id).")


class OneQuery(Schema):
    lang: bounds.Code | None = Field(None, description="kk, ru or en; else Accept-Language.")


class Page(Schema):
    """HSDS's pagination envelope."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


def page_of(
    records: QuerySet[Any],
    page: int,
    per_page: int,
    serialise: Callable[[list[Any]], list[dict[str, Any]]],
    *,
    total: int | None = None,
) -> dict[str, Any]:
    """A page in HSDS's envelope; `total` when the caller counts the records faster than
    the query would."""
    if total is None:
        total = records.count()
    pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    items = list(records[start : start + per_page]) if start < total else []
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": serialise(items),
    }


# Records as HSDS has them -----------------------------------------------------------------


def _place(kato: str, level: str, field: str) -> Place:
    place = Place.objects.filter(kato=kato.strip(), level=level).first()
    if place is None:
        raise NotFound(_("There is no place with KATO code %(code)s.") % {"code": kato}, field=field)
    return place


def organization_out(provider: Provider) -> dict[str, Any]:
    org = provider.organisation
    public = str(provider.public_id)
    return {
        "id": public,
        "name": org.name,
        "alternate_name": None,
        "description": provider.description,
        "email": org.email or None,
        "website": org.website or None,
        "tax_status": None,
        "tax_id": None,
        "year_incorporated": None,
        "legal_status": str(provider.get_kind_display()),
        "logo": None,
        "uri": reverse("services:provider", args=[provider.public_id]),
        "parent_organization_id": None,
        "funding": [],
        "contacts": [],
        "phones": [{"id": part_id(provider.public_id, "phone"), "number": org.phone}] if org.phone else [],
        "locations": [],
        "programs": [],
        "organization_identifiers": (
            [
                {
                    "id": part_id(provider.public_id, "bin"),
                    "organization_id": public,
                    "identifier_scope": "national",
                    "identifier_type": "BIN",
                    "identifier": org.bin,
                }
            ]
            if org.bin
            else []
        ),
        "attributes": [],
        "metadata": [],
    }


def accessibility_out(location: Location, access: selectors.Accessibility | None) -> list[dict[str, Any]]:
    if access is None:
        return []
    words = "; ".join(f"{category}: {status}" for category, status, _code in access.statuses)
    return [
        {
            "id": part_id(location.public_id, "accessibility"),
            "location_id": str(location.public_id),
            "description": _("How accessible the building is, by its accessibility passport: %(statuses)s.")
            % {"statuses": words},
            "details": words,
            "url": None,
            "attributes": [],
            "metadata": [],
        }
    ]


def service_at_location_out(
    link: ServiceAtLocation, service_id: str, access: dict[int, selectors.Accessibility]
) -> dict[str, Any]:
    """An HSDS `service_at_location`, with its location and that building's accessibility
    (`access`: the passports' statuses by building, read once for a whole page)."""
    building = link.location.building_id
    return {
        "id": str(link.public_id),
        "service_id": service_id,
        "location_id": str(link.location.public_id),
        "description": None,
        "contacts": [],
        "phones": [],
        "schedules": [],
        "location": location_out(link.location, access.get(building) if building else None),
        "attributes": [],
        "metadata": [],
    }


def location_out(location: Location, access: selectors.Accessibility | None) -> dict[str, Any]:
    public = str(location.public_id)
    area = location.district or location.region
    addresses: list[dict[str, Any]] = []
    if location.address:
        addresses.append(
            {
                "id": part_id(location.public_id, "address"),
                "location_id": public,
                "attention": None,
                "address_1": location.address,
                "address_2": None,
                "city": area.name if area else "",
                "region": location.district.kato if location.district and location.district.kato else None,
                "state_province": location.region.name,
                "postal_code": "",
                "country": "KZ",
                "address_type": "physical",
                "attributes": [],
                "metadata": [],
            }
        )
    return {
        "id": public,
        "location_type": location.kind,
        "url": None,
        "organization_id": str(location.provider.public_id),
        "name": location.name,
        "alternate_name": None,
        "description": None,
        "transportation": None,
        "latitude": float(location.latitude) if location.latitude is not None else None,
        "longitude": float(location.longitude) if location.longitude is not None else None,
        "external_identifier": location.region.kato,
        "external_identifier_type": "KATO region",
        "languages": [],
        "addresses": addresses,
        "contacts": [],
        "accessibility": accessibility_out(location, access),
        "phones": [],
        "schedules": [],
        "attributes": [],
        "metadata": [],
    }


def term_out(term: CatalogueTerm, parents: dict[int, CatalogueTerm] | None = None) -> dict[str, Any]:
    parent = (parents or {}).get(term.parent_id) if term.parent_id else None
    return {
        "id": str(term.public_id),
        "code": term.code,
        "name": term.name,
        "description": translated(term, "description"),
        "parent_id": str(parent.public_id) if parent else None,
        "taxonomy": term.taxonomy,
        "language": selectors.reader_language(),
        "taxonomy_id": taxonomy_id(term.taxonomy),
        "term_uri": None,
        "metadata": [],
    }


def _service_queryset(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("provider__organisation", "setting", "kind").prefetch_related(
        "needs",
        Prefetch("documents", queryset=RequiredDocument.objects.order_by("sort_order", "pk")),
        Prefetch(
            "at_locations",
            queryset=ServiceAtLocation.objects.select_related(
                "location__region", "location__district", "location__provider"
            ).order_by("pk"),
        ),
    )


def services_out(services: list[Service]) -> list[dict[str, Any]]:
    """Services in full, for a page of them: the buildings' accessibility in one read."""
    buildings = [
        link.location.building_id
        for s in services
        for link in s.at_locations.all()
        if link.location.building_id
    ]
    access = selectors.accessibility_of(buildings)
    return [_service_out(service, access) for service in services]


def _service_out(service: Service, access: dict[int, selectors.Accessibility]) -> dict[str, Any]:
    public = str(service.public_id)
    terms = [
        service.setting,
        service.kind,
        *sorted(service.needs.all(), key=lambda t: (t.sort_order, t.code)),
    ]
    codes = service.language_codes
    fee_note = translated(service, "fee_note")
    return {
        "id": public,
        "organization_id": str(service.provider.public_id),
        "program_id": None,
        "name": service.name,
        "alternate_name": None,
        "description": service.description,
        "url": service.url or None,
        "email": service.email or None,
        "status": service.status,
        "interpretation_services": str(LANGUAGES["sgn"]) if "sgn" in codes else None,
        "application_process": service.application or None,
        "fees_description": fee_note or (_("Free of charge.") if service.free else None),
        "wait_time": None,
        "fees": None,
        "accreditations": None,
        "eligibility_description": service.eligibility or None,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": None,
        "assurer_email": None,
        "licenses": None,
        "alert": None,
        "last_modified": service.updated_at.isoformat(),
        "phones": [{"id": part_id(service.public_id, "phone"), "number": service.phone}]
        if service.phone
        else [],
        "schedules": (
            [
                {
                    "id": part_id(service.public_id, "schedule"),
                    "service_id": public,
                    "description": service.schedule,
                    "attributes": [],
                    "metadata": [],
                }
            ]
            if service.schedule
            else []
        ),
        "service_areas": [],
        "service_at_locations": [
            service_at_location_out(link, public, access) for link in service.at_locations.all()
        ],
        "languages": [
            {
                "id": part_id(service.public_id, f"language:{code}"),
                "service_id": public,
                "name": str(LANGUAGES.get(code, code)),
                "code": code,
                "note": None,
                "attributes": [],
                "metadata": [],
            }
            for code in codes
        ],
        "organization": organization_out(service.provider),
        "funding": [],
        "cost_options": [
            {
                "id": part_id(service.public_id, "cost"),
                "service_id": public,
                "valid_from": None,
                "valid_to": None,
                "option": _("Free of charge") if service.free else _("Paid"),
                "currency": "KZT",
                "amount": 0 if service.free else float(service.fee or 0),
                "amount_description": fee_note or None,
                "attributes": [],
                "metadata": [],
            }
        ],
        "program": None,
        "required_documents": [
            {
                "id": part_id(service.public_id, f"document:{document.pk}"),
                "service_id": public,
                "document": document.name,
                "uri": None,
                "attributes": [],
                "metadata": [],
            }
            for document in service.documents.all()
        ],
        "contacts": [],
        "attributes": [
            {
                "id": part_id(service.public_id, f"term:{term.public_id}"),
                "link_id": public,
                "taxonomy_term_id": str(term.public_id),
                "link_type": term.taxonomy,
                "link_entity": "service",
                "value": None,
                "taxonomy_term": term_out(term),
                "metadata": [],
            }
            for term in terms
        ],
        "metadata": [],
    }


def _filter(query: ServiceQuery) -> selectors.DirectoryFilter | None:
    """The directory's filter for the query; None when it asks for a taxonomy there is not."""
    taxonomy = ""
    if query.taxonomy_id:
        wanted = {taxonomy_id(code): code for code in CatalogueTerm.Taxonomy.values}.get(query.taxonomy_id)
        if wanted is None:
            return None
        # Every service has a setting and a type: their taxonomies hold them all.
        taxonomy = wanted if wanted == CatalogueTerm.Taxonomy.NEED else ""
    return selectors.DirectoryFilter(
        text=query.search,
        term_public_id=_uuid(query.taxonomy_term_id, "taxonomy_term_id") if query.taxonomy_term_id else None,
        provider_id=(
            _provider(query.organization_id, "organization_id").pk if query.organization_id else None
        ),
        modified_after=query.modified_after,
        district_id=_place(query.district, Place.Level.DISTRICT, "district").pk if query.district else None,
        region_id=_place(query.region, Place.Level.REGION, "region").pk if query.region else None,
        taxonomy=taxonomy,
    )


def _services(flt: selectors.DirectoryFilter | None) -> QuerySet[Service]:
    return policy.services_public().none() if flt is None else selectors.services_search(flt)


def _provider(text: str, field: str) -> Provider:
    provider = (
        policy.providers_public().select_related("organisation").filter(public_id=_uuid(text, field)).first()
    )
    if provider is None:
        raise NotFound(_("There is no such organization in the directory."), field=field)
    return provider


# Operations -----------------------------------------------------------------------------


@router.get(
    "/hsds/services",
    response=Page,
    auth=PUBLIC,
    summary="HSDS services",
    description="Public. Active services, in full, with filters combined with AND.",
)
def hsds_services(request: HttpRequest, query: Query[ServiceQuery]) -> dict[str, Any]:
    with _language(query.lang):
        flt = _filter(query)
        return page_of(
            _service_queryset(_services(flt)),
            query.page,
            query.per_page,
            services_out,
            total=0 if flt is None else selectors.services_count(flt),
        )


@router.get("/hsds/services/{service_id}", auth=PUBLIC, summary="One HSDS service in full")
def hsds_service(request: HttpRequest, service_id: bounds.Code, query: Query[OneQuery]) -> dict[str, Any]:
    with _language(query.lang):
        services = _service_queryset(policy.services_public().filter(public_id=_uuid(service_id, "id")))
        found = list(services)
        if not found:
            raise NotFound(_("There is no such service in the directory."), field="id")
        return services_out(found)[0]


@router.get(
    "/hsds/service_at_locations",
    response=Page,
    auth=PUBLIC,
    summary="HSDS services at locations",
    description="Public. Each place an active service is given at, with the location.",
)
def hsds_service_at_locations(request: HttpRequest, query: Query[ServiceQuery]) -> dict[str, Any]:
    with _language(query.lang):
        links = (
            ServiceAtLocation.objects.filter(service__in=_services(_filter(query)).order_by().values("pk"))
            .select_related("location__region", "location__district", "location__provider", "service")
            .order_by("pk")
        )

        def serialise(items: list[ServiceAtLocation]) -> list[dict[str, Any]]:
            access = selectors.accessibility_of(
                [i.location.building_id for i in items if i.location.building_id]
            )
            return [service_at_location_out(link, str(link.service.public_id), access) for link in items]

        return page_of(links, query.page, query.per_page, serialise)


@router.get(
    "/hsds/organizations",
    response=Page,
    auth=PUBLIC,
    summary="HSDS organizations",
    description="Public. Providers with an active service.",
)
def hsds_organizations(request: HttpRequest, query: Query[OrganizationQuery]) -> dict[str, Any]:
    with _language(query.lang) as language:
        providers = policy.providers_public().select_related("organisation")
        providers = filter_words(
            providers,
            ["organisation__name_kk", "organisation__name_ru", "organisation__name_en"],
            query.search,
        )
        providers = providers.order_by(f"organisation__name_{language}", "pk")

        def serialise(items: list[Provider]) -> list[dict[str, Any]]:
            out = [organization_out(provider) for provider in items]
            if query.full_service:
                services = _service_queryset(
                    policy.services_public().filter(provider__in=items).order_by("name_kk", "pk")
                )
                full = services_out(list(services))
                for org in out:
                    org["services"] = [s for s in full if s["organization_id"] == org["id"]]
            return out

        return page_of(providers, query.page, query.per_page, serialise)


@router.get("/hsds/organizations/{organization_id}", auth=PUBLIC, summary="One HSDS organization")
def hsds_organization(
    request: HttpRequest, organization_id: bounds.Code, query: Query[OneQuery]
) -> dict[str, Any]:
    with _language(query.lang):
        provider = _provider(organization_id, "id")
        out = organization_out(provider)
        services = _service_queryset(
            policy.services_public().filter(provider=provider).order_by("name_kk", "pk")
        )
        out["services"] = services_out(list(services))
        locations = {
            link["location"]["id"]: link["location"]
            for s in out["services"]
            for link in s["service_at_locations"]
        }
        out["locations"] = list(locations.values())
        return out


@router.get(
    "/hsds/taxonomies",
    response=Page,
    auth=PUBLIC,
    summary="HSDS taxonomies",
    description="Public. The catalogue's three taxonomies: settings, types of service, needs.",
)
def hsds_taxonomies(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    with _language(query.lang):
        rows: list[dict[str, Any]] = [
            {
                "id": taxonomy_id(str(value)),
                "name": str(label),
                "description": str(TAXONOMY_DESCRIPTIONS[str(value)]),
                "uri": None,
                "version": HSDS_VERSION,
                "metadata": [],
            }
            for value, label in CatalogueTerm.Taxonomy.choices
        ]
        start = (query.page - 1) * query.per_page
        items = rows[start : start + query.per_page]
        pages = max(1, math.ceil(len(rows) / query.per_page))
        return {
            "total_items": len(rows),
            "total_pages": pages,
            "page_number": query.page,
            "size": len(items),
            "first_page": query.page == 1,
            "last_page": query.page >= pages,
            "empty": not rows,
            "contents": items,
        }


@router.get(
    "/hsds/taxonomy_terms",
    response=Page,
    auth=PUBLIC,
    summary="HSDS taxonomy terms",
    description="Public. The catalogue's terms in use.",
)
def hsds_taxonomy_terms(request: HttpRequest, query: Query[TermQuery]) -> dict[str, Any]:
    with _language(query.lang):
        terms = CatalogueTerm.objects.filter(active=True).order_by("taxonomy", "sort_order", "code")
        if query.taxonomy_id:
            wanted = {taxonomy_id(code): code for code in CatalogueTerm.Taxonomy.values}.get(
                query.taxonomy_id
            )
            terms = terms.filter(taxonomy=wanted) if wanted else terms.none()
        if query.top_only:
            terms = terms.filter(parent__isnull=True)
        if query.parent_id:
            terms = terms.filter(parent__public_id=_uuid(query.parent_id, "parent_id"))
        parents = {term.pk: term for term in CatalogueTerm.objects.filter(children__isnull=False)}
        return page_of(terms, query.page, query.per_page, lambda items: [term_out(t, parents) for t in items])
