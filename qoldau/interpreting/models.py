"""Online sign-language interpreting (issue 16): a deaf or hard-of-hearing person calls an
interpreter by video, is served in the order calls arrive, and each session's minutes are
debited from their yearly hours.

The service is an organisation with a project (its sessions are deliveries of the project,
so the impact figures count them). Its interpreters are users who work for the organisation
(a core role there) with an `Interpreter` record of their dispatch state. A person's
entitlement is confirmed once by the service's staff; each calendar year starts with the
full hours again (the ledger's debits are counted by the year of the session).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.models import Organisation, Person
from qoldau.projects.models import Project

# The catalogue's service every session is delivered as (minutes as the quantity).
SERVICE_CODE = "sign_language_interpreting"


class TsTzRange(Func):
    """PostgreSQL's tstzrange(start, end, '[)'): a booking's half-open time span."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()

    def __init__(self, *expressions: object) -> None:
        super().__init__(*expressions, RangeBoundary())


class InterpretingService(models.Model):
    """An organisation that runs an interpreting service, and the project its sessions are
    delivered under."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="interpreting_service",
        verbose_name=_("organisation"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.organisation)


class Entitlement(models.Model):
    """A person's right to free interpreting hours, confirmed once by the service's staff
    (from the person's ИПАР). Every calendar year the hours start afresh."""

    service = models.ForeignKey(InterpretingService, on_delete=models.PROTECT, related_name="entitlements")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="interpreting_entitlement")
    hours_per_year = models.PositiveIntegerField(_("hours a year"))
    confirmed_on = models.DateField(_("confirmed on"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The ИПАР's end, where it has one: no call after it.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_year__gte=1) & Q(hours_per_year__lte=2000),
                name="entitlement_hours_range",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.person_id} {self.hours_per_year} h"


class InterpreterState(models.TextChoices):
    AVAILABLE = "available", _("Available")
    OFFERED = "offered", _("Offered a call")
    IN_SESSION = "in_session", _("In a session")
    WRAP_UP = "wrap_up", _("Wrap-up")
    AWAY = "away", _("Away")


class Interpreter(models.Model):
    """A user who interprets for the service, and where they are in dispatch. `idle_since`
    is when they last became available: the call goes to the one idle longest."""

    service = models.ForeignKey(InterpretingService, on_delete=models.PROTECT, related_name="interpreters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interpreter_of"
    )
    display_name = models.CharField(_("name shown to callers"), max_length=100)
    state = models.CharField(
        _("state"), max_length=16, choices=InterpreterState.choices, default=InterpreterState.AWAY
    )
    state_since = models.DateTimeField(_("state since"))
    idle_since = models.DateTimeField(_("idle since"), null=True, blank=True)
    # A dispatcher also sees the console and grants overrides.
    is_dispatcher = models.BooleanField(_("dispatcher"), default=False)

    class Meta:
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["service", "user"], name="interpreter_unique"),
            models.CheckConstraint(
                condition=~Q(state="available") | Q(idle_since__isnull=False),
                name="interpreter_available_idle_since",
            ),
        ]
        indexes = [models.Index(fields=["service", "state", "idle_since"])]

    def __str__(self) -> str:
        return self.display_name


class Purpose(models.TextChoices):
    MEDICAL = "medical", _("Medical appointment")
    PUBLIC_SERVICE = "public_service", _("Public service centre")
    LEGAL = "legal", _("Court, police or notary")
    EMPLOYMENT = "employment", _("Job interview or work")
    EDUCATION = "education", _("Education or exam")
    EMERGENCY = "emergency", _("Emergency")
    OTHER = "other", _("Something else")


class CallStatus(models.TextChoices):
    # Zero hours left: waits for a dispatcher's override before it joins the queue.
    NEEDS_OVERRIDE = "needs_override", _("Waiting for a dispatcher's approval")
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered to an interpreter")
    CONNECTED = "connected", _("Connected")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_CALL_STATUSES = (CallStatus.NEEDS_OVERRIDE, CallStatus.WAITING, CallStatus.OFFERED)


