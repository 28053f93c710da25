"""Assertions the contests' rule tests share: a refusal changed nothing, and its message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import translation

from qoldau.contests.models import (
    Application,
    BudgetLine,
    Commission,
    CommissionMember,
    ConflictOfInterest,
    Criterion,
    GrantAward,
    GrantCall,
    GranteeReport,
    RankedApplication,
    ReportIndicatorValue,
    Score,
    Tranche,
)
from qoldau.core.errors import ApplicationError
from qoldau.core.models import AuditEntry, Notification


def contests_state() -> dict[str, Any]:
    """Everything the contests' and grants' services write, re-read from the database."""
    return {
        "applications": list(
            Application.objects.order_by("pk").values_list(
                "pk",
                "status",
                "number",
                "submitted_at",
                "advanced",
                "eligibility_reason",
                "requested_amount",
                "version",
            )
        ),
        "scores": list(Score.objects.order_by("pk").values_list("pk", "member_id", "criterion_id", "value")),
        "conflicts": list(ConflictOfInterest.objects.order_by("pk").values_list("pk", "member_id")),
        "members": list(CommissionMember.objects.order_by("pk").values_list("pk", "user_id", "role")),
        "criteria": list(
            Criterion.objects.order_by("pk").values_list("pk", "weight", "scale_min", "scale_max")
        ),
        "commissions": list(Commission.objects.order_by("pk").values_list("pk", "approved_at")),
        "ranked": list(RankedApplication.objects.order_by("pk").values_list("pk", "rank")),
        "budget_lines": list(BudgetLine.objects.order_by("pk").values_list("pk", "amount")),
        "awards": list(GrantAward.objects.order_by("pk").values_list("pk", "application_id", "amount")),
        "tranches": list(Tranche.objects.order_by("pk").values_list("pk", "amount", "paid_on")),
        "reports": list(
            GranteeReport.objects.order_by("pk").values_list("pk", "status", "spent_amount", "narrative")
        ),
        "indicator_values": ReportIndicatorValue.objects.count(),
        "calls": list(GrantCall.objects.order_by("pk").values_list("pk", "budget")),
        "audit": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


@contextmanager
def changes_nothing() -> Iterator[None]:
    before = contests_state()
    yield
    assert contests_state() == before


def english(error: ApplicationError) -> str:
    with translation.override("en"):
        return error.render()
