"""The directory of social services: providers, their permits, the catalogue of special
social services as data, services with their eligibility and the places they are given at.

Shaped so that Open Referral's HSDS 3.0 reads straight off it: a provider is an
`organization`, a `Location` a `location` (with its building's accessibility passport in
the access app), a `Service` a `service` (eligibility, age range, documents, cost,
languages, schedule) and `ServiceAtLocation` a `service_at_location`; the catalogue's
terms are its `taxonomy_terms`. Facts the sources did not confirm (the service lists of
each setting under Order 263, what a licence record holds) are rows an administrator
edits, never constants.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.i18n import TranslatedNameMixin, translated
from qoldau.core.models import Organisation, Place, VulnerabilityCategory


class ProviderKind(models.TextChoices):
    MEDICAL_SOCIAL_INSTITUTION = "medical_social_institution", _("Medical-social institution")
    NGO = "ngo", _("Non-governmental organisation")
    HOME_CARE_UNIT = "home_care_unit", _("Home-care unit of a district akimat")
    STATE_CENTRE = "state_centre", _("State centre")
    PRIVATE = "private", _("Private provider")


class Provider(models.Model):
    """An organisation as a provider of social services. The organisation (core's record)
    holds its name, BIN, region, district and contacts; this adds what a provider is."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="provider", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind of provider"), max_length=32, choices=ProviderKind.choices)
    description_kk = models.TextField(_("description (Kazakh)"), max_length=4000, blank=True)
    description_ru = models.TextField(_("description (Russian)"), max_length=4000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=4000, blank=True)
    # Names the articles do not give are generated for the demo and marked so.
    generated = models.BooleanField(_("generated demo name"), default=False)
    # A stable public identifier for HSDS (`organization.id`), never the database key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name_kk"]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def description(self) -> str:
        return translated(self, "description")


