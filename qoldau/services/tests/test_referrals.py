"""Referrals that close their loop: consent and eligibility checked, the deadline in
working days, requested → accepted / rejected / wait-listed → in service → completed (served
only with the delivery it produced), cancelled; the receiver's own record made from the
referring one with a consent of the referral's date, audited; the referrer never reads the
receiver's notes; unanswered referrals escalated once to the provider's administrators."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone, translation

from qoldau.core import services as core_services
from qoldau.core.errors import ApplicationError, NotFound, PermissionDenied
from qoldau.core.models import AuditEntry, Consent, Notification, Organisation, Person
from qoldau.projects.models import ServiceDelivery
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import Referral, Service
from qoldau.services.selectors import flow as selectors
from qoldau.services.services import capacity, referrals
from qoldau.services.tests import flow_factories as f

pytestmark = pytest.mark.django_db
ALMATY_TZ = zoneinfo.ZoneInfo("Asia/Almaty")


def _refer(s: f.Flow, person: Person | None = None, **options: object) -> Referral:
    return referrals.referral_create(
        actor=s.referrer_staff,
        service=s.service,
        person=person or s.referred,
        consent_given_on=options.pop("consent_given_on", f.CONSENT),  # type: ignore[arg-type]
        reason=str(options.pop("reason", "Оңалту керек")),
    )


def test_referring_without_consent_is_refused_and_changes_nothing() -> None:
    s = f.flow()
    with translation.override("ru"), pytest.raises(ApplicationError) as caught:
        _refer(s, consent_given_on=None)
    assert caught.value.code == ServicesErrorCode.NO_CONSENT
    assert caught.value.field == "consent_given_on"
    with translation.override("ru"):
        assert "согласи" in caught.value.render()
    with pytest.raises(ApplicationError):
        _refer(s, consent_given_on=timezone.localdate() + dt.timedelta(days=1))
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("options", "birth"),
    [({"minimum_age": 60}, dt.date(1990, 5, 17)), ({"maximum_age": 2}, dt.date(1990, 5, 17))],
)
def test_a_service_whose_ages_exclude_the_person_is_refused(options: dict[str, int], birth: dt.date) -> None:
    s = f.flow()
    Service.objects.filter(pk=s.service.pk).update(**options)
    s.service.refresh_from_db()
    with translation.override("kk"), pytest.raises(ApplicationError) as caught:
        _refer(s)
    assert caught.value.code == ServicesErrorCode.ELIGIBILITY_EXCLUDES
    assert not Referral.objects.exists()


def test_a_service_for_categories_refuses_a_person_in_none_of_them() -> None:
    s = f.flow()
    s.service.categories.set(
        [
            c
            for c in __import__("qoldau.core.models", fromlist=["x"]).VulnerabilityCategory.objects.filter(
                code="disability_group_1"
            )
        ]
    )
    with pytest.raises(ApplicationError) as caught:
        _refer(s)
    assert caught.value.code == ServicesErrorCode.ELIGIBILITY_EXCLUDES
    f.category_add(s.referrer_staff, s.referred, "disability_group_1")
    assert _refer(s).status == "requested"


def test_only_a_person_the_referrer_serves_can_be_referred() -> None:
    s = f.flow()
    with pytest.raises(NotFound):
        referrals.referral_create(
            actor=s.other_staff, service=s.service, person=s.referred, consent_given_on=f.CONSENT
        )
    with pytest.raises(NotFound):
        referrals.referral_create(
            actor=s.akimat, service=s.service, person=s.referred, consent_given_on=f.CONSENT
        )
    assert not Referral.objects.exists()


def test_one_open_referral_per_person_and_service() -> None:
    s = f.flow()
    _refer(s)
    with pytest.raises(ApplicationError) as caught:
        _refer(s)
    assert caught.value.code == ServicesErrorCode.ALREADY_REFERRED


@pytest.mark.parametrize(
    ("created", "due"),
    [
        # Monday 10:00 → Wednesday 10:00; Thursday → Monday; Friday → Tuesday; Saturday → Tuesday.
        (dt.datetime(2025, 3, 3, 10, 0, tzinfo=ALMATY_TZ), dt.datetime(2025, 3, 5, 10, 0, tzinfo=ALMATY_TZ)),
        (dt.datetime(2025, 3, 6, 10, 0, tzinfo=ALMATY_TZ), dt.datetime(2025, 3, 10, 10, 0, tzinfo=ALMATY_TZ)),
        (dt.datetime(2025, 3, 7, 16, 0, tzinfo=ALMATY_TZ), dt.datetime(2025, 3, 11, 16, 0, tzinfo=ALMATY_TZ)),
        (dt.datetime(2025, 3, 8, 9, 0, tzinfo=ALMATY_TZ), dt.datetime(2025, 3, 11, 9, 0, tzinfo=ALMATY_TZ)),
    ],
)
def test_the_answer_is_due_in_working_days(created: dt.datetime, due: dt.datetime) -> None:
    with timezone.override(ALMATY_TZ):
        assert referrals.add_working_days(created.replace(tzinfo=ALMATY_TZ), 2) == due.replace(
            tzinfo=ALMATY_TZ
        )


@override_settings(QOLDAU_SERVICES_REFERRAL_ANSWER_DAYS=5)
def test_the_deadline_follows_the_setting() -> None:
    s = f.flow()
    referral = _refer(s)
    assert referral.answer_due_at == referrals.add_working_days(referral.answer_due_at, 0)
    assert (referral.answer_due_at - referral.created_at) >= dt.timedelta(days=5)


def test_accepting_makes_the_providers_own_record_with_the_referrals_consent_audited() -> None:
    s = f.flow()
    referral = _refer(s)
    accepted = referrals.referral_accept(
        actor=s.provider_staff, referral=referral, receiver_notes="Бірінші кездесу"
    )
    receiver = accepted.receiver_person
    assert receiver is not None
    assert receiver.organisation_id == s.provider_org.pk
    assert receiver.identity_id == s.referred.identity_id
    assert receiver.pk != s.referred.pk
    assert (receiver.last_name, receiver.first_name) == (s.referred.last_name, s.referred.first_name)
    consent = Consent.objects.get(person=receiver, organisation=s.provider_org)
    assert consent.given_on == f.CONSENT
    shared = AuditEntry.objects.get(action="services.referral_person_shared")
    assert shared.details["record_made"] is True
    assert shared.person_id == receiver.pk
    assert accepted.status == "accepted"
    assert accepted.answered_at is not None


def _without_an_iin(actor: User, organisation: Organisation) -> Person:
    return core_services.person_register(
        actor=actor,
        organisation=organisation,
        data=core_services.PersonInput(
            last_name="Жоқ",
            first_name="ЖСН",
            no_iin_reason=Person.NoIinReason.values[0],
            birth_date=dt.date(1990, 5, 17),
            sex="F",
        ),
        consent_given_on=f.CONSENT,
    ).person


def test_a_person_without_an_iin_keeps_one_identity_across_the_two_records() -> None:
    """No IIN joins the provider's record to the referring one: the record made from it with
    the referral's consent shares its identity, so that reach counts the person once."""
    s = f.flow()
    no_iin = _without_an_iin(s.referrer_staff, s.referrer_org)
    assert no_iin.iin is None
    receiver = referrals.referral_accept(actor=s.provider_staff, referral=_refer(s, no_iin)).receiver_person
    assert receiver is not None
    assert receiver.iin is None
    assert receiver.identity_id == no_iin.identity_id
    assert Person.objects.filter(identity_id=no_iin.identity_id).count() == 2
    # Another person without an IIN, registered by the provider itself, is someone else.
    stranger = _without_an_iin(s.provider_staff, s.provider_org)
    assert stranger.identity_id != no_iin.identity_id


