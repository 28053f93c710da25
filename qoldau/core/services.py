"""Every write to core records. Each service runs in one transaction, checks the
domain's rules (raising ApplicationError and changing nothing), and writes its audit row."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy
from qoldau.core.access import Actor as Actor
from qoldau.core.audit import audit_record
from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import (
    Conflict,
    EditConflict,
    NotFound,
    ValidationFailed,
)
from qoldau.core.identifiers import (
    is_ascii_digits,
    normalise_digits,
    normalise_phone,
    parse_iin,
    validate_bin,
)
from qoldau.core.models import (
    ORGANISATION_ROLES,
    ApiToken,
    Consent,
    Identity,
    Organisation,
    Person,
    PersonCategory,
    Place,
    Role,
    RoleAssignment,
    UserPreference,
    VulnerabilityCategory,
)


def acting_user(actor: Actor | None) -> User | None:
    """The signed-in user behind an action, for `recorded_by` columns; None for the system."""
    return actor if isinstance(actor, User) else None


def require_text(value: str, field: str, label: str = "", *, message: str | Promise | None = None) -> str:
    """The text without surrounding spaces; refused as `required` when empty, with the
    message given, else "<label> is required."."""
    value = (value or "").strip()
    if not value:
        if message is not None:
            raise ValidationFailed(message, field=field, code="required")
        raise ValidationFailed(
            _("%(label)s is required."), field=field, code="required", params={"label": label}
        )
    return value


def save_versioned(instance: Model, expected_version: int, changes: dict[str, Any]) -> None:
    """Write `changes` only if nobody saved the record since `expected_version` was read.

    The compare-and-set is one UPDATE, so of two concurrent editors exactly one wins and
    the other gets EditConflict instead of silently overwriting.
    """
    model = type(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    # update() prepares each value through its field (encrypted fields encrypt there).
    field_values = dict(changes)
    if hasattr(instance, "updated_at"):
        field_values["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **field_values
    )
    if updated != 1:
        raise EditConflict(
            _(
                "Someone else saved this record after you opened it. "
                "Reload the page to see their changes, then make yours again."
            )
        )
    instance.version = expected_version + 1  # type: ignore[attr-defined]


# Places ---------------------------------------------------------------------------------

SHYMKENT_OLD_KATO = "511010000"
SHYMKENT_KATO = "790000000"


def normalise_kato(code: str) -> str:
    """A 9-digit KATO code; the pre-2018 Shymkent code is read as today's."""
    code = str(code).strip()
    if code.endswith(".0"):
        code = code[:-2]
    code = normalise_digits(code)
    if not is_ascii_digits(code, 9):
        raise ValidationFailed(
            _("A KATO code has 9 digits; %(code)s does not."),
            field="kato",
            code="invalid_kato",
            params={"code": code},
        )
    return SHYMKENT_KATO if code == SHYMKENT_OLD_KATO else code


def kato_ancestors(code: str) -> list[str]:
    """The more general codes a KATO unit may hang under, nearest first.

    KATO zeroes digit groups from the right (AB CD EF HIJ), but a level can be skipped:
    Almaty's districts (7517xxxxx) hang directly under the city (750000000).
    """
    candidates = [code[:6] + "000", code[:4] + "00000", code[:2] + "0000000"]
    return [c for i, c in enumerate(candidates) if c != code and c not in candidates[:i]]


LEVEL_BELOW = {
    Place.Level.REGION: Place.Level.DISTRICT,
    Place.Level.DISTRICT: Place.Level.RURAL_DISTRICT,
    Place.Level.RURAL_DISTRICT: Place.Level.SETTLEMENT,
    Place.Level.SETTLEMENT: Place.Level.SETTLEMENT,
}


def _generality(code: str) -> tuple[int, str]:
    """Regions first, then districts, then finer units: parents before children."""
    return (len(code.rstrip("0")), code)


@dataclass(frozen=True)
class KatoRow:
    row_number: int
    code: str
    name_kk: str
    name_ru: str


