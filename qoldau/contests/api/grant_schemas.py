"""What the grants API reads and answers: calls with their dashboard, grant applications'
budgets, awards, tranches and grantee reports."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from qoldau.contests.api.schemas import (
    CriterionOut,
    LocalDateTime,
    LocalDateTimeOrNone,
    Money,
    MoneyOut,
    PositiveMoney,
    ScaleIn,
)
from qoldau.contests.models import GrantAward, GrantCall, GranteeReport
from qoldau.core import bounds


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
