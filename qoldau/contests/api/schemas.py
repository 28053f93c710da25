"""What the contests API reads and answers: the shared field types (money as decimal strings,
datetimes in Astana time) and the schemas of contests, commissions, scoring, results and
applications. Grant calls' and grants' schemas are in `grant_schemas`."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator

from qoldau.contests import selectors, services
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    ApplicationDocument,
    ArchivedLaureate,
    BudgetLine,
    Commission,
    CommissionMember,
    Contest,
    Criterion,
    Stage,
)
from qoldau.contests.selectors import RegionResult
from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core.errors import CoreErrorCode, NotFound, ValidationFailed
from qoldau.core.models import Place


def _astana_time(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _astana_time_or_none(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else _astana_time(value)


# Output datetimes in Astana time, with the offset.
LocalDateTime = Annotated[dt.datetime, AfterValidator(_astana_time)]
LocalDateTimeOrNone = Annotated[dt.datetime | None, AfterValidator(_astana_time_or_none)]
Money = Annotated[bounds.Money, Field(description='Tenge as a decimal string, e.g. "1500000.00".')]
PositiveMoney = Annotated[
    bounds.PositiveMoney, Field(description='Tenge as a decimal string, e.g. "1500000.00".')
]


def _two_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


# Answered always with two decimals ("100000.00"), whatever the caller sent.
MoneyOut = Annotated[
    Decimal,
    AfterValidator(_two_places),
    Field(description='Tenge as a decimal string, e.g. "1500000.00".'),
]


def region_of(kato: str, field: str) -> Place:
    """A region by KATO; an unknown code in a request body is bad input (400)."""
    try:
        return core_selectors.region_by_kato(kato)
    except NotFound as exc:
        raise ValidationFailed(exc.message, field=field, code=CoreErrorCode.UNKNOWN_REGION) from None


def category_ids_of(codes: list[str], field: str) -> list[int]:
    ids = []
    for code in codes:
        try:
            ids.append(core_selectors.category_by_code(code).pk)
        except NotFound as exc:
            raise ValidationFailed(exc.message, field=field, code=CoreErrorCode.UNKNOWN_CATEGORY) from None
    return ids


class StageOut(Schema):
    level: str
    opens_at: LocalDateTime
    deadline: LocalDateTime
    results_on: dt.date | None
    venue: str


class CriterionOut(Schema):
    id: int
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    weight: Decimal
    scale_min: int
    scale_max: int

    @staticmethod
    def resolve_name(obj: Criterion) -> str:
        return obj.name


class CriterionIn(Schema):
    name_kk: bounds.Name
    name_ru: bounds.Name = ""
    name_en: bounds.Name = ""
    weight: bounds.Weight = Field(description="Above zero; weights are relative.")
    scale_min: bounds.ScaleEnd = 0
    scale_max: bounds.ScaleEnd = 10


class CriteriaIn(Schema):
    criteria: list[CriterionIn] = Field(max_length=bounds.MAX_CRITERIA)


def criteria_input(payload: CriteriaIn) -> list[services.CriterionInput]:
    return [services.CriterionInput(**c.dict()) for c in payload.criteria]


class ApplicationBriefOut(Schema):
    """An application as results and rankings show it: no personal data."""

    id: int
    number: str | None
    title: str
    applicant_name: str
    region: str | None = Field(description="KATO code of the region")
    region_name: str

    @staticmethod
    def resolve_title(obj: Application) -> str:
        return obj.title

    @staticmethod
    def resolve_region(obj: Application) -> str | None:
        return obj.region.kato

    @staticmethod
    def resolve_region_name(obj: Application) -> str:
        return obj.region.name


class RankedOut(Schema):
    rank: int
    place: int | None
    score: float = Field(description="Mean weighted score, % of the scale")
    standardised: float = Field(description="Standard deviations above the commission's mean")
    application: ApplicationBriefOut


class RankingRowOut(RankedOut):
    members: int = Field(description="Members whose complete score sheets count (live ranking only)")
    outliers: list[str] = Field(description="Members whose mark lies far from the others'")


class CommissionResultOut(Schema):
    commission_id: int
    approved: bool
    rows: list[RankingRowOut]
    unscored: list[ApplicationBriefOut]
    missing_sheets: int

    @staticmethod
    def resolve_commission_id(obj: selectors.CommissionResult) -> int:
        return obj.commission.pk


class CommissionOut(Schema):
    id: int
    level: str
    contest_id: int | None
    call_id: int | None
    region: str | None = Field(description="KATO code (regional commissions)")
    scale_min: int | None
    scale_max: int | None
    approved_at: LocalDateTimeOrNone

    @staticmethod
    def resolve_region(obj: Commission) -> str | None:
        return obj.region.kato if obj.region is not None else None


class ScaleIn(Schema):
    scale_min: bounds.ScaleEnd | None = Field(
        None, description="The commission's own scale, if not the criteria's"
    )
    scale_max: bounds.ScaleEnd | None = None


class ContestSummaryOut(Schema):
    id: int
    year: int
    title: str
    eligible_kinds: list[str]
    places_awarded: int
    advance_per_region: int
    stages: list[StageOut]

    @staticmethod
    def resolve_title(obj: Contest) -> str:
        return obj.title

    @staticmethod
    def resolve_stages(obj: Contest) -> list[Stage]:
        return list(obj.stages.all())


class ContestOut(ContestSummaryOut):
    title_kk: str
    title_ru: str
    title_en: str
    description: str
    description_kk: str
    description_ru: str
    description_en: str
    criteria: list[CriterionOut]
    version: int

    @staticmethod
    def resolve_description(obj: Contest) -> str:
        return obj.description

    @staticmethod
    def resolve_criteria(obj: Contest) -> list[Criterion]:
        return list(obj.criteria.all())


class ContestIn(Schema):
    year: bounds.Year
    title_kk: bounds.Title
    title_ru: bounds.Title = ""
    title_en: bounds.Title = ""
    description_kk: bounds.Description = ""
    description_ru: bounds.Description = ""
    description_en: bounds.Description = ""
    eligible_kinds: bounds.Codes = Field(
        default_factory=lambda: list(ApplicantKind.values),
        description="Who may apply: ngo, public_association, disability_organisation, individual, "
        "other_institution",
    )
    places_awarded: bounds.ContestPlaces = 3
    advance_per_region: bounds.AdvancingPlaces = 1


class StageIn(Schema):
    opens_at: bounds.Moment = Field(description="Without an offset: Astana time")
    deadline: bounds.Moment = Field(description="Without an offset: Astana time")
    results_on: bounds.RecordDate | None = None
    venue: bounds.Label = ""


class ContestCommissionIn(ScaleIn):
    level: Literal["regional", "republican"]
    region: bounds.Code | None = Field(None, description="KATO code of the region (regional commissions)")


class MemberIn(Schema):
    username: bounds.Username
    role: Literal["chair", "member", "secretary"]
    affiliation: bounds.Name = ""


class MemberOut(Schema):
    id: int
    commission_id: int
    username: str
    role: str
    affiliation: str

    @staticmethod
    def resolve_username(obj: CommissionMember) -> str:
        return obj.user.get_username()


class WorklistRowOut(Schema):
    application_id: int
    number: str
    title: str
    applicant_name: str
    region_id: int
    scored: int = Field(description="Criteria you have scored")
    conflict: bool = Field(description="You declared, or have, a connection: you do not score it")


class WorklistOut(Schema):
    commission_id: int
    role: str | None
    criteria_count: int
    done: int
    approved: bool
    rows: list[WorklistRowOut]

    @staticmethod
    def resolve_commission_id(obj: selectors.Worklist) -> int:
        return obj.commission.pk

    @staticmethod
    def resolve_role(obj: selectors.Worklist) -> str | None:
        return obj.seat.role if obj.seat is not None else None

    @staticmethod
    def resolve_approved(obj: selectors.Worklist) -> bool:
        return obj.commission.approved_at is not None


class ScoreIn(Schema):
    criterion_id: bounds.Id
    value: bounds.Score = Field(description="Within the scale, at most two decimals")
    comment: bounds.Comment = ""


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(max_length=bounds.MAX_CRITERIA)


class ScoreOut(Schema):
    criterion_id: int
    value: Decimal
    comment: str

    @staticmethod
    def resolve_criterion_id(obj: Any) -> int:
        return int(obj.criterion.pk)


class ConflictIn(Schema):
    reason: bounds.Comment


class ConflictOut(Schema):
    id: int
    commission_id: int
    application_id: int
    reason: str
    declared_at: LocalDateTime


class RankedLineOut(Schema):
    application_id: int
    rank: int
    place: int | None
    score: float
    standardised: float


class EligibilityIn(Schema):
    eligible: bool
    reason: bounds.Comment = Field("", description="Required when not eligible; the applicant receives it")


class RegionResultOut(Schema):
    commission_id: int
    region: str | None
    region_name: str
    approved: bool
    applications: int = Field(description="Eligible applications in the region")
    winner: RankedOut | None

    @staticmethod
    def resolve_commission_id(obj: RegionResult) -> int:
        return obj.commission.pk

    @staticmethod
    def resolve_region(obj: RegionResult) -> str | None:
        return obj.commission.region.kato if obj.commission.region else None

    @staticmethod
    def resolve_region_name(obj: RegionResult) -> str:
        return obj.commission.region.name if obj.commission.region else ""


class ContestResultsOut(Schema):
    contest_id: int
    regions: list[RegionResultOut]
    republican: CommissionResultOut | None = Field(description="The laureates, once approved")
    compared: list[RankedOut] = Field(description="Regional first places compared on standardised scores")

    @staticmethod
    def resolve_contest_id(obj: selectors.ContestResults) -> int:
        return obj.contest.pk


class ArchivePeriodOut(Schema):
    from_year: int
    to_year: int
    projects_taken_part: int
    regional_winners: int
    winners_private: int
    winners_sponsor: int
    winners_state_order: int
    source: str


class LaureateOut(Schema):
    year: int
    place: int
    title: str
    description: str
    leader: str
    region: str | None
    city: str

    @staticmethod
    def resolve_title(obj: ArchivedLaureate) -> str:
        return obj.title

    @staticmethod
    def resolve_description(obj: ArchivedLaureate) -> str:
        return obj.description

    @staticmethod
    def resolve_region(obj: ArchivedLaureate) -> str | None:
        return obj.region.kato if obj.region is not None else None

    @staticmethod
    def resolve_city(obj: ArchivedLaureate) -> str:
        return obj.city


class HistoryOut(Schema):
    periods: list[ArchivePeriodOut]
    laureates: list[LaureateOut]
    projects_taken_part: int
    regional_winners: int


class ApplicationIn(Schema):
    applicant_kind: bounds.Code = Field(
        description="ngo, public_association, disability_organisation, individual, ..."
    )
    region: bounds.Code = Field(description="KATO code of the region where the project works")
    applicant_name: bounds.Name
    organisation_id: bounds.Id | None = None
    project_id: bounds.Id | None = None
    title_kk: bounds.Title = ""
    title_ru: bounds.Title = ""
    title_en: bounds.Title = ""
    description_kk: bounds.Description = ""
    description_ru: bounds.Description = ""
    description_en: bounds.Description = ""
    results: bounds.Description = ""
    people_reached_declared: bounds.Headcount | None = None
    contact_email: bounds.Email = ""
    categories: bounds.Codes = Field([], description="Codes of the vulnerability categories it helps")
    requested_amount: PositiveMoney | None = None
    duration_months: bounds.DurationMonths | None = None
    band: bounds.Code = Field("", description="Grants: short, medium or long")


NULLABLE_FIELDS = {
    "organisation_id",
    "project_id",
    "people_reached_declared",
    "requested_amount",
    "duration_months",
}


class ApplicationPatch(Schema):
    version: bounds.Version = Field(description="The version you read; a stale one is refused (409).")
    applicant_kind: bounds.Code | None = None
    region: bounds.Code | None = None
    applicant_name: bounds.Name | None = None
    organisation_id: bounds.Id | None = None
    project_id: bounds.Id | None = None
    title_kk: bounds.Title | None = None
    title_ru: bounds.Title | None = None
    title_en: bounds.Title | None = None
    description_kk: bounds.Description | None = None
    description_ru: bounds.Description | None = None
    description_en: bounds.Description | None = None
    results: bounds.Description | None = None
    people_reached_declared: bounds.Headcount | None = None
    contact_email: bounds.Email | None = None
    categories: bounds.Codes | None = None
    requested_amount: PositiveMoney | None = None
    duration_months: bounds.DurationMonths | None = None
    band: bounds.Code | None = None


class DocumentOut(Schema):
    id: int
    title: str
    size: int
    uploaded_at: LocalDateTime


class BudgetLineOut(Schema):
    item: str
    amount: MoneyOut


class ApplicationSummaryOut(Schema):
    id: int
    contest_id: int | None
    call_id: int | None
    status: str
    number: str | None
    submitted_at: LocalDateTimeOrNone
    title: str
    applicant_name: str
    organisation_id: int | None
    region: str | None = Field(description="KATO code")
    requested_amount: MoneyOut | None
    version: int

    @staticmethod
    def resolve_title(obj: Application) -> str:
        return obj.title

    @staticmethod
    def resolve_region(obj: Application) -> str | None:
        return obj.region.kato


class ApplicationOut(ApplicationSummaryOut):
    applicant_kind: str
    contact_email: str
    project_id: int | None
    title_kk: str
    title_ru: str
    title_en: str
    description_kk: str
    description_ru: str
    description_en: str
    results: str
    people_reached_declared: int | None
    categories: list[str]
    duration_months: int | None
    band: str
    eligibility_reason: str
    advanced: bool
    documents: list[DocumentOut]
    budget_lines: list[BudgetLineOut]

    @staticmethod
    def resolve_categories(obj: Application) -> list[str]:
        return sorted(c.code for c in obj.categories.all())

    @staticmethod
    def resolve_documents(obj: Application) -> list[ApplicationDocument]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_budget_lines(obj: Application) -> list[BudgetLine]:
        return list(obj.budget_lines.all())


class ReceiptOut(Schema):
    id: int
    number: str = Field(description="The receipt number, e.g. K-2017-75-0004")
    submitted_at: LocalDateTime
    status: str
    version: int
