"""The pipeline from a vacancy proposed to a seeker to hired or declined. A coach proposes
(never against the hard rules of `matching`), the seeker agrees, the coach sends them to
the employer; the employer's staff then record the interview, the offer and the hire, and
either side may decline with a reason."""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core import services as core_services
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.jobs import matching, policy, profiles, rules
from qoldau.jobs.errors import JobsErrorCode
from qoldau.jobs.models import Proposal, Seeker, Vacancy, WorkingCondition


def assess_pair(seeker: Seeker, vacancy: Vacancy) -> matching.Fit | matching.Barriers:
    """The fit of one vacancy for one seeker, or what keeps it from them."""
    seeker_profile = profiles.seeker_profiles(Seeker.objects.filter(pk=seeker.pk))[seeker.pk]
    vacancy_profile = profiles.vacancy_profiles(Vacancy.objects.filter(pk=vacancy.pk))[vacancy.pk]
    return matching.assess(seeker_profile, vacancy_profile, profiles.coverage())


def _refuse_barriers(barriers: matching.Barriers) -> NoReturn:
    """The refusal of a proposal a hard rule forbids, naming what breaks it (to the coach,
    who sees the seeker's record)."""
    if barriers.contraindicated:
        names = ", ".join(c.name for c in WorkingCondition.objects.filter(pk__in=barriers.contraindicated))
        raise ValidationFailed(
            _("The vacancy has working conditions the person's ИПАР rules out: %(conditions)s."),
            field="vacancy",
            code=JobsErrorCode.CONTRAINDICATED,
            params={"conditions": names},
        )
    raise ValidationFailed(
        _(
            "The workplace is not accessible for category %(categories)s, and the employer offers "
            "no accommodation that makes it so."
        ),
        field="vacancy",
        code=JobsErrorCode.NOT_ACCESSIBLE,
        params={"categories": ", ".join(sorted(barriers.inaccessible))},
    )


def _day(day: dt.date | None, field: str) -> dt.date:
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ValidationFailed(_("The date is in the future."), field=field)
    return day


def proposal_create(*, actor: Actor, seeker: Seeker, vacancy: Vacancy) -> Proposal:
    """Propose an open vacancy to an active seeker the user works with. A vacancy a hard
    rule keeps from the seeker (a contraindicated condition, a workplace not accessible for
    a category they need) is refused; the proposal keeps why it fits and what it needs."""
    policy.check_may_work_with_seeker(actor, seeker)
    policy.check_may_see_vacancy(actor, vacancy)
    if vacancy.status != Vacancy.Status.OPEN:
        raise ValidationFailed(
            _("Only an open vacancy can be proposed."), field="vacancy", code=JobsErrorCode.VACANCY_NOT_OPEN
        )
    if seeker.status != Seeker.Status.ACTIVE:
        raise ValidationFailed(
            _("The person is not looking for work now: mark them as looking first."),
            field="seeker",
            code=JobsErrorCode.SEEKER_NOT_ACTIVE,
        )
    fit = assess_pair(seeker, vacancy)
    if isinstance(fit, matching.Barriers):
        _refuse_barriers(fit)
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    seeker=seeker,
                    vacancy=vacancy,
                    score=fit.score,
                    reasons=[reason.as_json() for reason in fit.reasons],
                    needs=fit.needs_json(),
                    proposed_by=core_services.acting_user(actor),
                )
        except IntegrityError:
            raise Conflict(
                _("This vacancy is already proposed to the person."),
                field="vacancy",
                code=ErrorCode.DUPLICATE,
            ) from None
        audit_record(
            actor,
            "proposal.create",
            object_type="proposal",
            object_id=proposal.pk,
            person_id=seeker.person_id,
            organisation_id=seeker.person.organisation_id,
            details={"vacancy": vacancy.pk, "score": fit.score},
        )
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    """The proposal read again under a lock, so that two people moving it at once take
    turns and the second sees the first's move."""
    return (
        Proposal.objects.select_for_update().select_related("seeker__person", "vacancy").get(pk=proposal.pk)
    )


def _wrong_state(proposal: Proposal) -> Conflict:
    return Conflict(
        _("The proposal is %(state)s; this step does not follow from there."),
        field="state",
        code=JobsErrorCode.INVALID_TRANSITION,
        params={"state": Proposal.State(proposal.state).label},
    )


def _audit(actor: Actor, proposal: Proposal, action: str, **details: object) -> None:
    audit_record(
        actor,
        action,
        object_type="proposal",
        object_id=proposal.pk,
        person_id=proposal.seeker.person_id,
        details={"state": proposal.state, **details},
    )


