"""Every write to objects, passports, measures and barrier reports. Each service runs in one
transaction, checks the domain's rules (raising ApplicationError and changing nothing) and
writes its audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.access import checklist, policy
from qoldau.access.errors import AccessErrorCode
from qoldau.access.models import (
    STATUS_FIELD,
    AccessObject,
    BarrierReport,
    Measure,
    ObjectKind,
    ObjectPhoto,
    Passport,
    PassportItem,
    PassportZoneStatus,
    PeopleCategory,
    SurveyAssignment,
    Zone,
    ZoneStatus,
)
from qoldau.core import bounds
from qoldau.core.audit import audit_record
from qoldau.core.errors import CoreErrorCode, EditConflict, ErrorCode, NotFound, ValidationFailed
from qoldau.core.images import PHOTO_FORMATS, NotAnImage, image_check
from qoldau.core.models import Organisation
from qoldau.core.services import Actor, acting_user, resolve_region_district, save_versioned

# Kazakhstan's extent, as in the model's check constraint.
LATITUDE_RANGE = (40.5, 55.5)
LONGITUDE_RANGE = (46.4, 87.4)


# Objects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectInput:
    name_kk: str
    address: str
    district_id: int | None
    kind: str
    latitude: float | str | None
    longitude: float | str | None
    region_id: int | None = None
    name_ru: str = ""
    name_en: str = ""
    owner_id: int | None = None
    owner_name: str = ""
    external_id: str = ""


def check_coordinates(latitude: object, longitude: object) -> tuple[float, float]:
    """Latitude and longitude as numbers inside Kazakhstan, or a clear refusal."""
    try:
        lat = float(str(latitude).replace(",", "."))
        lon = float(str(longitude).replace(",", "."))
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("Enter the latitude and longitude as numbers, for example 43.2389 and 76.8897."),
            field="latitude",
            code=AccessErrorCode.INVALID_COORDINATES,
        ) from None
    if not (
        LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1] and LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]
    ):
        raise ValidationFailed(
            _(
                "The point %(latitude)s, %(longitude)s is outside Kazakhstan. "
                "Check that latitude and longitude are not swapped."
            ),
            field="latitude",
            code=AccessErrorCode.OUTSIDE_KAZAKHSTAN,
            params={"latitude": lat, "longitude": lon},
        )
    return lat, lon


def _object_fields(data: ObjectInput) -> dict[str, Any]:
    name_kk = (data.name_kk or "").strip()
    if not name_kk:
        raise ValidationFailed(_("Name in Kazakh is required."), field="name_kk", code=ErrorCode.REQUIRED)
    address = (data.address or "").strip()
    if not address:
        raise ValidationFailed(_("Address is required."), field="address", code=ErrorCode.REQUIRED)
    if data.kind not in ObjectKind.values:
        raise ValidationFailed(_("Unknown kind of object."), field="kind", code=ErrorCode.INVALID_CHOICE)
    if data.district_id is None:
        raise ValidationFailed(_("District is required."), field="district", code=ErrorCode.REQUIRED)
    region, district = resolve_region_district(data.region_id, data.district_id, region_required=False)
    if region is None or district is None:
        raise ValidationFailed(_("District is required."), field="district", code=ErrorCode.REQUIRED)
    latitude, longitude = check_coordinates(data.latitude, data.longitude)
    if data.owner_id is not None and not Organisation.objects.filter(pk=data.owner_id).exists():
        raise ValidationFailed(
            _("There is no such organisation."), field="owner", code=CoreErrorCode.UNKNOWN_ORGANISATION
        )
    return {
        "name_kk": name_kk,
        "name_ru": (data.name_ru or "").strip(),
        "name_en": (data.name_en or "").strip(),
        "address": address,
        "region_id": region.pk,
        "district_id": district.pk,
        "kind": data.kind,
        "owner_id": data.owner_id,
        "owner_name": (data.owner_name or "").strip(),
        "latitude": latitude,
        "longitude": longitude,
        "external_id": (data.external_id or "").strip(),
    }


def _check_register_number_free(fields: Mapping[str, Any], exclude_pk: int | None = None) -> None:
    if not fields["external_id"]:
        return
    taken = AccessObject.objects.filter(region_id=fields["region_id"], external_id=fields["external_id"])
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationFailed(
            _("Another object of this region already has register number %(number)s."),
            field="external_id",
            code=AccessErrorCode.DUPLICATE_REGISTER_NUMBER,
            params={"number": fields["external_id"]},
        )


@transaction.atomic
def object_create(*, actor: Actor, data: ObjectInput) -> AccessObject:
    """Register an object. Guarantees: a known district, coordinates inside Kazakhstan, a
    register number unique in the region, the actor allowed there; audited."""
    fields = _object_fields(data)
    # The region comes from the district chosen, so the input is read before this check.
    policy.check_may_register_object_in(actor, region_id=fields["region_id"], owner_id=fields["owner_id"])
    _check_register_number_free(fields)
    obj = AccessObject.objects.create(**fields)
    audit_record(actor, "access.object_create", object_type="access_object", object_id=obj.pk)
    return obj


@transaction.atomic
def object_update(
    *, actor: Actor, obj: AccessObject, expected_version: int, data: ObjectInput
) -> AccessObject:
    """Edit an object; refused with EditConflict if someone saved it since `expected_version`."""
    policy.check_may_manage_object(actor, obj)
    fields = _object_fields(data)
    # Moved to another region or owner, it must stay among the objects the actor manages.
    policy.check_may_register_object_in(actor, region_id=fields["region_id"], owner_id=fields["owner_id"])
    _check_register_number_free(fields, exclude_pk=obj.pk)
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    save_versioned(obj, expected_version, fields)
    audit_record(
        actor,
        "access.object_update",
        object_type="access_object",
        object_id=obj.pk,
        details={"fields": changed},
    )
    return obj


# Photos ---------------------------------------------------------------------------------


def photo_max_bytes() -> int:
    return int(settings.QOLDAU_ACCESS_PHOTO_MAX_MB) * 1024 * 1024


def check_photo(upload: UploadedFile, field_name: str = "photo") -> None:
    """A photo must be a JPEG, PNG or WebP image no larger than the settings allow, in
    bytes and in pixels (read from its header, before anything decodes it)."""
    if upload.size is not None and upload.size > photo_max_bytes():
        raise ValidationFailed(
            _("The photo is larger than %(limit)s MB. Send a smaller one."),
            field=field_name,
            code=AccessErrorCode.PHOTO_TOO_LARGE,
            params={"limit": settings.QOLDAU_ACCESS_PHOTO_MAX_MB},
        )
    try:
        image_check(upload, field=field_name, formats=PHOTO_FORMATS)
    except NotAnImage:
        raise ValidationFailed(
            _("The file is not a photo. Send a JPEG, PNG or WebP image."),
            field=field_name,
            code=CoreErrorCode.NOT_AN_IMAGE,
        ) from None


@transaction.atomic
def photo_add(
    *,
    actor: Actor,
    obj: AccessObject,
    upload: UploadedFile,
    caption: str = "",
    zone: str = "",
    passport: Passport | None = None,
) -> ObjectPhoto:
    """Attach a photo to an object (and to a passport draft's zone, for a surveyor)."""
    if passport is not None:
        if passport.object_id != obj.pk:
            raise ValidationFailed(_("The passport is not of this object."), field="passport")
        policy.check_may_survey_object(actor, obj)
        if passport.state != Passport.State.DRAFT:
            raise ValidationFailed(_("A submitted passport is never changed; start a re-survey instead."))
    else:
        policy.check_may_add_object_photo(actor, obj)
    if zone and zone not in Zone.values:
        raise ValidationFailed(_("Unknown zone."), field="zone", code=ErrorCode.INVALID_CHOICE)
    check_photo(upload)
    photo = ObjectPhoto.objects.create(
        object=obj,
        passport=passport,
        zone=zone,
        image=upload,
        caption=caption.strip()[:300],
        uploaded_by=acting_user(actor),
    )
    audit_record(actor, "access.photo_add", object_type="access_object", object_id=obj.pk)
    return photo


# Surveyors ------------------------------------------------------------------------------


@transaction.atomic
def surveyor_assign(*, actor: Actor, obj: AccessObject, surveyor: User, reason: str = "") -> SurveyAssignment:
    """Give an object to a surveyor. The user must hold the surveyor role."""
    policy.check_may_manage_object(actor, obj)
    policy.check_may_be_assigned_surveys(surveyor)
    assignment, _created = SurveyAssignment.objects.get_or_create(
        surveyor=surveyor,
        object=obj,
        active=True,
        defaults={"assigned_by": acting_user(actor), "reason": reason[:300]},
    )
    audit_record(
        actor,
        "access.surveyor_assign",
        object_type="access_object",
        object_id=obj.pk,
        details={"surveyor": surveyor.pk},
    )
    return assignment


@transaction.atomic
def surveyor_unassign(*, actor: Actor, assignment: SurveyAssignment) -> None:
    policy.check_may_manage_object(actor, assignment.object)
    SurveyAssignment.objects.filter(pk=assignment.pk).update(active=False)
    audit_record(
        actor,
        "access.surveyor_unassign",
        object_type="access_object",
        object_id=assignment.object_id,
        details={"surveyor": assignment.surveyor_id},
    )


# Passports ------------------------------------------------------------------------------


@transaction.atomic
def passport_open(*, actor: Actor, obj: AccessObject) -> Passport:
    """The object's draft passport, started if there is none. A re-survey starts from the
    latest submitted passport's answers, which stays as it was."""
    policy.check_may_survey_object(actor, obj)
    # Lock the object row so two surveyors opening at once share one draft.
    AccessObject.objects.select_for_update().filter(pk=obj.pk).first()
    draft = Passport.objects.filter(object=obj, state=Passport.State.DRAFT).first()
    if draft is not None:
        return draft
    previous = Passport.objects.filter(object=obj, state=Passport.State.SUBMITTED).order_by("-number").first()
    number = (Passport.objects.filter(object=obj).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            draft = Passport.objects.create(object=obj, number=number, surveyor=acting_user(actor))
    except IntegrityError:
        # Another surveyor started the draft at the same moment (SQLite does not lock the
        # row above): the one-draft constraint refused ours, so share theirs.
        return Passport.objects.get(object=obj, state=Passport.State.DRAFT)
    if previous is not None:
        PassportItem.objects.bulk_create(
            PassportItem(
                passport=draft,
                code=item.code,
                result=item.result,
                measurement=item.measurement,
                comment=item.comment,
            )
            for item in previous.items.all()
        )
        PassportZoneStatus.objects.bulk_create(
            PassportZoneStatus(
                passport=draft, zone=row.zone, category=row.category, status=row.status, comment=row.comment
            )
            for row in previous.zone_statuses.all()
        )
    audit_record(
        actor,
        "access.passport_open",
        object_type="access_passport",
        object_id=draft.pk,
        details={"object": obj.pk, "number": number},
    )
    return draft


@dataclass(frozen=True)
class ItemAnswer:
    result: str
    measurement: Decimal | str | None = None
    comment: str = ""


@dataclass(frozen=True)
class ZoneAnswer:
    status: str
    comment: str = ""


@dataclass
class PassportInput:
    surveyed_on: dt.date | None = None
    comment: str = ""
    items: dict[str, ItemAnswer] = field(default_factory=dict)
    # Keyed by (zone, category).
    zones: dict[tuple[str, str], ZoneAnswer] = field(default_factory=dict)


def _measurement(code: str, raw: Decimal | str | None) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw).replace(",", ".").strip())
    except InvalidOperation:
        raise ValidationFailed(
            _("The measurement of “%(item)s” is not a number."),
            field=f"item-{code}-measurement",
            code=AccessErrorCode.INVALID_MEASUREMENT,
            params={"item": checklist.ITEMS[code].label},
        ) from None
    if not value.is_finite() or value < 0 or value >= Decimal("1000000"):
        raise ValidationFailed(
            _("The measurement of “%(item)s” is out of range."),
            field=f"item-{code}-measurement",
            code=AccessErrorCode.INVALID_MEASUREMENT,
            params={"item": checklist.ITEMS[code].label},
        )
    return value


