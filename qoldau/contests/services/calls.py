"""Grant calls: opened and changed by their operator's administrators or the ministry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from qoldau.contests import policy
from qoldau.contests.errors import ContestErrorCode
from qoldau.contests.models import ApplicantKind, GrantBandKind, GrantCall
from qoldau.contests.services.setup import aware, check_kinds
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ValidationFailed
from qoldau.core.models import Organisation, Place, VulnerabilityCategory
from qoldau.core.services import Actor, acting_user, require_text, save_versioned


@dataclass(frozen=True)
class GrantCallInput:
    title_kk: str
    budget: Decimal
    opens_at: dt.datetime
    deadline: dt.datetime
    bands: Sequence[str] = (GrantBandKind.SHORT,)
    eligible_kinds: Sequence[str] = (
        ApplicantKind.NGO,
        ApplicantKind.PUBLIC_ASSOCIATION,
        ApplicantKind.DISABILITY_ORGANISATION,
    )
    region_ids: Sequence[int] = ()
    category_ids: Sequence[int] = ()
    title_ru: str = ""
    title_en: str = ""
    description_kk: str = ""
    description_ru: str = ""
    description_en: str = ""
    requires_state_ngo_database: bool = True


def _call_fields(data: GrantCallInput) -> tuple[dict[str, Any], list[Place], list[VulnerabilityCategory]]:
    if data.budget <= 0:
        raise ValidationFailed(_("The call's budget must be above zero."), field="budget")
    bands = list(dict.fromkeys(data.bands))
    if not bands or any(b not in GrantBandKind.values for b in bands):
        raise ValidationFailed(_("Choose the grant sizes the call admits."), field="bands")
    opens_at, deadline = aware(data.opens_at), aware(data.deadline)
    if deadline <= opens_at:
        raise ValidationFailed(_("The deadline must come after the opening."), field="deadline")
    regions = list(Place.objects.filter(pk__in=data.region_ids, level=Place.Level.REGION))
    if not regions or len(regions) != len(set(data.region_ids)):
        raise ValidationFailed(_("Choose the regions where grantees may work."), field="region_ids")
    categories = list(VulnerabilityCategory.objects.filter(pk__in=data.category_ids))
    if len(categories) != len(set(data.category_ids)):
        raise ValidationFailed(_("One of the chosen categories does not exist."), field="category_ids")
    fields = {
        "title_kk": require_text(data.title_kk, "title_kk", message=_("Give the call's title in Kazakh.")),
        "title_ru": data.title_ru.strip(),
        "title_en": data.title_en.strip(),
        "description_kk": data.description_kk.strip(),
        "description_ru": data.description_ru.strip(),
        "description_en": data.description_en.strip(),
        "budget": data.budget,
        "bands": bands,
        "eligible_kinds": check_kinds(data.eligible_kinds),
        "opens_at": opens_at,
        "deadline": deadline,
        "requires_state_ngo_database": data.requires_state_ngo_database,
    }
    return fields, regions, categories


def grant_call_create(*, actor: Actor, operator: Organisation, data: GrantCallInput) -> GrantCall:
    """A call for grants run by an organisation: its administrators, or the ministry."""
    policy.check_may_open_call_for(actor, operator)
    fields, regions, categories = _call_fields(data)
    with transaction.atomic():
        call = GrantCall.objects.create(operator=operator, created_by=acting_user(actor), **fields)
        call.eligible_regions.set(regions)
        call.eligible_categories.set(categories)
        audit_record(
            actor,
            "grant_call.create",
            object_type="grant_call",
            object_id=call.pk,
            organisation_id=operator.pk,
        )
    return call


def grant_call_update(
    *, actor: Actor, call: GrantCall, expected_version: int, data: GrantCallInput
) -> GrantCall:
    """Change a call; its budget never below what is already awarded."""
    policy.check_may_run_call(actor, call, task="change")
    fields, regions, categories = _call_fields(data)
    with transaction.atomic():
        awarded = call.awards.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if fields["budget"] < awarded:
            raise Conflict(
                _("%(awarded)s tenge is already awarded; the budget cannot be smaller."),
                code=ContestErrorCode.BUDGET_BELOW_AWARDED,
                params={"awarded": awarded},
            )
        save_versioned(call, expected_version, fields)
        call.eligible_regions.set(regions)
        call.eligible_categories.set(categories)
        audit_record(
            actor,
            "grant_call.update",
            object_type="grant_call",
            object_id=call.pk,
            organisation_id=call.operator_id,
        )
    return call
