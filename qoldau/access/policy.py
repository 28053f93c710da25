"""Who may see and do what with infrastructure objects, their passports, remediation
measures, barrier reports, object imports and the progress pages: each rule once, as a
query for lists (`..._visible`, `..._able_by`) beside a check for one record (`may_...`),
and, where the rule refuses, `check_may_...` raising the refusal written next to it.

The roles, in the words of the rules below:

- a system administrator reads and manages every object;
- a ministry (national) officer reads every object and its passports, measures and
  barrier reports, and manages none: the ministry follows, it does not act, and it never
  reads who reported a barrier;
- an akimat officer reads and manages the objects of their region, wherever their owner is
  registered;
- the staff (and administrators) of an organisation read and manage the objects it owns,
  in any region;
- a surveyor reads the objects assigned to them and fills their passports, and manages
  nothing.

What is public needs no rule here: the map, an object's public page with its statuses and
public photos, submitted passports' figures, the progress figures, and reporting a barrier
are open to anyone, signed in or not (`map.py`, `views/public.py`, `api.py`).

Only this module asks `qoldau.core.access.user_scope` in the access app; selectors,
services, imports, exports and views ask the rules here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.access.errors import AccessErrorCode
from qoldau.access.models import AccessObject, BarrierReport, Measure, ObjectPhoto, Passport, SurveyAssignment
from qoldau.core import policy as core_policy
from qoldau.core.access import Scope, user_scope
from qoldau.core.errors import NotFound, PermissionDenied, ValidationFailed
from qoldau.core.models import Organisation, Place, Role
from qoldau.core.services import Actor
from qoldau.imports.models import ImportKind, ImportRun

# The building blocks ----------------------------------------------------------------------
# Three circles of people around an object, from the widest: those who oversee it (read its
# working records), those who manage it (act on it), and its surveyors.


def _manages(scope: Scope, region_id: int, owner_id: int | None) -> bool:
    return (
        scope.system_admin
        or region_id in scope.region_ids
        or (owner_id is not None and owner_id in scope.organisation_ids)
    )


def _managed_q(scope: Scope, prefix: str = "") -> Q | None:
    """`_manages` as a condition over objects (or, with `prefix` "object__", over their
    passports, measures, reports, photos); None for every object."""
    if scope.system_admin:
        return None
    in_region = Q(**{f"{prefix}region_id__in": scope.region_ids})
    return in_region | Q(**{f"{prefix}owner_id__in": scope.organisation_ids})


def _oversees(scope: Scope, region_id: int, owner_id: int | None) -> bool:
    return scope.national or _manages(scope, region_id, owner_id)


def _overseen_q(scope: Scope, prefix: str = "") -> Q | None:
    if scope.system_admin or scope.national:
        return None
    return _managed_q(scope, prefix)


def _assigned_object_ids(user: Actor) -> QuerySet[SurveyAssignment, Any]:
    return SurveyAssignment.objects.filter(surveyor_id=user.pk, active=True).values("object_id")


def _is_assigned(user: Actor, obj: AccessObject) -> bool:
    return SurveyAssignment.objects.filter(surveyor_id=user.pk, object_id=obj.pk, active=True).exists()


def _read_q(user: Actor, prefix: str = "") -> Q | None:
    """The objects a user reads (see `objects_visible`) as a condition; None for all."""
    scope = user_scope(user)
    condition = _overseen_q(scope, prefix)
    if condition is not None and scope.surveyor:
        condition |= Q(**{f"{prefix}pk__in": _assigned_object_ids(user)})
    return condition


def _where(qs: QuerySet[AccessObject], condition: Q | None) -> QuerySet[AccessObject]:
    return qs if condition is None else qs.filter(condition)


# Refusals -----------------------------------------------------------------------------------
# Not found: for what the user may not even see, worded so that a record that is not there
# and one outside the user's scope look the same (the selectors raise them when a record's
# look-up through the query form finds nothing). Refused (PermissionDenied): for what the
# user sees but may not do, raised by the `check_may_...` of each rule.


def object_not_found() -> NotFound:
    return NotFound(_("There is no such object, or it is outside your scope."))


def passport_not_found() -> NotFound:
    return NotFound(_("There is no such passport, or it is outside your scope."))


def measure_not_found() -> NotFound:
    return NotFound(_("There is no such measure, or it is outside your scope."))


def photo_not_found() -> NotFound:
    return NotFound(_("There is no such photo, or it is outside your scope."))


def barrier_report_not_found() -> NotFound:
    return NotFound(_("There is no such report, or it is outside your scope."))


def _manage_refused() -> PermissionDenied:
    return PermissionDenied(_("Only the officers of the object's region or its owner's staff may do this."))


# Working with objects at all ------------------------------------------------------------------


def may_work_with_objects(user: Actor) -> bool:
    """The officers' and owners' pages of objects and barrier reports are for akimat and
    ministry officers, the staff of organisations (owners), surveyors and administrators;
    what each of them finds there follows the rules below."""
    scope = user_scope(user)
    return bool(
        scope.system_admin or scope.national or scope.region_ids or scope.organisation_ids or scope.surveyor
    )


def check_may_work_with_objects(user: Actor) -> None:
    if not may_work_with_objects(user):
        raise PermissionDenied(_("Only officers, owners' staff and surveyors work with objects here."))


# Reading objects ------------------------------------------------------------------------------


def objects_visible(user: Actor) -> QuerySet[AccessObject]:
    """Objects a user reads on the staff pages, with their drafts and photos: every object
    for administrators and the ministry (which only reads), their region's for akimat
    officers, their organisations' for owners' staff, and the ones assigned to them for
    surveyors. Nothing for anyone else."""
    return _where(AccessObject.objects.all(), _read_q(user))


def may_read_object(user: Actor, obj: AccessObject) -> bool:
    """`objects_visible`, for one object."""
    scope = user_scope(user)
    if _oversees(scope, obj.region_id, obj.owner_id):
        return True
    return scope.surveyor and _is_assigned(user, obj)


def check_may_read_object(user: Actor, obj: AccessObject) -> None:
    if not may_read_object(user, obj):
        raise object_not_found()


# Managing objects -----------------------------------------------------------------------------


def objects_manageable_by(user: Actor) -> QuerySet[AccessObject]:
    """Objects a user manages: edits, photographs, assigns and unassigns surveyors for,
    plans and completes measures of, and whose barrier reports they handle. The akimat
    officers of the object's region, the staff of its owner organisation and
    administrators; never the ministry, never a surveyor."""
    return _where(AccessObject.objects.all(), _managed_q(user_scope(user)))


def may_manage_object(user: Actor, obj: AccessObject) -> bool:
    """`objects_manageable_by`, for one object."""
    return _manages(user_scope(user), obj.region_id, obj.owner_id)


def check_may_manage_object(user: Actor, obj: AccessObject) -> None:
    if not may_manage_object(user, obj):
        raise _manage_refused()


# Registering and importing objects ----------------------------------------------------------


def may_register_object_in(user: Actor, *, region_id: int, owner_id: int | None) -> bool:
    """Who may register (or, by editing, move) an object into a region with an owner: the
    same people who would then manage it, so an organisation's staff register only objects
    their organisation owns, and an akimat officer any object of their region."""
    return _manages(user_scope(user), region_id, owner_id)


_REGISTER_REFUSAL = _("Objects are registered by the officers of their region or by their owner's staff.")
_IMPORT_REFUSAL = _("Objects are imported by the officers of their region or by their owner's staff.")


def check_may_register_object_in(user: Actor, *, region_id: int, owner_id: int | None) -> None:
    if not may_register_object_in(user, region_id=region_id, owner_id=owner_id):
        raise PermissionDenied(_REGISTER_REFUSAL)


def regions_registrable_by(user: Actor) -> QuerySet[Place]:
    """Regions where a user may register or import objects: their own for akimat officers,
    every region for administrators and for owners' staff (whose organisations' objects may
    stand anywhere; `may_register_object_in` keeps them to those)."""
    scope = user_scope(user)
    regions = Place.objects.filter(level=Place.Level.REGION)
    if scope.system_admin or scope.organisation_ids:
        return regions
    return regions.filter(pk__in=scope.region_ids)


def may_register_in_region(user: Actor, region: Place) -> bool:
    """`regions_registrable_by`, for one region."""
    scope = user_scope(user)
    if region.level != Place.Level.REGION:
        return False
    return bool(scope.system_admin or scope.organisation_ids or region.pk in scope.region_ids)


def may_register_objects(user: Actor) -> bool:
    """Whether a user may register objects anywhere at all (`regions_registrable_by` is not
    empty): akimat officers, owners' staff and administrators."""
    scope = user_scope(user)
    return bool(scope.system_admin or scope.region_ids or scope.organisation_ids)


