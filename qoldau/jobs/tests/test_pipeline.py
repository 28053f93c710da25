"""The pipeline of a proposal: proposed → (the seeker agrees) → sent → interview → offer →
hired, or declined with a reason by either side; each step by whom the policy allows, in
order, and a refused step changes nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from qoldau.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from qoldau.core.models import AuditEntry
from qoldau.jobs import selectors, services
from qoldau.jobs.models import Proposal
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return f.scene(buildings=False)


def en(error: ApplicationError) -> str:
    with translation.override("en"):
        return error.render()


def _unchanged(proposal: Proposal, call) -> ApplicationError:
    before = Proposal.objects.values().get(pk=proposal.pk)
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        call()
    assert Proposal.objects.values().get(pk=proposal.pk) == before
    return caught.value


def test_a_proposal_goes_from_the_coach_through_the_seeker_to_the_employer_and_a_hire(s):
    coach, employer = s["centre.coach"], s["employer.a"]
    person = f.seeker(coach, s.centre)
    job = f.vacancy(employer, s.employer_a)
    proposal = services.proposal_create(actor=coach, seeker=person, vacancy=job)
    assert proposal.state == "proposed"
    assert proposal.reasons
    assert proposal.needs == {"offered": [], "to_arrange": [], "covering": {}}
    # Not sent yet: the employer sees neither the proposal nor the seeker.
    assert list(selectors.seekers_sent_to_employer(employer, s.employer_a)) == []
    assert list(selectors.proposals_of_vacancy(employer, job)) == []
    error = _unchanged(proposal, lambda: services.proposal_send(actor=coach, proposal=proposal))
    assert (error.code, en(error)) == (
        "not_agreed",
        "The seeker has not agreed yet: record their agreement first.",
    )
    proposal = services.proposal_agree(actor=coach, proposal=proposal)
    proposal = services.proposal_send(actor=coach, proposal=proposal)
    assert proposal.state == "sent"
    assert list(selectors.seekers_sent_to_employer(employer, s.employer_a)) == [person]
    assert list(selectors.proposals_of_vacancy(employer, job)) == [proposal]
    # The coach does not answer for the employer, nor the employer for the seeker.
    assert isinstance(
        _unchanged(
            proposal, lambda: services.proposal_advance(actor=coach, proposal=proposal, state="interview")
        ),
        PermissionDenied,
    )
    error = _unchanged(
        proposal,
        lambda: services.proposal_decline(actor=employer, proposal=proposal, side="seeker", reason="pay"),
    )
    assert isinstance(error, PermissionDenied)
    # The hire comes only after an offer.
    error = _unchanged(
        proposal, lambda: services.proposal_advance(actor=employer, proposal=proposal, state="hired")
    )
    assert isinstance(error, Conflict)
    assert en(error) == "The proposal is Sent to the employer; this step does not follow from there."
    for state in ("interview", "offer", "hired"):
        proposal = services.proposal_advance(actor=employer, proposal=proposal, state=state)
        assert proposal.state == state
    # A hired proposal stays hired.
    error = _unchanged(
        proposal,
        lambda: services.proposal_decline(actor=employer, proposal=proposal, side="employer", reason="other"),
    )
    assert isinstance(error, Conflict)
    actions = list(
        AuditEntry.objects.filter(object_type="proposal", object_id=str(proposal.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "proposal.create",
        "proposal.agree",
        "proposal.send",
        "proposal.advance",
        "proposal.advance",
        "proposal.advance",
    ]


def test_either_side_declines_with_a_reason(s):
    coach, employer = s["centre.coach"], s["employer.a"]
    job = f.vacancy(employer, s.employer_a)
    first = services.proposal_create(actor=coach, seeker=f.seeker(coach, s.centre), vacancy=job)
    first = services.proposal_decline(
        actor=coach, proposal=first, side="seeker", reason="location", note="Жол қолжетімсіз."
    )
    assert (first.state, first.declined_by, first.decline_reason) == ("declined", "seeker", "location")
    second = f.sent_proposal(s, f.seeker(coach, s.centre), job)
    second = services.proposal_decline(actor=employer, proposal=second, side="employer", reason="skills")
    assert (second.state, second.declined_by) == ("declined", "employer")
    # A declined vacancy may be proposed again later (the old proposal stays declined).
    again = services.proposal_create(actor=coach, seeker=first.seeker, vacancy=job)
    assert again.state == "proposed"


def test_bad_steps_are_refused_with_a_clear_reason_and_change_nothing(s):
    coach, employer = s["centre.coach"], s["employer.a"]
    person = f.seeker(coach, s.centre)
    job = f.vacancy(employer, s.employer_a)
    proposal = services.proposal_create(actor=coach, seeker=person, vacancy=job)
    with translation.override("en"), pytest.raises(Conflict) as caught:
        services.proposal_create(actor=coach, seeker=person, vacancy=job)
    assert en(caught.value) == "This vacancy is already proposed to the person."
    assert Proposal.objects.count() == 1
    error = _unchanged(
        proposal,
        lambda: services.proposal_decline(actor=coach, proposal=proposal, side="seeker", reason="boredom"),
    )
    assert (error.field, en(error)) == ("reason", "Choose why it was declined.")
    error = _unchanged(
        proposal,
        lambda: services.proposal_decline(
            actor=coach, proposal=proposal, side="seeker", reason="other", note="x" * 301
        ),
    )
    assert (error.field, en(error)) == ("note", "The text is longer than 300 characters.")
    draft = f.vacancy(employer, s.employer_a, draft=True)
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        services.proposal_create(actor=coach, seeker=f.seeker(coach, s.centre), vacancy=draft)
    # A draft is not even visible to the coach: not found, as for none.
    assert caught.value.code == "not_found"
    # An administrator sees it, and is told it is not open.
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.proposal_create(actor=s["sysadmin"], seeker=person, vacancy=draft)
    assert (caught.value.code, en(caught.value)) == (
        "vacancy_not_open",
        "Only an open vacancy can be proposed.",
    )
    # The employer's staff cannot propose from the pool they do not see.
    with pytest.raises(ApplicationError) as caught:
        services.proposal_create(actor=employer, seeker=person, vacancy=job)
    assert caught.value.status == 404
    assert Proposal.objects.count() == 1


def test_a_closed_vacancy_can_no_longer_be_sent(s):
    coach, employer = s["centre.coach"], s["employer.a"]
    job = f.vacancy(employer, s.employer_a)
    proposal = services.proposal_agree(
        actor=coach,
        proposal=services.proposal_create(actor=coach, seeker=f.seeker(coach, s.centre), vacancy=job),
    )
    services.vacancy_set_status(actor=employer, vacancy=job, status="closed")
    error = _unchanged(proposal, lambda: services.proposal_send(actor=coach, proposal=proposal))
    assert (error.code, en(error)) == ("vacancy_not_open", "The vacancy is no longer open.")
