"""A person's way through a service: the places it has, the referral that brings them, the
wait list they join when it is full, the offer of a freed place, and the enrolment that
serves them (with their individual plan and attendance).

Referrals follow HL7 FHIR SDOH's Task statuses and findhelp's closed loop: "completed:
served" needs the delivery it produced, so that "closed" means served and the person is
counted in the reach figures. Wait lists keep Boston CAS's lessons: a published order with
a deterministic tie-break, each decline parks the person until a date, nobody holds two
offers for one service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.crypto import EncryptedTextField
from qoldau.core.i18n import TranslatedNameMixin
from qoldau.core.models import Identity, Organisation, Person, Place
from qoldau.services.models.directory import Provider, Service


class CapacityUnit(models.TextChoices):
    BED = "bed", _("Beds")
    DAY_PLACE = "day_place", _("Day places")
    HOME_CARE_CASE = "home_care_case", _("Home-care caseload")
    EARLY_INTERVENTION_SLOT = "early_intervention_slot", _("Early-intervention slots")
    PLACE = "place", _("Places")


class Capacity(models.Model):
    """How many people a service can serve at once, from a day on. The capacity in force on
    a day is the latest row that began on or before it, so occupancy and free places can be
    read at any date."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacities")
    unit = models.CharField(_("unit"), max_length=32, choices=CapacityUnit.choices)
    places = models.PositiveIntegerField(_("places"))
    since = models.DateField(_("from"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["service", "-since"]
        constraints = [
            models.UniqueConstraint(fields=["service", "since"], name="services_capacity_once_a_day"),
            models.CheckConstraint(condition=Q(places__lte=100_000), name="services_capacity_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.places} {self.get_unit_display()} ({self.since})"


class PlannedCentre(TranslatedNameMixin, models.Model):
    """Places not open yet: a centre being built or planned (the 150-place rehabilitation
    centre, the new centres in Nauryzbay, Bostandyq and Medeu), so an akimat sees planned
    places beside free ones and the wait lists."""

    class Stage(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        OPEN = "open", _("Open")

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.SET_NULL, related_name="planned_centres"
    )
    region = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    unit = models.CharField(
        _("unit"), max_length=32, choices=CapacityUnit.choices, default=CapacityUnit.PLACE
    )
    places = models.PositiveIntegerField(_("planned places"))
    opens_on = models.DateField(_("planned opening"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, default=Stage.PLANNED)
    # The source's words when the article gives a total for several centres only.
    note_kk = models.CharField(_("note (Kazakh)"), max_length=300, blank=True)
    note_ru = models.CharField(_("note (Russian)"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    generated = models.BooleanField(_("generated demo name"), default=False)

    class Meta:
        ordering = ["opens_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places__lte=100_000), name="services_planned_places_bounded"),
        ]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """One organisation's staff sending a person, with the person's consent, to a provider's
    service. The referring organisation sees the status and the outcome; the receiving
    provider's notes are its own."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WAIT_LISTED = "wait_listed", _("On the wait list")
        IN_SERVICE = "in_service", _("In service")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class RejectionReason(models.TextChoices):
        NOT_ELIGIBLE = "not_eligible", _("The person is not eligible")
        NO_CAPACITY = "no_capacity", _("No places and no wait list")
        OUT_OF_AREA = "out_of_area", _("Outside the area the provider serves")
        NEEDS_ASSESSMENT = "needs_assessment", _("An assessment is needed first")
        OTHER = "other", _("Other reason")

    class Outcome(models.TextChoices):
        SERVED = "served", _("Served")
        COULD_NOT_CONTACT = "could_not_contact", _("Could not contact the person")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        DECLINED = "declined", _("The person declined")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("referred by")
    )
    # The referring organisation's record of the person, and the person's identity, which
    # finds the receiving provider's record of the same person.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    identity = models.ForeignKey(Identity, on_delete=models.PROTECT, related_name="+")
    receiver_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_received"
    )
    consent_given_on = models.DateField(_("the person agreed to the referral on"))
    reason = EncryptedTextField(_("why the person is referred"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    rejection_reason = models.CharField(
        _("reason for rejecting"), max_length=32, choices=RejectionReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True)
    # The delivery a "served" outcome produced: the loop closes on what was actually done.
    delivery = models.ForeignKey(
        "projects.ServiceDelivery", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The receiving provider's own notes: never shown to the referring organisation.
    receiver_notes = EncryptedTextField(_("provider's notes"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Answer within this; later, the provider's administrators and the akimat are told.
    answer_due_at = models.DateTimeField(_("answer due by"))
    answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    first_service_on = models.DateField(_("first served on"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(outcome=""),
                name="services_referral_completed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="served") | Q(delivery__isnull=False),
                name="services_referral_served_has_delivery",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="services_referral_rejected_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "answer_due_at"], name="services_referral_due")]

    def __str__(self) -> str:
        return f"referral #{self.pk} · {self.get_status_display()}"


class WaitListEntry(models.Model):
    """A person waiting for a place in a full service. The list's order is the tier (the
    provider's published priority tiers; none comes last), then the time they joined, then
    the entry's number: deterministic, so replaying the audit gives the same list."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered a place")
        PARKED = "parked", _("Set aside until a date")
        ENROLLED = "enrolled", _("Enrolled")
        LEFT = "left", _("Left the list")

    class ParkReason(models.TextChoices):
        DECLINED_FOR_NOW = "declined_for_now", _("Declined the place for now")
        OFFER_EXPIRED = "offer_expired", _("Did not answer the offer in time")
        IN_HOSPITAL = "in_hospital", _("In hospital")
        AWAY = "away", _("Away")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="wait_list")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="wait_list_entries")
    identity = models.ForeignKey(Identity, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="wait_list_entries"
    )
    # What a person types, with their birth date, to see their place without signing in.
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    tier_rank = models.PositiveSmallIntegerField(_("priority tier"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined the list at"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    parked_until = models.DateField(_("set aside until"), null=True, blank=True)
    park_reason = models.CharField(_("reason"), max_length=32, choices=ParkReason.choices, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["service", "tier_rank", "joined_at", "pk"]
        constraints = [
            # One place on a service's list per person while they are on it.
            models.UniqueConstraint(
                fields=["service", "identity"],
                condition=Q(status__in=["waiting", "offered", "parked"]),
                name="services_wait_list_once_per_service",
            ),
            models.CheckConstraint(
                condition=~Q(status="parked") | Q(parked_until__isnull=False),
                name="services_wait_list_parked_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "status", "tier_rank", "joined_at"], name="services_wait_order")
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.get_status_display()}"


class Offer(models.Model):
    """A freed place offered to the next person on the list, with a deadline to accept."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    entry = models.ForeignKey(WaitListEntry, on_delete=models.CASCADE, related_name="offers")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="offers")
    made_at = models.DateTimeField(_("offered at"))
    expires_at = models.DateTimeField(_("accept by"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(
        _("reason"), max_length=32, choices=WaitListEntry.ParkReason.choices, blank=True
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-made_at", "-pk"]
        constraints = [
            # Nobody holds two open offers for the same place on a list.
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status="open"), name="services_offer_one_open_per_entry"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("made_at")), name="services_offer_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"offer #{self.pk} · {self.get_status_display()}"


class Enrolment(models.Model):
    """A person served by a service from a day to a day (open while they are served), with
    their individual plan. Enrolments in force on a day are the service's occupancy."""

    class EndReason(models.TextChoices):
        PLAN_COMPLETED = "plan_completed", _("The individual plan was completed")
        MOVED = "moved", _("Moved to another service or place")
        LEFT = "left", _("The person left")
        DIED = "died", _("The person died")
        OTHER = "other", _("Other reason")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="service_enrolments")
    identity = models.ForeignKey(Identity, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    offer = models.OneToOneField(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolment"
    )
    starts_on = models.DateField(_("served from"))
    ends_on = models.DateField(_("served until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=32, choices=EndReason.choices, blank=True)
    plan = EncryptedTextField(_("individual plan"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="services_enrolment_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["service", "identity"],
                condition=Q(ends_on__isnull=True),
                name="services_enrolment_once_at_a_time",
            ),
        ]
        indexes = [models.Index(fields=["service", "starts_on", "ends_on"], name="services_enrolment_period")]

    def __str__(self) -> str:
        return f"enrolment #{self.pk}"


class EnrolmentAttendance(models.Model):
    """Whether an enrolled person came (or was visited) on a day."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    on = models.DateField(_("date"))
    present = models.BooleanField(_("present"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-on"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "on"], name="services_attendance_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.on}"
