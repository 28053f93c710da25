"""Infrastructure objects, their accessibility passports, remediation measures and the
barriers people report.

A passport assesses seven zones of an object for five categories of people (СН РК
3.06-01-2011 and the passport methodology, `../shared/domain/KAZAKHSTAN.md`). Submitted
passports are never changed: a re-survey is a new passport, and the object keeps the public
status of its latest submitted one, copied onto the object so that the map reads one row
per object.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from qoldau.access.references import reference_of
from qoldau.core.crypto import EncryptedTextField
from qoldau.core.i18n import TranslatedNameMixin
from qoldau.core.models import Organisation, Place


class ObjectKind(models.TextChoices):
    HEALTH = "health", _("Health care")
    EDUCATION = "education", _("Education")
    SOCIAL_PROTECTION = "social_protection", _("Social protection")
    CULTURE = "culture", _("Culture")
    SPORT = "sport", _("Sport")
    TRADE_SERVICES = "trade_services", _("Trade and services")
    TRANSPORT = "transport", _("Transport")
    ADMINISTRATIVE = "administrative", _("Administrative")
    RESIDENTIAL = "residential", _("Residential")
    OTHER = "other", _("Other")


class PeopleCategory(models.TextChoices):
    """The methodology's five categories, keyed by their Cyrillic letters as on the forms."""

    WHEELCHAIR = "К", _("К: wheelchair users")
    MOBILITY = "О", _("О: other mobility impairments")
    VISION = "С", _("С: vision impairments")
    HEARING = "Г", _("Г: hearing impairments")
    MENTAL = "У", _("У: mental and intellectual impairments")


# Latin look-alikes people type for the Cyrillic category letters (K, O, C, G, U).
CATEGORY_ALIASES = {
    "K": "К",
    "O": "О",
    "S": "С",
    "C": "С",
    "G": "Г",
    "U": "У",
    "Y": "У",
}


class Zone(models.TextChoices):
    TERRITORY = "territory", _("Adjacent territory and parking")
    ENTRANCE = "entrance", _("Entrances")
    PATHS = "paths", _("Paths inside the building, including evacuation routes")
    SERVICE = "service", _("Service zone")
    SANITARY = "sanitary", _("Sanitary rooms")
    INFORMATION = "information", _("Information and signage")
    TRANSPORT_ROUTE = "transport_route", _("Route from the nearest transport stop")


class ZoneStatus(models.TextChoices):
    """The methodology's finer status of one zone for one category."""

    FULL = "ДП", _("ДП: fully accessible")
    PARTIAL = "ДЧ", _("ДЧ: partially accessible")
    CONDITIONAL = "ДУ", _("ДУ: conditionally accessible (with help or another form of service)")
    NONE = "ВНД", _("ВНД: temporarily not accessible")


class PublicStatus(models.TextChoices):
    """What the public map shows for one category; `unknown` until a passport is submitted."""

    ACCESSIBLE = "accessible", _("Accessible")
    PARTIAL = "partial", _("Partially accessible")
    NOT_ACCESSIBLE = "not_accessible", _("Not accessible")
    UNKNOWN = "unknown", _("Not assessed yet")


# The field on AccessObject that carries the public status of each category.
STATUS_FIELD = {
    PeopleCategory.WHEELCHAIR: "status_k",
    PeopleCategory.MOBILITY: "status_o",
    PeopleCategory.VISION: "status_s",
    PeopleCategory.HEARING: "status_g",
    PeopleCategory.MENTAL: "status_u",
}


def _status_field(label: str | StrPromise) -> models.CharField[str, str]:
    return models.CharField(
        label, max_length=16, choices=PublicStatus.choices, default=PublicStatus.UNKNOWN, db_index=True
    )


