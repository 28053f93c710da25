"""JSON API of core: places, categories, organisations, people, consent, audit log."""

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from ninja.security import APIKeyCookie, HttpBearer

from qoldau.core import bounds, policy, selectors, services
from qoldau.core.errors import ErrorCode, ValidationFailed
from qoldau.core.models import Organisation, Person, PersonCategory, Place, VulnerabilityCategory

router = Router(tags=["core"])


def patched_fields(payload: Schema, *, nullable: Collection[str] = ()) -> dict[str, Any]:
    """The fields a PATCH gives. null clears a field that may be empty (a link, a number:
    `nullable`) and leaves any other as it is: a text is cleared with "", a list with [],
    and a required field cannot be cleared at all."""
    return {
        name: value
        for name, value in payload.dict(exclude_unset=True).items()
        if value is not None or name in nullable
    }


class BoundedPagination(LimitOffsetPagination):
    """Ninja's limit and offset, bounded: without a bound, a limit or offset beyond 64 bits
    reaches the database and fails there."""

    class Input(Schema):
        limit: bounds.PageLimit = 100
        offset: bounds.PageOffset = 0


class PlaceOut(Schema):
    id: int
    kato: str | None
    level: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    parent_id: int | None

    @staticmethod
    def resolve_name(obj: Place) -> str:
        return obj.name


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    is_disability: bool

    @staticmethod
    def resolve_name(obj: VulnerabilityCategory) -> str:
        return obj.name


class MeOut(Schema):
    username: str
    roles: list[str]
    organisation_ids: list[int]
    region_ids: list[int]


@router.get("/me", response=MeOut, summary="The signed-in user and their scope")
def me(request: HttpRequest) -> MeOut:
    summary = policy.scope_summary(request.user)
    return MeOut(
        username=request.user.get_username(),
        roles=summary.roles,
        organisation_ids=summary.organisation_ids,
        region_ids=summary.region_ids,
    )


@router.get("/places/regions", response=list[PlaceOut], auth=None, summary="The 20 regions (KATO)")
def list_regions(request: HttpRequest) -> list[Place]:
    return list(selectors.regions())


@router.get("/places/districts", response=list[PlaceOut], auth=None)
def list_districts(request: HttpRequest, region: bounds.Id | None = None) -> list[Place]:
    return list(selectors.districts(region))


@router.get("/categories", response=list[CategoryOut], auth=None, summary="Vulnerability categories")
def list_categories(request: HttpRequest) -> list[VulnerabilityCategory]:
    return list(selectors.categories())


# Organisations ------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    bin: str | None
    kind: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    region_id: int
    district_id: int | None
    address: str
    phone: str
    email: str
    website: str
    in_state_ngo_database: bool
    version: int

    @staticmethod
    def resolve_name(obj: Organisation) -> str:
        return obj.name


class OrganisationIn(Schema):
    bin: bounds.IdNumber | None = None
    kind: bounds.Code
    name_kk: bounds.Name
    name_ru: bounds.Name = ""
    name_en: bounds.Name = ""
    region_id: bounds.Id
    district_id: bounds.Id | None = None
    address: bounds.Address = ""
    phone: bounds.Phone = ""
    email: bounds.Email = ""
    website: bounds.Website = ""
    in_state_ngo_database: bool = False


class OrganisationPatch(Schema):
    version: bounds.Version = Field(description="The version you read; a stale one is refused (409).")
    kind: bounds.Code | None = None
    name_kk: bounds.Name | None = None
    name_ru: bounds.Name | None = None
    name_en: bounds.Name | None = None
    region_id: bounds.Id | None = None
    district_id: bounds.Id | None = None
    address: bounds.Address | None = None
    phone: bounds.Phone | None = None
    email: bounds.Email | None = None
    website: bounds.Website | None = None
    in_state_ngo_database: bool | None = None


