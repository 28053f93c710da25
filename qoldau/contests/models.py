"""Contests and small grants: a contest with its regional and republican stages, grant calls,
the commissions that review both, applications with their documents and budget lines,
criteria and scores, conflicts of interest, approved results, awards, tranches and grantee
reports; the contest's archive and the monthly calculation index the grant bands use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qoldau.core.i18n import TranslatedNameMixin, translated
from qoldau.core.models import Organisation, Place, VulnerabilityCategory


class ApplicantKind(models.TextChoices):
    """Who may apply (article 003): the contest or call lists the kinds it admits."""

    NGO = "ngo", _("Non-governmental organisation")
    PUBLIC_ASSOCIATION = "public_association", _("Public association")
    DISABILITY_ORGANISATION = "disability_organisation", _("Organisation of people with disabilities")
    INDIVIDUAL = "individual", _("Individual")
    OTHER_INSTITUTION = "other_institution", _("Other institution")


class GrantBandKind(models.TextChoices):
    """The grant sizes of the Law on state social order, grants and awards (No. 36-III)."""

    SHORT = "short", _("Short-term grant")
    MEDIUM = "medium", _("Medium-term grant")
    LONG = "long", _("Long-term grant")


class TitledMixin:
    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def description(self) -> str:
        return translated(self, "description")


class Contest(TitledMixin, models.Model):
    """One year's contest, e.g. "Best social projects implemented in Kazakhstan" 2017."""

    year = models.PositiveSmallIntegerField(_("year"))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    eligible_kinds = models.JSONField(_("who may apply"), default=list)
    places_awarded = models.PositiveSmallIntegerField(_("places awarded at the republican stage"), default=3)
    advance_per_region = models.PositiveSmallIntegerField(
        _("places that advance from each region"), default=1
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places_awarded__gte=1), name="contest_places_at_least_one"),
            models.CheckConstraint(
                condition=Q(advance_per_region__gte=1), name="contest_advance_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"


class Stage(models.Model):
    """A stage of a contest. The regional stage takes applications until its deadline; the
    republican stage ranks the regional first places."""

    class Level(models.TextChoices):
        REGIONAL = "regional", _("Regional stage")
        REPUBLICAN = "republican", _("Republican stage")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="stages")
    level = models.CharField(_("stage"), max_length=16, choices=Level.choices)
    opens_at = models.DateTimeField(_("opens"))
    # Applications (regional) or scores (republican) are accepted until this moment.
    deadline = models.DateTimeField(_("deadline"))
    results_on = models.DateField(_("results announced on"), null=True, blank=True)
    venue = models.CharField(_("where results are announced"), max_length=200, blank=True)

    class Meta:
        ordering = ["contest", "opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "level"], name="stage_one_per_level"),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opens_at")), name="stage_deadline_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest} · {self.get_level_display()}"


