"""Job fairs: an event of an organisation's project (projects' `Event` of the kind "job
fair", which keeps its day, place and venue, and whose attendance counts the people
reached), with the people the organiser registered for it, the employers that come, the
interview slots at the employers' tables, the referrals made there and their outcomes.

A person goes through the fair's funnel: registered → attended → interviewed → referred →
hired. Their registration keeps the furthest stage reached; the rows below it (the slot
of the interview held, the referral and its outcome) say with whom."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.models import Organisation, Person
from qoldau.projects.models import Event


class FairStage(models.TextChoices):
    """How far a person went at a fair, in the funnel's order."""

    REGISTERED = "registered", _("Registered")
    ATTENDED = "attended", _("Attended")
    INTERVIEWED = "interviewed", _("Interviewed")
    REFERRED = "referred", _("Referred to an employer")
    HIRED = "hired", _("Hired")


# The funnel's order: a stage counts everyone who reached it or went further.
FAIR_STAGES: tuple[str, ...] = tuple(FairStage.values)


class JobFair(models.Model):
    """A job fair, held as an event of the organiser's project."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"fair #{self.pk} · event #{self.event_id}"


class FairSeeker(models.Model):
    """A person registered for a fair: the organiser's own record of them (with consent),
    and the furthest stage of the funnel they reached."""

    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="seekers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(
        _("stage"), max_length=16, choices=FairStage.choices, default=FairStage.REGISTERED
    )
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["fair", "stage"], name="jobs_fair_seeker_stage")]
        constraints = [models.UniqueConstraint(fields=["fair", "person"], name="fair_seeker_once")]

    def __str__(self) -> str:
        return f"fair #{self.fair_id} · person #{self.person_id} · {self.stage}"


class FairEmployer(models.Model):
    """An employer registered for a fair (by the organiser or by its own staff), the
    vacancies it brings, and whether it came."""

    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="employers")
    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("employer")
    )
    vacancies = models.ManyToManyField(
        "jobs.Vacancy", blank=True, related_name="+", verbose_name=_("vacancies brought")
    )
    registered_on = models.DateField(_("registered on"))
    attended = models.BooleanField(_("came to the fair"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["fair", "employer"], name="fair_employer_once")]

    def __str__(self) -> str:
        return f"fair #{self.fair_id} · employer #{self.employer_id}"


class InterviewSlot(models.Model):
    """A time at an employer's table on the fair's day, free or booked by a registered
    person, and whether the interview was held."""

    class Outcome(models.TextChoices):
        HELD = "held", _("Interview held")
        NO_SHOW = "no_show", _("Did not come")

    fair_employer = models.ForeignKey(FairEmployer, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.TimeField(_("starts at"))
    booked_by = models.ForeignKey(
        FairSeeker, null=True, blank=True, on_delete=models.PROTECT, related_name="slots"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["fair_employer", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["fair_employer", "starts_at"], name="fair_slot_once"),
            # One person is at one table at a time.
            models.UniqueConstraint(
                fields=["booked_by", "starts_at"],
                condition=Q(booked_by__isnull=False),
                name="fair_slot_one_table_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(booked_by__isnull=False), name="fair_slot_outcome_booked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fair_employer_id} · {self.starts_at} · {self.outcome or 'open'}"


class FairReferral(models.Model):
    """An employer, after an interview at its table, refers the person on (to its office,
    a vacancy), and what came of it."""

    class Outcome(models.TextChoices):
        HIRED = "hired", _("Hired")
        NOT_HIRED = "not_hired", _("Not hired")

    registration = models.ForeignKey(FairSeeker, on_delete=models.CASCADE, related_name="referrals")
    fair_employer = models.ForeignKey(FairEmployer, on_delete=models.CASCADE, related_name="referrals")
    vacancy = models.ForeignKey(
        "jobs.Vacancy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_on = models.DateField(_("referred on"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "fair_employer"], name="fair_referral_once"),
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True)
                | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="fair_referral_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("referred_on")),
                name="fair_referral_outcome_after",
            ),
        ]

    def __str__(self) -> str:
        return f"referral #{self.pk} · {self.outcome or 'pending'}"