@dataclass
class KatoImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def places_import_kato(*, actor: Actor | None, rows: Iterable[KatoRow]) -> KatoImportResult:
    """Load KATO units (all or nothing). Rows are validated first; any bad row (bad code,
    missing name, no parent unit in the file or the database) fails the whole import with
    its row number. Loading the same file twice changes nothing."""
    errors: list[str] = []
    clean: dict[str, KatoRow] = {}
    for row in rows:
        try:
            code = normalise_kato(row.code)
        except ValidationFailed as exc:
            errors.append(str(_("Row %(row)s: %(reason)s")) % {"row": row.row_number, "reason": exc.render()})
            continue
        if not row.name_kk.strip() and not row.name_ru.strip():
            errors.append(str(_("Row %(row)s: the unit has no name.")) % {"row": row.row_number})
            continue
        clean[code] = KatoRow(row.row_number, code, row.name_kk.strip(), row.name_ru.strip())
    existing = {p.kato: p for p in Place.objects.exclude(kato=None) if p.kato}
    known = set(clean) | set(existing)
    parents: dict[str, str | None] = {}
    for code, row in clean.items():
        if code[2:] == "0000000":
            parents[code] = None
            continue
        parent_code = next((c for c in kato_ancestors(code) if c in known), None)
        if parent_code is None:
            errors.append(
                str(_("Row %(row)s: unit %(code)s has no parent unit in the file or the classifier."))
                % {"row": row.row_number, "code": code}
            )
        parents[code] = parent_code
    if errors:
        raise ValidationFailed("\n".join(errors), code="import_rejected")

    result = KatoImportResult()
    with transaction.atomic():
        for code in sorted(clean, key=_generality):
            row = clean[code]
            parent_code = parents[code]
            parent = existing[parent_code] if parent_code else None
            level = LEVEL_BELOW[Place.Level(parent.level)] if parent else Place.Level.REGION
            name_kk = row.name_kk or row.name_ru
            name_ru = row.name_ru or row.name_kk
            place = existing.get(code)
            if place is None:
                # A unit loaded without its code (the demo's districts) gets it now.
                uncoded = Place.objects.filter(kato=None, parent=parent, name_kk=name_kk).first()
                if uncoded is not None:
                    uncoded.kato, uncoded.name_ru, uncoded.level = code, name_ru, level
                    uncoded.save(update_fields=["kato", "name_ru", "level"])
                    existing[code] = uncoded
                    result.updated += 1
                    continue
            if place is None:
                place = Place.objects.create(
                    kato=code, level=level, parent=parent, name_kk=name_kk, name_ru=name_ru
                )
                existing[code] = place
                result.created += 1
            elif (place.name_kk, place.name_ru, place.parent_id, place.level) != (
                name_kk,
                name_ru,
                parent.pk if parent else None,
                level,
            ):
                place.name_kk, place.name_ru, place.parent, place.level = name_kk, name_ru, parent, level
                place.save(update_fields=["name_kk", "name_ru", "parent", "level"])
                result.updated += 1
            else:
                result.unchanged += 1
        audit_record(
            actor,
            "places.import_kato",
            details={"created": result.created, "updated": result.updated},
        )
    return result


def _place_of_level(place_id: int | None, level: str, field: str) -> Place | None:
    if place_id is None:
        return None
    place = Place.objects.filter(pk=place_id, level=level).first()
    if place is None:
        raise ValidationFailed(
            _("There is no such region or district in the classifier."),
            field=field,
            code="unknown_place",
        )
    return place


def resolve_region_district(
    region_id: int | None, district_id: int | None, *, region_required: bool
) -> tuple[Place | None, Place | None]:
    """The region and district by id, checking that the district lies in the region."""
    if region_required and region_id is None:
        raise ValidationFailed(_("Region is required."), field="region", code="required")
    region = _place_of_level(region_id, Place.Level.REGION, "region")
    district = _place_of_level(district_id, Place.Level.DISTRICT, "district")
    if district is not None:
        if region is None:
            region = district.region
        elif district.parent_id != region.pk:
            raise ValidationFailed(
                _("The district is not in the chosen region."),
                field="district",
                code="unknown_place",
            )
    return region, district


