"""JSON API of projects: projects, indicators, service deliveries, events, attendance."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core.api import BearerToken, BoundedPagination, PublicAccess, SignedInSession
from qoldau.core.errors import ErrorCode, NotFound, ValidationFailed
from qoldau.projects import selectors, services
from qoldau.projects.errors import ProjectErrorCode
from qoldau.projects.impact import (
    DIMENSIONS,
    PUBLIC_PERIOD_ONLY,
    ImpactFilter,
    ImpactReport,
    impact_report,
    period_dates,
    shown_figures,
)
from qoldau.projects.models import Event, FundingSource, Indicator, Project, ServiceDelivery, ServiceType

router = Router(tags=["projects"])


class ServiceTypeOut(Schema):
    id: int
    code: str
    name: str
    unit: str

    @staticmethod
    def resolve_name(obj: ServiceType) -> str:
        return obj.name

    @staticmethod
    def resolve_unit(obj: ServiceType) -> str:
        return obj.unit


class ProjectOut(Schema):
    id: int
    organisation_id: int
    title: str
    title_kk: str
    title_ru: str
    title_en: str
    description_kk: str
    description_ru: str
    description_en: str
    region_ids: list[int]
    starts_on: dt.date
    ends_on: dt.date
    funding_source: str
    funder: str
    budget: Decimal
    volunteers: int
    experts: int
    version: int

    @staticmethod
    def resolve_title(obj: Project) -> str:
        return obj.title

    @staticmethod
    def resolve_region_ids(obj: Project) -> list[int]:
        return sorted(r.pk for r in obj.regions.all())


class ProjectIn(Schema):
    organisation_id: bounds.Id
    title_kk: bounds.Title
    title_ru: bounds.Title = ""
    title_en: bounds.Title = ""
    description_kk: bounds.Description = ""
    description_ru: bounds.Description = ""
    description_en: bounds.Description = ""
    region_ids: bounds.Ids
    district_ids: bounds.Ids = []
    starts_on: bounds.RecordDate
    ends_on: bounds.RecordDate
    funding_source: bounds.Code
    funder: bounds.Name = ""
    budget: bounds.Money = Decimal(0)
    target_category_ids: bounds.Ids = []
    volunteers: bounds.Headcount = 0
    experts: bounds.Headcount = 0


class ProjectUpdate(ProjectIn):
    version: bounds.Version = Field(description="The version you read; a stale one is refused (409).")


class IndicatorIn(Schema):
    name_kk: bounds.Name
    name_ru: bounds.Name = ""
    name_en: bounds.Name = ""
    unit: bounds.Unit = ""


class IndicatorPeriodIn(Schema):
    starts_on: bounds.RecordDate
    ends_on: bounds.RecordDate
    target: bounds.IndicatorValue
    actual: bounds.IndicatorValue | None = None


class IndicatorPeriodOut(Schema):
    starts_on: dt.date
    ends_on: dt.date
    target: Decimal
    actual: Decimal | None


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    periods: list[IndicatorPeriodOut]

    @staticmethod
    def resolve_name(obj: Indicator) -> str:
        return obj.name

    @staticmethod
    def resolve_periods(obj: Indicator) -> list[object]:
        return list(obj.periods.all())


class DeliveryIn(Schema):
    person_id: bounds.Id
    service: bounds.Code = Field(description="Service code from /services.")
    delivered_on: bounds.RecordDate
    quantity: bounds.Quantity = Decimal(1)
    note: bounds.Note = ""


class DeliveryOut(Schema):
    id: int
    project_id: int
    person_id: int | None = Field(
        description="The person served; null when they have since withdrawn their consent."
    )
    service: str
    delivered_on: dt.date
    quantity: Decimal
    note: str

    @staticmethod
    def resolve_person_id(obj: ServiceDelivery) -> int | None:
        # A list's deliveries carry who may be named; a delivery just recorded names its person.
        if not hasattr(obj, "shown_person"):
            return obj.person_id
        return obj.person_id if obj.shown_person is not None else None

    @staticmethod
    def resolve_service(obj: ServiceDelivery) -> str:
        return obj.service.code


class EventIn(Schema):
    kind: bounds.Code
    title_kk: bounds.Title
    title_ru: bounds.Title = ""
    title_en: bounds.Title = ""
    held_on: bounds.RecordDate
    place_id: bounds.Id | None = None
    venue: bounds.Address = ""
    anonymous_participants: bounds.Headcount = 0
    volunteers: bounds.Headcount = 0
    experts: bounds.Headcount = 0
    employers: bounds.Headcount = 0
    attendee_ids: bounds.PersonIds = []


class EventOut(Schema):
    id: int
    project_id: int
    kind: str
    title: str
    held_on: dt.date
    place_id: int | None
    venue: str
    anonymous_participants: int
    volunteers: int
    experts: int
    employers: int
    attendees: int

    @staticmethod
    def resolve_title(obj: Event) -> str:
        return obj.title

    @staticmethod
    def resolve_attendees(obj: Event) -> int:
        count = getattr(obj, "attendee_count", None)
        return int(count) if count is not None else obj.attendance.count()


class AttendanceIn(Schema):
    person_ids: bounds.PersonIds


class AttendanceOut(Schema):
    added: int


class FiguresOut(Schema):
    people_reached: int
    participations: int
    deliveries: int
    attendances: int
    anonymous_participants: int
    events: int


def _project_input(payload: ProjectIn) -> services.ProjectInput:
    data = payload.dict(exclude={"organisation_id", "version"})
    return services.ProjectInput(**data)


@router.get("/services", response=list[ServiceTypeOut], auth=None, summary="Service catalogue")
def list_services(request: HttpRequest) -> list[ServiceType]:
    return list(selectors.service_types())


@router.get("/projects", response=list[ProjectOut])
@paginate(BoundedPagination)
def list_projects(request: HttpRequest) -> object:
    return selectors.projects_visible(request.user)


@router.get("/projects/{project_id}", response=ProjectOut)
def get_project(request: HttpRequest, project_id: bounds.Id) -> Project:
    return selectors.project_get_for_user(request.user, project_id)


@router.get("/projects/{project_id}/figures", response=FiguresOut)
def get_project_figures(request: HttpRequest, project_id: bounds.Id) -> object:
    return selectors.project_figures(selectors.project_get_for_user(request.user, project_id))


@router.post("/projects", response={201: ProjectOut})
def create_project(request: HttpRequest, payload: ProjectIn) -> Status[Any]:
    organisation = core_selectors.organisation_get_for_user(request.user, payload.organisation_id)
    project = services.project_create(
        actor=request.user, organisation=organisation, data=_project_input(payload)
    )
    return Status(201, project)


@router.put("/projects/{project_id}", response=ProjectOut)
def update_project(request: HttpRequest, project_id: bounds.Id, payload: ProjectUpdate) -> Project:
    project = selectors.project_get_for_user(request.user, project_id)
    return services.project_update(
        actor=request.user,
        project=project,
        expected_version=payload.version,
        data=_project_input(payload),
    )


@router.get("/projects/{project_id}/indicators", response=list[IndicatorOut])
def list_indicators(request: HttpRequest, project_id: bounds.Id) -> list[Indicator]:
    project = selectors.project_get_for_user(request.user, project_id)
    return list(project.indicators.prefetch_related("periods"))


@router.post("/projects/{project_id}/indicators", response={201: IndicatorOut})
def add_indicator(request: HttpRequest, project_id: bounds.Id, payload: IndicatorIn) -> Status[Any]:
    project = selectors.project_get_for_user(request.user, project_id)
    return Status(201, services.indicator_add(actor=request.user, project=project, **payload.dict()))


@router.put("/projects/{project_id}/indicators/{indicator_id}/periods", response=IndicatorPeriodOut)
def set_indicator_period(
    request: HttpRequest, project_id: bounds.Id, indicator_id: bounds.Id, payload: IndicatorPeriodIn
) -> object:
    project = selectors.project_get_for_user(request.user, project_id)
    indicator = project.indicators.filter(pk=indicator_id).first()
    if indicator is None:
        raise NotFound(_("There is no such indicator in this project."))
    return services.indicator_period_set(actor=request.user, indicator=indicator, **payload.dict())


@router.get("/projects/{project_id}/deliveries", response=list[DeliveryOut])
def list_deliveries(request: HttpRequest, project_id: bounds.Id) -> list[ServiceDelivery]:
    project = selectors.project_get_for_user(request.user, project_id)
    return selectors.project_deliveries(request.user, project, limit=500)


@router.post("/projects/{project_id}/deliveries", response={201: DeliveryOut})
def record_delivery(request: HttpRequest, project_id: bounds.Id, payload: DeliveryIn) -> Status[Any]:
    project = selectors.project_get_for_user(request.user, project_id)
    service = selectors.service_types().filter(code=payload.service).first()
    if service is None:
        raise NotFound(_("There is no such service in the catalogue."), field="service")
    delivery = services.delivery_record(
        actor=request.user,
        project=project,
        person_id=payload.person_id,
        service=service,
        delivered_on=payload.delivered_on,
        quantity=payload.quantity,
        note=payload.note,
    )
    return Status(201, delivery)


@router.get("/projects/{project_id}/events", response=list[EventOut])
def list_events(request: HttpRequest, project_id: bounds.Id) -> list[Event]:
    project = selectors.project_get_for_user(request.user, project_id)
    return list(selectors.project_events(project))


@router.post("/projects/{project_id}/events", response={201: EventOut})
def record_event(request: HttpRequest, project_id: bounds.Id, payload: EventIn) -> Status[Any]:
    project = selectors.project_get_for_user(request.user, project_id)
    event = services.event_record(
        actor=request.user, project=project, data=services.EventInput(**payload.dict())
    )
    return Status(201, event)


@router.post("/events/{event_id}/attendance", response=AttendanceOut)
def add_attendance(request: HttpRequest, event_id: bounds.Id, payload: AttendanceIn) -> AttendanceOut:
    event = selectors.event_get_for_user(request.user, event_id)
    added = services.attendance_add(actor=request.user, event=event, person_ids=payload.person_ids)
    return AttendanceOut(added=added)


# --- impact report ---------------------------------------------------------------------


class ImpactProjectOut(Schema):
    id: int
    title: str
    organisation: str
    people_reached: int | None
    participations: int | None


class ImpactRowOut(Schema):
    keys: list[Any]
    labels: list[str]
    people_reached: int | None
    participations: int | None


class ImpactOut(Schema):
    date_from: dt.date
    date_to: dt.date
    people_reached: int | None
    participations: int | None
    deliveries: int | None
    attendances: int | None
    anonymous_participants: int | None
    events: int
    volunteers: int | None
    experts: int | None
    projects: list[ImpactProjectOut]
    breakdown_by: list[str]
    breakdown: list[ImpactRowOut]
    suppressed_below: int | None = Field(
        None,
        description="Set for the public (no sign-in): figures under it are null, shown as 'fewer than N'.",
    )


def impact_filter_from_query(
    *,
    public: bool,
    year: int | None,
    quarter: int | None,
    month: int | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    region: str | None,
    district: int | None,
    organisation: str | None,
    project: int | None,
    category: str | None,
    funding_source: str | None,
) -> ImpactFilter:
    """An impact filter from the query's own terms: a year, quarter or month (or, signed
    in, any range), a region by KATO, a district and a project by id, an organisation by
    id or BIN, a category by code. Unknown values are refused, never ignored."""
    if date_from is not None or date_to is not None:
        if public:
            raise ValidationFailed(
                PUBLIC_PERIOD_ONLY, field="date_from", code=ProjectErrorCode.PUBLIC_PERIOD_ONLY
            )
        if year is not None or quarter is not None or month is not None:
            raise ValidationFailed(
                _("Give a year (with a quarter or a month), or date_from and date_to, not both."),
                field="date_from",
            )
        if date_from is None or date_to is None:
            raise ValidationFailed(_("Give both ends of the period, or a year."), field="date_from")
    else:
        year = timezone.localdate().year if year is None else year
        date_from, date_to = period_dates(year, quarter=quarter, month=month)
    kwargs: dict[str, Any] = {}
    if region:
        place = core_selectors.region_by_kato(region)
        kwargs["region_ids"] = (place.pk,)
    if district is not None:
        kwargs["district_ids"] = (core_selectors.district_by_id(district).pk,)
    if organisation:
        kwargs["organisation_ids"] = (core_selectors.organisation_by_id_or_bin(organisation).pk,)
    if project is not None:
        kwargs["project_ids"] = (selectors.project_by_id(project).pk,)
    if category:
        kwargs["category_id"] = core_selectors.category_by_code(category).pk
    if funding_source:
        if funding_source not in FundingSource.values:
            raise ValidationFailed(
                _("Unknown funding source."), field="funding_source", code=ErrorCode.INVALID_CHOICE
            )
        kwargs["funding_source"] = funding_source
    return ImpactFilter(date_from=date_from, date_to=date_to, **kwargs)


class ImpactQuery(Schema):
    year: bounds.Year | None = Field(None, description="2000 to 2100; this year when no period is given")
    quarter: bounds.Quarter | None = Field(None, description="1 to 4: that quarter of the year")
    month: bounds.Month | None = Field(None, description="1 to 12: that month of the year")
    date_from: bounds.RecordDate | None = Field(
        None, description="Signed in only, with date_to: any period (the public gives year, quarter, month)"
    )
    date_to: bounds.RecordDate | None = None
    region: bounds.Code | None = Field(None, description="KATO code of a region, e.g. 750000000 for Almaty")
    district: bounds.Id | None = Field(None, description="Id of a district (/places/districts)")
    organisation: bounds.Code | None = Field(None, description="Organisation id or BIN")
    project: bounds.Id | None = None
    category: bounds.Code | None = Field(None, description="Vulnerability category code")
    funding_source: bounds.Code | None = None
    by: bounds.Codes = Field([], description="One or two of: " + ", ".join(DIMENSIONS))


@router.get(
    "/reports/impact",
    response=ImpactOut,
    auth=[BearerToken(), SignedInSession(), PublicAccess()],
    summary="Impact report: people reached, participations, events, volunteers and experts",
)
def impact(request: HttpRequest, query: Query[ImpactQuery]) -> dict[str, Any]:
    """Signed in (session or token): exact figures of any period within your scope.
    Without sign-in: the public figures of the whole country for a year, quarter or month
    (a range is refused with `public_period_only`), rounded to the threshold, each under
    it null (see qoldau.projects.impact)."""
    user = request.user if request.user.is_authenticated else None
    report_filter = impact_filter_from_query(public=user is None, **query.model_dump(exclude={"by"}))
    report = impact_report(user, report_filter, query.by)
    return impact_payload(report, public=user is None)


def impact_payload(report: ImpactReport, *, public: bool) -> dict[str, Any]:
    shown = shown_figures(report, public=public, threshold=settings.QOLDAU_SUPPRESSION_THRESHOLD)
    return {
        "date_from": report.filter.date_from,
        "date_to": report.filter.date_to,
        "people_reached": shown.people_reached,
        "participations": shown.participations,
        "deliveries": shown.deliveries,
        "attendances": shown.attendances,
        "anonymous_participants": shown.anonymous_participants,
        "events": shown.events,
        "volunteers": shown.volunteers,
        "experts": shown.experts,
        "projects": [
            {
                "id": p.project_id,
                "title": p.title,
                "organisation": p.organisation,
                "people_reached": shown.projects[i][0],
                "participations": shown.projects[i][1],
            }
            for i, p in enumerate(report.projects)
        ],
        "breakdown_by": list(report.breakdown_by),
        "breakdown": [
            {
                "keys": list(r.keys),
                "labels": list(r.labels),
                "people_reached": shown.breakdown[i][0],
                "participations": shown.breakdown[i][1],
            }
            for i, r in enumerate(report.breakdown)
        ],
        "suppressed_below": shown.suppressed_below,
    }
