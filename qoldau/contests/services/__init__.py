"""Every write of contests and grants, one module per area. Each service runs in one
transaction, checks who may do it (`qoldau.contests.policy`) and the domain's rules (raising
ApplicationError and changing nothing), writes its audit row and sends its notifications
after commit. Callers import the package: `from qoldau.contests import services`."""

from qoldau.contests.services.applications import (
    DOCUMENT_EXTENSIONS,
    DOCUMENT_IMAGE_FORMATS,
    DOCUMENT_SIGNATURES,
    ApplicationInput,
    BudgetLineInput,
    application_start,
    application_submit,
    application_update,
    application_withdraw,
    budget_lines_set,
    document_add,
    document_remove,
)
from qoldau.contests.services.calls import GrantCallInput, grant_call_create, grant_call_update
from qoldau.contests.services.commissions import (
    commission_create,
    commission_member_add,
    commission_member_remove,
    commission_set_scale,
)
from qoldau.contests.services.grants import (
    grant_award,
    grant_project_link,
    remind_report_deadlines,
    report_review,
    report_schedule,
    report_submit,
    tranche_pay,
    tranche_plan,
)
from qoldau.contests.services.scoring import (
    ScoreInput,
    ScoresRecorded,
    advance_regional_winners,
    commission_approve,
    conflict_declare,
    eligibility_decide,
    scores_record,
)
from qoldau.contests.services.setup import (
    ContestInput,
    CriterionInput,
    contest_create,
    contest_update,
    criteria_set,
    stage_set,
)

__all__ = [
    "DOCUMENT_EXTENSIONS",
    "DOCUMENT_IMAGE_FORMATS",
    "DOCUMENT_SIGNATURES",
    "ApplicationInput",
    "BudgetLineInput",
    "ContestInput",
    "CriterionInput",
    "GrantCallInput",
    "ScoreInput",
    "ScoresRecorded",
    "advance_regional_winners",
    "application_start",
    "application_submit",
    "application_update",
    "application_withdraw",
    "budget_lines_set",
    "commission_approve",
    "commission_create",
    "commission_member_add",
    "commission_member_remove",
    "commission_set_scale",
    "conflict_declare",
    "contest_create",
    "contest_update",
    "criteria_set",
    "document_add",
    "document_remove",
    "eligibility_decide",
    "grant_award",
    "grant_call_create",
    "grant_call_update",
    "grant_project_link",
    "remind_report_deadlines",
    "report_review",
    "report_schedule",
    "report_submit",
    "scores_record",
    "stage_set",
    "tranche_pay",
    "tranche_plan",
]
