"""Social projects, what they promise (indicators) and what they did: events with their
attendance, and service deliveries — the unit everything is counted in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.i18n import TranslatedNameMixin, translated
from qoldau.core.models import Identity, Organisation, Person, Place, VulnerabilityCategory


class FundingSource(models.TextChoices):
    STATE_SOCIAL_ORDER = "state_social_order", _("State social order")
    STATE_GRANT = "state_grant", _("State grant")
    SPONSOR = "sponsor", _("Sponsor")
    OWN_FUNDS = "own_funds", _("Own funds")
    INTERNATIONAL_DONOR = "international_donor", _("International donor")


class Project(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("organisation"),
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    regions = models.ManyToManyField(Place, related_name="projects", verbose_name=_("regions"))
    districts = models.ManyToManyField(
        Place, related_name="district_projects", blank=True, verbose_name=_("districts")
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    funding_source = models.CharField(_("funding source"), max_length=32, choices=FundingSource.choices)
    funder = models.CharField(_("funder"), max_length=300, blank=True)
    budget = models.DecimalField(_("budget, tenge"), max_digits=16, decimal_places=2, default=0)
    target_categories = models.ManyToManyField(
        VulnerabilityCategory, blank=True, verbose_name=_("target categories")
    )
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    experts = models.PositiveIntegerField(_("experts"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title_kk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="project_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def description(self) -> str:
        return translated(self, "description")


class Indicator(TranslatedNameMixin, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class IndicatorPeriod(models.Model):
    """An indicator's target and actual value for one reporting period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "starts_on"], name="indicator_period_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="indicator_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.starts_on}–{self.ends_on}"


class ServiceType(TranslatedNameMixin, models.Model):
    """A kind of service a project or provider delivers (a catalogue entry)."""

    code = models.SlugField(max_length=64, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    unit_kk = models.CharField(max_length=40, default="рет")
    unit_ru = models.CharField(max_length=40, default="раз")
    unit_en = models.CharField(max_length=40, default="times")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> str:
        return translated(self, "unit")


class ServiceDelivery(models.Model):
    """One person received one service from one project on one date."""

    # Indexes on this table are kept to what queries use: every one slows each of the
    # millions of rows an import writes. (project, ...) indexes below cover the project;
    # services, places and recorders are only looked up from their own side when deleted.
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="deliveries", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="deliveries")
    # The person's identity, copied from the record when the delivery is written (and
    # moved with it when the record's IIN is corrected): reach counts identities, and
    # reading it here spares every count a join of millions of deliveries to people. No
    # database constraint: the record's own key already keeps the identity alive, and a
    # second key would be checked row by row in every import.
    identity = models.ForeignKey(
        Identity, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    service = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, verbose_name=_("service"), db_index=False
    )
    delivered_on = models.DateField(_("date"))
    # Where the person was served, fixed when the delivery is recorded (the person's
    # district and region, else the project's only region), so that reports count it in
    # one place without joining people.
    region = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    district = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person", "service", "delivered_on"], name="delivery_unique"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="delivery_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["project", "delivered_on"]),
            # Region first: a region's year is a narrow range of it, not a scan of the year.
            models.Index(fields=["region", "delivered_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.delivered_on} {self.service} #{self.person_id}"


class Event(models.Model):
    class Kind(models.TextChoices):
        JOB_FAIR = "job_fair", _("Job fair")
        ONLINE_SEMINAR = "online_seminar", _("Online seminar")
        TRAINING = "training", _("Training")
        PODCAST = "podcast", _("Podcast")
        EXHIBITION = "exhibition", _("Exhibition")
        FORUM = "forum", _("Forum")
        AWARD_CEREMONY = "award_ceremony", _("Award ceremony")
        CONSULTATION_SESSION = "consultation_session", _("Consultation session")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    held_on = models.DateField(_("date"))
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("place"))
    venue = models.CharField(_("venue or platform"), max_length=300, blank=True)
    anonymous_participants = models.PositiveIntegerField(_("anonymous participants"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    experts = models.PositiveIntegerField(_("experts"), default=0)
    employers = models.PositiveIntegerField(_("employers"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="events_taken_part",
        verbose_name=_("participating organisations"),
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    # As on a delivery: the person's identity, which reach counts, without a join.
    identity = models.ForeignKey(
        Identity, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    # Where the attendance counts in reports: the event's place, else the person's.
    region = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.event} #{self.person_id}"


class ReachCell(models.Model):
    """Exact unique people and participations for one slice of one year: the whole
    country or a region, all of a region or one district, all people or one category, the
    whole year or one month. Key 0 means "all". Rebuilt from the deliveries and attendance
    by `reach_refresh` after every write, so the dashboards read figures instead of
    counting millions of rows; `qoldau bench reach` measures both."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    region_key = models.BigIntegerField()
    district_key = models.BigIntegerField()
    category_key = models.BigIntegerField()
    people = models.PositiveIntegerField()
    participations = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region_key", "district_key", "category_key", "month"],
                name="reach_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month} r{self.region_key} d{self.district_key} c{self.category_key}"


class ReachStale(models.Model):
    """A year and region whose cells a write has made stale (region 0: the country).
    Rows are only inserted by writers and deleted by the refresh, never updated, so
    writers never wait on each other here."""

    year = models.PositiveSmallIntegerField()
    region_key = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.year} r{self.region_key}"