def _check_answers(data: PassportInput) -> dict[str, tuple[str, Decimal | None, str]]:
    """The items as (result, measurement, comment), each checked against the catalogue and
    its norm; zone answers checked for known zones, categories and statuses."""
    items: dict[str, tuple[str, Decimal | None, str]] = {}
    for code, answer in data.items.items():
        item = checklist.ITEMS.get(code)
        if item is None:
            raise ValidationFailed(
                _("Unknown checklist item %(code)s."),
                field="items",
                code=AccessErrorCode.UNKNOWN_ITEM,
                params={"code": code},
            )
        if answer.result not in PassportItem.Result.values:
            raise ValidationFailed(
                _("Choose a result for “%(item)s”."),
                field=f"item-{code}-result",
                code=ErrorCode.INVALID_CHOICE,
                params={"item": item.label},
            )
        value = _measurement(code, answer.measurement)
        if value is not None and item.unit and answer.result != checklist.NOT_APPLICABLE:
            meets = item.measurement_meets_norm(value)
            if meets != (answer.result == checklist.MET):
                raise ValidationFailed(
                    _("The measurement %(value)s %(unit)s of “%(item)s” contradicts the result chosen."),
                    field=f"item-{code}-result",
                    code=AccessErrorCode.MEASUREMENT_CONTRADICTS_RESULT,
                    params={"value": value, "unit": item.unit, "item": item.label},
                )
        items[code] = (answer.result, value, answer.comment.strip()[:500])
    for (zone, category), zone_answer in data.zones.items():
        if zone not in Zone.values or category not in PeopleCategory.values:
            raise ValidationFailed(
                _("Unknown zone or category."), field="zones", code=ErrorCode.INVALID_CHOICE
            )
        if zone_answer.status not in ZoneStatus.values:
            raise ValidationFailed(
                _("Choose a status for every zone and category."),
                field=f"zone-{zone}-{category}",
                code=ErrorCode.INVALID_CHOICE,
            )
    return items


