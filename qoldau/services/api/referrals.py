"""Referrals and wait lists under /api/v1/services/: refer a person the organisation
serves; list referrals received and sent; read one (the provider's notes only for the
provider); answer it (accept, reject with a reason, wait-list, start, complete with an
outcome, cancel for the referrer); and, without signing in, the place on a wait list by
reference and birth date (limited per address as the sign-up page is)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core.ratelimit import rate_limit_request
from qoldau.services.models import Referral
from qoldau.services.selectors import flow as selectors
from qoldau.services.services import referrals

router = Router(tags=["services"])
Reference = Annotated[str, bounds.TextLimit(12), StringConstraints(pattern=r"^[A-Za-z0-9]*$")]


class ReferralIn(Schema):
    service_id: bounds.Id
    person_id: bounds.Id = Field(description="One of the people your organisation serves")
    consent_given_on: bounds.RecordDate | None = Field(
        None, description="The day the person agreed to the referral; required"
    )
    reason: bounds.Remark = ""


class ReferralOut(Schema):
    id: int
    service_id: int
    service: str
    provider: str
    from_organisation_id: int
    from_organisation: str
    status: str
    rejection_reason: str
    outcome: str
    created_at: dt.datetime
    answer_due_at: dt.datetime
    answered_at: dt.datetime | None
    escalated: bool
    first_service_on: dt.date | None
    closed_at: dt.datetime | None
    delivery_id: int | None
    receiver_notes: str | None = Field(None, description="Only for the receiving provider")


class ReferralsOut(Schema):
    items: list[ReferralOut]
    count: int


class AnswerIn(Schema):
    action: Literal["accept", "reject", "wait_list", "start", "complete", "cancel"]
    rejection_reason: bounds.Code = ""
    outcome: bounds.Code = ""
    delivered_on: bounds.RecordDate | None = None
    delivery_id: bounds.Id | None = None
    first_service_on: bounds.RecordDate | None = None
    receiver_notes: bounds.Remark = ""


class PositionIn(Schema):
    reference: Reference
    birth_date: bounds.Day


class PositionOut(Schema):
    status: str
    status_label: str
    position: int | None = Field(description="1 is the next to be offered a place; none while set aside")
    parked_until: dt.date | None
    offer_expires_at: dt.datetime | None
    service: str


def _out(view: selectors.ReferralView) -> ReferralOut:
    r = view.referral
    return ReferralOut(
        id=r.pk,
        service_id=r.service_id,
        service=r.service.name,
        provider=r.service.provider.organisation.name,
        from_organisation_id=r.from_organisation_id,
        from_organisation=r.from_organisation.name,
        status=r.status,
        rejection_reason=r.rejection_reason,
        outcome=r.outcome,
        created_at=r.created_at,
        answer_due_at=r.answer_due_at,
        answered_at=r.answered_at,
        escalated=r.escalated_at is not None,
        first_service_on=r.first_service_on,
        closed_at=r.closed_at,
        delivery_id=r.delivery_id,
        receiver_notes=view.receiver_notes,
    )


@router.post("/services/referrals", response={201: ReferralOut}, summary="Refer a person to a service")
def create_referral(request: HttpRequest, payload: ReferralIn) -> Status[Any]:
    person = core_selectors.person_get_for_user(request.user, payload.person_id)
    service = selectors.service_to_refer_to(payload.service_id)
    referral = referrals.referral_create(
        actor=request.user,
        service=service,
        person=person,
        consent_given_on=payload.consent_given_on,
        reason=payload.reason,
    )
    return Status(201, _out(selectors.referral_get_for_user(request.user, referral.pk)))


@router.get("/services/referrals", response=ReferralsOut, summary="Referrals received or sent")
def list_referrals(
    request: HttpRequest,
    direction: Literal["in", "out"] = "in",
    status: Annotated[str, bounds.TextLimit(16)] = "",
    limit: bounds.PageLimit = 50,
    offset: bounds.PageOffset = 0,
) -> ReferralsOut:
    if status and status not in Referral.Status.values:
        status = "-"  # matches nothing
    rows = (
        selectors.referrals_in(request.user, status)
        if direction == "in"
        else selectors.referrals_out(request.user, status)
    )
    page = rows[offset : offset + limit]
    return ReferralsOut(
        items=[_out(v) for v in selectors.referral_views(request.user, page, limit)],
        count=rows.count(),
    )


@router.get("/services/referrals/{referral_id}", response=ReferralOut)
def get_referral(request: HttpRequest, referral_id: bounds.Id) -> ReferralOut:
    return _out(selectors.referral_get_for_user(request.user, referral_id))


@router.post(
    "/services/referrals/{referral_id}/answer", response=ReferralOut, summary="Answer or close a referral"
)
def answer_referral(request: HttpRequest, referral_id: bounds.Id, payload: AnswerIn) -> ReferralOut:
    referral = selectors.referral_get_for_user(request.user, referral_id).referral
    actor = request.user
    notes = payload.receiver_notes
    if payload.action == "accept":
        referrals.referral_accept(actor=actor, referral=referral, receiver_notes=notes)
    elif payload.action == "reject":
        referrals.referral_reject(
            actor=actor, referral=referral, reason=payload.rejection_reason, receiver_notes=notes
        )
    elif payload.action == "wait_list":
        referrals.referral_wait_list(actor=actor, referral=referral, receiver_notes=notes)
    elif payload.action == "start":
        referrals.referral_start(
            actor=actor, referral=referral, first_service_on=payload.first_service_on or timezone.localdate()
        )
    elif payload.action == "complete":
        delivery = (
            selectors.delivery_for_referral(actor, referral, payload.delivery_id)
            if payload.delivery_id
            else None
        )
        referrals.referral_complete(
            actor=actor,
            referral=referral,
            outcome=payload.outcome,
            delivery=delivery,
            delivered_on=payload.delivered_on,
            receiver_notes=notes,
        )
    else:
        referrals.referral_cancel(actor=actor, referral=referral)
    return _out(selectors.referral_get_for_user(request.user, referral_id))


@router.post(
    "/services/wait-list/position",
    response=PositionOut,
    auth=None,
    summary="A place on a wait list, by reference and birth date (no sign-in)",
)
def wait_list_position(request: HttpRequest, payload: PositionIn) -> PositionOut:
    rate_limit_request(request, per_address="wait_list_lookup_address")
    place = selectors.wait_list_position(payload.reference, payload.birth_date)
    return PositionOut(
        status=place.status,
        status_label=place.status_label,
        position=place.position,
        parked_until=place.parked_until,
        offer_expires_at=place.offer_expires_at,
        service=place.service_name,
    )
