"""Every write to projects, indicators, events and service deliveries; each in one
transaction with its audit row, refusing bad input without changing anything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.audit import audit_record
from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import Conflict, CoreErrorCode, ErrorCode, NotFound, ValidationFailed
from qoldau.core.identifiers import parse_iin
from qoldau.core.models import Consent, Organisation, Person, Place, VulnerabilityCategory
from qoldau.core.services import Actor, acting_user, require_text, save_versioned
from qoldau.core.transactions import check_in_transaction
from qoldau.projects import policy
from qoldau.projects.errors import ProjectErrorCode
from qoldau.projects.models import (
    Attendance,
    Event,
    FundingSource,
    Indicator,
    IndicatorPeriod,
    Project,
    ReachCell,
    ReachStale,
    ServiceDelivery,
    ServiceType,
)


@dataclass
class ProjectInput:
    title_kk: str
    starts_on: dt.date
    ends_on: dt.date
    funding_source: str
    region_ids: Sequence[int]
    title_ru: str = ""
    title_en: str = ""
    description_kk: str = ""
    description_ru: str = ""
    description_en: str = ""
    district_ids: Sequence[int] = field(default_factory=list)
    funder: str = ""
    budget: Decimal | int | str = 0
    target_category_ids: Sequence[int] = field(default_factory=list)
    volunteers: int = 0
    experts: int = 0


def _project_fields(
    data: ProjectInput,
) -> tuple[dict[str, Any], list[Place], list[Place], list[VulnerabilityCategory]]:
    title = require_text(data.title_kk, "title_kk", str(_("Title in Kazakh")))
    if data.ends_on < data.starts_on:
        raise ValidationFailed(_("The project ends before it starts."), field="ends_on")
    if data.funding_source not in FundingSource.values:
        raise ValidationFailed(
            _("Unknown funding source."), field="funding_source", code=ErrorCode.INVALID_CHOICE
        )
    try:
        budget = Decimal(str(data.budget or 0))
    except InvalidOperation:
        raise ValidationFailed(_("The budget must be a number of tenge."), field="budget") from None
    if budget < 0:
        raise ValidationFailed(_("The budget cannot be negative."), field="budget")
    if data.volunteers < 0 or data.experts < 0:
        raise ValidationFailed(_("Counts cannot be negative."), field="volunteers")
    region_ids = set(data.region_ids)
    if not region_ids:
        raise ValidationFailed(_("Choose at least one region."), field="regions", code=ErrorCode.REQUIRED)
    regions = list(Place.objects.filter(pk__in=region_ids, level=Place.Level.REGION))
    if len(regions) != len(region_ids):
        raise ValidationFailed(
            _("There is no such region in the classifier."), field="regions", code=CoreErrorCode.UNKNOWN_PLACE
        )
    districts = list(Place.objects.filter(pk__in=set(data.district_ids), level=Place.Level.DISTRICT))
    if len(districts) != len(set(data.district_ids)) or any(d.parent_id not in region_ids for d in districts):
        raise ValidationFailed(
            _("Every district must lie in one of the project's regions."),
            field="districts",
            code=CoreErrorCode.UNKNOWN_PLACE,
        )
    categories = list(VulnerabilityCategory.objects.filter(pk__in=set(data.target_category_ids)))
    if len(categories) != len(set(data.target_category_ids)):
        raise ValidationFailed(
            _("Unknown category."), field="target_categories", code=ErrorCode.INVALID_CHOICE
        )
    fields = {
        "title_kk": title,
        "title_ru": data.title_ru.strip(),
        "title_en": data.title_en.strip(),
        "description_kk": data.description_kk.strip(),
        "description_ru": data.description_ru.strip(),
        "description_en": data.description_en.strip(),
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "funding_source": data.funding_source,
        "funder": data.funder.strip(),
        "budget": budget,
        "volunteers": data.volunteers,
        "experts": data.experts,
    }
    return fields, regions, districts, categories


def project_create(*, actor: Actor, organisation: Organisation, data: ProjectInput) -> Project:
    """Create a project of an organisation; its administrators (or a system administrator)
    may."""
    with transaction.atomic(durable=True):
        return project_create_in_transaction(actor=actor, organisation=organisation, data=data)


def project_create_in_transaction(*, actor: Actor, organisation: Organisation, data: ProjectInput) -> Project:
    """`project_create` inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_create_project(actor, organisation)
    fields, regions, districts, categories = _project_fields(data)
    project = Project.objects.create(organisation=organisation, **fields)
    project.regions.set(regions)
    project.districts.set(districts)
    project.target_categories.set(categories)
    audit_record(
        actor,
        "project.create",
        object_type="project",
        object_id=project.pk,
        organisation_id=organisation.pk,
    )
    return project