def _check_draft(actor: Actor, passport: Passport) -> None:
    policy.check_may_fill_passport(actor, passport)
    if passport.state != Passport.State.DRAFT:
        raise ValidationFailed(
            _("A submitted passport is never changed; start a re-survey instead."),
            code=AccessErrorCode.PASSPORT_SUBMITTED,
        )


@transaction.atomic
def passport_save(
    *, actor: Actor, passport: Passport, expected_version: int, data: PassportInput
) -> Passport:
    """Save a draft's answers. A draft may be incomplete, but what it holds is checked; two
    surveyors saving the same draft never overwrite each other (the second gets
    EditConflict and nothing of theirs is written)."""
    _check_draft(actor, passport)
    items = _check_answers(data)
    if data.surveyed_on is not None and data.surveyed_on > timezone.localdate():
        raise ValidationFailed(_("The survey date cannot be in the future."), field="surveyed_on")
    save_versioned(
        passport,
        expected_version,
        {"surveyed_on": data.surveyed_on, "comment": data.comment.strip(), "surveyor": acting_user(actor)},
    )
    for code, (result, value, comment) in items.items():
        PassportItem.objects.update_or_create(
            passport=passport,
            code=code,
            defaults={"result": result, "measurement": value, "comment": comment},
        )
    for (zone, category), answer in data.zones.items():
        PassportZoneStatus.objects.update_or_create(
            passport=passport,
            zone=zone,
            category=category,
            defaults={"status": answer.status, "comment": answer.comment.strip()[:500]},
        )
    audit_record(actor, "access.passport_save", object_type="access_passport", object_id=passport.pk)
    return passport