@router.get("/organisations", response=list[OrganisationOut])
@paginate(BoundedPagination)
def list_organisations(request: HttpRequest) -> object:
    return selectors.organisations_visible(request.user)


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, organisation_id: bounds.Id) -> Organisation:
    return selectors.organisation_get_for_user(request.user, organisation_id)


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Any]:
    policy.check_may_register_organisations(request.user)
    data = payload.dict()
    return Status(201, services.organisation_create(actor=request.user, **data))


@router.patch("/organisations/{organisation_id}", response=OrganisationOut)
def update_organisation(
    request: HttpRequest, organisation_id: bounds.Id, payload: OrganisationPatch
) -> Organisation:
    organisation = selectors.organisation_get_for_user(request.user, organisation_id)
    data = patched_fields(payload)
    version = data.pop("version")
    return services.organisation_update(
        actor=request.user, organisation=organisation, expected_version=version, **data
    )


# People -------------------------------------------------------------------------------


class PersonCategoryOut(Schema):
    id: int
    category: str
    name: str
    since: dt.date
    until: dt.date | None
    details: str

    @staticmethod
    def resolve_category(obj: PersonCategory) -> str:
        return obj.category.code

    @staticmethod
    def resolve_name(obj: PersonCategory) -> str:
        return obj.category.name

    @staticmethod
    def resolve_details(obj: PersonCategory) -> str:
        return obj.details or ""


class ConsentOut(Schema):
    organisation_id: int
    given_on: dt.date
    withdrawn_on: dt.date | None


class PersonOut(Schema):
    id: int
    organisation_id: int = Field(description="The organisation whose record of the person this is.")
    iin: str | None
    no_iin_reason: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: dt.date | None
    sex: str
    phone: str
    region_id: int | None
    district_id: int | None
    version: int


class PersonDetailOut(PersonOut):
    categories: list[PersonCategoryOut]
    consents: list[ConsentOut]

    @staticmethod
    def resolve_categories(obj: Person) -> list[PersonCategory]:
        return list(obj.categories.all())

    @staticmethod
    def resolve_consents(obj: Person) -> list[dict[str, object]]:
        return [
            {
                "organisation_id": c.organisation_id,
                "given_on": c.given_on,
                "withdrawn_on": c.withdrawn_on,
            }
            for c in obj.consents.all()
        ]


class PersonFields(Schema):
    """What an organisation records about a person, as typed on registering and editing."""

    iin: bounds.IdNumber | None = None
    no_iin_reason: bounds.Code = ""
    no_iin_note: bounds.Note = ""
    last_name: bounds.PersonName
    first_name: bounds.PersonName
    patronymic: bounds.PersonName = ""
    birth_date: bounds.BirthDate | None = None
    sex: bounds.Code = ""
    phone: bounds.Phone = ""
    region_id: bounds.Id | None = None
    district_id: bounds.Id | None = None


class PersonIn(PersonFields):
    organisation_id: bounds.Id = Field(description="The organisation that serves the person.")
    consent_given_on: bounds.RecordDate


class PersonUpdate(PersonFields):
    version: bounds.Version


class PersonCreated(Schema):
    created: bool
    person: PersonOut


class PeoplePageOut(Schema):
    items: list[PersonOut]
    count: int
    page: int
    pages: int


class CategoryIn(Schema):
    category: bounds.Code = Field(description="Category code, e.g. disability_group_2.")
    since: bounds.Day
    until: bounds.Day | None = None
    details: bounds.CategoryDetails = ""


class WithdrawIn(Schema):
    organisation_id: bounds.Id
    withdrawn_on: bounds.RecordDate


def _person_input(payload: PersonIn | PersonUpdate) -> services.PersonInput:
    # The schemas use the dataclass's own field names; the rest is routing and versions.
    return services.PersonInput(**payload.dict(exclude={"organisation_id", "consent_given_on", "version"}))