def project_update(*, actor: Actor, project: Project, expected_version: int, data: ProjectInput) -> Project:
    """Change a project; refused when someone saved it since `expected_version`, or when
    the new period would leave recorded deliveries or events outside it."""
    policy.check_may_administer_project(actor, project)
    fields, regions, districts, categories = _project_fields(data)
    with transaction.atomic(durable=True):
        outside = (
            ServiceDelivery.objects.filter(project=project)
            .exclude(delivered_on__range=(fields["starts_on"], fields["ends_on"]))
            .exists()
            or Event.objects.filter(project=project)
            .exclude(held_on__range=(fields["starts_on"], fields["ends_on"]))
            .exists()
        )
        if outside:
            raise ValidationFailed(
                _("Deliveries or events already recorded fall outside the new period."),
                field="starts_on",
                code=ProjectErrorCode.PERIOD_EXCLUDES_RECORDS,
            )
        save_versioned(project, expected_version, fields)
        project.regions.set(regions)
        project.districts.set(districts)
        project.target_categories.set(categories)
        audit_record(
            actor,
            "project.update",
            object_type="project",
            object_id=project.pk,
            organisation_id=project.organisation_id,
        )
    return project


def indicator_add(
    *,
    actor: Actor,
    project: Project,
    name_kk: str,
    name_ru: str = "",
    name_en: str = "",
    unit: str = "",
) -> Indicator:
    """Add an indicator to a project; its administrators (or a system administrator) may."""
    with transaction.atomic(durable=True):
        return indicator_add_in_transaction(
            actor=actor, project=project, name_kk=name_kk, name_ru=name_ru, name_en=name_en, unit=unit
        )


def indicator_add_in_transaction(
    *,
    actor: Actor,
    project: Project,
    name_kk: str,
    name_ru: str = "",
    name_en: str = "",
    unit: str = "",
) -> Indicator:
    """`indicator_add` inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_administer_project(actor, project)
    name = require_text(name_kk, "name_kk", str(_("Name in Kazakh")))
    indicator = Indicator.objects.create(
        project=project,
        name_kk=name,
        name_ru=name_ru.strip(),
        name_en=name_en.strip(),
        unit=unit.strip(),
    )
    audit_record(actor, "indicator.create", object_type="project", object_id=project.pk)
    return indicator


def indicator_period_set(
    *,
    actor: Actor,
    indicator: Indicator,
    starts_on: dt.date,
    ends_on: dt.date,
    target: Decimal | int,
    actual: Decimal | int | None = None,
) -> IndicatorPeriod:
    """Set an indicator's target (and actual, when known) for a period inside the project."""
    with transaction.atomic(durable=True):
        return indicator_period_set_in_transaction(
            actor=actor,
            indicator=indicator,
            starts_on=starts_on,
            ends_on=ends_on,
            target=target,
            actual=actual,
        )


def indicator_period_set_in_transaction(
    *,
    actor: Actor,
    indicator: Indicator,
    starts_on: dt.date,
    ends_on: dt.date,
    target: Decimal | int,
    actual: Decimal | int | None = None,
) -> IndicatorPeriod:
    """`indicator_period_set` inside the caller's transaction."""
    check_in_transaction()
    project = indicator.project
    core_policy.check_may_work_for_organisation(actor, project.organisation)
    if ends_on < starts_on:
        raise ValidationFailed(_("The period ends before it starts."), field="ends_on")
    if starts_on < project.starts_on or ends_on > project.ends_on:
        raise ValidationFailed(_("The period lies outside the project's dates."), field="starts_on")
    if Decimal(target) < 0 or (actual is not None and Decimal(actual) < 0):
        raise ValidationFailed(_("Targets and actual values cannot be negative."), field="target")
    period, _created = IndicatorPeriod.objects.update_or_create(
        indicator=indicator,
        starts_on=starts_on,
        defaults={"ends_on": ends_on, "target": target, "actual": actual},
    )
    audit_record(actor, "indicator.period_set", object_type="project", object_id=project.pk)
    return period