def test_accepting_finds_the_record_the_provider_already_has() -> None:
    s = f.flow()
    referrer_record = f.person(s.referrer_staff, s.referrer_org)
    # The same IIN registered by the provider: one identity, two records.
    same = core_services.person_register(
        actor=s.provider_staff,
        organisation=s.provider_org,
        data=core_services.PersonInput(last_name="Басқа", first_name="Аты", iin=referrer_record.iin),
        consent_given_on=f.CONSENT,
    ).person
    referral = _refer(s, referrer_record)
    accepted = referrals.referral_accept(actor=s.provider_staff, referral=referral)
    assert accepted.receiver_person_id == same.pk
    assert Person.objects.filter(organisation=s.provider_org, identity_id=same.identity_id).count() == 1


def test_only_the_receiving_provider_answers() -> None:
    s = f.flow()
    referral = _refer(s)
    for outsider in (s.referrer_staff, s.other_staff):
        with pytest.raises(PermissionDenied):
            referrals.referral_accept(actor=outsider, referral=referral)
    assert Referral.objects.get().status == "requested"


def test_rejecting_needs_a_reason_and_closes_the_referral() -> None:
    s = f.flow()
    referral = _refer(s)
    with pytest.raises(ApplicationError):
        referrals.referral_reject(actor=s.provider_staff, referral=referral, reason="")
    assert Referral.objects.get().status == "requested"
    rejected = referrals.referral_reject(actor=s.provider_staff, referral=referral, reason="out_of_area")
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "out_of_area")
    with pytest.raises(ApplicationError) as caught:
        referrals.referral_accept(actor=s.provider_staff, referral=referral)
    assert caught.value.code == ServicesErrorCode.NOT_IN_THAT_STATE


def test_served_needs_the_delivery_it_produced() -> None:
    s = f.flow()
    referral = referrals.referral_accept(actor=s.provider_staff, referral=_refer(s))
    enrolment = capacity.enrolment_create(
        actor=s.provider_staff,
        service=s.service,
        person=referral.receiver_person,  # type: ignore[arg-type]
        starts_on=dt.date(2025, 3, 3),
        referral=referral,
    )
    referral.refresh_from_db()
    assert (referral.status, referral.first_service_on) == ("in_service", enrolment.starts_on)
    with translation.override("ru"), pytest.raises(ApplicationError) as caught:
        referrals.referral_complete(actor=s.provider_staff, referral=referral, outcome="served")
    assert caught.value.code == ServicesErrorCode.DELIVERY_REQUIRED
    assert Referral.objects.get().status == "in_service"
    assert not ServiceDelivery.objects.exists()
    done = referrals.referral_complete(
        actor=s.provider_staff, referral=referral, outcome="served", delivered_on=dt.date(2025, 3, 3)
    )
    delivery = ServiceDelivery.objects.get()
    assert (done.status, done.outcome, done.delivery_id) == ("completed", "served", delivery.pk)
    assert delivery.identity_id == s.referred.identity_id
    assert delivery.project_id == s.project.pk