def check_may_register_objects(user: Actor) -> None:
    if not may_register_objects(user):
        raise PermissionDenied(_REGISTER_REFUSAL)


def check_may_import_objects(user: Actor) -> None:
    """Importing a list of objects is registering them many at a time: the same people."""
    if not may_register_objects(user):
        raise PermissionDenied(_IMPORT_REFUSAL)


def object_owners_importable(user: Actor, region: Place) -> frozenset[int] | None:
    """Whose objects a user may import into a region, row by row as `may_register_object_in`:
    None when any owner's (the region's akimat officers, administrators), else the
    organisations they work for (empty for anyone else)."""
    scope = user_scope(user)
    if scope.system_admin or region.pk in scope.region_ids:
        return None
    return scope.organisation_ids


def check_may_import_objects_into(user: Actor, region: Place) -> None:
    """Objects are imported into one region, by its akimat officers, administrators, or the
    staff of an organisation (whose own objects only are then taken from the file)."""
    if region.level != Place.Level.REGION:
        raise PermissionDenied(_("Objects are imported into a region."))
    if object_owners_importable(user, region) is None:
        return
    if not user_scope(user).organisation_ids:
        raise PermissionDenied(_IMPORT_REFUSAL)


def owner_proposed_for_new_object(user: Actor) -> Organisation | None:
    """The owner a new object's form starts with: the one organisation of a user who may
    register only their organisation's objects; None for officers and administrators, who
    register anyone's."""
    scope = user_scope(user)
    if scope.system_admin or scope.region_ids or len(scope.organisation_ids) != 1:
        return None
    return Organisation.objects.filter(pk__in=scope.organisation_ids).first()