class AccessObject(TranslatedNameMixin, models.Model):
    """A building or place people go to: a clinic, a school, a shop, a bus station."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300)
    region = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ObjectKind.choices)
    owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_objects",
        verbose_name=_("owner organisation"),
    )
    # The owner as written on the source list, where it is not a registered organisation.
    owner_name = models.CharField(_("owner (as written)"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    # An identifier in the city's own register, for re-importing the same list.
    external_id = models.CharField(_("register number"), max_length=64, blank=True)
    status_k = _status_field(_("status for wheelchair users"))
    status_o = _status_field(_("status for other mobility impairments"))
    status_s = _status_field(_("status for vision impairments"))
    status_g = _status_field(_("status for hearing impairments"))
    status_u = _status_field(_("status for mental and intellectual impairments"))
    passported_on = models.DateField(_("passported on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_kk", "pk"]
        indexes = [
            # The map's bounding-box query and the progress report's groupings.
            models.Index(fields=["latitude", "longitude"], name="access_obj_lat_lon"),
            models.Index(fields=["region", "district", "kind"], name="access_obj_region_district"),
            # The map's data stamp reads the latest change from here, not from every row.
            models.Index(fields=["updated_at"], name="access_obj_updated_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "external_id"],
                condition=~Q(external_id=""),
                name="access_object_unique_register_number",
            ),
            # Kazakhstan's extent: a swapped latitude and longitude falls outside it.
            models.CheckConstraint(
                condition=Q(latitude__gte=40.5, latitude__lte=55.5, longitude__gte=46.4, longitude__lte=87.4),
                name="access_object_inside_kazakhstan",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def public_status(self, category: str) -> str:
        return str(getattr(self, STATUS_FIELD[PeopleCategory(category)]))


class SurveyAssignment(models.Model):
    """An object given to a surveyor to passport; a surveyor sees only these objects."""

    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_assignments"
    )
    object = models.ForeignKey(AccessObject, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    # A re-survey asked for after a measure was completed.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["surveyor", "object"],
                condition=Q(active=True),
                name="survey_assignment_active_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_id} → {self.surveyor_id}"


class Passport(models.Model):
    """One survey of one object. A draft is edited (with a version, so two surveyors never
    overwrite each other); a submitted passport is never changed again."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    object = models.ForeignKey(AccessObject, on_delete=models.CASCADE, related_name="passports")
    number = models.PositiveIntegerField(_("passport number"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    surveyed_on = models.DateField(_("surveyed on"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["object", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["object", "number"], name="passport_number_unique"),
            # One draft at a time: a second surveyor opens the same draft, not a rival one.
            models.UniqueConstraint(
                fields=["object"], condition=Q(state="draft"), name="passport_one_draft_per_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object} · №{self.number}"


class PassportZoneStatus(models.Model):
    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="zone_statuses")
    zone = models.CharField(_("zone"), max_length=32, choices=Zone.choices)
    category = models.CharField(_("category"), max_length=2, choices=PeopleCategory.choices)
    status = models.CharField(_("status"), max_length=4, choices=ZoneStatus.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["passport", "zone", "category"], name="passport_zone_status_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.category}: {self.status}"


class PassportItem(models.Model):
    """One checklist item of a passport (catalogue: `checklist.py`): met, not met or not
    applicable, with a measurement where the norm has one."""

    class Result(models.TextChoices):
        MET = "met", _("Meets the norm")
        NOT_MET = "not_met", _("Does not meet the norm")
        NOT_APPLICABLE = "not_applicable", _("Not applicable here")

    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("checklist item"), max_length=48)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    measurement = models.DecimalField(_("measurement"), max_digits=8, decimal_places=2, null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["passport", "code"], name="passport_item_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.result}"


def photo_path(instance: ObjectPhoto, filename: str) -> str:
    return f"access/objects/{instance.object_id}/{filename}"


class ObjectPhoto(models.Model):
    object = models.ForeignKey(AccessObject, on_delete=models.CASCADE, related_name="photos")
    passport = models.ForeignKey(
        Passport, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    zone = models.CharField(_("zone"), max_length=32, choices=Zone.choices, blank=True)
    image = models.ImageField(_("photo"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.caption or self.image.name


class Measure(models.Model):
    """What will be done about one shortfall (a checklist item not met), by whom, when and
    at what cost. Created, unplanned, for every shortfall when a passport is submitted."""

    class Kind(models.TextChoices):
        NONE_NEEDED = "none_needed", _("No measure needed")
        REPAIR = "repair", _("Repair or reconstruction")
        INDIVIDUAL_SOLUTION = "individual_solution", _("Individual technical solution")
        ALTERNATIVE_SERVICE = "alternative_service", _("Alternative form of service")

    class State(models.TextChoices):
        UNPLANNED = "unplanned", _("Not planned yet")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")

    object = models.ForeignKey(AccessObject, on_delete=models.CASCADE, related_name="measures")
    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="measures")
    zone = models.CharField(_("zone"), max_length=32, choices=Zone.choices)
    item_code = models.CharField(_("checklist item"), max_length=48)
    kind = models.CharField(_("measure"), max_length=32, choices=Kind.choices, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.UNPLANNED)
    responsible = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    responsible_name = models.CharField(_("responsible (as written)"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    cost = models.DecimalField(_("cost, tenge"), max_digits=14, decimal_places=2, null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["state", "deadline"], name="access_measure_state_deadline")]
        constraints = [
            models.UniqueConstraint(fields=["passport", "item_code"], name="measure_one_per_shortfall"),
            models.CheckConstraint(
                condition=Q(state="unplanned") | ~Q(kind=""), name="measure_planned_has_kind"
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(completed_on__isnull=False), name="measure_done_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object_id} · {self.item_code} · {self.state}"


class BarrierReport(models.Model):
    """A barrier a person met at an object: a task for the object's owner and the officers of
    its region until it is resolved."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", _("Not confirmed")

    class Channel(models.TextChoices):
        WEB = "web", _("Web site")
        BOT = "bot", _("Telegram bot")
        STAFF = "staff", _("Recorded by staff")

    object = models.ForeignKey(AccessObject, on_delete=models.CASCADE, related_name="barrier_reports")
    category = models.CharField(_("category"), max_length=2, choices=PeopleCategory.choices, blank=True)
    zone = models.CharField(_("zone"), max_length=32, choices=Zone.choices, blank=True)
    description = models.TextField(_("what is the barrier"))
    photo = models.ImageField(_("photo"), upload_to="access/barriers/", blank=True)
    # How to reach the person, if they want an answer: personal data, encrypted.
    contact = EncryptedTextField(_("contact"), blank=True, default="")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.NEW)
    resolution = models.TextField(_("what was done"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="access_barrier_state")]

    def __str__(self) -> str:
        return f"{self.object_id} · {self.created_at:%Y-%m-%d}"

    @property
    def reference(self) -> str:
        """The reference the reporter follows the report by (`access/references.py`)."""
        return reference_of(self.pk)