def test_served_by_an_existing_delivery_of_another_identity_is_refused() -> None:
    s = f.flow()
    first = referrals.referral_accept(actor=s.provider_staff, referral=_refer(s))
    other_person = f.person(s.referrer_staff, s.referrer_org)
    second = referrals.referral_accept(actor=s.provider_staff, referral=_refer(s, other_person))
    referrals.referral_start(actor=s.provider_staff, referral=second, first_service_on=timezone.localdate())
    done = referrals.referral_complete(
        actor=s.provider_staff, referral=second, outcome="served", delivered_on=dt.date(2025, 3, 3)
    )
    assert done.delivery is not None
    with pytest.raises(ApplicationError) as caught:
        referrals.referral_complete(
            actor=s.provider_staff, referral=first, outcome="served", delivery=done.delivery
        )
    assert caught.value.code == ServicesErrorCode.DELIVERY_REQUIRED
    # Closed without being served: no delivery needed.
    closed = referrals.referral_complete(actor=s.provider_staff, referral=first, outcome="could_not_contact")
    assert (closed.status, closed.outcome, closed.delivery_id) == ("completed", "could_not_contact", None)


def test_wait_listing_puts_the_receivers_record_on_the_list() -> None:
    s = f.flow(places=0)
    referral = _refer(s)
    entry = referrals.referral_wait_list(actor=s.provider_staff, referral=referral)
    referral.refresh_from_db()
    assert referral.status == "wait_listed"
    assert entry.person_id == referral.receiver_person_id
    assert entry.referral_id == referral.pk
    with pytest.raises(ApplicationError):
        referrals.referral_complete(
            actor=s.provider_staff, referral=referral, outcome="served", delivered_on=dt.date(2025, 3, 3)
        )


def test_the_referrer_cancels_and_the_person_leaves_the_list() -> None:
    s = f.flow(places=0)
    referral = _refer(s)
    entry = referrals.referral_wait_list(actor=s.provider_staff, referral=referral)
    with pytest.raises(PermissionDenied):
        referrals.referral_cancel(actor=s.other_staff, referral=referral)
    referrals.referral_cancel(actor=s.referrer_staff, referral=referral)
    entry.refresh_from_db()
    assert entry.status == "left"
    assert Referral.objects.get().status == "cancelled"


def test_the_referrer_sees_status_and_outcome_never_the_notes() -> None:
    s = f.flow()
    referral = referrals.referral_accept(
        actor=s.provider_staff, referral=_refer(s), receiver_notes="Құпия жазба"
    )
    mine = selectors.referral_get_for_user(s.referrer_staff, referral.pk)
    theirs = selectors.referral_get_for_user(s.provider_staff, referral.pk)
    assert mine.receiver_notes is None
    assert mine.referral.status == "accepted"
    assert theirs.receiver_notes == "Құпия жазба"
    with pytest.raises(NotFound):
        selectors.referral_get_for_user(s.other_staff, referral.pk)
    assert [
        v.referral.pk
        for v in selectors.referral_views(s.referrer_staff, selectors.referrals_out(s.referrer_staff))
    ] == [referral.pk]
    assert not selectors.referrals_in(s.referrer_staff).exists()


def test_unanswered_referrals_are_escalated_once_to_the_providers_administrators() -> None:
    s = f.flow()
    referral = _refer(s)
    answered = _refer(s, f.person(s.referrer_staff, s.referrer_org))
    referrals.referral_accept(actor=s.provider_staff, referral=answered)
    assert referrals.referrals_escalate(now=referral.answer_due_at - dt.timedelta(minutes=1)) == 0
    later = referral.answer_due_at + dt.timedelta(minutes=1)
    assert referrals.referrals_escalate(now=later) == 1
    assert referrals.referrals_escalate(now=later + dt.timedelta(days=1)) == 0
    notes = Notification.objects.filter(kind="services.referral_unanswered")
    assert list(notes.values_list("user_id", flat=True)) == [s.provider_admin.pk]
    # In the administrator's language (Kazakh, the default), naming the referral by number.
    assert f"№{referral.pk} жолдамаға" in notes.get().body
    # The akimat sees it once its deadline has passed.
    Referral.objects.filter(pk=referral.pk).update(answer_due_at=timezone.now() - dt.timedelta(hours=1))
    network = selectors.network_of_region(s.akimat, s.provider_org.region, timezone.localdate())
    assert sum(line.unanswered for line in network.lines) == 1
    assert [r.pk for r in selectors.unanswered_referrals(s.akimat, s.provider_org.region)] == [referral.pk]