def _check_in_period(project: Project, day: dt.date, field_name: str) -> None:
    if not project.starts_on <= day <= project.ends_on:
        raise ValidationFailed(
            _("The date %(date)s is outside the project's period (%(start)s – %(end)s)."),
            field=field_name,
            code=ProjectErrorCode.OUTSIDE_PROJECT_PERIOD,
            params={
                "date": day.isoformat(),
                "start": project.starts_on.isoformat(),
                "end": project.ends_on.isoformat(),
            },
        )


def _check_served(project: Project, person_ids: Sequence[int], field_name: str) -> list[Person]:
    """The persons, each of whom must have active consent with the project's organisation."""
    wanted = set(person_ids)
    served = set(
        Consent.objects.filter(
            organisation_id=project.organisation_id, person_id__in=wanted, withdrawn_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    if wanted - served:
        raise NotFound(
            _("The person is not among the people your organisation serves (no active consent)."),
            field=field_name,
        )
    return list(Person.objects.filter(pk__in=wanted))


def _delivery_write(
    *,
    actor: Actor,
    project: Project,
    person: Person,
    service: ServiceType,
    delivered_on: dt.date,
    quantity: Decimal,
    note: str,
    action: str,
    duplicate_field: str,
) -> ServiceDelivery:
    """Write one checked delivery where the person counts, with its audit row, and mark the
    reach cells stale; the same service to the same person on the same day is refused.
    Runs inside the caller's transaction."""
    region_id, district_id = participation_place(project, person)
    try:
        with transaction.atomic():
            delivery = ServiceDelivery.objects.create(
                project=project,
                person=person,
                identity_id=person.identity_id,
                service=service,
                delivered_on=delivered_on,
                region_id=region_id,
                district_id=district_id,
                quantity=quantity,
                note=note,
                recorded_by=acting_user(actor),
            )
    except IntegrityError:
        raise Conflict(
            _("This service to this person on this date is already recorded."),
            field=duplicate_field,
            code=ErrorCode.DUPLICATE,
        ) from None
    audit_record(
        actor,
        action,
        object_type="delivery",
        object_id=delivery.pk,
        person_id=person.pk,
        organisation_id=project.organisation_id,
        details={"project": project.pk, "service": service.code},
    )
    reach_mark_stale({(delivered_on.year, region_id)})
    return delivery


def delivery_record(
    *,
    actor: Actor,
    project: Project,
    person_id: int,
    service: ServiceType,
    delivered_on: dt.date,
    quantity: Decimal | int | str = 1,
    note: str = "",
) -> ServiceDelivery:
    """Record that one person received one service from the project on one date.

    The date must lie in the project's period, the quantity must be positive, the person
    must be served by the project's organisation, and the same service to the same person
    on the same day is a duplicate.
    """
    with transaction.atomic(durable=True):
        return delivery_record_in_transaction(
            actor=actor,
            project=project,
            person_id=person_id,
            service=service,
            delivered_on=delivered_on,
            quantity=quantity,
            note=note,
        )


def delivery_record_in_transaction(
    *,
    actor: Actor,
    project: Project,
    person_id: int,
    service: ServiceType,
    delivered_on: dt.date,
    quantity: Decimal | int | str = 1,
    note: str = "",
) -> ServiceDelivery:
    """`delivery_record` inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_work_for_project(actor, project)
    try:
        amount = Decimal(str(quantity))
    except InvalidOperation:
        raise ValidationFailed(_("The quantity must be a number."), field="quantity") from None
    if amount <= 0:
        raise ValidationFailed(_("The quantity must be greater than zero."), field="quantity")
    _check_in_period(project, delivered_on, "delivered_on")
    person = _check_served(project, [person_id], "person")[0]
    return _delivery_write(
        actor=actor,
        project=project,
        person=person,
        service=service,
        delivered_on=delivered_on,
        quantity=amount,
        note=note.strip(),
        action="delivery.record",
        duplicate_field="delivered_on",
    )


def delivery_accumulate_in_transaction(
    *,
    actor: Actor,
    project: Project,
    person_id: int,
    service: ServiceType,
    delivered_on: dt.date,
    quantity: Decimal | int,
    note: str = "",
) -> ServiceDelivery:
    """Record a quantity of a service (minutes of interpreting, say) delivered to a person
    on a day, adding it to the day's delivery of that service where one is recorded: one
    row per person, service and day, as the impact figures count them. The checks of
    `delivery_record`. Runs inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_record_served_quantity(actor, project)
    amount = Decimal(str(quantity))
    if amount <= 0:
        raise ValidationFailed(_("The quantity must be greater than zero."), field="quantity")
    _check_in_period(project, delivered_on, "delivered_on")
    person = _check_served(project, [person_id], "person")[0]
    existing = (
        ServiceDelivery.objects.select_for_update()
        .filter(project=project, person=person, service=service, delivered_on=delivered_on)
        .first()
    )
    if existing is None:
        return _delivery_write(
            actor=actor,
            project=project,
            person=person,
            service=service,
            delivered_on=delivered_on,
            quantity=amount,
            note=note.strip(),
            action="delivery.record",
            duplicate_field="delivered_on",
        )
    ServiceDelivery.objects.filter(pk=existing.pk).update(quantity=F("quantity") + amount)
    existing.refresh_from_db(fields=["quantity"])
    audit_record(
        actor,
        "delivery.accumulate",
        object_type="delivery",
        object_id=existing.pk,
        person_id=person.pk,
        organisation_id=project.organisation_id,
        details={"project": project.pk, "service": service.code, "added": str(amount)},
    )
    return existing


@dataclass
class EventInput:
    kind: str
    title_kk: str
    held_on: dt.date
    title_ru: str = ""
    title_en: str = ""
    place_id: int | None = None
    venue: str = ""
    anonymous_participants: int = 0
    volunteers: int = 0
    experts: int = 0
    employers: int = 0
    attendee_ids: Sequence[int] = field(default_factory=list)
    organisation_ids: Sequence[int] = field(default_factory=list)


def event_record(*, actor: Actor, project: Project, data: EventInput) -> Event:
    """Record an event of the project with the people who attended and the counts of
    anonymous participants, volunteers, experts and employers."""
    with transaction.atomic(durable=True):
        return event_record_in_transaction(actor=actor, project=project, data=data)


def event_record_in_transaction(*, actor: Actor, project: Project, data: EventInput) -> Event:
    """`event_record` inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_work_for_project(actor, project)
    if data.kind not in Event.Kind.values:
        raise ValidationFailed(_("Unknown kind of event."), field="kind", code=ErrorCode.INVALID_CHOICE)
    title = require_text(data.title_kk, "title_kk", str(_("Title in Kazakh")))
    _check_in_period(project, data.held_on, "held_on")
    for name in ("anonymous_participants", "volunteers", "experts", "employers"):
        if getattr(data, name) < 0:
            raise ValidationFailed(_("Counts cannot be negative."), field=name)
    place = None
    if data.place_id is not None:
        place = Place.objects.filter(pk=data.place_id).first()
        if place is None:
            raise ValidationFailed(
                _("There is no such region or district in the classifier."),
                field="place",
                code=CoreErrorCode.UNKNOWN_PLACE,
            )
    people = _check_served(project, data.attendee_ids, "attendees")
    organisations = list(Organisation.objects.filter(pk__in=set(data.organisation_ids)))
    if len(organisations) != len(set(data.organisation_ids)):
        raise ValidationFailed(
            _("There is no such organisation."),
            field="organisations",
            code=CoreErrorCode.UNKNOWN_ORGANISATION,
        )
    event = Event.objects.create(
        project=project,
        kind=data.kind,
        title_kk=title,
        title_ru=data.title_ru.strip(),
        title_en=data.title_en.strip(),
        held_on=data.held_on,
        place=place,
        venue=data.venue.strip(),
        anonymous_participants=data.anonymous_participants,
        volunteers=data.volunteers,
        experts=data.experts,
        employers=data.employers,
        recorded_by=acting_user(actor),
    )
    _attend(event, people)
    event.organisations.set(organisations)
    audit_record(
        actor,
        "event.record",
        object_type="event",
        object_id=event.pk,
        organisation_id=project.organisation_id,
        details={"project": project.pk, "attendees": len(people)},
    )
    return event


def _attend(event: Event, people: Sequence[Person]) -> list[Attendance]:
    """Write the people's attendance of the event, each placed where it counts and carrying
    the person's identity, and mark the reach cells it falls in stale (without that the
    attendees counted in no region and the cells missed them). Runs inside the caller's
    transaction."""
    home_region = project_home_region(event.project)
    attendances = []
    for person in people:
        region_id, district_id = _attendance_place(event, person, home_region)
        attendances.append(
            Attendance(
                event=event,
                person=person,
                identity_id=person.identity_id,
                region_id=region_id,
                district_id=district_id,
            )
        )
    Attendance.objects.bulk_create(attendances)
    if attendances:
        reach_mark_stale({(event.held_on.year, a.region_id) for a in attendances})
    return attendances


def attendance_add(*, actor: Actor, event: Event, person_ids: Sequence[int]) -> int:
    """Add people to an event's attendance; those already there are left as they are.
    Returns how many were added."""
    with transaction.atomic(durable=True):
        return attendance_add_in_transaction(actor=actor, event=event, person_ids=person_ids)


def attendance_add_in_transaction(*, actor: Actor, event: Event, person_ids: Sequence[int]) -> int:
    """`attendance_add` inside the caller's transaction (a job fair's attendance)."""
    check_in_transaction()
    project = event.project
    policy.check_may_work_for_project(actor, project)
    people = _check_served(project, person_ids, "attendees")
    present = set(Attendance.objects.filter(event=event).values_list("person_id", flat=True))
    new = _attend(event, [p for p in people if p.pk not in present])
    audit_record(
        actor,
        "event.attendance_add",
        object_type="event",
        object_id=event.pk,
        organisation_id=project.organisation_id,
        details={"added": len(new)},
    )
    return len(new)


def event_employers_set(*, actor: Actor, event: Event, employers: int) -> Event:
    """Set how many employers took part in an event: a job fair's count follows the
    employers recorded as having come (the jobs app's fairs), so that the event's figure
    and the fair's funnel agree."""
    with transaction.atomic(durable=True):
        return event_employers_set_in_transaction(actor=actor, event=event, employers=employers)


def event_employers_set_in_transaction(*, actor: Actor, event: Event, employers: int) -> Event:
    """`event_employers_set` inside the caller's transaction (a job fair's employers)."""
    check_in_transaction()
    policy.check_may_work_for_project(actor, event.project)
    if employers < 0:
        raise ValidationFailed(_("Counts cannot be negative."), field="employers")
    Event.objects.filter(pk=event.pk).update(employers=employers)
    event.employers = employers
    audit_record(
        actor,
        "event.employers_set",
        object_type="event",
        object_id=event.pk,
        organisation_id=event.project.organisation_id,
        details={"employers": employers},
    )
    return event


def project_home_region(project: Project) -> int | None:
    """Where a project's participations count when the person's place is not known: the
    project's only region, else its organisation's."""
    regions = [r.pk for r in project.regions.all()]
    return regions[0] if len(regions) == 1 else project.organisation.region_id


def participation_place(
    project: Project, person: Person, home_region: int | None = None
) -> tuple[int | None, int | None]:
    """Where a person's participation in a project counts: the person's district and
    region when known, else the project's home region (pass it when placing many people,
    so it is looked up once)."""
    if person.region_id is not None:
        return person.region_id, person.district_id
    return (home_region if home_region is not None else project_home_region(project)), None


def _attendance_place(event: Event, person: Person, home_region: int | None) -> tuple[int | None, int | None]:
    place = event.place
    if place is not None and place.level == Place.Level.DISTRICT:
        return place.parent_id, place.pk
    if place is not None and place.level == Place.Level.REGION:
        return place.pk, None
    return participation_place(event.project, person, home_region)


_REFRESH_QUEUED = "qoldau:reach-refresh-queued"


def participations_follow_identity(sender: object, *, person_id: int, identity_id: int, **_: object) -> None:
    """A record's IIN was corrected and it moved to another identity: its deliveries and
    attendance, which carry the identity reach counts, move with it, and the slices they
    count in are recounted. Runs inside the transaction that moved the record (core's
    `person_identity_moved`, connected in `ProjectsConfig.ready`)."""
    deliveries = ServiceDelivery.objects.filter(person_id=person_id)
    attended = Attendance.objects.filter(person_id=person_id)
    slices: set[tuple[int, int | None]] = set()
    for day, region in deliveries.values_list("delivered_on", "region_id").distinct():
        slices.add((day.year, region))
    for day, region in attended.values_list("event__held_on", "region_id").distinct():
        slices.add((day.year, region))
    deliveries.update(identity_id=identity_id)
    attended.update(identity_id=identity_id)
    if slices:
        reach_mark_stale(slices)


def reach_mark_stale(slices: set[tuple[int, int | None]]) -> None:
    """Mark the reach cells of these (year, region) slices, and of their years' whole
    country, stale; a refresh is queued once the caller's transaction commits. Until it
    has run, reports count those slices live, so no figure is ever out of date."""
    keys = {(year, region or 0) for year, region in slices} | {(year, 0) for year, _region in slices}
    ReachStale.objects.bulk_create([ReachStale(year=year, region_key=region) for year, region in keys])

    def queue_refresh() -> None:
        # One queued refresh covers every write made before it starts.
        if cache.add(_REFRESH_QUEUED, 1, timeout=600):
            from qoldau.projects.tasks import refresh_reach

            refresh_reach.delay()

    transaction.on_commit(queue_refresh)


@dataclass(frozen=True)
class ReachRefresh:
    slices: int
    cells: int


def reach_refresh() -> ReachRefresh:
    """Recompute the reach cells of every stale slice from the deliveries and attendance,
    exactly, and clear exactly the marks it read: a write that lands meanwhile keeps its
    own mark and is counted by the next refresh. Refreshes never run side by side."""
    from qoldau.projects.impact import reach_cells_of_slice

    cache.delete(_REFRESH_QUEUED)
    with transaction.atomic(durable=True):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('qoldau.reach_refresh'))")
        marks = list(ReachStale.objects.values_list("pk", "year", "region_key"))
        slices = sorted({(year, region) for _pk, year, region in marks})
        written = 0
        for year, region in slices:
            ReachCell.objects.filter(year=year, region_key=region).delete()
            cells = reach_cells_of_slice(year, region)
            ReachCell.objects.bulk_create(cells, batch_size=2000)
            written += len(cells)
        ReachStale.objects.filter(pk__in=[pk for pk, _year, _region in marks]).delete()
    return ReachRefresh(slices=len(slices), cells=written)