# Organisations ----------------------------------------------------------------------------

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
        raise ValidationFailed(_("Unknown kind of organisation."), field="kind", code="invalid_choice")
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
    clean = _clean_organisation_fields({"kind": kind, "name_kk": name_kk, **fields})
    number = validate_bin(bin) if bin else None
    if number is None and kind != Organisation.Kind.INITIATIVE_GROUP:
        raise ValidationFailed(_("BIN is required."), field="bin", code="required")
    region, district = resolve_region_district(region_id, district_id, region_required=True)
    if region is None:  # resolve_region_district raised already; this narrows the type
        raise ValidationFailed(_("Region is required."), field="region", code="required")
    with transaction.atomic():
        if number and Organisation.objects.filter(bin=number).exists():
            raise Conflict(
                _("An organisation with BIN %(number)s is already registered."),
                field="bin",
                code="duplicate",
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
    with transaction.atomic():
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
        raise ValidationFailed(_("Unknown role."), field="role", code="invalid_choice")
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
    role_check_scope(role=role, organisation=organisation, region=region)
    with transaction.atomic():
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
    with transaction.atomic():
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


# People ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInput:
    last_name: str
    first_name: str
    patronymic: str = ""
    iin: str | None = None
    no_iin_reason: str = ""
    no_iin_note: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    phone: str = ""
    region_id: int | None = None
    district_id: int | None = None


def _person_fields(data: PersonInput) -> dict[str, Any]:
    """Validated column values for a person; derives birth date and sex from the IIN."""
    fields: dict[str, Any] = {
        "last_name": require_text(data.last_name, "last_name", str(_("Last name"))),
        "first_name": require_text(data.first_name, "first_name", str(_("First name"))),
        "patronymic": (data.patronymic or "").strip(),
        "phone": normalise_phone(data.phone),
    }
    if data.iin:
        facts = parse_iin(data.iin)
        fields.update(
            iin=facts.iin,
            iin_hash=keyed_hash(facts.iin),
            birth_date=facts.birth_date,
            sex=facts.sex,
            no_iin_reason="",
            no_iin_note="",
        )
    else:
        if data.no_iin_reason not in Person.NoIinReason.values:
            raise ValidationFailed(
                _("Enter the IIN, or state why the person has none."),
                field="iin",
                code="iin_or_reason_required",
            )
        if data.sex and data.sex not in Person.Sex.values:
            raise ValidationFailed(_("Unknown sex."), field="sex", code="invalid_choice")
        if data.birth_date and data.birth_date > timezone.localdate():
            raise ValidationFailed(_("The birth date is in the future."), field="birth_date")
        fields.update(
            iin=None,
            iin_hash=None,
            no_iin_reason=data.no_iin_reason,
            no_iin_note=(data.no_iin_note or "").strip(),
            birth_date=data.birth_date,
            sex=data.sex,
        )
    region, district = resolve_region_district(data.region_id, data.district_id, region_required=False)
    fields.update(region=region, district=district)
    return fields


def identity_for(iin_hash: str | None) -> Identity:
    """The identity behind an IIN's keyed hash (made on first use); a person without an
    IIN gets an identity of their own. Runs inside the caller's transaction."""
    if iin_hash is None:
        return Identity.objects.create(iin_hash=None)
    identity = Identity.objects.filter(iin_hash=iin_hash).first()
    if identity is not None:
        return identity
    try:
        with transaction.atomic():
            return Identity.objects.create(iin_hash=iin_hash)
    except IntegrityError:
        # Another organisation registered the same IIN at the same moment.
        return Identity.objects.get(iin_hash=iin_hash)


def identities_for_hashes(hashes: Iterable[str]) -> dict[str, int]:
    """The identity ids of many IIN hashes at once (made where new), for bulk imports.
    Runs inside the caller's transaction; a hash made meanwhile by another writer is
    skipped on insert and read back."""
    wanted = sorted(set(hashes))
    if connection.vendor == "postgresql":
        return _identities_for_hashes_postgresql(wanted)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 5_000):
        chunk = wanted[start : start + 5_000]
        found.update(_identity_ids(chunk))
        missing = [h for h in chunk if h not in found]
        if missing:
            Identity.objects.bulk_create([Identity(iin_hash=h) for h in missing], ignore_conflicts=True)
            found.update(_identity_ids(missing))
    return found


