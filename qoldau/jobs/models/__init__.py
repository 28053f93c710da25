"""Employment of people with disabilities (`../shared/domain/EMPLOYMENT.md`).

Catalogues an administrator keeps: occupations (НК РК 01-2017, built like ISCO-08),
working conditions a person's ИПАР may contraindicate, accommodations found by impairment
→ limitation → accommodation (the Job Accommodation Network's structure), and the dated
values the rules read (minimum wages, the quota's headcount bands, subsidised
programmes). Facts the sources did not confirm are rows here or settings, never constants.

Then the work: seekers (one organisation's person record, with what they want and what
their ИПАР rules out), employers' staff reports, vacancies, the proposals between them,
job coaching (cases, sessions, placements, retention follow-ups) and the quota's
exemptions, warnings and fines.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.crypto import EncryptedTextField
from qoldau.core.i18n import TranslatedNameMixin, translated
from qoldau.core.models import Organisation, Person, Place
from qoldau.projects.models import ServiceDelivery

# Catalogues -------------------------------------------------------------------------------


class Occupation(TranslatedNameMixin, models.Model):
    """A unit of the national classifier of occupations (НК РК 01-2017), whose groups are
    ISCO-08's: a major group (1 digit), a sub-major (2), a minor (3) and a unit group (4),
    and national occupations below a unit group (`4110-9`, `2512-1-001`)."""

    class Level(models.TextChoices):
        MAJOR = "major", _("Major group")
        SUB_MAJOR = "sub_major", _("Sub-major group")
        MINOR = "minor", _("Minor group")
        UNIT = "unit", _("Unit group")
        OCCUPATION = "occupation", _("Occupation")

    code = models.CharField(_("code"), max_length=16, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The ISCO-08 group the unit maps to (its first four digits or fewer).
    isco_code = models.CharField(_("ISCO-08 code"), max_length=4)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WorkingCondition(TranslatedNameMixin, models.Model):
    """A working condition a vacancy has and a person's ИПАР may contraindicate: heavy
    physical work, night work, work at height, noise... Its kind says where schema.org's
    JobPosting puts it (`physicalRequirement`, `sensoryRequirement`)."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("Physical demand")
        SENSORY = "sensory", _("Sensory demand")
        SCHEDULE = "schedule", _("Working time")
        ENVIRONMENT = "environment", _("Working environment")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sort_order = models.PositiveIntegerField(default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Impairment(TranslatedNameMixin, models.Model):
    """The first level of the accommodations' catalogue: a kind of impairment."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sort_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Limitation(TranslatedNameMixin, models.Model):
    """What an impairment makes hard at work (reading print, standing long, hearing speech)."""

    impairment = models.ForeignKey(Impairment, on_delete=models.PROTECT, related_name="limitations")
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sort_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["impairment__sort_order", "sort_order", "code"]

    def __str__(self) -> str:
        return self.name


# Letters of the accessibility categories (К, О, С, Г, У), each at most once.
categories_validator = RegexValidator(
    r"^(?!.*(.).*\1)[КОСГУ]{0,5}$",
    _("Write the categories as their letters К, О, С, Г, У, each at most once."),
)


class Accommodation(TranslatedNameMixin, models.Model):
    """An accommodation for a limitation (a screen reader, a ramp, a flexible schedule).

    `covers_categories` names the categories of accessibility (К, О, С, Г, У) for which,
    when an employer offers it, the workplace counts as accessible whatever its building's
    passport says: the accommodation makes the way in and the workplace itself usable (a
    step-free route with an adapted toilet and desk covers К and О; tactile markings and
    audible signs on the route cover С)."""

    limitation = models.ForeignKey(Limitation, on_delete=models.PROTECT, related_name="accommodations")
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    covers_categories = models.CharField(
        _("makes the workplace accessible for"),
        max_length=5,
        blank=True,
        validators=[categories_validator],
        help_text=_("Letters of the categories, e.g. КО."),
    )
    sort_order = models.PositiveIntegerField(default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["limitation__impairment__sort_order", "limitation__sort_order", "sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class MinimumWage(models.Model):
    """The monthly minimum wage in tenge from a date on (the budget law sets it yearly)."""

    valid_from = models.DateField(_("valid from"), unique=True)
    amount = models.DecimalField(_("tenge a month"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name_plural = _("minimum wages")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="minimum_wage_positive")]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.amount}"


class QuotaBand(models.Model):
    """A headcount band of the employment quota from a date on: employers with this many
    staff fill this share of their jobs (hazardous ones left out) with people with
    disabilities. The bands in force on a day are those of the latest date not after it."""

    valid_from = models.DateField(_("valid from"))
    min_headcount = models.PositiveIntegerField(_("from headcount"))
    max_headcount = models.PositiveIntegerField(_("to headcount"), null=True, blank=True)
    rate_percent = models.DecimalField(_("quota, per cent"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from", "min_headcount"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from", "min_headcount"], name="quota_band_unique"),
            models.CheckConstraint(
                condition=Q(max_headcount__isnull=True) | Q(max_headcount__gte=models.F("min_headcount")),
                name="quota_band_order",
            ),
            models.CheckConstraint(
                condition=Q(rate_percent__gte=0, rate_percent__lte=100), name="quota_band_rate_percent"
            ),
        ]

    def __str__(self) -> str:
        upper = self.max_headcount if self.max_headcount is not None else "…"
        return f"{self.valid_from}: {self.min_headcount}–{upper} · {self.rate_percent} %"


class SubsidisedProgramme(TranslatedNameMixin, models.Model):
    """A state programme that pays part of a placement (social workplaces, special
    workplaces for people with disabilities, reimbursement of a workplace's adaptation),
    in force over a period. Its amounts under the 2023 Social Code are not confirmed by a
    source: an administrator keeps them here."""

    class Kind(models.TextChoices):
        SOCIAL_WORKPLACE = "social_workplace", _("Social workplace")
        SPECIAL_WORKPLACE = "special_workplace", _("Special workplace")
        ADAPTATION = "adaptation", _("Reimbursement of a workplace's adaptation")
        OTHER = "other", _("Other programme")

    code = models.SlugField(_("code"), max_length=64)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    max_months = models.PositiveSmallIntegerField(_("subsidy lasts at most, months"), null=True, blank=True)
    keep_months = models.PositiveSmallIntegerField(_("job kept at least, months"), null=True, blank=True)
    wage_subsidy_percent = models.DecimalField(
        _("wage subsidy, per cent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    reimbursement_cap_mci = models.PositiveIntegerField(_("reimbursement cap, MCI"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="programme_unique_from"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="programme_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EducationLevel(models.TextChoices):
    """Levels of education, lowest first (their order is compared)."""

    NONE = "none", _("No formal education")
    PRIMARY = "primary", _("Primary")
    BASIC_SECONDARY = "basic_secondary", _("Basic secondary")
    GENERAL_SECONDARY = "general_secondary", _("General secondary")
    VOCATIONAL = "vocational", _("Technical and vocational")
    HIGHER = "higher", _("Higher")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


# Seekers ----------------------------------------------------------------------------------


class Seeker(models.Model):
    """A person looking for work, as the organisation that serves them records it: their
    `Person` record (registered with consent; never a second identity) and what they want
    and can do. Contraindications, accommodations and categories come from their ИПАР."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Looking for work")
        PAUSED = "paused", _("Not looking for now")
        EMPLOYED = "employed", _("Employed")
        CLOSED = "closed", _("No longer served")

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="seeker")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="seekers", verbose_name=_("occupations wanted")
    )
    skills = models.TextField(_("skills"), blank=True)
    education = models.CharField(_("education"), max_length=32, choices=EducationLevel.choices)
    experience_months = models.PositiveIntegerField(_("work experience, months"), default=0)
    region = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    weekly_hours_wanted = models.PositiveSmallIntegerField(_("hours a week wanted"), null=True, blank=True)
    pay_wanted = models.DecimalField(
        _("pay wanted, tenge a month"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    remote_ok = models.BooleanField(_("would work remotely"), default=False)
    contraindications = models.ManyToManyField(
        WorkingCondition, blank=True, related_name="+", verbose_name=_("contraindicated working conditions")
    )
    accommodations_needed = models.ManyToManyField(
        Accommodation, blank=True, related_name="+", verbose_name=_("accommodations needed")
    )
    categories_needed = models.CharField(
        _("accessibility categories needed"), max_length=5, blank=True, validators=[categories_validator]
    )
    # What the ИПАР says in words: health data, encrypted like the person's name.
    ipar_note = EncryptedTextField(_("notes from the ИПАР"), blank=True, default="")
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "region"], name="jobs_seeker_status_region")]

    def __str__(self) -> str:
        return f"seeker #{self.pk}"


