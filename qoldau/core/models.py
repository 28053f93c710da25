"""Core records: places (KATO), organisations (BIN), people (IIN), categories, roles,
consent, API tokens and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.crypto import EncryptedTextField
from qoldau.core.i18n import TranslatedNameMixin


class Place(TranslatedNameMixin, models.Model):
    """A unit of the KATO classifier: a region, a district, a rural district, a settlement.

    Districts whose official code is not known yet have no code rather than an invented one.
    """

    class Level(models.TextChoices):
        REGION = "region", _("Region")
        DISTRICT = "district", _("District")
        RURAL_DISTRICT = "rural_district", _("Rural district")
        SETTLEMENT = "settlement", _("Settlement")

    kato = models.CharField(_("KATO code"), max_length=9, unique=True, null=True, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["kato", "name_kk"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name_kk"], name="place_unique_name_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> Place:
        place = self
        while place.parent is not None and place.level != Place.Level.REGION:
            place = place.parent
        return place


class Organisation(TranslatedNameMixin, models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        PUBLIC_ASSOCIATION = "public_association", _("Public association")
        PUBLIC_FOUNDATION = "public_foundation", _("Public foundation")
        CHARITY_FOUNDATION = "charity_foundation", _("Charity foundation")
        STATE_INSTITUTION = "state_institution", _("State institution")
        AKIMAT_DEPARTMENT = "akimat_department", _("Akimat department")
        COMPANY = "company", _("Company")
        STARTUP = "startup", _("Social start-up")
        INITIATIVE_GROUP = "initiative_group", _("Initiative group")

    bin = models.CharField(_("BIN"), max_length=12, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    region = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    district = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="district_organisations",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    in_state_ngo_database = models.BooleanField(_("in the state NGO database"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_kk"]
        constraints = [
            # Only an initiative group may work without a registered BIN.
            models.CheckConstraint(
                condition=Q(bin__isnull=False) | Q(kind="initiative_group"),
                name="organisation_bin_required_unless_initiative_group",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    NGO_STAFF = "ngo_staff", _("NGO staff")
    NGO_ADMIN = "ngo_admin", _("NGO administrator")
    AKIMAT_OFFICER = "akimat_officer", _("Akimat officer")
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    CONSULTANT = "consultant", _("Consultant")
    # Fills the accessibility passports of the objects assigned to them, and sees nothing else.
    SURVEYOR = "surveyor", _("Surveyor")
    # Supports the organisation's job seekers into work and through it (the jobs app): works
    # for the organisation as its staff do, with a caseload of their own.
    JOB_COACH = "job_coach", _("Job coach")
    # Posts an employer's vacancies and reports its staff for the quota; sees no one's
    # people but the seekers a coach sent to the employer (the jobs app's policy).
    EMPLOYER_STAFF = "employer_staff", _("Employer's staff")
    # Interprets the calls and bookings of their organisation's interpreting service (the
    # interpreting app): sees the sessions they serve and none of the organisation's people.
    INTERPRETER = "interpreter", _("Sign-language interpreter")


# The roles that work for an organisation: record its people, deliveries and events.
ORGANISATION_ROLES = (Role.NGO_STAFF, Role.NGO_ADMIN, Role.JOB_COACH)


class RoleAssignment(models.Model):
    """What a user may do, and where: an organisation for NGO roles, a region for akimats."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="staff"
    )
    region = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["ngo_staff", "ngo_admin"]) | Q(organisation__isnull=False),
                name="role_ngo_needs_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role="akimat_officer") | Q(region__isnull=False),
                name="role_akimat_needs_region",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["job_coach", "employer_staff"]) | Q(organisation__isnull=False),
                name="role_jobs_needs_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role="interpreter") | Q(organisation__isnull=False),
                name="role_interpreter_needs_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "region"], name="role_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        scope = self.organisation or self.region or ""
        return f"{self.user} · {self.get_role_display()} {scope}".strip()


class UserPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="kk")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"


