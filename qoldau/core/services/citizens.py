"""Citizens' own accounts: signing up with a phone and a password, registering oneself with
an organisation (its `Person` record, with the consent the citizen gives through the
account), and the staff's one confirmation of the IIN the citizen typed."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds, policy
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import Conflict, CoreErrorCode, ErrorCode, ValidationFailed
from qoldau.core.identifiers import normalise_kazakh_mobile
from qoldau.core.models import CitizenAccount, CitizenRecord, Consent, Organisation, Person
from qoldau.core.services.common import acting_user, require_text
from qoldau.core.services.people import PersonInput, _identity_for, _person_fields
from qoldau.core.transactions import check_in_transaction

# The longest password taken: Argon2 hashes any length, but a megabyte of it costs time.
PASSWORD_MAX_LENGTH = 128


def _bounded(annotated: object, value: str, field: str) -> str:
    try:
        return str(bounds.clean(annotated, value))
    except bounds.BoundError as error:
        raise ValidationFailed(str(error), field=field, code=ErrorCode.TOO_LONG) from None


def citizen_sign_up(*, phone: str, password: str, name: str, username: str | None = None) -> CitizenAccount:
    """Open a citizen's account: a Kazakh mobile number (one account a number), a password
    Django's validators accept, and the name to greet them by. No IIN: an organisation
    records that when the citizen asks it to serve them. Nothing is created when any of
    it is refused. `username` is for the demo's account, which signs in by a name too;
    anyone else's is random."""
    name = require_text(_bounded(bounds.PersonName, name, "name"), "name", str(_("Name")))
    phone = normalise_kazakh_mobile(phone)
    if not password:
        raise ValidationFailed(_("Choose a password."), field="password", code=ErrorCode.REQUIRED)
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ValidationFailed(
            _("A password is at most %(limit)s characters long."),
            field="password",
            code=ErrorCode.TOO_LONG,
            params={"limit": PASSWORD_MAX_LENGTH},
        )
    phone_hash = keyed_hash(phone)
    user = User(username=username or f"citizen-{secrets.token_hex(8)}", first_name=name[:150])
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise ValidationFailed(
            " ".join(str(message) for message in error.messages),
            field="password",
            code=CoreErrorCode.WEAK_PASSWORD,
        ) from None
    duplicate = Conflict(
        _("An account with this phone number exists already. Sign in with it instead."),
        field="phone",
        code=ErrorCode.DUPLICATE,
    )
    if CitizenAccount.objects.filter(phone_hash=phone_hash).exists():
        raise duplicate
    with transaction.atomic(durable=True):
        user.set_password(password)
        user.save()
        try:
            with transaction.atomic():
                account = CitizenAccount.objects.create(
                    user=user, phone=phone, phone_hash=phone_hash, name=name
                )
        except IntegrityError:
            # The same number signed up at the same moment.
            raise duplicate from None
        audit_record(user, "citizen.sign_up", object_type="citizen_account", object_id=account.pk)
    return account


def citizen_person_register_in_transaction(
    *, actor: Actor, organisation: Organisation, data: PersonInput, consent_given_on: dt.date
) -> Person:
    """The citizen registers themselves with an organisation: its `Person` record of them,
    made from what they typed (an IIN is required, and stands unconfirmed until its staff
    confirm it), with the consent they give through their account. Which organisations
    take such registrations is the caller's rule (the jobs app: those that offer
    employment support). A citizen registers once with an organisation; an IIN the
    organisation records already is refused without linking the citizen to that record
    (whoever typed it would otherwise see what the organisation holds): they register in
    person there."""
    check_in_transaction()
    account = policy.check_is_citizen(actor)
    if consent_given_on > timezone.localdate():
        raise ValidationFailed(_("The consent date is in the future."), field="consent_given_on")
    if not data.iin:
        raise ValidationFailed(
            _("Enter your IIN: the organisation confirms it once against your document."),
            field="iin",
            code=ErrorCode.REQUIRED,
        )
    fields = _person_fields(data)
    if CitizenRecord.objects.filter(account=account, person__organisation=organisation).exists():
        raise Conflict(
            _("You are registered with this organisation already."),
            field="organisation",
            code=ErrorCode.DUPLICATE,
        )
    refused = Conflict(
        _(
            "This organisation cannot register you online with this IIN. Contact it, and its "
            "staff will register you in person."
        ),
        field="iin",
        code=CoreErrorCode.REGISTER_IN_PERSON,
    )
    if Person.objects.filter(organisation=organisation, iin_hash=fields["iin_hash"]).exists():
        raise refused
    try:
        with transaction.atomic():
            person = Person.objects.create(
                organisation=organisation, identity=_identity_for(fields["iin_hash"]), **fields
            )
    except IntegrityError:
        raise refused from None
    Consent.objects.create(
        person=person, organisation=organisation, given_on=consent_given_on, recorded_by=acting_user(actor)
    )
    CitizenRecord.objects.create(account=account, person=person)
    audit_record(
        actor,
        "person.create_by_citizen",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        organisation_id=organisation.pk,
    )
    return person


def citizen_iin_confirm(
    *, actor: Actor, person: Person, confirmed_on: dt.date | None = None
) -> CitizenRecord:
    """The organisation's staff confirm, once, that the IIN a citizen typed is theirs (they
    saw the identity document). Someone who does not serve the person gets not-found."""
    record = CitizenRecord.objects.filter(person=person).select_related("person").first()
    policy.check_may_confirm_iin(actor, record)
    assert record is not None  # noqa: S101 - the check above refuses None
    day = confirmed_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationFailed(_("The date is in the future."), field="confirmed_on")
    with transaction.atomic(durable=True):
        record = CitizenRecord.objects.select_for_update().get(pk=record.pk)
        if record.iin_confirmed_on is not None:
            raise Conflict(
                _("The IIN was confirmed already."), field="iin", code=CoreErrorCode.IIN_CONFIRMED_ALREADY
            )
        record.iin_confirmed_on = day
        record.iin_confirmed_by = acting_user(actor)
        record.save(update_fields=["iin_confirmed_on", "iin_confirmed_by"])
        audit_record(
            actor,
            "person.iin_confirm",
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            organisation_id=person.organisation_id,
        )
    return record


def citizen_record_link_in_transaction(
    *, actor: Actor, person: Person, account: CitizenAccount
) -> CitizenRecord:
    """The organisation's staff give a person they registered the use of their record
    through the person's own citizen account, having seen the identity document (so the
    IIN is confirmed at once). Refused for a person the user does not serve, for a record
    linked already, and for an account that has a record with the organisation."""
    check_in_transaction()
    policy.check_may_edit_person(actor, person)
    if (
        CitizenRecord.objects.filter(person=person).exists()
        or CitizenRecord.objects.filter(
            account=account, person__organisation_id=person.organisation_id
        ).exists()
    ):
        raise Conflict(
            _("This record or this account is linked already."), field="account", code=ErrorCode.DUPLICATE
        )
    record = CitizenRecord.objects.create(
        account=account,
        person=person,
        iin_confirmed_on=timezone.localdate(),
        iin_confirmed_by=acting_user(actor),
    )
    audit_record(
        actor,
        "person.citizen_link",
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        organisation_id=person.organisation_id,
    )
    return record
