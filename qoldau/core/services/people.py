"""People: an organisation's record of a person with their consent, the identity that
counts them once across organisations, their categories and the consent's withdrawal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import Conflict, CoreErrorCode, ErrorCode, NotFound, ValidationFailed
from qoldau.core.identifiers import normalise_phone, parse_iin
from qoldau.core.models import Consent, Identity, Organisation, Person, PersonCategory, VulnerabilityCategory
from qoldau.core.services.common import acting_user, require_text, save_versioned
from qoldau.core.services.places import resolve_region_district
from qoldau.core.signals import person_identity_moved
from qoldau.core.transactions import check_in_transaction


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
                code=CoreErrorCode.IIN_OR_REASON_REQUIRED,
            )
        if data.sex and data.sex not in Person.Sex.values:
            raise ValidationFailed(_("Unknown sex."), field="sex", code=ErrorCode.INVALID_CHOICE)
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


def _identity_for(iin_hash: str | None) -> Identity:
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
    with transaction.atomic(durable=True):
        return person_register_in_transaction(
            actor=actor, organisation=organisation, data=data, consent_given_on=consent_given_on
        )


def person_register_in_transaction(
    *,
    actor: Actor,
    organisation: Organisation,
    data: PersonInput,
    consent_given_on: dt.date | None,
    same_person_as: Person | None = None,
) -> PersonRegistration:
    """`person_register` inside the caller's transaction. `same_person_as` is another
    organisation's record of the same person that this one is made from (a referral, with
    the person's consent): without an IIN to join them, the new record shares its identity,
    so that the person is counted once."""
    check_in_transaction()
    policy.check_may_work_for_organisation(actor, organisation)
    if consent_given_on is None:
        raise ValidationFailed(
            _("Record the person's consent to the processing of their data first."),
            field="consent_given_on",
            code=CoreErrorCode.CONSENT_REQUIRED,
        )
    if consent_given_on > timezone.localdate():
        raise ValidationFailed(_("The consent date is in the future."), field="consent_given_on")
    fields = _person_fields(data)
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
                identity = (
                    same_person_as.identity
                    if same_person_as is not None and not fields["iin_hash"]
                    else _identity_for(fields["iin_hash"])
                )
                person = Person.objects.create(organisation=organisation, identity=identity, **fields)
        except IntegrityError:
            raise Conflict(
                _("This person was registered at the same moment; search for them instead."),
                field="iin",
                code=ErrorCode.DUPLICATE,
            ) from None
    elif Consent.objects.filter(person=person, withdrawn_on__isnull=True).exists():
        raise Conflict(
            _("A person with this IIN is already among your organisation's people."),
            field="iin",
            code=ErrorCode.DUPLICATE,
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
    with transaction.atomic(durable=True):
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
                    code=ErrorCode.DUPLICATE,
                )
            fields["identity"] = _identity_for(fields["iin_hash"])
        save_versioned(person, expected_version, fields)
        if iin_changed:
            person_identity_moved.send(Person, person_id=person.pk, identity_id=person.identity_id)
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
    with transaction.atomic(durable=True):
        return person_category_add_in_transaction(
            actor=actor, person=person, category=category, since=since, until=until, details=details
        )


def person_category_add_in_transaction(
    *,
    actor: Actor,
    person: Person,
    category: VulnerabilityCategory,
    since: dt.date,
    until: dt.date | None = None,
    details: str = "",
) -> PersonCategory:
    """`person_category_add` inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_edit_person(actor, person)
    if until is not None and until < since:
        raise ValidationFailed(_("The end date is before the start date."), field="until")
    if since > timezone.localdate():
        raise ValidationFailed(_("The start date is in the future."), field="since")
    if PersonCategory.objects.filter(person=person, category=category, since=since).exists():
        raise Conflict(
            _("The person already has this category from this date."),
            field="category",
            code=ErrorCode.DUPLICATE,
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
        raise Conflict(_("This category has already ended."), field="until", code=CoreErrorCode.ALREADY_ENDED)
    if until < membership.since:
        raise ValidationFailed(_("The end date is before the start date."), field="until")
    with transaction.atomic(durable=True):
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
    with transaction.atomic(durable=True):
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