def object_import_runs_visible(user: Actor) -> QuerySet[ImportRun]:
    """Imports of objects a user sees: those into the regions they are an akimat officer
    of, and those they made themselves; all of them for administrators and the ministry."""
    runs = ImportRun.objects.filter(kind=ImportKind.OBJECTS)
    if not user.is_authenticated:
        return runs.none()
    scope = user_scope(user)
    if scope.system_admin or scope.national:
        return runs
    return runs.filter(Q(region_id__in=scope.region_ids) | Q(user_id=user.pk))


def may_see_object_import_run(user: Actor, run: ImportRun) -> bool:
    """`object_import_runs_visible`, for one run."""
    if run.kind != ImportKind.OBJECTS or not user.is_authenticated:
        return False
    scope = user_scope(user)
    return bool(
        scope.system_admin
        or scope.national
        or (run.region_id is not None and run.region_id in scope.region_ids)
        or (run.user_id is not None and run.user_id == user.pk)
    )


# Surveying and passports -----------------------------------------------------------------


def objects_surveyable_by(user: Actor) -> QuerySet[AccessObject]:
    """Objects whose passport a user fills: a surveyor those assigned to them (until the
    passport is submitted), an administrator any; nobody else, not even the officers who
    assign them."""
    scope = user_scope(user)
    if scope.system_admin:
        return AccessObject.objects.all()
    if not scope.surveyor:
        return AccessObject.objects.none()
    return AccessObject.objects.filter(pk__in=_assigned_object_ids(user))