class VulnerabilityCategory(TranslatedNameMixin, models.Model):
    """A vulnerable group a person can belong to; administrators add more in the admin."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    is_disability = models.BooleanField(_("is a disability group"), default=False)
    sort_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = _("vulnerability categories")

    def __str__(self) -> str:
        return self.name


class Identity(models.Model):
    """Who a person is across organisations, and nothing else: the IIN's keyed hash.

    Each organisation keeps its own record of a person (`Person`); records made from the
    same IIN share one identity, so that people reached are counted once across projects,
    organisations and regions. No name, phone or category is kept here, and no page or
    answer shows an identity: nothing an organisation recorded crosses to another one, nor
    whether another one serves the person. A person without an IIN has an identity of
    their own record only."""

    iin_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"identity #{self.pk}"


class Person(models.Model):
    """What one organisation records about a person it serves: IIN, names, phone, place,
    categories. Name, IIN and phone are encrypted at rest; the IIN is also kept as a keyed
    hash, unique within the organisation, and the record points to the person's identity,
    which is shared with other organisations' records only through that hash."""

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class NoIinReason(models.TextChoices):
        FOREIGN_CITIZEN = "foreign_citizen", _("Foreign citizen without an IIN")
        NO_DOCUMENTS = "no_documents", _("Has no identity documents")
        STATELESS = "stateless", _("Stateless person")
        OTHER = "other", _("Other reason")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people", verbose_name=_("organisation")
    )
    identity = models.ForeignKey(Identity, on_delete=models.PROTECT, related_name="records")
    iin = EncryptedTextField(_("IIN"), null=True, blank=True)
    iin_hash = models.CharField(max_length=64, null=True, editable=False)
    no_iin_reason = models.CharField(
        _("reason there is no IIN"), max_length=32, choices=NoIinReason.choices, blank=True
    )
    no_iin_note = EncryptedTextField(_("note on the missing IIN"), blank=True, default="")
    last_name = EncryptedTextField(_("last name"))
    first_name = EncryptedTextField(_("first name"))
    patronymic = EncryptedTextField(_("patronymic"), blank=True, default="")
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    region = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(iin_hash__isnull=False) | ~Q(no_iin_reason=""),
                name="person_iin_or_reason",
            ),
            models.UniqueConstraint(
                fields=["organisation", "iin_hash"], name="person_iin_once_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class PersonCategory(models.Model):
    """A person's membership of a vulnerable category over a period. The category itself
    is counted in reports; details (MSE certificate, diagnosis notes) are encrypted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey(VulnerabilityCategory, on_delete=models.PROTECT)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    details = EncryptedTextField(_("details"), blank=True, default="")

    class Meta:
        ordering = ["since"]
        constraints = [
            models.UniqueConstraint(fields=["person", "category", "since"], name="person_category_unique"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="person_category_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.person_id} · {self.category}"


class Consent(models.Model):
    """A person's consent to one organisation processing their data. The organisation
    serves (and its staff see) the person while the consent is not withdrawn."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="consents")
    given_on = models.DateField(_("consent given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(withdrawn_on__isnull=True),
                name="consent_one_active_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.person_id} · {self.organisation} · {self.given_on}"


class CitizenAccount(models.Model):
    """A citizen's own account: they sign in with their phone and a password and see only
    their own things. It holds no role and no organisation: a citizen who asks an
    organisation to serve them becomes one of its `Person` records (`CitizenRecord`),
    with their consent, like anyone it registers. The phone is kept encrypted, with its
    keyed hash to find the account at sign-in; the user name is a random one, so that no
    phone or name reaches the audit log's "user" column."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_account"
    )
    phone = EncryptedTextField(_("phone"))
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    name = EncryptedTextField(_("name"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"citizen account #{self.pk}"


class CitizenRecord(models.Model):
    """An organisation's `Person` record that the person made themselves, through their
    account: the consent is theirs, and the IIN they typed stands unconfirmed until the
    organisation's staff check it against a document, once."""

    account = models.ForeignKey(CitizenAccount, on_delete=models.CASCADE, related_name="records")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="citizen_record")
    iin_confirmed_on = models.DateField(_("IIN confirmed on"), null=True, blank=True)
    iin_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"citizen record #{self.pk} · person #{self.person_id}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AuditEntry(models.Model):
    """One read or write of personal data or of a record's rules. Never updated."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    # Plain ids, not foreign keys: the trail must outlive the records it speaks of.
    person_id = models.BigIntegerField(_("person"), null=True, blank=True, db_index=True)
    organisation_id = models.BigIntegerField(_("organisation"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class BackgroundJob(models.Model):
    """A long job (an import, an export, a large report) run by a Celery worker.

    Its status and result live here; its running progress goes through the cache, because
    an all-or-nothing import holds its own transaction open until the end."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True)
    kind = models.CharField(_("kind"), max_length=48)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=8, default="kk")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    result_file = models.FileField(upload_to="jobs/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class Notification(models.Model):
    """A message to a user (e-mail), kept as sent: the outbox page shows it, and in the
    embedded default the console prints it instead of a mail server delivering it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    email = models.EmailField(_("to"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="kk")
    kind = models.CharField(_("kind"), max_length=48, db_index=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} → {self.email or self.user_id}"
