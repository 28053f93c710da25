"""Reads of objects, passports, measures and barrier reports, each with its access check.

Objects and their public statuses are public (the map shows them to anyone); who may see
objects on the staff pages, passports' working drafts, measures, barrier reports and their
reporters' contacts is ruled in `policy`, which every read here asks.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.access import checklist, policy
from qoldau.access.models import (
    STATUS_FIELD,
    AccessObject,
    BarrierReport,
    Measure,
    ObjectPhoto,
    Passport,
    PassportItem,
    PassportZoneStatus,
    PeopleCategory,
    SurveyAssignment,
    Zone,
    ZoneStatus,
)
from qoldau.access.references import report_id_of
from qoldau.core.audit import audit_record
from qoldau.core.errors import NotFound
from qoldau.core.models import Organisation
from qoldau.core.search import filter_words
from qoldau.core.services import Actor


def objects_managed(user: Actor) -> QuerySet[AccessObject]:
    """The objects of the staff pages (`policy.objects_visible`: read by administrators and
    the ministry, worked on by akimat officers, owners' staff and surveyors)."""
    return policy.objects_visible(user).select_related("region", "district", "owner")


def object_get_managed(user: Actor, object_id: int) -> AccessObject:
    obj = objects_managed(user).filter(pk=object_id).first()
    if obj is None:
        raise policy.object_not_found()
    return obj


def object_get_public(object_id: int) -> AccessObject:
    obj = AccessObject.objects.select_related("region", "district").filter(pk=object_id).first()
    if obj is None:
        raise NotFound(_("There is no such object."))
    return obj


def objects_assigned(user: Actor) -> QuerySet[AccessObject]:
    """A surveyor's worklist: the objects assigned to them and not yet passported since."""
    return (
        AccessObject.objects.select_related("region", "district")
        .filter(assignments__surveyor_id=user.pk, assignments__active=True)
        .distinct()
    )


def survey_worklist(user: Actor) -> QuerySet[AccessObject]:
    """`objects_assigned` with why each was assigned (`assignment_reason`, e.g. a re-survey
    after a measure), when (`assigned_at`) and the draft already started (`draft_id`)."""
    assignment = SurveyAssignment.objects.filter(surveyor_id=user.pk, active=True, object_id=OuterRef("pk"))
    draft = Passport.objects.filter(object_id=OuterRef("pk"), state=Passport.State.DRAFT)
    return (
        objects_assigned(user)
        .annotate(
            assignment_reason=Subquery(assignment.values("reason")[:1]),
            assigned_at=Subquery(assignment.values("assigned_at")[:1]),
            draft_id=Subquery(draft.values("pk")[:1]),
        )
        .order_by("assigned_at", "pk")
    )


def passports_of_object(user: Actor, obj: AccessObject) -> QuerySet[Passport]:
    """Every passport of an object the user reads (`policy.passports_visible`), newest first."""
    return policy.passports_visible(user).filter(object=obj).select_related("surveyor").order_by("-number")


def latest_passport(obj: AccessObject) -> Passport | None:
    return Passport.objects.filter(object=obj, state=Passport.State.SUBMITTED).order_by("-number").first()


@dataclass(frozen=True)
class ZoneShortfall:
    """One zone that is not fully accessible to one category, in words: its status and the
    checklist items found not to meet the norm."""

    zone: str
    status: str
    items: list[str]


@dataclass(frozen=True)
class CategoryShortfalls:
    category: str
    zones: list[ZoneShortfall]


def object_shortfalls_public(obj: AccessObject) -> list[CategoryShortfalls]:
    """Why the object is not fully accessible, zone by zone, for each category it is not
    fully accessible to, from its latest submitted passport (nothing without one). Only the
    catalogue's words: the statuses and the items not met, never a surveyor's comment."""
    passport = latest_passport(obj)
    if passport is None:
        return []
    results = dict(PassportItem.objects.filter(passport=passport).values_list("code", "result"))
    statuses = {
        (zone, category): status
        for zone, category, status in PassportZoneStatus.objects.filter(passport=passport).values_list(
            "zone", "category", "status"
        )
    }
    found = []
    for category in PeopleCategory:
        zones = []
        for zone in Zone:
            status = statuses.get((zone.value, category.value))
            if status is None or status == ZoneStatus.FULL:
                continue
            items = [str(item.label) for item in checklist.shortfalls(results, zone.value, category.value)]
            zones.append(
                ZoneShortfall(zone=str(zone.label), status=str(ZoneStatus(status).label), items=items)
            )
        if zones:
            found.append(CategoryShortfalls(category=str(category.label), zones=zones))
    return found


def passport_get_for_user(user: Actor, passport_id: int) -> Passport:
    """A passport with its object, as `policy.passports_visible` lets the user read it;
    NotFound otherwise (never a hint it exists)."""
    passport = (
        policy.passports_visible(user)
        .select_related("object", "object__region", "object__district", "surveyor")
        .filter(pk=passport_id)
        .first()
    )
    if passport is None:
        raise policy.passport_not_found()
    return passport


def passport_status_changes(passport: Passport) -> list[tuple[str, str, str, str]]:
    """(zone, category, previous status, this status) for every zone status that differs
    from the object's previous submitted passport; empty when there is none before it."""
    previous = (
        Passport.objects.filter(
            object_id=passport.object_id, state=Passport.State.SUBMITTED, number__lt=passport.number
        )
        .order_by("-number")
        .first()
    )
    if previous is None:
        return []
    rows = PassportZoneStatus.objects.filter(passport_id__in=[previous.pk, passport.pk]).values_list(
        "passport_id", "zone", "category", "status"
    )
    before: dict[tuple[str, str], str] = {}
    after: dict[tuple[str, str], str] = {}
    for passport_id, zone, category, status in rows:
        (before if passport_id == previous.pk else after)[(zone, category)] = status
    return [
        (zone, category, before.get((zone, category), ""), after.get((zone, category), ""))
        for zone in Zone.values
        for category in PeopleCategory.values
        if before.get((zone, category), "") != after.get((zone, category), "")
    ]


def measures_visible(user: Actor) -> QuerySet[Measure]:
    """`policy.measures_visible` with what the lists show of each measure."""
    return policy.measures_visible(user).select_related("object", "object__district", "responsible")


def measure_get_for_user(user: Actor, measure_id: int) -> Measure:
    measure = (
        measures_visible(user).select_related("passport", "object__region").filter(pk=measure_id).first()
    )
    if measure is None:
        raise policy.measure_not_found()
    return measure


def responsible_organisations(obj: AccessObject) -> QuerySet[Organisation]:
    """Who may be made responsible for an object's measure: its owner and the organisations
    of its region, owner first."""
    return (
        Organisation.objects.filter(Q(pk=obj.owner_id) | Q(region_id=obj.region_id))
        .annotate(is_owner=Case(When(pk=obj.owner_id, then=Value(0)), default=Value(1)))
        .order_by("is_owner", "name_kk", "pk")
    )


def surveyors() -> QuerySet[User]:
    """Users who may be given a survey or a re-survey (`policy.surveyors`), by username."""
    return policy.surveyors().order_by("username")


def measures_overdue(user: Actor, today: dt.date | None = None) -> QuerySet[Measure]:
    """Planned measures past their deadline, oldest deadline first."""
    today = today or timezone.localdate()
    return (
        measures_visible(user)
        .filter(state=Measure.State.PLANNED, deadline__lt=today)
        .order_by("deadline", "pk")
    )


def barrier_reports_visible(user: Actor) -> QuerySet[BarrierReport]:
    """`policy.barrier_reports_visible`, without the reporter's contact (deferred): it is
    read only through `barrier_report_contact`."""
    return policy.barrier_reports_visible(user).select_related("object", "object__district").defer("contact")


def barrier_report_status_public(reference: str) -> str | None:
    """The state of the report a reference names, for anyone who holds the reference: its
    state's code and nothing else of it. None for a reference this site did not give or a
    report no longer kept (the same answer: a guess learns nothing)."""
    report_id = report_id_of(reference)
    if report_id is None:
        return None
    return BarrierReport.objects.filter(pk=report_id).values_list("state", flat=True).first()


# The reporter's contact -------------------------------------------------------------------


def barrier_report_contact(user: Actor, report: BarrierReport) -> str | None:
    """The reporter's contact for a user who may read it (`policy.may_read_reporter_contact`;
    "" when the person left none), each read audited; None for anyone else, who is not
    shown that there is one."""
    if not policy.may_read_reporter_contact(user, report):
        return None
    contact = report.contact
    if contact:
        audit_record(
            user,
            "access.barrier_report_contact_view",
            object_type="access_barrier_report",
            object_id=report.pk,
            organisation_id=report.object.owner_id,
        )
    return contact


def barrier_reports_open(user: Actor) -> QuerySet[BarrierReport]:
    return barrier_reports_visible(user).filter(
        state__in=[BarrierReport.State.NEW, BarrierReport.State.IN_PROGRESS]
    )


def objects_search_public(text: str, limit: int = 5) -> list[AccessObject]:
    """Objects whose name (in any language) or address holds every word of `text`; for the
    bot's "is this place accessible?". Public data only."""
    words = [word for word in text.split() if len(word) >= 2][:5]
    if not words:
        return []
    qs = filter_words(
        AccessObject.objects.select_related("district"),
        ("name_kk", "name_ru", "name_en", "address"),
        " ".join(words),
    )
    return list(qs.order_by("name_kk", "pk")[:limit])


# About 1.1 km of latitude; longitude degrees shrink with the cosine of the latitude.
_NEAR_DEGREES = 0.01


def objects_nearest(latitude: float, longitude: float, limit: int = 5) -> list[tuple[AccessObject, float]]:
    """The objects nearest to a point with their distance in metres, looking in a growing
    box around it (the bounding-box index does the work) up to about 20 km."""
    degrees = _NEAR_DEGREES
    found: list[AccessObject] = []
    while degrees <= 0.2:
        lon_degrees = degrees / max(math.cos(math.radians(latitude)), 0.1)
        found = list(
            AccessObject.objects.select_related("district").filter(
                latitude__gte=latitude - degrees,
                latitude__lte=latitude + degrees,
                longitude__gte=longitude - lon_degrees,
                longitude__lte=longitude + lon_degrees,
            )[:2000]
        )
        if len(found) >= limit:
            break
        degrees *= 2

    def metres(obj: AccessObject) -> float:
        # Haversine: exact enough within a city.
        lat1, lon1, lat2, lon2 = map(math.radians, (latitude, longitude, obj.latitude, obj.longitude))
        a = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 6_371_000 * 2 * math.asin(math.sqrt(a))

    ranked = sorted(((obj, metres(obj)) for obj in found), key=lambda pair: pair[1])
    return ranked[:limit]


# Officers' and owners' lists ------------------------------------------------------------


@dataclass(frozen=True)
class ObjectFilter:
    """What the list of managed objects is narrowed to; empty values do not narrow."""

    district_id: int | None = None
    kind: str = ""
    category: str = PeopleCategory.WHEELCHAIR
    status: str = ""
    # True: passported only; False: not passported yet; None: both.
    passported: bool | None = None
    query: str = ""


def objects_managed_filtered(user: Actor, flt: ObjectFilter) -> QuerySet[AccessObject]:
    """`objects_managed`, narrowed in the database (34,000 objects are paged there, never
    read whole), ordered by name."""
    qs = objects_managed(user)
    if flt.district_id is not None:
        qs = qs.filter(district_id=flt.district_id)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.status:
        qs = qs.filter(**{STATUS_FIELD[PeopleCategory(flt.category)]: flt.status})
    if flt.passported is not None:
        qs = qs.filter(passported_on__isnull=not flt.passported)
    if flt.query.strip():
        by_number = qs.filter(external_id=flt.query.strip())
        # A register number typed in finds its object; anything else searches the words.
        if by_number.exists():
            qs = by_number
        else:
            qs = filter_words(qs, ("name_kk", "name_ru", "name_en", "address"), flt.query)
    return qs.order_by("name_kk", "pk")


def survey_assignments_active(obj: AccessObject) -> QuerySet[SurveyAssignment]:
    return (
        SurveyAssignment.objects.filter(object=obj, active=True)
        .select_related("surveyor", "assigned_by")
        .order_by("assigned_at", "pk")
    )


def object_photos(obj: AccessObject) -> QuerySet[ObjectPhoto]:
    return ObjectPhoto.objects.filter(object=obj).select_related("passport").order_by("-created_at", "-pk")


def object_photo_get_for_user(user: Actor, photo_id: int) -> ObjectPhoto:
    """A photo of an object the user reads (`policy.object_photos_visible`); the staff pages
    serve photos only through this."""
    photo = policy.object_photos_visible(user).filter(pk=photo_id).first()
    if photo is None:
        raise policy.photo_not_found()
    return photo


def barrier_report_get_for_user(user: Actor, report_id: int) -> BarrierReport:
    """A barrier report the user reads (`policy.barrier_reports_visible`: those who handle
    it and the ministry); NotFound for anyone else. Without the reporter's contact: see
    `barrier_report_contact`."""
    report = (
        barrier_reports_visible(user)
        .select_related("object__region", "handled_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise policy.barrier_report_not_found()
    return report


def _public_photos() -> QuerySet[ObjectPhoto]:
    # A draft passport's photos are a surveyor's work in progress, not yet public.
    return ObjectPhoto.objects.filter(Q(passport__isnull=True) | Q(passport__state=Passport.State.SUBMITTED))


def object_photos_public(obj: AccessObject) -> QuerySet[ObjectPhoto]:
    """Photos anyone may see: the object's own and those of its submitted passports, never
    a draft's or a barrier report's."""
    return _public_photos().filter(object=obj).order_by("-created_at", "-pk")


def object_photo_get_public(object_id: int, photo_id: int) -> ObjectPhoto:
    """A public photo (as `object_photos_public`) of the object; NotFound otherwise."""
    photo = _public_photos().filter(pk=photo_id, object_id=object_id).first()
    if photo is None:
        raise NotFound(_("There is no such photo."))
    return photo


def passport_photo_get_for_user(user: Actor, photo_id: int) -> ObjectPhoto:
    """A passport's photo, if the user reads that passport; one answer for a photo that
    does not exist and one on a draft the user may not see, so a photo's id tells nothing."""
    photo = (
        ObjectPhoto.objects.filter(pk=photo_id, passport__in=policy.passports_visible(user))
        .select_related("passport")
        .first()
    )
    if photo is None:
        raise policy.photo_not_found()
    return photo