def may_survey_object(user: Actor, obj: AccessObject) -> bool:
    """`objects_surveyable_by`, for one object."""
    scope = user_scope(user)
    if scope.system_admin:
        return True
    return scope.surveyor and _is_assigned(user, obj)


def check_may_survey_object(user: Actor, obj: AccessObject) -> None:
    if not may_survey_object(user, obj):
        raise PermissionDenied(_("This object is not assigned to you."))


def passports_fillable_by(user: Actor) -> QuerySet[Passport]:
    """Passports a user may open, fill and submit: those of the objects they survey (a
    submitted one is then refused by its state, not by this rule)."""
    scope = user_scope(user)
    if scope.system_admin:
        return Passport.objects.all()
    return Passport.objects.filter(object__in=objects_surveyable_by(user))


def may_fill_passport(user: Actor, passport: Passport) -> bool:
    """`passports_fillable_by`, for one passport."""
    return may_survey_object(user, passport.object)


def check_may_fill_passport(user: Actor, passport: Passport) -> None:
    check_may_survey_object(user, passport.object)


def surveyors() -> QuerySet[User]:
    """Users who may be given objects to survey: those holding the surveyor role."""
    return User.objects.filter(role_assignments__role=Role.SURVEYOR).distinct()


def may_be_assigned_surveys(user: Actor) -> bool:
    """`surveyors`, for one user."""
    return Role.SURVEYOR in user_scope(user).roles


def not_a_surveyor(field: str = "surveyor") -> ValidationFailed:
    return ValidationFailed(
        _("This user is not a surveyor."), field=field, code=AccessErrorCode.NOT_A_SURVEYOR
    )


def check_may_be_assigned_surveys(user: Actor, *, field: str = "surveyor") -> None:
    if not may_be_assigned_surveys(user):
        raise not_a_surveyor(field)


def passports_visible(user: Actor) -> QuerySet[Passport]:
    """Passports a signed-in user reads: every submitted passport, and the drafts of the
    objects they read (`objects_visible`: the surveyors at work on them, the officers and
    owners' staff waiting for them, the ministry); none for anyone not signed in."""
    if not user.is_authenticated:
        return Passport.objects.none()
    condition = _read_q(user, "object__")
    if condition is None:
        return Passport.objects.all()
    return Passport.objects.filter(Q(state=Passport.State.SUBMITTED) | condition)


def may_read_passport(user: Actor, passport: Passport) -> bool:
    """`passports_visible`, for one passport."""
    if not user.is_authenticated:
        return False
    return passport.state == Passport.State.SUBMITTED or may_read_object(user, passport.object)


def check_may_read_passport(user: Actor, passport: Passport) -> None:
    if not may_read_passport(user, passport):
        raise passport_not_found()


# Photos -----------------------------------------------------------------------------------


def object_photos_visible(user: Actor) -> QuerySet[ObjectPhoto]:
    """Photos a user is served on the staff pages, drafts' included: those of the objects
    they read (`objects_visible`). The public sees only public photos (`selectors`)."""
    condition = _read_q(user, "object__")
    return ObjectPhoto.objects.all() if condition is None else ObjectPhoto.objects.filter(condition)


def may_see_object_photo(user: Actor, photo: ObjectPhoto) -> bool:
    """`object_photos_visible`, for one photo."""
    return may_read_object(user, photo.object)


def objects_photo_addable_by(user: Actor) -> QuerySet[AccessObject]:
    """Objects a user may add a photo to: those they manage, and those they survey (a
    surveyor's photos go with the passport's zones)."""
    return objects_manageable_by(user) | objects_surveyable_by(user)


def may_add_object_photo(user: Actor, obj: AccessObject) -> bool:
    """`objects_photo_addable_by`, for one object."""
    return may_manage_object(user, obj) or may_survey_object(user, obj)


def check_may_add_object_photo(user: Actor, obj: AccessObject) -> None:
    if not may_add_object_photo(user, obj):
        raise _manage_refused()


# Measures ---------------------------------------------------------------------------------