class Permit(models.Model):
    """A permit or licence a provider holds. Whether providers are licensed under the 2023
    Social Code, by whom, and what the record holds could not be confirmed, so it is kept
    as data: issuer, number, activity and the period it is valid for."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="permits")
    issuer = models.CharField(_("issued by"), max_length=300)
    number = models.CharField(_("number"), max_length=64)
    activity = models.CharField(_("activity"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALID)
    # When the administrators were last reminded that it expires (once per permit and period).
    expiry_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["valid_to", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="services_permit_ends_after_it_starts",
            ),
            models.UniqueConstraint(fields=["provider", "issuer", "number"], name="services_permit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} № {self.number}"


class CatalogueTerm(TranslatedNameMixin, models.Model):
    """A term of the catalogue: a setting of special social services (residential, day,
    at home, temporary stay), a type (social-household, medical, psychological,
    pedagogical, labour, cultural, economic, legal) or a need people search by. HSDS
    publishes them as taxonomy terms of three taxonomies."""

    class Taxonomy(models.TextChoices):
        SETTING = "setting", _("Setting")
        TYPE = "type", _("Type of service")
        NEED = "need", _("Need")

    taxonomy = models.CharField(_("taxonomy"), max_length=16, choices=Taxonomy.choices)
    code = models.SlugField(_("code"), max_length=64)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), max_length=2000, blank=True)
    description_ru = models.TextField(_("description (Russian)"), max_length=2000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=2000, blank=True)
    sort_order = models.PositiveIntegerField(default=100)
    active = models.BooleanField(_("in use"), default=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["taxonomy", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="services_term_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Location(TranslatedNameMixin, models.Model):
    """Where a provider gives services: a building (physical) or, for services given at
    home or online, the area it covers (virtual). A physical location points at its
    building's accessibility passport in the access app by the model's label."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("A building")
        VIRTUAL = "virtual", _("At home or online")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="locations")
    kind = models.CharField(_("kind of location"), max_length=16, choices=Kind.choices, default=Kind.PHYSICAL)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    building = models.ForeignKey(
        "access.AccessObject",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("building's accessibility passport"),
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_kk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=40, latitude__lte=56),
                name="services_location_latitude_in_kazakhstan",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=46, longitude__lte=88),
                name="services_location_longitude_in_kazakhstan",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Service(TranslatedNameMixin, models.Model):
    """A service a provider gives, from the catalogue (a setting and a type), with who may
    receive it, what to bring, what it costs, when and in which languages it is given."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Temporarily not given")
        DEFUNCT = "defunct", _("No longer given")

    class Admission(models.TextChoices):
        """How a person gets a place: first come, first served, or by the provider's
        published priority tiers (then first come within a tier)."""

        FIRST_COME = "first_come", _("First come, first served")
        PRIORITY_TIERS = "priority_tiers", _("Published priority tiers, then first come")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), max_length=4000, blank=True)
    description_ru = models.TextField(_("description (Russian)"), max_length=4000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=4000, blank=True)
    setting = models.ForeignKey(
        CatalogueTerm,
        on_delete=models.PROTECT,
        related_name="services_in_setting",
        limit_choices_to={"taxonomy": "setting"},
        verbose_name=_("setting"),
    )
    kind = models.ForeignKey(
        CatalogueTerm,
        on_delete=models.PROTECT,
        related_name="services_of_type",
        limit_choices_to={"taxonomy": "type"},
        verbose_name=_("type of service"),
    )
    needs = models.ManyToManyField(
        CatalogueTerm,
        blank=True,
        related_name="services_for_need",
        limit_choices_to={"taxonomy": "need"},
        verbose_name=_("needs it meets"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # Eligibility: ages in whole years (0 to 3 for early intervention: maximum_age 2 with
    # months below), the categories of people it is for (none: anyone) and the words.
    minimum_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("to age (inclusive)"), null=True, blank=True)
    categories = models.ManyToManyField(
        VulnerabilityCategory, blank=True, related_name="+", verbose_name=_("for the categories")
    )
    eligibility_kk = models.TextField(_("who may receive it (Kazakh)"), max_length=2000, blank=True)
    eligibility_ru = models.TextField(_("who may receive it (Russian)"), max_length=2000, blank=True)
    eligibility_en = models.TextField(_("who may receive it (English)"), max_length=2000, blank=True)
    application_kk = models.TextField(_("how to apply (Kazakh)"), max_length=2000, blank=True)
    application_ru = models.TextField(_("how to apply (Russian)"), max_length=2000, blank=True)
    application_en = models.TextField(_("how to apply (English)"), max_length=2000, blank=True)
    schedule_kk = models.CharField(_("schedule (Kazakh)"), max_length=300, blank=True)
    schedule_ru = models.CharField(_("schedule (Russian)"), max_length=300, blank=True)
    schedule_en = models.CharField(_("schedule (English)"), max_length=300, blank=True)
    # Languages the service is given in, as codes: kk, ru, en, sgn (sign language).
    languages = models.CharField(_("languages"), max_length=64, default="kk,ru")
    free = models.BooleanField(_("free of charge"), default=True)
    fee = models.DecimalField(_("fee, tenge"), max_digits=12, decimal_places=2, null=True, blank=True)
    fee_note_kk = models.CharField(_("about the fee (Kazakh)"), max_length=300, blank=True)
    fee_note_ru = models.CharField(_("about the fee (Russian)"), max_length=300, blank=True)
    fee_note_en = models.CharField(_("about the fee (English)"), max_length=300, blank=True)
    admission = models.CharField(
        _("admission order"), max_length=16, choices=Admission.choices, default=Admission.FIRST_COME
    )
    # Days a person has to accept an offered place before it goes to the next one.
    offer_days = models.PositiveSmallIntegerField(_("days to accept an offer"), default=3)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    # The project whose deliveries this service's work is recorded as ("people reached"),
    # and the delivery's kind; unset until the provider links them.
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("project its deliveries are recorded in"),
    )
    delivery_type = models.ForeignKey(
        "projects.ServiceType",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kind of delivery"),
    )
    locations: models.ManyToManyField[Location, ServiceAtLocation] = models.ManyToManyField(
        Location, through="ServiceAtLocation", related_name="services", verbose_name=_("locations")
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name_kk", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(maximum_age__gte=F("minimum_age")),
                name="services_service_age_range",
            ),
            models.CheckConstraint(
                condition=Q(free=True, fee__isnull=True) | Q(free=False, fee__gte=0),
                name="services_service_fee_when_paid",
            ),
            models.CheckConstraint(
                condition=Q(offer_days__gte=1, offer_days__lte=30), name="services_service_offer_days"
            ),
        ]
        # The public directory lists active services by name in the reader's language (a
        # page of 20 of 300,000 read off the index); the names' trigram indexes for free
        # text are PostgreSQL's own, made by the migration 0002.
        indexes = [
            models.Index(fields=["status", "name_kk", "id"], name="services_service_by_name_kk"),
            models.Index(fields=["status", "name_ru", "id"], name="services_service_by_name_ru"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def eligibility(self) -> str:
        return translated(self, "eligibility")

    @property
    def application(self) -> str:
        return translated(self, "application")

    @property
    def schedule(self) -> str:
        return translated(self, "schedule")

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class RequiredDocument(models.Model):
    """A document a person brings to apply ("what do I need to bring")."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents")
    name_kk = models.CharField(_("document (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("document (Russian)"), max_length=300)
    name_en = models.CharField(_("document (English)"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class ServiceAtLocation(models.Model):
    """A service given at one of its provider's locations (HSDS `service_at_location`)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_links")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="services_service_at_location_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class PriorityTier(TranslatedNameMixin, models.Model):
    """A priority tier a provider has published for a service's wait list (children under
    3 for early intervention, group I disability). Rank 1 comes first; a person is in the
    first tier whose conditions they meet, and in none (after every tier) otherwise. A
    change of the tiers is audited and re-orders the list from then on."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="priority_tiers")
    rank = models.PositiveSmallIntegerField(_("rank"))
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # Conditions, all of which must hold when set: younger than this many months, and a
    # member of this category on the day the person joins the list.
    under_age_months = models.PositiveSmallIntegerField(_("younger than (months)"), null=True, blank=True)
    category = models.ForeignKey(
        VulnerabilityCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_on = models.DateField(_("published on"))

    class Meta:
        ordering = ["service", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["service", "rank"], name="services_priority_tier_rank_unique"),
            models.CheckConstraint(
                condition=Q(under_age_months__isnull=False) | Q(category__isnull=False),
                name="services_priority_tier_has_a_condition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"


class DirectoryKey(models.Model):
    """The public directory's search index: a public service's keys, one row each, for what
    the directory and the HSDS API search by (its terms, its regions and districts, the
    categories it is for, the words of its names; `qoldau.services.search_keys` makes them).
    Only public services have keys, and a write that changes a service rebuilds its keys in
    the same transaction, so a search or an exact count of 300,000 services reads one index
    of this table instead of probing every service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)

    class Meta:
        constraints = [
            # The key's pattern operator class lets `LIKE 'word%'` (a word's beginning) read
            # this index whatever the database's collation.
            models.UniqueConstraint(
                fields=["key", "service"],
                name="services_directory_key_unique",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.key