class Call(models.Model):
    """A request for an interpreter now. Calls are served in the order they arrive; an
    emergency goes first (its priority is recorded and audited)."""

    service = models.ForeignKey(InterpretingService, on_delete=models.PROTECT, related_name="calls")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interpreting_calls")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.CharField(_("where you are"), max_length=300)
    purpose = models.CharField(_("what for"), max_length=32, choices=Purpose.choices)
    # 1 for an emergency, 0 otherwise: the queue is ordered by priority, then arrival.
    priority = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.WAITING
    )
    created_at = models.DateTimeField(_("called at"), db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A booked session's call is connected at once, never queued.
    booking = models.OneToOneField(
        "Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="call"
    )

    class Meta:
        ordering = ["-priority", "created_at", "pk"]
        indexes = [models.Index(fields=["service", "status", "created_at"])]
        constraints = [models.CheckConstraint(condition=Q(priority__lte=1), name="call_priority_range")]

    def __str__(self) -> str:
        return f"call {self.pk}"

    @property
    def wait_seconds(self) -> float | None:
        if self.answered_at is None:
            return None
        return (self.answered_at - self.created_at).total_seconds()


class OfferOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Not answered in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offer(models.Model):
    """A call offered to one interpreter until it expires."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="offers")
    interpreter = models.ForeignKey(Interpreter, on_delete=models.PROTECT, related_name="offers")
    offered_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=OfferOutcome.choices, default=OfferOutcome.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offered_at", "pk"]
        constraints = [
            # One pending offer per call and per interpreter at a time.
            models.UniqueConstraint(
                fields=["call"], condition=Q(outcome="pending"), name="offer_one_pending_per_call"
            ),
            models.UniqueConstraint(
                fields=["interpreter"],
                condition=Q(outcome="pending"),
                name="offer_one_pending_per_interpreter",
            ),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk}"


class Session(models.Model):
    """The interpreted video session of one call. Its minutes are counted once, when it
    ends: from its start to its end, or to the moment a party dropped out and did not come
    back within the grace period."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="session")
    interpreter = models.ForeignKey(Interpreter, on_delete=models.PROTECT, related_name="sessions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interpreting_sessions")
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    # When a party's connection dropped: they may rejoin within the grace period.
    person_left_at = models.DateTimeField(null=True, blank=True)
    interpreter_left_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The project's delivery this session was recorded as (no key: projects' own table).
    delivery_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="session_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, minutes__isnull=True)
                | Q(ended_at__isnull=False, minutes__isnull=False),
                name="session_minutes_when_ended",
            ),
            # An interpreter interprets one session at a time, and a person has one open.
            models.UniqueConstraint(
                fields=["interpreter"],
                condition=Q(ended_at__isnull=True),
                name="session_one_open_per_interpreter",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="session_one_open_per_person"
            ),
        ]
        indexes = [models.Index(fields=["started_at"])]

    def __str__(self) -> str:
        return f"session {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class LedgerKind(models.TextChoices):
    DEBIT = "debit", _("Session minutes")
    OVERRIDE = "override", _("Dispatcher's override on a zero balance")


class LedgerEntry(models.Model):
    """The hours ledger: each session's minutes as a debit (once: one entry per session),
    and each override a dispatcher granted, with its reason. A year's balance is the
    entitlement's hours less that year's debits."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    year = models.PositiveSmallIntegerField()
    minutes = models.PositiveIntegerField(default=0)
    session = models.OneToOneField(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="debit"
    )
    call = models.ForeignKey(Call, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="debit") | Q(session__isnull=False), name="ledger_debit_has_session"
            ),
            models.CheckConstraint(
                condition=~Q(kind="override") | (Q(call__isnull=False) & ~Q(reason="")),
                name="ledger_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["entitlement", "year"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.minutes} min ({self.year})"


class CallbackMessage(models.Model):
    """A message a person leaves when nobody is free; the service calls them back."""

    service = models.ForeignKey(InterpretingService, on_delete=models.PROTECT, related_name="callbacks")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    call = models.OneToOneField(
        Call, null=True, blank=True, on_delete=models.SET_NULL, related_name="callback"
    )
    text = models.TextField(_("message"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    called_back_at = models.DateTimeField(null=True, blank=True)
    called_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"callback {self.pk}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """An appointment booked ahead, with its interpreter. No interpreter is booked twice at
    one time: PostgreSQL refuses an overlap by an exclusion constraint, SQLite by a trigger
    (migration 0002), and the service checks first for a clear message."""

    service = models.ForeignKey(InterpretingService, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interpreting_bookings")
    interpreter = models.ForeignKey(Interpreter, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("where"), max_length=300)
    purpose = models.CharField(_("what for"), max_length=32, choices=Purpose.choices)
    status = models.CharField(max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            ExclusionConstraint(
                name="booking_no_double_booking",
                expressions=[
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                    ("interpreter", RangeOperators.EQUAL),
                ],
                condition=Q(status="booked"),
            ),
        ]

    def __str__(self) -> str:
        return f"booking {self.pk}"
