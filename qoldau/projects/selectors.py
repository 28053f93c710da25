"""Reads of projects, deliveries and events, each with its access check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.audit import audit_record_person_reads
from qoldau.core.errors import NotFound
from qoldau.core.models import Person
from qoldau.core.selectors import MAX_ID
from qoldau.core.services import Actor
from qoldau.projects import policy
from qoldau.projects.models import Event, Project, ServiceDelivery, ServiceType


def projects_visible(user: Actor) -> QuerySet[Project]:
    """Projects a user may see (the rule: `policy.projects_visible`), with their
    organisation and regions."""
    return policy.projects_visible(user).select_related("organisation").prefetch_related("regions")


def project_get_for_user(user: Actor, project_id: int) -> Project:
    project = projects_visible(user).filter(pk=project_id).first()
    policy.check_may_see_project(user, project)
    assert project is not None  # the check refuses None  # noqa: S101
    return project


def project_by_id(project_id: int) -> Project:
    """A project named in an impact report's filter. The report counts only within the
    reader's scope, and the public figures name every project with people reached, so
    knowing that the project exists gives nothing away."""
    project = Project.objects.filter(pk=project_id).first() if 0 < project_id <= MAX_ID else None
    if project is None:
        raise NotFound(_("There is no project %(id)s.") % {"id": project_id}, field="project")
    return project


def projects_recordable(user: Actor) -> QuerySet[Project]:
    """Projects the user records deliveries and events for (the rule:
    `policy.projects_worked_for`)."""
    return policy.projects_worked_for(user).select_related("organisation")


def service_types() -> QuerySet[ServiceType]:
    return ServiceType.objects.all()


def project_services(project: Project) -> QuerySet[ServiceType]:
    """The services a project delivers: those it has recorded. A project that has recorded
    none yet offers the whole catalogue, and so does the form's "another service" link, so
    that a project's first delivery of a new service can still be recorded."""
    delivered = ServiceType.objects.filter(
        pk__in=ServiceDelivery.objects.filter(project=project).values("service_id")
    )
    return delivered if delivered.exists() else ServiceType.objects.all()


def day_within_period(project: Project, day: date) -> date:
    """`day` if the project runs on it, else the nearest day of its period: the form's
    default date, so that an ended project's form does not offer a day it refuses."""
    return min(max(day, project.starts_on), project.ends_on)


@dataclass(frozen=True)
class ProjectFigures:
    people_reached: int
    participations: int
    deliveries: int
    attendances: int
    anonymous_participants: int
    events: int


def project_figures(project: Project) -> ProjectFigures:
    """A project's own figures: unique people (deliveries and attendance together), all
    participations, and the anonymous counts of its events. No personal data."""
    delivery_people = set(
        ServiceDelivery.objects.filter(project=project).values_list("person_id", flat=True).distinct()
    )
    attendance_people = set(
        Event.objects.filter(project=project)
        .values_list("attendance__person_id", flat=True)
        .exclude(attendance__person_id__isnull=True)
        .distinct()
    )
    deliveries = ServiceDelivery.objects.filter(project=project).count()
    events = Event.objects.filter(project=project).aggregate(
        n=Count("pk", distinct=True), anonymous=Sum("anonymous_participants")
    )
    attendances = Event.objects.filter(project=project).aggregate(n=Count("attendance"))["n"]
    return ProjectFigures(
        people_reached=len(delivery_people | attendance_people),
        participations=deliveries + attendances,
        deliveries=deliveries,
        attendances=attendances,
        anonymous_participants=events["anonymous"] or 0,
        events=events["n"],
    )


def project_deliveries(user: Actor, project: Project, limit: int = 50) -> list[ServiceDelivery]:
    """The latest deliveries, for those who serve the people; each carries `shown_person`,
    the person when the user may see them (consent not withdrawn) and None otherwise, so
    that a person who withdrew consent stays counted but is never named. Audited as reads
    of each person shown."""
    if not policy.may_work_for_project(user, project):
        return []
    deliveries = list(
        ServiceDelivery.objects.filter(project=project)
        .select_related("person", "service")
        .order_by("-delivered_on", "-pk")[:limit]
    )
    shown = core_policy.people_visible_among(user, {d.person_id for d in deliveries})
    for delivery in deliveries:
        delivery.shown_person = delivery.person if delivery.person_id in shown else None  # type: ignore[attr-defined]
    audit_record_person_reads(user, "person.delivery_list", shown, organisation_id=project.organisation_id)
    return deliveries


def project_events(project: Project) -> QuerySet[Event]:
    return Event.objects.filter(project=project).annotate(attendee_count=Count("attendance"))


def event_get_for_user(user: Actor, event_id: int) -> Event:
    event = Event.objects.select_related("project", "project__organisation").filter(pk=event_id).first()
    policy.check_may_see_event(user, event)
    assert event is not None  # the check refuses None  # noqa: S101
    return event


@dataclass(frozen=True)
class PersonParticipation:
    deliveries: list[ServiceDelivery]
    events: list[Event]


def person_participation(user: Actor, person: Person) -> PersonParticipation:
    """The deliveries and events of one person within the projects the user works for
    (`policy.projects_worked_for`: a system administrator's are all of them)."""
    worked_for = core_policy.worked_for_q(user, "project__organisation")
    deliveries = ServiceDelivery.objects.filter(worked_for, person=person).select_related(
        "project", "service"
    )
    events = Event.objects.filter(worked_for, attendance__person=person).select_related("project")
    return PersonParticipation(deliveries=list(deliveries[:100]), events=list(events[:100]))


def event_attendees(user: Actor, event: Event) -> list[Person]:
    """The people who attended an event, for those who serve them (audited reads); an
    empty list for everyone else, who sees the counts only."""
    if not policy.may_work_for_project(user, event.project):
        return []
    people = list(core_policy.people_visible(user).filter(attendance__event=event).select_related("region"))
    people.sort(key=lambda p: p.full_name.casefold())
    audit_record_person_reads(
        user, "person.attendance_list", [p.pk for p in people], organisation_id=event.project.organisation_id
    )
    return people