@router.get("/people", response=PeoplePageOut, summary="Search people within your scope")
def search_people(
    request: HttpRequest, q: bounds.SearchText = "", page: bounds.PageNumber = 1
) -> PeoplePageOut:
    result = selectors.people_search(request.user, query=q, page=page)
    return PeoplePageOut(
        items=[PersonOut.from_orm(p) for p in result.people],
        count=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.get("/people/{person_id}", response=PersonDetailOut)
def get_person(request: HttpRequest, person_id: bounds.Id) -> Person:
    return selectors.person_get_for_user(request.user, person_id)


@router.post("/people", response={201: PersonCreated, 200: PersonCreated})
def register_person(request: HttpRequest, payload: PersonIn) -> Status[Any]:
    organisation = selectors.organisation_get_for_user(request.user, payload.organisation_id)
    registration = services.person_register(
        actor=request.user,
        organisation=organisation,
        data=_person_input(payload),
        consent_given_on=payload.consent_given_on,
    )
    body = PersonCreated(created=registration.created, person=PersonOut.from_orm(registration.person))
    return Status(201 if registration.created else 200, body)


@router.put("/people/{person_id}", response=PersonOut)
def update_person(request: HttpRequest, person_id: bounds.Id, payload: PersonUpdate) -> Person:
    person = selectors.person_get_for_user(request.user, person_id)
    return services.person_update(
        actor=request.user,
        person=person,
        expected_version=payload.version,
        data=_person_input(payload),
    )


@router.post("/people/{person_id}/categories", response={201: PersonCategoryOut})
def add_person_category(request: HttpRequest, person_id: bounds.Id, payload: CategoryIn) -> Status[Any]:
    person = selectors.person_get_for_user(request.user, person_id)
    category = selectors.categories().filter(code=payload.category).first()
    if category is None:
        raise ValidationFailed(_("Unknown category."), field="category", code=ErrorCode.INVALID_CHOICE)
    membership = services.person_category_add(
        actor=request.user,
        person=person,
        category=category,
        since=payload.since,
        until=payload.until,
        details=payload.details,
    )
    return Status(201, membership)


class CategoryEndIn(Schema):
    until: bounds.Day


@router.post("/people/{person_id}/categories/{membership_id}/end", response=PersonCategoryOut)
def end_person_category(
    request: HttpRequest, person_id: bounds.Id, membership_id: bounds.Id, payload: CategoryEndIn
) -> PersonCategory:
    person = selectors.person_get_for_user(request.user, person_id)
    membership = selectors.person_category_get(person, membership_id)
    return services.person_category_end(actor=request.user, membership=membership, until=payload.until)


@router.post("/people/{person_id}/consent/withdraw", response=ConsentOut)
def withdraw_consent(request: HttpRequest, person_id: bounds.Id, payload: WithdrawIn) -> object:
    person = selectors.person_get_for_user(request.user, person_id)
    organisation = selectors.organisation_get_for_user(request.user, payload.organisation_id)
    return services.consent_withdraw(
        actor=request.user,
        person=person,
        organisation=organisation,
        withdrawn_on=payload.withdrawn_on,
    )


# Audit log ----------------------------------------------------------------------------


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    person_id: int | None
    organisation_id: int | None
    channel: str
    ip_address: str | None
    details: dict[str, object]


class AuditQuery(Schema):
    username: bounds.Username = ""
    action: bounds.Code = ""
    person_iin: bounds.IdNumber = ""
    date_from: bounds.Day | None = None
    date_to: bounds.Day | None = None


@router.get("/audit", response=list[AuditOut], summary="Search the audit log (administrators)")
@paginate(BoundedPagination)
def search_audit(request: HttpRequest, filters: Query[AuditQuery]) -> object:
    return selectors.audit_entries(request.user, selectors.AuditFilter(**filters.dict()))


# --- authentication (used by every router) ---------------------------------------------


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `qoldau token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.api_token_user(token)
        if user is None:
            return None
        request.user = user
        return user


class SignedInSession(APIKeyCookie):
    """The pages' own session; unsafe methods need the CSRF token as on the pages."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class PublicAccess:
    """Lets an operation answer without sign-in (the public figures); signed-in callers
    are still recognised by the methods before it."""

    def __call__(self, request: HttpRequest) -> Any:
        return True