class GrantCall(TitledMixin, models.Model):
    """A call for small grants run by an operator organisation (e.g. Qorgan-M)."""

    operator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_calls", verbose_name=_("operator")
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    budget = models.DecimalField(_("budget, tenge"), max_digits=16, decimal_places=2)
    bands = models.JSONField(_("grant sizes admitted"), default=list)
    eligible_kinds = models.JSONField(_("who may apply"), default=list)
    eligible_regions = models.ManyToManyField(Place, related_name="+", verbose_name=_("eligible regions"))
    eligible_categories = models.ManyToManyField(
        VulnerabilityCategory, blank=True, related_name="+", verbose_name=_("eligible categories")
    )
    requires_state_ngo_database = models.BooleanField(
        _("applicants must be in the state NGO database"), default=True
    )
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="grant_call_budget_positive"),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opens_at")), name="grant_call_deadline_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(TranslatedNameMixin, models.Model):
    """A scoring criterion of a contest or a grant call, with its weight and score scale."""

    contest = models.ForeignKey(
        Contest, null=True, blank=True, on_delete=models.CASCADE, related_name="criteria"
    )
    call = models.ForeignKey(
        GrantCall, null=True, blank=True, on_delete=models.CASCADE, related_name="criteria"
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(contest__isnull=False) & Q(call__isnull=True))
                | (Q(contest__isnull=True) & Q(call__isnull=False)),
                name="criterion_of_contest_or_call",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Commission(models.Model):
    """The people who review one stage's applications: a region's commission, the
    republican commission at the ministry, or a grant call's commission.

    A commission may score on its own scale (`scale_max`), e.g. 1-5 where the criteria say
    0-10: ranking works on the share of the scale, so regions stay comparable."""

    class Level(models.TextChoices):
        REGIONAL = "regional", _("Regional commission")
        REPUBLICAN = "republican", _("Republican commission")
        GRANT = "grant", _("Grant commission")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    contest = models.ForeignKey(
        Contest, null=True, blank=True, on_delete=models.CASCADE, related_name="commissions"
    )
    call = models.ForeignKey(
        GrantCall, null=True, blank=True, on_delete=models.CASCADE, related_name="commissions"
    )
    region = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), null=True, blank=True)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), null=True, blank=True)
    approved_at = models.DateTimeField(_("result approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "region__kato", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="regional")
                    & Q(contest__isnull=False)
                    & Q(region__isnull=False)
                    & Q(call__isnull=True)
                )
                | (
                    Q(level="republican")
                    & Q(contest__isnull=False)
                    & Q(region__isnull=True)
                    & Q(call__isnull=True)
                )
                | (Q(level="grant") & Q(call__isnull=False) & Q(contest__isnull=True)),
                name="commission_level_fits",
            ),
            models.UniqueConstraint(
                fields=["contest", "region"], condition=Q(level="regional"), name="commission_one_per_region"
            ),
            models.UniqueConstraint(
                fields=["contest"], condition=Q(level="republican"), name="commission_one_republican"
            ),
            models.UniqueConstraint(
                fields=["call"], condition=Q(level="grant"), name="commission_one_per_call"
            ),
            models.CheckConstraint(
                condition=(Q(scale_min__isnull=True) & Q(scale_max__isnull=True))
                | Q(scale_max__gt=models.F("scale_min")),
                name="commission_scale_order",
            ),
        ]

    def __str__(self) -> str:
        if self.level == self.Level.REGIONAL and self.region is not None:
            return f"{self.get_level_display()} · {self.region}"
        return self.get_level_display()

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class CommissionMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_seats"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    affiliation = models.CharField(_("represents"), max_length=300, blank=True)

    class Meta:
        ordering = ["commission", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "user"], name="commission_member_once"),
            models.UniqueConstraint(
                fields=["commission"], condition=Q(role="chair"), name="commission_one_chair"
            ),
            models.UniqueConstraint(
                fields=["commission"], condition=Q(role="secretary"), name="commission_one_secretary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commission} · {self.user} · {self.get_role_display()}"

    @property
    def scores(self) -> bool:
        """The chair and the members score; the secretary keeps the record."""
        return self.role != self.Role.SECRETARY


class Application(TitledMixin, models.Model):
    """An application to a contest (regional stage, and the republican one if it advances)
    or to a grant call."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Not eligible")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    contest = models.ForeignKey(
        Contest, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    call = models.ForeignKey(
        GrantCall, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    region = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    applicant_kind = models.CharField(_("applicant"), max_length=32, choices=ApplicantKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest_applications",
        verbose_name=_("organisation"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_applications"
    )
    # The applicant's own name as it will be published (the project leader for an individual).
    applicant_name = models.CharField(_("applicant's name"), max_length=300)
    contact_email = models.EmailField(_("e-mail for notifications"), blank=True)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest_applications",
        verbose_name=_("project"),
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    results = models.TextField(_("results achieved"), blank=True)
    people_reached_declared = models.PositiveIntegerField(
        _("people helped (declared)"), null=True, blank=True
    )
    categories = models.ManyToManyField(
        VulnerabilityCategory, blank=True, related_name="+", verbose_name=_("who it helps")
    )
    # Grants only.
    requested_amount = models.DecimalField(
        _("amount requested, tenge"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    duration_months = models.PositiveSmallIntegerField(_("duration, months"), null=True, blank=True)
    band = models.CharField(_("grant size"), max_length=16, choices=GrantBandKind.choices, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("receipt number"), max_length=32, unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    eligibility_reason = models.TextField(_("reason"), blank=True)
    eligibility_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    eligibility_checked_at = models.DateTimeField(null=True, blank=True)
    # A regional first place that went on to the republican stage.
    advanced = models.BooleanField(_("advanced to the republican stage"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(contest__isnull=False) & Q(call__isnull=True))
                | (Q(contest__isnull=True) & Q(call__isnull=False)),
                name="application_to_contest_or_call",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(applicant_kind="individual"),
                name="application_organisation_unless_individual",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gt=0),
                name="application_amount_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "region", "status"]),
            models.Index(fields=["call", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('draft')} {self.title}"

    @property
    def title(self) -> str:
        own = translated(self, "title")
        if own or self.project is None:
            return own
        return str(self.project.title)


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document"), max_length=200)
    file = models.FileField(upload_to="contests/documents/%Y/")
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """One line of a grant application's budget."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("item"), max_length=300)
    amount = models.DecimalField(_("amount, tenge"), max_digits=16, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount_positive")]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class ConflictOfInterest(models.Model):
    """A member's declared connection to an application: they do not score it."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("how you are connected"))
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "member", "application"], name="conflict_declared_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.application_id}"


class Score(models.Model):
    """One member's score of one criterion of one application, in one commission."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "application", "member", "criterion"], name="score_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.member_id} · {self.criterion_id}: {self.value}"


class RankedApplication(models.Model):
    """An approved result line, written when the chair approves and never changed after."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="ranking")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rankings")
    rank = models.PositiveIntegerField(_("rank"))
    score = models.DecimalField(_("score, per cent of the scale"), max_digits=7, decimal_places=3)
    standardised = models.DecimalField(_("standardised score"), max_digits=7, decimal_places=3)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)

    class Meta:
        ordering = ["commission", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "application"], name="ranked_once"),
            models.UniqueConstraint(fields=["commission", "rank"], name="rank_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.commission_id} #{self.rank} {self.application_id}"


class GrantAward(models.Model):
    """A grant awarded to an application; the grantee's project carries its indicators and
    deliveries."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    call = models.ForeignKey(GrantCall, on_delete=models.PROTECT, related_name="awards")
    amount = models.DecimalField(_("amount, tenge"), max_digits=16, decimal_places=2)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="grant_awards"
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive")]

    def __str__(self) -> str:
        return f"{self.application} · {self.amount}"


class Tranche(models.Model):
    award = models.ForeignKey(GrantAward, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tranche"))
    amount = models.DecimalField(_("amount, tenge"), max_digits=16, decimal_places=2)
    due_on = models.DateField(_("due"))
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["award", "number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="tranche_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} · {self.number}"


class GranteeReport(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress report")
        FINANCIAL = "financial", _("Financial report")

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    award = models.ForeignKey(GrantAward, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DUE)
    narrative = models.TextField(_("what was done"), blank=True)
    spent_amount = models.DecimalField(
        _("spent, tenge"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["award", "due_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"
            ),
            models.UniqueConstraint(fields=["award", "kind", "period_start"], name="report_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} · {self.get_kind_display()} · {self.due_on}"


class ReportIndicatorValue(models.Model):
    """A value a grantee reports for one indicator of its project."""

    report = models.ForeignKey(GranteeReport, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey("projects.Indicator", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="report_indicator_once")]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.indicator_id}: {self.value}"


class MonthlyCalculationIndex(models.Model):
    """The MCI (АЕК / МРП) in tenge from a date on: set yearly by the budget law, sometimes
    changed during the year, so it is dated data an administrator adds to."""

    valid_from = models.DateField(_("valid from"), unique=True)
    amount = models.DecimalField(_("tenge"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name_plural = _("monthly calculation index")

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.amount}"


class ArchivePeriod(models.Model):
    """The contest's figures for years held before Qoldau, as published."""

    from_year = models.PositiveSmallIntegerField(_("from"))
    to_year = models.PositiveSmallIntegerField(_("to"))
    projects_taken_part = models.PositiveIntegerField(_("projects that took part"))
    regional_winners = models.PositiveIntegerField(_("regional winners"))
    winners_private = models.PositiveIntegerField(_("winners funded privately"))
    winners_sponsor = models.PositiveIntegerField(_("winners funded by sponsors"))
    winners_state_order = models.PositiveIntegerField(_("winners funded through the state social order"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["from_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    regional_winners=models.F("winners_private")
                    + models.F("winners_sponsor")
                    + models.F("winners_state_order")
                ),
                name="archive_winners_add_up",
            ),
            models.CheckConstraint(
                condition=Q(to_year__gte=models.F("from_year")), name="archive_years_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_year}–{self.to_year}"


class ArchivedLaureate(TitledMixin, models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    place = models.PositiveSmallIntegerField(_("place"))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=400)
    title_ru = models.CharField(_("title (Russian)"), max_length=400, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    leader = models.CharField(_("project leader"), max_length=200, blank=True)
    region = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    city_kk = models.CharField(max_length=200, blank=True)
    city_ru = models.CharField(max_length=200, blank=True)
    city_en = models.CharField(max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "place"]
        constraints = [models.UniqueConstraint(fields=["year", "place"], name="laureate_place_once")]

    def __str__(self) -> str:
        return f"{self.year} #{self.place} {self.title}"

    @property
    def city(self) -> str:
        return translated(self, "city")
