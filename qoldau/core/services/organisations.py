"""Organisations and roles: registering and editing an organisation, giving and taking
away a role, and a user's language."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.core.identifiers import validate_bin
from qoldau.core.models import ORGANISATION_ROLES, Organisation, Place, Role, RoleAssignment, UserPreference
from qoldau.core.services.common import require_text, save_versioned
from qoldau.core.services.places import resolve_region_district
from qoldau.core.transactions import check_in_transaction

ORGANISATION_EDITABLE = (
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "address",
    "phone",
    "email",
    "website",
    "in_state_ngo_database",
)


def _clean_organisation_fields(data: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in data.items() if k in ORGANISATION_EDITABLE}
    if "name_kk" in clean:
        clean["name_kk"] = require_text(clean["name_kk"], "name_kk", str(_("Name in Kazakh")))
    if "kind" in clean and clean["kind"] not in Organisation.Kind.values:
        raise ValidationFailed(
            _("Unknown kind of organisation."), field="kind", code=ErrorCode.INVALID_CHOICE
        )
    if clean.get("email"):
        try:
            EmailValidator()(clean["email"])
        except DjangoValidationError:
            raise ValidationFailed(_("Enter a valid e-mail address."), field="email") from None
    if clean.get("website"):
        try:
            URLValidator()(clean["website"])
        except DjangoValidationError:
            raise ValidationFailed(_("Enter a valid web address."), field="website") from None
    return clean


def organisation_create(
    *,
    actor: Actor | None,
    bin: str | None,
    kind: str,
    name_kk: str,
    region_id: int,
    district_id: int | None = None,
    **fields: Any,
) -> Organisation:
    """Register an organisation. The BIN must pass its check digit and be new; only an
    initiative group may have none."""
    with transaction.atomic(durable=True):
        return organisation_create_in_transaction(
            actor=actor,
            bin=bin,
            kind=kind,
            name_kk=name_kk,
            region_id=region_id,
            district_id=district_id,
            **fields,
        )


def organisation_create_in_transaction(
    *,
    actor: Actor | None,
    bin: str | None,
    kind: str,
    name_kk: str,
    region_id: int,
    district_id: int | None = None,
    **fields: Any,
) -> Organisation:
    """`organisation_create` inside the caller's transaction."""
    check_in_transaction()
    clean = _clean_organisation_fields({"kind": kind, "name_kk": name_kk, **fields})
    number = validate_bin(bin) if bin else None
    if number is None and kind != Organisation.Kind.INITIATIVE_GROUP:
        raise ValidationFailed(_("BIN is required."), field="bin", code=ErrorCode.REQUIRED)
    region, district = resolve_region_district(region_id, district_id, region_required=True)
    if region is None:  # resolve_region_district raised already; this narrows the type
        raise ValidationFailed(_("Region is required."), field="region", code=ErrorCode.REQUIRED)
    if number and Organisation.objects.filter(bin=number).exists():
        raise Conflict(
            _("An organisation with BIN %(number)s is already registered."),
            field="bin",
            code=ErrorCode.DUPLICATE,
            params={"number": number},
        )
    organisation = Organisation.objects.create(bin=number, region=region, district=district, **clean)
    audit_record(
        actor,
        "organisation.create",
        object_type="organisation",
        object_id=organisation.pk,
        organisation_id=organisation.pk,
    )
    return organisation


def organisation_update(
    *,
    actor: Actor,
    organisation: Organisation,
    expected_version: int,
    region_id: int | None = None,
    district_id: int | None = None,
    **fields: Any,
) -> Organisation:
    """Change an organisation's profile; only its NGO administrators (or a system
    administrator) may, and a stale version is refused."""
    policy.check_may_administer_organisation(actor, organisation)
    changes = _clean_organisation_fields(fields)
    if region_id is not None or district_id is not None:
        region, district = resolve_region_district(
            region_id or organisation.region_id, district_id, region_required=True
        )
        changes["region"], changes["district"] = region, district
    with transaction.atomic(durable=True):
        save_versioned(organisation, expected_version, changes)
        audit_record(
            actor,
            "organisation.update",
            object_type="organisation",
            object_id=organisation.pk,
            organisation_id=organisation.pk,
            details={"fields": sorted(changes)},
        )
    return organisation


def role_check_scope(*, role: str, organisation: Organisation | None, region: Place | None) -> None:
    """A role's scope must fit it: an organisation for NGO roles, a region for akimats."""
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), field="role", code=ErrorCode.INVALID_CHOICE)
    if role == Role.JOB_COACH and organisation is None:
        raise ValidationFailed(_("A job coach works for an organisation: choose it."), field="organisation")
    if role == Role.EMPLOYER_STAFF and organisation is None:
        raise ValidationFailed(
            _("An employer's staff member works for the employer: choose it."), field="organisation"
        )
    if role == Role.INTERPRETER and organisation is None:
        raise ValidationFailed(
            _("A sign-language interpreter works for an interpreting service's organisation: choose it."),
            field="organisation",
        )
    if role in ORGANISATION_ROLES and organisation is None:
        raise ValidationFailed(_("An NGO role needs an organisation."), field="organisation")
    if role == Role.CONSULTANT and organisation is None:
        raise ValidationFailed(
            _("A consultant answers for an organisation: choose it."), field="organisation"
        )
    if role == Role.AKIMAT_OFFICER and (region is None or region.level != Place.Level.REGION):
        raise ValidationFailed(_("An akimat officer needs a region."), field="region")


def role_assign(
    *,
    actor: Actor | None,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    region: Place | None = None,
) -> RoleAssignment:
    """Give a user a role within the scope it needs; a role they hold already is returned as it is."""
    with transaction.atomic(durable=True):
        return role_assign_in_transaction(
            actor=actor, user=user, role=role, organisation=organisation, region=region
        )


def role_assign_in_transaction(
    *,
    actor: Actor | None,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    region: Place | None = None,
) -> RoleAssignment:
    """`role_assign` inside the caller's transaction."""
    check_in_transaction()
    role_check_scope(role=role, organisation=organisation, region=region)
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organisation=organisation, region=region
    )
    audit_record(
        actor,
        "role.assign",
        object_type="user",
        object_id=user.pk,
        organisation_id=organisation.pk if organisation else None,
        details={"role": role},
    )
    return assignment


def role_revoke(*, actor: Actor | None, assignment: RoleAssignment) -> None:
    """Take a role away from a user; the audit log keeps who had it and who removed it."""
    with transaction.atomic(durable=True):
        role_revoke_in_transaction(actor=actor, assignment=assignment)


def role_revoke_in_transaction(*, actor: Actor | None, assignment: RoleAssignment) -> None:
    """`role_revoke` inside the caller's transaction."""
    check_in_transaction()
    audit_record(
        actor,
        "role.revoke",
        object_type="user",
        object_id=assignment.user_id,
        organisation_id=assignment.organisation_id,
        details={"role": assignment.role},
    )
    assignment.delete()


def user_set_language(*, user: Actor, language: str) -> None:
    """Remember a signed-in user's language across devices."""
    if not user.is_authenticated or language not in {"kk", "ru", "en"}:
        return
    UserPreference.objects.update_or_create(user_id=user.pk, defaults={"language": language})