def proposal_agree(*, actor: Actor, proposal: Proposal, agreed_on: dt.date | None = None) -> Proposal:
    """Record that the seeker agrees to be put forward for the vacancy: they say so
    through their own account, or the staff serving them record it."""
    policy.check_may_answer_for_seeker(actor, proposal)
    day = _day(agreed_on, "agreed_on")
    with transaction.atomic(durable=True):
        proposal = _locked(proposal)
        if proposal.state != Proposal.State.PROPOSED or proposal.seeker_agreed_on is not None:
            raise _wrong_state(proposal)
        if day < timezone.localdate(proposal.created_at):
            raise ValidationFailed(
                _("The seeker cannot agree before the vacancy was proposed."), field="agreed_on"
            )
        core_services.save_versioned(proposal, proposal.version, {"seeker_agreed_on": day})
        _audit(actor, proposal, "proposal.agree")
    return proposal


def proposal_send(*, actor: Actor, proposal: Proposal, sent_on: dt.date | None = None) -> Proposal:
    """Send the seeker to the employer: from now on the employer's staff see the proposal
    and the seeker. Refused before the seeker agreed, for a vacancy no longer open, and
    when the vacancy changed since so that a hard rule now keeps it from the seeker, and
    for a seeker who registered themselves whose IIN the staff have not confirmed."""
    policy.check_may_coach_proposal(actor, proposal)
    day = _day(sent_on, "sent_on")
    with transaction.atomic(durable=True):
        proposal = _locked(proposal)
        if proposal.state != Proposal.State.PROPOSED:
            raise _wrong_state(proposal)
        if proposal.seeker_agreed_on is None:
            raise ValidationFailed(
                _("The seeker has not agreed yet: record their agreement first."),
                field="state",
                code=JobsErrorCode.NOT_AGREED,
            )
        if day < proposal.seeker_agreed_on:
            raise ValidationFailed(_("The seeker cannot be sent before they agreed."), field="sent_on")
        if proposal.vacancy.status != Vacancy.Status.OPEN:
            raise ValidationFailed(
                _("The vacancy is no longer open."), field="vacancy", code=JobsErrorCode.VACANCY_NOT_OPEN
            )
        if core_selectors.iin_to_confirm([proposal.seeker.person_id]):
            # An employer meets only people whose identity the organisation has checked.
            raise ValidationFailed(
                _(
                    "The person registered themselves and their IIN is not confirmed yet: "
                    "confirm it against their identity document first."
                ),
                field="state",
                code=JobsErrorCode.IIN_NOT_CONFIRMED,
            )
        fit = assess_pair(proposal.seeker, proposal.vacancy)
        if isinstance(fit, matching.Barriers):
            _refuse_barriers(fit)
        core_services.save_versioned(
            proposal, proposal.version, {"state": Proposal.State.SENT, "sent_on": day}
        )
        _audit(actor, proposal, "proposal.send")
    return proposal


# The employer's steps, and where each may come from.
EMPLOYER_STEPS = {
    Proposal.State.INTERVIEW: {Proposal.State.SENT},
    Proposal.State.OFFER: {Proposal.State.SENT, Proposal.State.INTERVIEW},
    Proposal.State.HIRED: {Proposal.State.OFFER},
}


def proposal_advance(*, actor: Actor, proposal: Proposal, state: str) -> Proposal:
    """The employer's staff record the interview, the offer, or the hire."""
    policy.check_may_answer_proposal(actor, proposal)
    if state not in EMPLOYER_STEPS:
        raise ValidationFailed(_("Unknown step of a proposal."), field="state", code=ErrorCode.INVALID_CHOICE)
    with transaction.atomic(durable=True):
        proposal = _locked(proposal)
        if proposal.state not in EMPLOYER_STEPS[Proposal.State(state)]:
            raise _wrong_state(proposal)
        core_services.save_versioned(proposal, proposal.version, {"state": state})
        _audit(actor, proposal, "proposal.advance")
    return proposal


def proposal_decline(*, actor: Actor, proposal: Proposal, side: str, reason: str, note: str = "") -> Proposal:
    """Either side says no: the seeker (themselves, or recorded by their organisation's staff) at any
    step, the employer once the seeker was sent. A hired or declined proposal stays so."""
    if side == Proposal.Side.SEEKER:
        policy.check_may_answer_for_seeker(actor, proposal)
    elif side == Proposal.Side.EMPLOYER:
        policy.check_may_answer_proposal(actor, proposal)
    else:
        raise ValidationFailed(
            _("Say who declined: the seeker or the employer."), field="side", code=ErrorCode.INVALID_CHOICE
        )
    if reason not in Proposal.DeclineReason.values:
        raise ValidationFailed(
            _("Choose why it was declined."), field="reason", code=ErrorCode.INVALID_CHOICE
        )
    note = rules.bounded(bounds.Note, note, "note")
    with transaction.atomic(durable=True):
        proposal = _locked(proposal)
        if proposal.state in {Proposal.State.HIRED, Proposal.State.DECLINED}:
            raise _wrong_state(proposal)
        core_services.save_versioned(
            proposal,
            proposal.version,
            {
                "state": Proposal.State.DECLINED,
                "declined_by": side,
                "decline_reason": reason,
                "decline_note": note,
            },
        )
        _audit(actor, proposal, "proposal.decline", side=side, reason=reason)
    return proposal