def passport_problems(passport: Passport) -> list[str]:
    """What stops a draft from being submitted: missing items, zones and statuses that the
    checklist does not back. Empty when it is complete."""
    results = dict(passport.items.values_list("code", "result"))
    statuses = {(z, c): s for z, c, s in passport.zone_statuses.values_list("zone", "category", "status")}
    problems: list[str] = []
    missing_items = [item for item in checklist.CHECKLIST if item.code not in results]
    if missing_items:
        problems.append(
            str(
                _("These checklist items have no result: %(items)s.")
                % {"items": "; ".join(str(item.label) for item in missing_items)}
            )
        )
    for zone in Zone:
        missing = [c for c in PeopleCategory.values if (zone.value, c) not in statuses]
        if missing:
            problems.append(
                str(
                    _("Zone “%(zone)s” has no status for categories %(categories)s.")
                    % {"zone": zone.label, "categories": ", ".join(missing)}
                )
            )
            continue
        for category in PeopleCategory.values:
            problem = checklist.zone_status_problem(
                results, zone.value, category, statuses[(zone.value, category)]
            )
            if problem:
                problems.append(
                    str(
                        _("Zone “%(zone)s”, category %(category)s: %(problem)s")
                        % {"zone": zone.label, "category": category, "problem": problem}
                    )
                )
    return problems