CONSULTATION_SERVICES = ("legal_consultation", "social_consultation")


def consultation_record_in_transaction(
    *, actor: Actor, project: Project, iin: str, service_code: str, delivered_on: dt.date
) -> ServiceDelivery:
    """Record a consultation as a delivery of the organisation's project, for a person the
    organisation serves, found by the IIN they gave. The organisation's consultants may
    (they never see the person's record: only their IIN's keyed hash is matched), as may its
    staff. A consultation already recorded that day is a duplicate, refused. Runs inside the
    caller's transaction (a consultation is recorded as its conversation is closed)."""
    check_in_transaction()
    policy.check_may_record_consultation(actor, project)
    if service_code not in CONSULTATION_SERVICES:
        raise ValidationFailed(
            _("Choose a legal or a social consultation."), field="service", code=ErrorCode.INVALID_CHOICE
        )
    facts = parse_iin(iin, field="iin")
    person = (
        Person.objects.filter(
            organisation_id=project.organisation_id,
            iin_hash=keyed_hash(facts.iin),
            consents__organisation_id=project.organisation_id,
            consents__withdrawn_on__isnull=True,
        )
        .distinct()
        .first()
    )
    if person is None:
        raise NotFound(
            _(
                "This IIN is not among the people the organisation serves. Ask its staff to "
                "register the person with their consent first."
            ),
            field="iin",
        )
    _check_in_period(project, delivered_on, "delivered_on")
    return _delivery_write(
        actor=actor,
        project=project,
        person=person,
        service=ServiceType.objects.get(code=service_code),
        delivered_on=delivered_on,
        quantity=Decimal(1),
        note=str(_("Consultation")),
        action="delivery.record_consultation",
        duplicate_field="iin",
    )


def consultation_projects(organisation_id: int) -> list[Project]:
    """The organisation's projects that are running today, where consultations are recorded."""
    today = timezone.localdate()
    return list(
        Project.objects.filter(organisation_id=organisation_id, starts_on__lte=today, ends_on__gte=today)
    )