def _identities_for_hashes_postgresql(wanted: list[str]) -> dict[str, int]:
    """Two statements whatever the count, in the unique index's order: a fifth of the
    time of batched ORM inserts and IN lists. The hashes (hex digits) go as one array
    literal: psycopg would adapt a list of them one by one, in Python."""
    table = connection.ops.quote_name(Identity._meta.db_table)
    hashes = "{" + ",".join(wanted) + "}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (iin_hash, created_at)"  # noqa: S608 - our table's name
            " SELECT h, %s FROM unnest(%s::text[]) AS h ORDER BY h ON CONFLICT (iin_hash) DO NOTHING",
            [timezone.now(), hashes],
        )
        cursor.execute(
            f"SELECT iin_hash, id FROM {table} WHERE iin_hash = ANY(%s::text[])",  # noqa: S608 - our table's name
            [hashes],
        )
        return dict(cursor.fetchall())


def _identity_ids(hashes: list[str]) -> dict[str, int]:
    return {
        h: pk for h, pk in Identity.objects.filter(iin_hash__in=hashes).values_list("iin_hash", "pk") if h
    }


def identities_without_iin(count: int) -> list[int]:
    """`count` new identities for people without an IIN (each their own), for imports."""
    if connection.vendor == "postgresql" and count:
        table = connection.ops.quote_name(Identity._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (iin_hash, created_at)"  # noqa: S608 - our table's name
                " SELECT NULL, %s FROM generate_series(1, %s) RETURNING id",
                [timezone.now(), count],
            )
            return [int(pk) for (pk,) in cursor.fetchall()]
    return [int(i.pk) for i in Identity.objects.bulk_create([Identity(iin_hash=None) for _ in range(count)])]


def _forget_identity_if_unused(identity_id: int) -> None:
    """An identity no record points to any more is deleted: it holds nothing else."""
    if not Person.objects.filter(identity_id=identity_id).exists():
        Identity.objects.filter(pk=identity_id).delete()


@dataclass(frozen=True)
class PersonRegistration:
    person: Person
    # True for a new record; False when the organisation registers again a person whose
    # consent it had recorded before and who had withdrawn it (its own record returns).
    # It never depends on what another organisation recorded.
    created: bool


def person_register(
    *,
    actor: Actor,
    organisation: Organisation,
    data: PersonInput,
    consent_given_on: dt.date | None,
) -> PersonRegistration:
    """Register a person an organisation serves, with their consent.

    The organisation's record holds exactly what it entered. Whether another organisation
    serves the person changes nothing in the answer: records from the same IIN only share
    an identity, which de-duplicates the reach counts. A person the organisation already
    serves is refused as a duplicate; one who had withdrawn consent from it and gives it
    again gets their record back, with what was entered now.
    """
    policy.check_may_work_for_organisation(actor, organisation)
    if consent_given_on is None:
        raise ValidationFailed(
            _("Record the person's consent to the processing of their data first."),
            field="consent_given_on",
            code="consent_required",
        )
    if consent_given_on > timezone.localdate():
        raise ValidationFailed(_("The consent date is in the future."), field="consent_given_on")
    fields = _person_fields(data)
    with transaction.atomic():
        person = None
        if fields["iin_hash"]:
            person = (
                Person.objects.select_for_update()
                .filter(organisation=organisation, iin_hash=fields["iin_hash"])
                .first()
            )
        created = person is None
        if person is None:
            try:
                with transaction.atomic():
                    person = Person.objects.create(
                        organisation=organisation, identity=identity_for(fields["iin_hash"]), **fields
                    )
            except IntegrityError:
                raise Conflict(
                    _("This person was registered at the same moment; search for them instead."),
                    field="iin",
                    code="duplicate",
                ) from None
        elif Consent.objects.filter(person=person, withdrawn_on__isnull=True).exists():
            raise Conflict(
                _("A person with this IIN is already among your organisation's people."),
                field="iin",
                code="duplicate",
            )
        else:
            save_versioned(person, person.version, fields)
        Consent.objects.create(
            person=person,
            organisation=organisation,
            given_on=consent_given_on,
            recorded_by=acting_user(actor),
        )
        audit_record(
            actor,
            "person.create" if created else "person.register_again",
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            organisation_id=organisation.pk,
        )
    return PersonRegistration(person=person, created=created)


