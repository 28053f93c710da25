"""JSON API of contests and small grants: contests with their stages, criteria, commissions,
applications, scoring and public results; grant calls with their dashboard, awards,
tranches and grantee reports.

Money is a decimal string in tenge ("1500000.00"): sent as a string or a number, always
answered as a string. Datetimes are ISO 8601 with their offset, answered in Astana time
(Asia/Almaty); a datetime sent without an offset is read in Astana time. Regions are given by
their KATO code, vulnerability categories by their code. Domain errors come back as
`{code, message, field}` (see qoldau/api.py)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
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
    GrantAward,
    GrantCall,
    GranteeReport,
    RankedApplication,
    Stage,
    Tranche,
)
from qoldau.contests.selectors import RegionResult
from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core.api import BearerToken, BoundedPagination, PublicAccess, SignedInSession, patched_fields
from qoldau.core.errors import NotFound, ValidationFailed
from qoldau.core.models import Place
from qoldau.projects.impact import public_count

contests_router = Router(tags=["contests"])
grants_router = Router(tags=["grants"])

# Public reads recognise a signed-in caller (token or session) but answer anyone.
PUBLIC = [BearerToken(), SignedInSession(), PublicAccess()]


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


# Shared pieces -----------------------------------------------------------------------


def _region(kato: str, field: str) -> Place:
    """A region by KATO; an unknown code in a request body is bad input (400)."""
    try:
        return core_selectors.region_by_kato(kato)
    except NotFound as exc:
        raise ValidationFailed(exc.message, field=field, code="unknown_region") from None


def _category_ids(codes: list[str], field: str) -> list[int]:
    ids = []
    for code in codes:
        try:
            ids.append(core_selectors.category_by_code(code).pk)
        except NotFound as exc:
            raise ValidationFailed(exc.message, field=field, code="unknown_category") from None
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


def _criteria_input(payload: CriteriaIn) -> list[services.CriterionInput]:
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


# Contests ------------------------------------------------------------------------------


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


# Applications ---------------------------------------------------------------------------


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


def _application_input(payload: ApplicationIn) -> services.ApplicationInput:
    data = payload.dict(exclude={"region", "categories"})
    return services.ApplicationInput(
        region_id=_region(payload.region, "region").pk,
        category_ids=_category_ids(payload.categories, "categories"),
        **data,
    )


def _patched_input(application: Application, payload: ApplicationPatch) -> services.ApplicationInput:
    """The draft as it is, with the fields the PATCH gives."""
    given = patched_fields(payload, nullable=NULLABLE_FIELDS)
    given.pop("version", None)
    current = ApplicationIn(
        applicant_kind=application.applicant_kind,
        region=application.region.kato or "",
        applicant_name=application.applicant_name,
        organisation_id=application.organisation_id,
        project_id=application.project_id,
        title_kk=application.title_kk,
        title_ru=application.title_ru,
        title_en=application.title_en,
        description_kk=application.description_kk,
        description_ru=application.description_ru,
        description_en=application.description_en,
        results=application.results,
        people_reached_declared=application.people_reached_declared,
        contact_email=application.contact_email,
        categories=[c.code for c in application.categories.all()],
        requested_amount=application.requested_amount,
        duration_months=application.duration_months,
        band=application.band,
    )
    return _application_input(current.model_copy(update=given))


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


# Contest endpoints ------------------------------------------------------------------


@contests_router.get(
    "/contests", response=list[ContestSummaryOut], auth=PUBLIC, summary="Contests, newest first"
)
@paginate(BoundedPagination)
def list_contests(request: HttpRequest) -> object:
    """Public. Each contest with its stages."""
    return selectors.contests_list()


@contests_router.get(
    "/contests/history", response=HistoryOut, auth=PUBLIC, summary="The contest's archive since 2013"
)
def contest_history(request: HttpRequest) -> selectors.ContestHistory:
    return selectors.contest_history()


@contests_router.get(
    "/contests/{int:contest_id}", response=ContestOut, auth=PUBLIC, summary="A contest in full"
)
def get_contest(request: HttpRequest, contest_id: bounds.Id) -> Contest:
    """Public. Stages with their dates, criteria with weights and scales, who may apply and
    how many places are awarded and advance."""
    return selectors.contest_get(contest_id)


@contests_router.post("/contests", response={201: ContestOut}, summary="Set up a contest (ministry)")
def create_contest(request: HttpRequest, payload: ContestIn) -> Status[Any]:
    contest = services.contest_create(actor=request.user, data=services.ContestInput(**payload.dict()))
    return Status(201, selectors.contest_get(contest.pk))


@contests_router.put(
    "/contests/{int:contest_id}/stages/{level}", response=StageOut, summary="Set a stage's dates (ministry)"
)
def set_stage(request: HttpRequest, contest_id: bounds.Id, level: bounds.Code, payload: StageIn) -> Stage:
    """`level` is regional or republican. The regional deadline is when applications close."""
    contest = selectors.contest_get(contest_id)
    return services.stage_set(actor=request.user, contest=contest, level=level, **payload.dict())


@contests_router.put(
    "/contests/{int:contest_id}/criteria",
    response=list[CriterionOut],
    summary="Replace a contest's criteria (ministry, before scoring)",
)
def set_contest_criteria(request: HttpRequest, contest_id: bounds.Id, payload: CriteriaIn) -> list[Criterion]:
    contest = selectors.contest_get(contest_id)
    return services.criteria_set(actor=request.user, contest=contest, criteria=_criteria_input(payload))


@contests_router.get(
    "/contests/{int:contest_id}/results",
    response=ContestResultsOut,
    auth=PUBLIC,
    summary="Approved results: regional first places, laureates, fair comparison",
)
def contest_results(request: HttpRequest, contest_id: bounds.Id) -> selectors.ContestResults:
    """Public. A region's winner shows once its commission approved; the laureates once the
    republican commission approved."""
    return selectors.contest_results(selectors.contest_get(contest_id))


@contests_router.post(
    "/contests/{int:contest_id}/commissions",
    response={201: CommissionOut},
    summary="Set up a regional (akimat, ministry) or the republican (ministry) commission",
)
def create_contest_commission(
    request: HttpRequest, contest_id: bounds.Id, payload: ContestCommissionIn
) -> Status[Any]:
    contest = selectors.contest_get(contest_id)
    region = _region(payload.region, "region") if payload.region else None
    commission = services.commission_create(
        actor=request.user,
        level=payload.level,
        contest=contest,
        region=region,
        scale_min=payload.scale_min,
        scale_max=payload.scale_max,
    )
    return Status(201, commission)


@contests_router.post(
    "/contests/commissions/{int:commission_id}/members",
    response={201: MemberOut},
    summary="Seat a chair, member or secretary on a commission",
)
def add_member(request: HttpRequest, commission_id: bounds.Id, payload: MemberIn) -> Status[Any]:
    """For contest and grant commissions alike; by those who set the commission up."""
    commission = selectors.commission_get_for_user(request.user, commission_id)
    seat = services.commission_member_add(
        actor=request.user,
        commission=commission,
        user=selectors.user_by_username(payload.username),
        role=payload.role,
        affiliation=payload.affiliation,
    )
    return Status(201, seat)


@contests_router.get(
    "/contests/commissions/{int:commission_id}/applications",
    response=WorklistOut,
    summary="A member's worklist: the commission's eligible applications",
)
def worklist(request: HttpRequest, commission_id: bounds.Id) -> selectors.Worklist:
    commission = selectors.commission_get_for_user(request.user, commission_id)
    return selectors.member_worklist(request.user, commission)


@contests_router.put(
    "/contests/commissions/{int:commission_id}/applications/{int:application_id}/scores",
    response=list[ScoreOut],
    summary="Record your scores of an application, all or none",
)
def record_scores(
    request: HttpRequest, commission_id: bounds.Id, application_id: bounds.Id, payload: ScoresIn
) -> list[Any]:
    """Each score within the scale (the commission's, else the criterion's), with a comment.
    Refused for an application outside your commission (403 `outside_commission`), with a
    conflict of interest (403 `conflict`), and after approval (409 `approved`)."""
    commission = selectors.commission_get_for_user(request.user, commission_id)
    application = selectors.application_for_commission(request.user, commission, application_id)
    return services.scores_record(
        actor=request.user,
        commission=commission,
        application=application,
        scores=[services.ScoreInput(s.criterion_id, s.value, s.comment) for s in payload.scores],
    )


@contests_router.post(
    "/contests/commissions/{int:commission_id}/applications/{int:application_id}/conflict",
    response={201: ConflictOut},
    summary="Declare a conflict of interest with an application",
)
def declare_conflict(
    request: HttpRequest, commission_id: bounds.Id, application_id: bounds.Id, payload: ConflictIn
) -> Status[Any]:
    """Your scores of the application, if any, are withdrawn; you cannot score it again."""
    commission = selectors.commission_get_for_user(request.user, commission_id)
    application = selectors.application_for_commission(request.user, commission, application_id)
    declared = services.conflict_declare(
        actor=request.user, commission=commission, application=application, reason=payload.reason
    )
    return Status(201, declared)


@contests_router.get(
    "/contests/commissions/{int:commission_id}/ranking",
    response=CommissionResultOut,
    summary="The commission's ranking: live (with outliers and gaps) or approved",
)
def commission_ranking(request: HttpRequest, commission_id: bounds.Id) -> selectors.CommissionResult:
    commission = selectors.commission_get_for_user(request.user, commission_id)
    return selectors.commission_result(request.user, commission)


@contests_router.post(
    "/contests/commissions/{int:commission_id}/approve",
    response=list[RankedLineOut],
    summary="Approve the result (the chair); scores are frozen after",
)
def approve(request: HttpRequest, commission_id: bounds.Id) -> list[RankedApplication]:
    commission = selectors.commission_get_for_user(request.user, commission_id)
    return services.commission_approve(actor=request.user, commission=commission)


@contests_router.post(
    "/contests/applications/{int:application_id}/eligibility",
    response=ApplicationOut,
    summary="Decide an application's eligibility (the commission's secretary)",
)
def decide_eligibility(
    request: HttpRequest, application_id: bounds.Id, payload: EligibilityIn
) -> Application:
    application = selectors.application_get_for_user(request.user, application_id)
    return services.eligibility_decide(
        actor=request.user, application=application, eligible=payload.eligible, reason=payload.reason
    )


@contests_router.post(
    "/contests/{int:contest_id}/applications",
    response={201: ApplicationOut},
    summary="Start a draft application to a contest",
)
def start_contest_application(
    request: HttpRequest, contest_id: bounds.Id, payload: ApplicationIn
) -> Status[Any]:
    contest = selectors.contest_get(contest_id)
    application = services.application_start(
        actor=request.user, contest=contest, data=_application_input(payload)
    )
    return Status(201, selectors.application_get_for_user(request.user, application.pk))


@contests_router.get(
    "/contests/applications",
    response=list[ApplicationSummaryOut],
    summary="Your applications (and your organisations'), to contests and grant calls",
)
@paginate(BoundedPagination)
def my_applications(request: HttpRequest) -> object:
    return selectors.applications_of_user(request.user)


@contests_router.get(
    "/contests/applications/{int:application_id}", response=ApplicationOut, summary="An application"
)
def get_application(request: HttpRequest, application_id: bounds.Id) -> Application:
    return selectors.application_get_for_user(request.user, application_id)


@contests_router.patch(
    "/contests/applications/{int:application_id}",
    response=ApplicationOut,
    summary="Change a draft (send the version you read)",
)
def update_application(
    request: HttpRequest, application_id: bounds.Id, payload: ApplicationPatch
) -> Application:
    application = selectors.application_get_for_user(request.user, application_id)
    services.application_update(
        actor=request.user,
        application=application,
        expected_version=payload.version,
        data=_patched_input(application, payload),
    )
    return selectors.application_get_for_user(request.user, application_id)


@contests_router.post(
    "/contests/applications/{int:application_id}/submit",
    response=ReceiptOut,
    summary="Submit a draft before the deadline (Astana time): returns the receipt",
)
def submit_application(request: HttpRequest, application_id: bounds.Id) -> Application:
    """Late: 409 `deadline_passed`; incomplete: 400 `incomplete`; nothing changes."""
    application = selectors.application_get_for_user(request.user, application_id)
    return services.application_submit(actor=request.user, application=application)


@contests_router.post(
    "/contests/applications/{int:application_id}/withdraw",
    response=ApplicationSummaryOut,
    summary="Withdraw an application (before scoring)",
)
def withdraw_application(request: HttpRequest, application_id: bounds.Id) -> Application:
    application = selectors.application_get_for_user(request.user, application_id)
    return services.application_withdraw(actor=request.user, application=application)


@contests_router.post(
    "/contests/applications/{int:application_id}/documents",
    response={201: DocumentOut},
    summary="Attach a document to a draft (multipart: title, file)",
)
def add_document(
    request: HttpRequest,
    application_id: bounds.Id,
    title: Form[bounds.Label],
    file: File[UploadedFile],
) -> Status[Any]:
    application = selectors.application_get_for_user(request.user, application_id)
    document = services.document_add(actor=request.user, application=application, title=title, upload=file)
    return Status(201, document)


# Grants ---------------------------------------------------------------------------------


class CallOut(Schema):
    id: int
    operator_id: int
    operator: str
    title: str
    title_kk: str
    title_ru: str
    title_en: str
    description: str
    budget: MoneyOut
    bands: list[str]
    eligible_kinds: list[str]
    regions: list[str] = Field(description="KATO codes of the eligible regions")
    categories: list[str] = Field(description="Codes of the eligible categories (empty: all)")
    requires_state_ngo_database: bool
    opens_at: LocalDateTime
    deadline: LocalDateTime
    version: int

    @staticmethod
    def resolve_operator(obj: GrantCall) -> str:
        return obj.operator.name

    @staticmethod
    def resolve_title(obj: GrantCall) -> str:
        return obj.title

    @staticmethod
    def resolve_description(obj: GrantCall) -> str:
        return obj.description

    @staticmethod
    def resolve_regions(obj: GrantCall) -> list[str]:
        return sorted(r.kato or "" for r in obj.eligible_regions.all())

    @staticmethod
    def resolve_categories(obj: GrantCall) -> list[str]:
        return sorted(c.code for c in obj.eligible_categories.all())


class RegionFiguresOut(Schema):
    region: str
    applied: int
    awarded: int
    amount: MoneyOut


class DashboardOut(Schema):
    applied: int
    requested: MoneyOut
    eligible: int
    awarded: int
    awarded_amount: MoneyOut
    paid_amount: MoneyOut
    left: MoneyOut
    people_reached: int | None = Field(
        description="Distinct people the grantees' projects reached; for the public rounded to the "
        "threshold, null under it"
    )
    suppressed_below: int | None = Field(description="Set for the public: figures under it are null")
    reports_due: int
    reports_overdue: int
    by_region: list[RegionFiguresOut]


class CallDetailOut(Schema):
    call: CallOut
    criteria: list[CriterionOut]
    dashboard: DashboardOut


def _dashboard_payload(board: selectors.CallDashboard, *, public: bool) -> dict[str, Any]:
    """The dashboard's figures; for the public, people reached as every public figure is
    (rounded to the threshold, null under it)."""
    threshold = settings.QOLDAU_SUPPRESSION_THRESHOLD
    people = board.people_reached
    return {
        "applied": board.applied,
        "requested": board.requested,
        "eligible": board.eligible,
        "awarded": board.awarded,
        "awarded_amount": board.awarded_amount,
        "paid_amount": board.paid_amount,
        "left": board.left,
        "people_reached": public_count(people, threshold) if public else people,
        "suppressed_below": threshold if public else None,
        "reports_due": board.reports_due,
        "reports_overdue": board.reports_overdue,
        "by_region": [
            {"region": label, "applied": applied, "awarded": awarded, "amount": amount}
            for label, applied, awarded, amount in board.by_region
        ],
    }


class CallIn(Schema):
    operator_id: bounds.Id
    title_kk: bounds.Title
    title_ru: bounds.Title = ""
    title_en: bounds.Title = ""
    description_kk: bounds.Description = ""
    description_ru: bounds.Description = ""
    description_en: bounds.Description = ""
    budget: Money
    bands: bounds.Codes = Field(["short"], description="short, medium, long")
    eligible_kinds: bounds.Codes = ["ngo", "public_association", "disability_organisation"]
    regions: bounds.Codes = Field(description="KATO codes of the regions where grantees may work")
    categories: bounds.Codes = Field([], description="Codes of the categories funded (empty: all)")
    requires_state_ngo_database: bool = True
    opens_at: bounds.Moment = Field(description="Without an offset: Astana time")
    deadline: bounds.Moment = Field(description="Without an offset: Astana time")


class GrantCommissionIn(ScaleIn):
    pass


class BudgetLineIn(Schema):
    item: bounds.Name
    amount: PositiveMoney


class BudgetIn(Schema):
    lines: list[BudgetLineIn] = Field(max_length=bounds.MAX_BUDGET_LINES)


class AwardIn(Schema):
    amount: Money


class TrancheIn(Schema):
    amount: Money
    due_on: bounds.RecordDate


class TrancheOut(Schema):
    id: int
    number: int
    amount: MoneyOut
    due_on: dt.date
    paid_on: dt.date | None


class PayIn(Schema):
    paid_on: bounds.RecordDate | None = Field(None, description="Default: today (Astana)")


class ReportScheduleIn(Schema):
    kind: Literal["progress", "financial"]
    period_start: bounds.RecordDate
    period_end: bounds.RecordDate
    due_on: bounds.RecordDate


class IndicatorValueIn(Schema):
    indicator_id: bounds.Id
    value: bounds.IndicatorValue


class ReportSubmitIn(Schema):
    narrative: bounds.Description
    spent_amount: Money | None = Field(None, description="Financial reports: tenge spent")
    indicator_values: list[IndicatorValueIn] = Field(
        [], max_length=bounds.FEW, description="Values for the project's indicators"
    )


class ReportReviewIn(Schema):
    accept: bool
    comment: bounds.Comment = Field("", description="Required when the report is returned")


class ReportOut(Schema):
    id: int
    award_id: int
    kind: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    status: str
    narrative: str
    spent_amount: MoneyOut | None
    submitted_at: LocalDateTimeOrNone
    review_comment: str


class AwardOut(Schema):
    id: int
    call_id: int
    application_id: int
    number: str | None = Field(description="The application's receipt number")
    grantee: str
    amount: MoneyOut
    project_id: int | None
    awarded_at: LocalDateTime
    tranches: list[TrancheOut]
    reports: list[ReportOut]

    @staticmethod
    def resolve_number(obj: GrantAward) -> str | None:
        return obj.application.number

    @staticmethod
    def resolve_grantee(obj: GrantAward) -> str:
        return obj.application.applicant_name

    @staticmethod
    def resolve_tranches(obj: GrantAward) -> list[Any]:
        return list(obj.tranches.all())

    @staticmethod
    def resolve_reports(obj: GrantAward) -> list[GranteeReport]:
        return list(obj.reports.all())


class ProjectLinkIn(Schema):
    project_id: bounds.Id


def _call_input(payload: CallIn) -> services.GrantCallInput:
    data = payload.dict(exclude={"operator_id", "regions", "categories"})
    return services.GrantCallInput(
        region_ids=[_region(code, "regions").pk for code in payload.regions],
        category_ids=_category_ids(payload.categories, "categories"),
        **data,
    )


@grants_router.get("/grants", response=list[CallOut], auth=PUBLIC, summary="Grant calls, newest first")
@paginate(BoundedPagination)
def list_calls(request: HttpRequest) -> object:
    return selectors.calls_list()


@grants_router.get(
    "/grants/{int:call_id}", response=CallDetailOut, auth=PUBLIC, summary="A grant call and its dashboard"
)
def get_call(request: HttpRequest, call_id: bounds.Id) -> dict[str, Any]:
    """Public. The dashboard counts applications, awards, payments and the distinct people
    the grantees' projects reached; for the public a number of people under
    `QOLDAU_SUPPRESSION_THRESHOLD` is null."""
    call = selectors.call_get(call_id)
    board = selectors.call_dashboard(call)
    return {
        "call": call,
        "criteria": list(call.criteria.all()),
        "dashboard": _dashboard_payload(board, public=not request.user.is_authenticated),
    }


@grants_router.post("/grants", response={201: CallOut}, summary="Open a grant call (operator, ministry)")
def create_call(request: HttpRequest, payload: CallIn) -> Status[Any]:
    operator = core_selectors.organisation_get_for_user(request.user, payload.operator_id)
    call = services.grant_call_create(actor=request.user, operator=operator, data=_call_input(payload))
    return Status(201, selectors.call_get(call.pk))


@grants_router.put(
    "/grants/{int:call_id}/criteria",
    response=list[CriterionOut],
    summary="Replace a call's criteria (operator, before scoring)",
)
def set_call_criteria(request: HttpRequest, call_id: bounds.Id, payload: CriteriaIn) -> list[Criterion]:
    call = selectors.call_get(call_id)
    return services.criteria_set(actor=request.user, call=call, criteria=_criteria_input(payload))


@grants_router.post(
    "/grants/{int:call_id}/commission",
    response={201: CommissionOut},
    summary="Set up the call's commission; seat its members at /contests/commissions/{id}/members",
)
def create_call_commission(
    request: HttpRequest, call_id: bounds.Id, payload: GrantCommissionIn
) -> Status[Any]:
    call = selectors.call_get(call_id)
    commission = services.commission_create(
        actor=request.user,
        level=Commission.Level.GRANT,
        call=call,
        scale_min=payload.scale_min,
        scale_max=payload.scale_max,
    )
    return Status(201, commission)


@grants_router.post(
    "/grants/{int:call_id}/applications",
    response={201: ApplicationOut},
    summary="Start a draft grant application; submit it at /contests/applications/{id}/submit",
)
def start_grant_application(request: HttpRequest, call_id: bounds.Id, payload: ApplicationIn) -> Status[Any]:
    call = selectors.call_get(call_id)
    application = services.application_start(actor=request.user, call=call, data=_application_input(payload))
    return Status(201, selectors.application_get_for_user(request.user, application.pk))


@grants_router.put(
    "/grants/applications/{int:application_id}/budget",
    response=list[BudgetLineOut],
    summary="Replace a draft grant application's budget lines",
)
def set_budget(request: HttpRequest, application_id: bounds.Id, payload: BudgetIn) -> list[BudgetLine]:
    application = selectors.application_get_for_user(request.user, application_id)
    return services.budget_lines_set(
        actor=request.user,
        application=application,
        lines=[services.BudgetLineInput(line.item, line.amount) for line in payload.lines],
    )


@grants_router.post(
    "/grants/applications/{int:application_id}/award",
    response={201: AwardOut},
    summary="Award a grant (operator); never over the call's budget",
)
def award(request: HttpRequest, application_id: bounds.Id, payload: AwardIn) -> Status[Any]:
    """Over the budget left: 409 `over_budget`, nothing awarded."""
    application = selectors.application_get_for_user(request.user, application_id)
    granted = services.grant_award(actor=request.user, application=application, amount=payload.amount)
    return Status(201, selectors.award_get_for_user(request.user, granted.pk))


@grants_router.get(
    "/grants/{int:call_id}/awards", response=list[AwardOut], summary="The call's awards (operator)"
)
def call_awards(request: HttpRequest, call_id: bounds.Id) -> list[GrantAward]:
    return selectors.call_awards(request.user, selectors.call_get(call_id))


@grants_router.get(
    "/grants/awards/mine", response=list[AwardOut], summary="Grants you (or your organisations) received"
)
def my_awards(request: HttpRequest) -> list[GrantAward]:
    return selectors.awards_of_user(request.user)


@grants_router.post(
    "/grants/awards/{int:award_id}/tranches",
    response={201: TrancheOut},
    summary="Plan the next tranche (operator); tranches never exceed the grant",
)
def plan_tranche(request: HttpRequest, award_id: bounds.Id, payload: TrancheIn) -> Status[Any]:
    granted = selectors.award_get_for_user(request.user, award_id)
    tranche = services.tranche_plan(
        actor=request.user, award=granted, amount=payload.amount, due_on=payload.due_on
    )
    return Status(201, tranche)


@grants_router.post(
    "/grants/tranches/{int:tranche_id}/pay", response=TrancheOut, summary="Record a tranche's payment"
)
def pay_tranche(request: HttpRequest, tranche_id: bounds.Id, payload: PayIn) -> Tranche:
    tranche = selectors.tranche_get_for_user(request.user, tranche_id)
    return services.tranche_pay(
        actor=request.user, tranche=tranche, paid_on=payload.paid_on or timezone.localdate()
    )


@grants_router.post(
    "/grants/awards/{int:award_id}/reports",
    response={201: ReportOut},
    summary="Schedule a grantee report (operator)",
)
def schedule_report(request: HttpRequest, award_id: bounds.Id, payload: ReportScheduleIn) -> Status[Any]:
    granted = selectors.award_get_for_user(request.user, award_id)
    report = services.report_schedule(actor=request.user, award=granted, **payload.dict())
    return Status(201, report)


@grants_router.post(
    "/grants/reports/{int:report_id}/submit", response=ReportOut, summary="Submit a report (the grantee)"
)
def submit_report(request: HttpRequest, report_id: bounds.Id, payload: ReportSubmitIn) -> GranteeReport:
    report = selectors.report_get_for_user(request.user, report_id)
    return services.report_submit(
        actor=request.user,
        report=report,
        narrative=payload.narrative,
        spent_amount=payload.spent_amount,
        indicator_values={v.indicator_id: v.value for v in payload.indicator_values},
    )


@grants_router.post(
    "/grants/reports/{int:report_id}/review",
    response=ReportOut,
    summary="Accept a report, or return it with a comment (operator)",
)
def review_report(request: HttpRequest, report_id: bounds.Id, payload: ReportReviewIn) -> GranteeReport:
    report = selectors.report_get_for_user(request.user, report_id)
    return services.report_review(
        actor=request.user, report=report, accept=payload.accept, comment=payload.comment
    )


@grants_router.post(
    "/grants/awards/{int:award_id}/project",
    response=AwardOut,
    summary="Name the project the grant funds (the grantee's administrators)",
)
def link_project(request: HttpRequest, award_id: bounds.Id, payload: ProjectLinkIn) -> GrantAward:
    granted = selectors.award_get_for_user(request.user, award_id)
    services.grant_project_link(actor=request.user, award=granted, project_id=payload.project_id)
    return selectors.award_get_for_user(request.user, award_id)
