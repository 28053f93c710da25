"""The social workforce of providers: workers (position, qualification, whether they are
social workers entitled to the bonus), the bonus as dated data, trainings and the region's
training target. Public pages show counts by provider and district only."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.crypto import EncryptedTextField
from qoldau.core.i18n import TranslatedNameMixin
from qoldau.core.models import Place
from qoldau.services.models.directory import Provider


class Position(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SOCIAL_WORK_SPECIALIST = "social_work_specialist", _("Social work specialist")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    SPEECH_THERAPIST = "speech_therapist", _("Speech therapist")
    DEFECTOLOGIST = "defectologist", _("Special-needs teacher")
    NURSE = "nurse", _("Nurse")
    DOCTOR = "doctor", _("Doctor")
    REHABILITATION_SPECIALIST = "rehabilitation_specialist", _("Rehabilitation specialist")
    SIGN_LANGUAGE_SPECIALIST = "sign_language_specialist", _("Sign-language specialist")
    OTHER = "other", _("Other position")


# The positions paid as social workers (the bonus applies to them).
SOCIAL_WORK_POSITIONS = (Position.SOCIAL_WORKER, Position.SOCIAL_WORK_SPECIALIST)


class Worker(models.Model):
    """A provider's worker. The name is encrypted and shown only to the provider's staff."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="workers")
    full_name = EncryptedTextField(_("full name"))
    position = models.CharField(_("position"), max_length=32, choices=Position.choices)
    qualification = models.CharField(_("qualification"), max_length=300, blank=True)
    hired_on = models.DateField(_("hired on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["provider", "hired_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("hired_on")),
                name="services_worker_leaves_after_hired",
            ),
        ]

    def __str__(self) -> str:
        return f"worker #{self.pk}"


class WorkforceBonus(TranslatedNameMixin, models.Model):
    """A pay bonus for social workers as dated data (30 % in Almaty from 2025), never a
    constant: the rate, who it is for, from when and on what basis."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    region = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(_("bonus, per cent of salary"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=200), name="services_bonus_percent_bounded"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="services_bonus_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.percent} %)"


class Training(models.Model):
    """A course a worker completed, with its certificate."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("hours"))
    completed_on = models.DateField(_("completed on"))
    certificate = models.CharField(_("certificate number"), max_length=64, blank=True)

    class Meta:
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1, hours__lte=2000), name="services_training_hours"
            ),
        ]

    def __str__(self) -> str:
        return self.course


class TrainingTarget(TranslatedNameMixin, models.Model):
    """A region's target of specialists trained by a date (1,000 in Almaty by mid-2026)."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    region = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    specialists = models.PositiveIntegerField(_("specialists to train"))
    counted_from = models.DateField(_("trainings counted from"))
    deadline = models.DateField(_("by"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["deadline"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("counted_from")), name="services_target_deadline_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name