def measures_visible(user: Actor) -> QuerySet[Measure]:
    """Remediation measures a user reads: those of the objects they oversee (every object
    for administrators and the ministry, their region's for akimat officers, their
    organisations' for owners' staff); never a surveyor's, who surveys and plans nothing.
    Planning and completing a measure is managing its object (`may_manage_object`)."""
    condition = _overseen_q(user_scope(user), "object__")
    return Measure.objects.all() if condition is None else Measure.objects.filter(condition)


def may_read_measure(user: Actor, measure: Measure) -> bool:
    """`measures_visible`, for one measure."""
    obj = measure.object
    return _oversees(user_scope(user), obj.region_id, obj.owner_id)


def check_may_read_measure(user: Actor, measure: Measure) -> None:
    if not may_read_measure(user, measure):
        raise measure_not_found()


# Barrier reports --------------------------------------------------------------------------


def barrier_reports_visible(user: Actor) -> QuerySet[BarrierReport]:
    """Barrier reports a user reads: those of the objects they oversee, as for measures;
    the ministry reads them all, without the reporters' contacts."""
    condition = _overseen_q(user_scope(user), "object__")
    return BarrierReport.objects.all() if condition is None else BarrierReport.objects.filter(condition)


def may_read_barrier_report(user: Actor, report: BarrierReport) -> bool:
    """`barrier_reports_visible`, for one report."""
    obj = report.object
    return _oversees(user_scope(user), obj.region_id, obj.owner_id)


def check_may_read_barrier_report(user: Actor, report: BarrierReport) -> None:
    if not may_read_barrier_report(user, report):
        raise barrier_report_not_found()


def barrier_reports_handled_by(user: Actor) -> QuerySet[BarrierReport]:
    """Barrier reports a user handles (takes on, resolves, rejects): those of the objects
    they manage; a report is a task of the object's owner and its region's officers."""
    condition = _managed_q(user_scope(user), "object__")
    return BarrierReport.objects.all() if condition is None else BarrierReport.objects.filter(condition)


def may_handle_barrier_report(user: Actor, report: BarrierReport) -> bool:
    """`barrier_reports_handled_by`, for one report."""
    return may_manage_object(user, report.object)


def check_may_handle_barrier_report(user: Actor, report: BarrierReport) -> None:
    if not may_handle_barrier_report(user, report):
        raise _manage_refused()


def barrier_reports_with_contact(user: Actor) -> QuerySet[BarrierReport]:
    """Reports whose reporter's contact (a phone or an e-mail: personal data) a user may
    read: exactly those they handle, so that whoever answers the person can reach them.
    Never the ministry's, whose officers see figures and no people: they read the reports,
    not who sent them. Each read is audited (`selectors.barrier_report_contact`)."""
    return barrier_reports_handled_by(user)


def may_read_reporter_contact(user: Actor, report: BarrierReport) -> bool:
    """`barrier_reports_with_contact`, for one report."""
    return may_handle_barrier_report(user, report)


# Progress to the target year ------------------------------------------------------------


def may_follow_progress(user: Actor) -> bool:
    """Akimat officers, the ministry and administrators follow progress signed in, for any
    region or the whole country, and export it; anyone else is sent to the public page,
    which shows the same figures."""
    scope = user_scope(user)
    return scope.system_admin or scope.national or bool(scope.region_ids)


def progress_home_region(user: Actor) -> Place | None:
    """The region the progress page opens on: an akimat officer's own (when they have one
    region and no national view); None (the whole country) for everyone else."""
    scope = user_scope(user)
    if len(scope.region_ids) != 1 or scope.national or scope.system_admin:
        return None
    return Place.objects.filter(pk=next(iter(scope.region_ids))).first()


def may_export_progress(user: Actor) -> bool:
    """An export of the (public) progress figures is a job kept for the user who asked:
    anyone signed in may have one (core's rule for every export); the pages offer it to
    those who follow progress."""
    return core_policy.may_export(user)


def check_may_export_progress(user: Actor) -> None:
    core_policy.check_may_export(user)