@transaction.atomic
def passport_submit(*, actor: Actor, passport: Passport, expected_version: int) -> Passport:
    """Submit a complete draft: it is never changed again; the object's public statuses
    follow from it by the rule in `checklist`; every shortfall gets an unplanned measure;
    the object's survey assignments end."""
    _check_draft(actor, passport)
    locked = Passport.objects.select_for_update().get(pk=passport.pk)
    if locked.version != expected_version:
        raise EditConflict(
            _(
                "Someone else saved this record after you opened it. "
                "Reload the page to see their changes, then make yours again."
            )
        )
    problems = passport_problems(passport)
    if problems:
        raise ValidationFailed(
            _("The passport is not complete: %(problems)s"),
            code=AccessErrorCode.PASSPORT_INCOMPLETE,
            params={"problems": " ".join(problems)},
        )
    now = timezone.now()
    surveyed_on = passport.surveyed_on or timezone.localdate()
    save_versioned(
        passport,
        expected_version,
        {"state": Passport.State.SUBMITTED, "submitted_at": now, "surveyed_on": surveyed_on},
    )
    statuses = checklist.public_statuses(passport.zone_statuses.values_list("zone", "category", "status"))
    obj = passport.object
    changes: dict[str, Any] = {STATUS_FIELD[PeopleCategory(c)]: s.value for c, s in statuses.items()}
    changes["passported_on"] = surveyed_on
    # update() skips auto_now; the public map's cache key (map.data_stamp) reads it.
    changes["updated_at"] = now
    AccessObject.objects.filter(pk=obj.pk).update(**changes)
    for name, value in changes.items():
        setattr(obj, name, value)
    shortfalls = [
        checklist.ITEMS[code]
        for code in passport.items.filter(result=checklist.NOT_MET).values_list("code", flat=True)
    ]
    Measure.objects.bulk_create(
        Measure(object=obj, passport=passport, zone=item.zone, item_code=item.code) for item in shortfalls
    )
    SurveyAssignment.objects.filter(object=obj, active=True).update(active=False)
    audit_record(
        actor,
        "access.passport_submit",
        object_type="access_passport",
        object_id=passport.pk,
        details={
            "object": obj.pk,
            "statuses": {c: s.value for c, s in statuses.items()},
            "shortfalls": len(shortfalls),
        },
    )
    return passport


# Remediation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurePlan:
    kind: str
    deadline: dt.date | None = None
    cost: Decimal | str | None = None
    responsible_id: int | None = None
    responsible_name: str = ""
    note: str = ""


@transaction.atomic
def measure_plan(*, actor: Actor, measure: Measure, expected_version: int, plan: MeasurePlan) -> Measure:
    """Decide what is done about a shortfall. A measure other than "none needed" needs a
    responsible party, a deadline and a cost of zero or more."""
    policy.check_may_manage_object(actor, measure.object)
    if measure.state == Measure.State.DONE:
        raise ValidationFailed(_("This measure is already done."), code=AccessErrorCode.MEASURE_DONE)
    if plan.kind not in Measure.Kind.values:
        raise ValidationFailed(_("Choose a measure."), field="kind", code=ErrorCode.INVALID_CHOICE)
    cost: Decimal | None = None
    if plan.cost not in (None, ""):
        try:
            cost = bounds.parse(bounds.Cost, plan.cost)
        except bounds.BoundError as exc:
            raise ValidationFailed(
                _("The cost is a sum in tenge, zero or more."),
                field="cost",
                code=AccessErrorCode.INVALID_COST,
            ) from exc
    if plan.responsible_id is not None and not Organisation.objects.filter(pk=plan.responsible_id).exists():
        raise ValidationFailed(
            _("There is no such organisation."), field="responsible", code=CoreErrorCode.UNKNOWN_ORGANISATION
        )
    if plan.kind != Measure.Kind.NONE_NEEDED:
        if plan.deadline is None:
            raise ValidationFailed(_("Set a deadline."), field="deadline", code=ErrorCode.REQUIRED)
        if cost is None:
            raise ValidationFailed(_("Set the cost, in tenge."), field="cost", code=ErrorCode.REQUIRED)
        if plan.responsible_id is None and not plan.responsible_name.strip():
            raise ValidationFailed(
                _("Name who is responsible."), field="responsible", code=ErrorCode.REQUIRED
            )
    save_versioned(
        measure,
        expected_version,
        {
            "kind": plan.kind,
            "state": Measure.State.PLANNED,
            "deadline": plan.deadline,
            "cost": cost,
            "responsible_id": plan.responsible_id,
            "responsible_name": plan.responsible_name.strip()[:300],
            "note": plan.note.strip()[:500],
        },
    )
    audit_record(actor, "access.measure_plan", object_type="access_measure", object_id=measure.pk)
    return measure