# Employers and vacancies ------------------------------------------------------------------


class StaffReport(models.Model):
    """An employer's staff on a date, as it reports them for the quota: its headcount, its
    jobs in heavy, harmful or hazardous work (left out of the quota's base), and its
    employees with disabilities (who fill quota jobs)."""

    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff_reports")
    as_of = models.DateField(_("as of"))
    headcount = models.PositiveIntegerField(_("headcount"))
    hazardous_jobs = models.PositiveIntegerField(_("jobs in heavy, harmful or hazardous work"), default=0)
    employees_with_disabilities = models.PositiveIntegerField(_("employees with disabilities"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employer", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "as_of"], name="staff_report_one_per_day"),
            models.CheckConstraint(
                condition=Q(hazardous_jobs__lte=models.F("headcount")),
                name="staff_report_hazardous_in_headcount",
            ),
            models.CheckConstraint(
                condition=Q(employees_with_disabilities__lte=models.F("headcount")),
                name="staff_report_disabled_in_headcount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} · {self.as_of} · {self.headcount}"


class Vacancy(models.Model):
    """A job an employer offers: what it is, its working conditions (from the catalogue
    that ИПАР contraindications use), pay, the accommodations the employer offers, and the
    building the work is done in (its accessibility passport in the access app)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        FILLED = "filled", _("Filled")

    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("employer")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("occupation")
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    conditions = models.ManyToManyField(
        WorkingCondition, blank=True, related_name="vacancies", verbose_name=_("working conditions")
    )
    weekly_hours = models.PositiveSmallIntegerField(_("hours a week"))
    pay_from = models.DecimalField(_("pay from, tenge a month"), max_digits=12, decimal_places=2)
    pay_to = models.DecimalField(
        _("pay up to, tenge a month"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    accommodations_offered = models.ManyToManyField(
        Accommodation, blank=True, related_name="vacancies", verbose_name=_("accommodations offered")
    )
    positions = models.PositiveIntegerField(_("places"), default=1)
    quota = models.BooleanField(_("a quota job"), default=False)
    remote = models.BooleanField(_("remote work"), default=False)
    # The building the work is done in: an object of the access app, read through its
    # public seam (`qoldau.access.accessibility`). A deleted object leaves the workplace
    # unknown, which matching treats as not accessible.
    workplace = models.ForeignKey(
        "access.AccessObject",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("workplace building"),
    )
    region = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    education_required = models.CharField(
        _("education required"), max_length=32, choices=EducationLevel.choices, blank=True
    )
    experience_months_required = models.PositiveIntegerField(_("experience required, months"), default=0)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name_plural = _("vacancies")
        indexes = [
            models.Index(fields=["status", "region"], name="jobs_vacancy_status_region"),
            models.Index(fields=["employer", "status"], name="jobs_vacancy_employer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="vacancy_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(pay_to__isnull=True) | Q(pay_to__gte=models.F("pay_from")),
                name="vacancy_pay_range_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")


# The pipeline -----------------------------------------------------------------------------


class Proposal(models.Model):
    """A vacancy proposed to a seeker, and what became of it: a coach proposes, the seeker
    agrees, the employer is contacted (sent), then the interview, the offer, and hired or
    declined with a reason. Why it fits and what accommodations it needs are kept as they
    were when it was proposed."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SENT = "sent", _("Sent to the employer")
        INTERVIEW = "interview", _("Interview")
        OFFER = "offer", _("Offer")
        HIRED = "hired", _("Hired")
        DECLINED = "declined", _("Declined")

    class Side(models.TextChoices):
        SEEKER = "seeker", _("The seeker")
        EMPLOYER = "employer", _("The employer")

    class DeclineReason(models.TextChoices):
        NOT_INTERESTED = "not_interested", _("Not interested in the job")
        PAY = "pay", _("The pay")
        HOURS = "hours", _("The hours")
        LOCATION = "location", _("Too far, or the journey is not accessible")
        ACCOMMODATION = "accommodation", _("The accommodation needed cannot be made")
        SKILLS = "skills", _("Skills or experience do not fit")
        POSITION_FILLED = "position_filled", _("The position was filled")
        NO_SHOW = "no_show", _("Did not come to the interview")
        OTHER = "other", _("Another reason")

    seeker = models.ForeignKey(Seeker, on_delete=models.PROTECT, related_name="proposals")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="proposals")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PROPOSED)
    score = models.PositiveSmallIntegerField(_("fit"), default=0)
    # [{"code": ..., "params": {...}}]: why it fits, rendered in the reader's language.
    reasons = models.JSONField(_("why it fits"), default=list, blank=True)
    # {"offered": [accommodation ids], "to_arrange": [ids], "covering": {"К": [ids]}}
    needs = models.JSONField(_("accommodations it needs"), default=dict, blank=True)
    seeker_agreed_on = models.DateField(_("the seeker agreed on"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    declined_by = models.CharField(_("declined by"), max_length=16, choices=Side.choices, blank=True)
    decline_reason = models.CharField(
        _("reason declined"), max_length=32, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("note"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["vacancy", "state"], name="jobs_proposal_vacancy_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "vacancy"],
                condition=~Q(state="declined"),
                name="proposal_one_live_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""), name="proposal_declined_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id} → {self.vacancy_id} · {self.state}"


# Job coaching -----------------------------------------------------------------------------


class CoachingStage(models.TextChoices):
    """The five stages of supported employment (European Union of Supported Employment)."""

    ENGAGEMENT = "engagement", _("Client engagement")
    VOCATIONAL_PROFILE = "vocational_profile", _("Vocational profiling")
    JOB_FINDING = "job_finding", _("Job finding")
    EMPLOYER_ENGAGEMENT = "employer_engagement", _("Employer engagement")
    SUPPORT = "support", _("On- and off-the-job support")


class CoachingCase(models.Model):
    """One seeker's supported employment with one job coach of their organisation."""

    class CloseReason(models.TextChoices):
        RETAINED = "retained", _("Settled in the job, support no longer needed")
        WITHDREW = "withdrew", _("The person withdrew")
        MOVED = "moved", _("Moved away or to another service")
        OTHER = "other", _("Another reason")

    seeker = models.ForeignKey(Seeker, on_delete=models.PROTECT, related_name="cases")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_cases"
    )
    stage = models.CharField(
        _("stage"), max_length=32, choices=CoachingStage.choices, default=CoachingStage.ENGAGEMENT
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason closed"), max_length=16, choices=CloseReason.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["coach", "closed_on"], name="jobs_case_coach_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["seeker"], condition=Q(closed_on__isnull=True), name="case_one_open_per_seeker"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"case #{self.pk} · {self.stage}"


class CaseNote(models.Model):
    """A coach's note on a case: personal data, encrypted at rest."""

    case = models.ForeignKey(CoachingCase, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("note"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"note #{self.pk} on case #{self.case_id}"


class CoachingSession(models.Model):
    """A meeting of the coach with the person; counted as a service delivery of the
    organisation's project."""

    case = models.ForeignKey(CoachingCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    stage = models.CharField(_("stage"), max_length=32, choices=CoachingStage.choices)
    delivery = models.OneToOneField(ServiceDelivery, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"session {self.held_on} · case #{self.case_id}"


class ContractKind(models.TextChoices):
    OPEN_ENDED = "open_ended", _("Employment contract, open-ended")
    FIXED_TERM = "fixed_term", _("Employment contract, fixed-term")
    CIVIL = "civil", _("Civil-law contract")
    SELF_EMPLOYED = "self_employed", _("Self-employment")


class Placement(models.Model):
    """A seeker placed in a job: the employer, the vacancy (where the job was one),
    the start date, pay and contract, any subsidised programme and the accommodations
    made. Retention follow-ups are scheduled when it is recorded; it ends when the person
    leaves."""

    class EndReason(models.TextChoices):
        RESIGNED = "resigned", _("Resigned")
        DISMISSED = "dismissed", _("Dismissed")
        CONTRACT_ENDED = "contract_ended", _("The contract ended")
        HEALTH = "health", _("Health")
        ACCESSIBILITY = "accessibility", _("The workplace or the journey was not accessible")
        OTHER = "other", _("Another reason")

    seeker = models.ForeignKey(Seeker, on_delete=models.PROTECT, related_name="placements")
    case = models.ForeignKey(CoachingCase, on_delete=models.PROTECT, related_name="placements")
    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="placements", verbose_name=_("employer")
    )
    vacancy = models.ForeignKey(
        Vacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    start_date = models.DateField(_("start date"))
    pay = models.DecimalField(_("pay, tenge a month"), max_digits=12, decimal_places=2)
    weekly_hours = models.PositiveSmallIntegerField(_("hours a week"))
    contract_kind = models.CharField(_("contract"), max_length=16, choices=ContractKind.choices)
    programme = models.ForeignKey(
        SubsidisedProgramme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("subsidised programme"),
    )
    accommodations_made = models.ManyToManyField(
        Accommodation, blank=True, related_name="+", verbose_name=_("accommodations made")
    )
    # Whether the job counts towards the employer's quota (a quota vacancy's, by default).
    quota = models.BooleanField(_("counts towards the quota"), default=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=16, choices=EndReason.choices, blank=True)
    delivery = models.OneToOneField(ServiceDelivery, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["employer", "start_date"], name="jobs_placement_employer")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""), name="placement_ended_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"placement #{self.pk} · {self.start_date}"


# Months after the start of a placement at which the coach checks the person still works
# there (the 1, 3, 6 and 12; practice uses 30/90/180/365 days).
FOLLOW_UP_MONTHS = (1, 3, 6, 12)


class RetentionFollowUp(models.Model):
    """A check, some months after a placement started, that the person still works there."""

    class Outcome(models.TextChoices):
        EMPLOYED = "employed", _("Still employed")
        LEFT = "left", _("Left the job")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the start"))
    due_on = models.DateField(_("due on"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True, default="")
    delivery = models.OneToOneField(
        ServiceDelivery, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The last day the coach was reminded of it (`services.follow_up_reminders_send`).
    reminded_on = models.DateField(_("coach reminded on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["outcome", "due_on"], name="jobs_follow_up_due")]
        constraints = [
            models.UniqueConstraint(fields=["placement", "months"], name="follow_up_one_per_milestone"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(recorded_on__isnull=False), name="follow_up_outcome_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.months} m · placement #{self.placement_id}"


# The quota --------------------------------------------------------------------------------


class QuotaExemption(models.Model):
    """An employer left out of the quota for a year, and why."""

    class Reason(models.TextChoices):
        ORGANISATION_OF_DISABLED = (
            "organisation_of_disabled",
            _("An organisation of people with disabilities"),
        )
        MOSTLY_DISABLED_STAFF = (
            "mostly_disabled_staff",
            _("People with disabilities are over a fifth of its average headcount"),
        )
        OTHER = "other", _("Another reason in law")

    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="quota_exemptions")
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "employer"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "year"], name="quota_exemption_one_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} · {self.year} · {self.reason}"


class QuotaSanction(models.Model):
    """A warning or a fine an akimat issued an employer for an unfilled quota. A fine is
    counted in MCI and turned into tenge with the MCI in force on the day it was issued."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        FINE = "fine", _("Fine")

    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="quota_sanctions")
    year = models.PositiveSmallIntegerField(_("quota year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    issued_on = models.DateField(_("issued on"))
    fine_mci = models.PositiveIntegerField(_("fine, MCI"), null=True, blank=True)
    fine_amount = models.DecimalField(
        _("fine, tenge"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="warning", fine_mci__isnull=True, fine_amount__isnull=True)
                | Q(kind="fine", fine_mci__isnull=False, fine_amount__isnull=False),
                name="quota_sanction_fine_has_amount",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} · {self.issued_on} · {self.kind}"


# Job fairs ---------------------------------------------------------------------------------
# In a module of their own: this one had grown to the size where a module is split by area.
from qoldau.jobs.models.fairs import FAIR_STAGES as FAIR_STAGES  # noqa: E402
from qoldau.jobs.models.fairs import FairEmployer as FairEmployer  # noqa: E402
from qoldau.jobs.models.fairs import FairReferral as FairReferral  # noqa: E402
from qoldau.jobs.models.fairs import FairSeeker as FairSeeker  # noqa: E402
from qoldau.jobs.models.fairs import FairStage as FairStage  # noqa: E402
from qoldau.jobs.models.fairs import InterviewSlot as InterviewSlot  # noqa: E402
from qoldau.jobs.models.fairs import JobFair as JobFair  # noqa: E402