def person_update(*, actor: Actor, person: Person, expected_version: int, data: PersonInput) -> Person:
    """Change what the organisation records about a person; refused if someone saved it
    since `expected_version`, and refused if the new IIN is another of the organisation's
    people. A changed IIN moves the record to that IIN's identity (whatever other
    organisations hold, nothing of theirs is read or told)."""
    policy.check_may_edit_person(actor, person)
    fields = _person_fields(data)
    with transaction.atomic():
        previous_identity = person.identity_id
        iin_changed = fields["iin_hash"] != person.iin_hash
        if iin_changed:
            if (
                fields["iin_hash"]
                and Person.objects.filter(organisation_id=person.organisation_id, iin_hash=fields["iin_hash"])
                .exclude(pk=person.pk)
                .exists()
            ):
                raise Conflict(
                    _("Another of your organisation's people is registered with this IIN."),
                    field="iin",
                    code="duplicate",
                )
            fields["identity"] = identity_for(fields["iin_hash"])
        save_versioned(person, expected_version, fields)
        if iin_changed:
            _forget_identity_if_unused(previous_identity)
        audit_record(
            actor,
            "person.update",
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            organisation_id=person.organisation_id,
            details={"fields": sorted(k for k in fields if k not in {"iin_hash", "identity"})},
        )
    return person


def person_category_add(
    *,
    actor: Actor,
    person: Person,
    category: VulnerabilityCategory,
    since: dt.date,
    until: dt.date | None = None,
    details: str = "",
) -> PersonCategory:
    """Add a vulnerability category to a person for a period."""
    policy.check_may_edit_person(actor, person)
    if until is not None and until < since:
        raise ValidationFailed(_("The end date is before the start date."), field="until")
    if since > timezone.localdate():
        raise ValidationFailed(_("The start date is in the future."), field="since")
    with transaction.atomic():
        if PersonCategory.objects.filter(person=person, category=category, since=since).exists():
            raise Conflict(
                _("The person already has this category from this date."),
                field="category",
                code="duplicate",
            )
        membership = PersonCategory.objects.create(
            person=person, category=category, since=since, until=until, details=details.strip()
        )
        audit_record(
            actor,
            "person.category_add",
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            details={"category": category.code},
        )
    return membership


def person_category_end(*, actor: Actor, membership: PersonCategory, until: dt.date) -> PersonCategory:
    policy.check_may_edit_person(actor, membership.person)
    if membership.until is not None:
        raise Conflict(_("This category has already ended."), field="until", code="already_ended")
    if until < membership.since:
        raise ValidationFailed(_("The end date is before the start date."), field="until")
    with transaction.atomic():
        membership.until = until
        membership.save(update_fields=["until"])
        audit_record(
            actor,
            "person.category_end",
            object_type="person",
            object_id=membership.person_id,
            person_id=membership.person_id,
            details={"category": membership.category.code},
        )
    return membership


def consent_withdraw(
    *, actor: Actor, person: Person, organisation: Organisation, withdrawn_on: dt.date
) -> Consent:
    """Record that a person withdrew consent from an organisation: from then on its staff
    no longer see the person. Past deliveries stay counted in anonymous figures."""
    policy.check_may_work_for_organisation(actor, organisation)
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(person=person, organisation=organisation, withdrawn_on__isnull=True)
            .first()
        )
        if consent is None:
            raise NotFound(_("The person has no active consent with this organisation."))
        if withdrawn_on < consent.given_on:
            raise ValidationFailed(
                _("Consent cannot be withdrawn before it was given."), field="withdrawn_on"
            )
        consent.withdrawn_on = withdrawn_on
        consent.withdrawn_by = acting_user(actor)
        consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
        audit_record(
            actor,
            "consent.withdraw",
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            organisation_id=organisation.pk,
        )
    return consent


# API tokens -----------------------------------------------------------------------------


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A token's first characters, kept in clear so that its owner can tell it apart ("qld_" and six).
API_TOKEN_PREFIX_LENGTH = 10


def api_token_create(*, actor: Actor | None, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a token for `user`; the clear token is returned once and never stored."""
    plain = "qld_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=plain[:API_TOKEN_PREFIX_LENGTH], token_hash=_token_digest(plain)
        )
        audit_record(actor, "token.create", object_type="user", object_id=user.pk)
    return token, plain


def api_token_user(plain: str) -> User | None:
    """The active user a token belongs to, or None; notes when it was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_token_digest(plain), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, actor: Actor | None, token: ApiToken) -> None:
    """Revoke a token (the command line revokes with no acting user, audited as the cli)."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit_record(actor, "token.revoke", object_type="user", object_id=token.user_id)