@transaction.atomic
def measure_complete(
    *,
    actor: Actor,
    measure: Measure,
    expected_version: int,
    completed_on: dt.date,
    resurvey_by: User | None = None,
) -> Measure:
    """Mark a planned measure done; optionally give the object to a surveyor for a
    re-survey, whose passport will then show what changed."""
    policy.check_may_manage_object(actor, measure.object)
    if measure.state != Measure.State.PLANNED:
        raise ValidationFailed(
            _("Only a planned measure can be completed."), code=AccessErrorCode.MEASURE_NOT_PLANNED
        )
    if completed_on > timezone.localdate():
        raise ValidationFailed(_("The completion date cannot be in the future."), field="completed_on")
    save_versioned(measure, expected_version, {"state": Measure.State.DONE, "completed_on": completed_on})
    audit_record(actor, "access.measure_complete", object_type="access_measure", object_id=measure.pk)
    if resurvey_by is not None:
        surveyor_assign(
            actor=actor,
            obj=measure.object,
            surveyor=resurvey_by,
            reason=str(_("Re-survey after a completed measure")),
        )
    return measure


# Barrier reports ------------------------------------------------------------------------


@transaction.atomic
def barrier_report_submit(
    *,
    actor: Actor | None,
    object_id: int,
    description: str,
    category: str = "",
    zone: str = "",
    photo: UploadedFile | None = None,
    contact: str = "",
    channel: str = BarrierReport.Channel.WEB,
) -> BarrierReport:
    """Anyone may report a barrier at an object; it becomes a task for the object's owner
    and the officers of its region."""
    obj = AccessObject.objects.filter(pk=object_id).first()
    if obj is None:
        raise NotFound(_("There is no such object."))
    text = (description or "").strip()
    if not text:
        raise ValidationFailed(_("Describe the barrier."), field="description", code=ErrorCode.REQUIRED)
    if len(text) > 4000:
        raise ValidationFailed(
            _("Keep the description under %(limit)s characters."),
            field="description",
            code=ErrorCode.TOO_LONG,
            params={"limit": 4000},
        )
    if category and category not in PeopleCategory.values:
        raise ValidationFailed(_("Unknown category."), field="category", code=ErrorCode.INVALID_CHOICE)
    if zone and zone not in Zone.values:
        raise ValidationFailed(_("Unknown zone."), field="zone", code=ErrorCode.INVALID_CHOICE)
    if channel not in BarrierReport.Channel.values:
        raise ValidationFailed(_("Unknown channel."), field="channel", code=ErrorCode.INVALID_CHOICE)
    if photo is not None:
        check_photo(photo)
    report = BarrierReport.objects.create(
        object=obj,
        category=category,
        zone=zone,
        description=text,
        photo=photo or "",
        contact=(contact or "").strip()[:300],
        channel=channel,
    )
    audit_record(
        actor,
        "access.barrier_report",
        object_type="access_barrier_report",
        object_id=report.pk,
        details={"object": obj.pk, "channel": channel},
    )
    return report


@transaction.atomic
def barrier_report_handle(
    *, actor: Actor, report: BarrierReport, state: str, resolution: str = ""
) -> BarrierReport:
    """Move a barrier report on: in progress, resolved or not confirmed (the last two with
    what was done or found)."""
    policy.check_may_handle_barrier_report(actor, report)
    if state not in BarrierReport.State.values or state == BarrierReport.State.NEW:
        raise ValidationFailed(
            _("Choose what happens to the report."), field="state", code=ErrorCode.INVALID_CHOICE
        )
    text = (resolution or "").strip()
    if state in (BarrierReport.State.RESOLVED, BarrierReport.State.REJECTED) and not text:
        raise ValidationFailed(_("Say what was done or found."), field="resolution", code=ErrorCode.REQUIRED)
    report.state = state
    report.resolution = text
    report.handled_by = acting_user(actor)
    report.resolved_at = timezone.now() if state != BarrierReport.State.IN_PROGRESS else None
    report.save(update_fields=["state", "resolution", "handled_by", "resolved_at"])
    audit_record(
        actor,
        "access.barrier_report_handle",
        object_type="access_barrier_report",
        object_id=report.pk,
        details={"state": state},
    )
    return report
