"""Error codes of the contests app (calls, applications, commissions, scoring, grants).
Shared refusals and references to core's records are core's codes (`qoldau.core.errors`);
a member who may not score an application they are connected to is refused with the
shared `conflict` (as the API has always answered)."""

from qoldau.core.errors import ErrorCodeEnum


class ContestErrorCode(ErrorCodeEnum):
    # Calls and applications.
    NOT_OPEN = "not_open"  # the regional stage has no dates yet, or applications open later
    DEADLINE_PASSED = "deadline_passed"
    NOT_ELIGIBLE_KIND = "not_eligible_kind"  # the applicant's kind of organisation may not apply
    REGION_NOT_ELIGIBLE = "region_not_eligible"  # the call does not fund the project's region
    FILE_SIZE = "file_size"  # an attached document over the size limit
    INCOMPLETE = "incomplete"  # an application submitted with parts missing
    SUBMITTED = "submitted"  # an application or report submitted already: it no longer changes
    NOT_SUBMITTED = "not_submitted"  # only a submitted application is checked, a submitted report reviewed
    NOT_ACTIVE = "not_active"  # the application left the contest
    BUDGET_BELOW_AWARDED = "budget_below_awarded"  # a call's budget below what it has awarded
    # Commissions and scoring.
    EXISTS = "exists"  # a commission or a report schedule set up already
    MEMBER_EXISTS = "member_exists"
    MEMBER_SCORED = "member_scored"  # a member who has scored is not removed
    ROLE_TAKEN = "role_taken"  # the commission has a chair (or secretary) already
    OUTSIDE_COMMISSION = "outside_commission"  # the user does not sit on the commission
    CONFLICT_EXISTS = "conflict_exists"  # a conflict of interest declared already
    NOT_ELIGIBLE = "not_eligible"  # only eligible applications are scored
    OUTSIDE_SCALE = "outside_scale"  # a score outside the commission's scale
    SCORING_STARTED = "scoring_started"  # the scale or the criteria no longer change
    SCORING_INCOMPLETE = "scoring_incomplete"  # ranking before every member scored every criterion
    NOTHING_TO_RANK = "nothing_to_rank"
    APPROVED = "approved"  # the commission's result is approved: scores no longer change
    # Grants.
    NOT_APPROVED = "not_approved"  # grants wait for the commission's approved ranking
    NOT_RANKED = "not_ranked"  # the application is not in the approved ranking
    ALREADY_AWARDED = "already_awarded"
    NO_MCI = "no_mci"  # no monthly calculation index for the day, so no amount in MCI
    BAND_AMOUNT = "band_amount"  # an amount outside the grant band
    BAND_DURATION = "band_duration"  # a project's length outside the grant band
    OVER_BUDGET = "over_budget"  # the award would overspend the call
    OVER_AWARD = "over_award"  # the tranches would exceed the grant
    ALREADY_PAID = "already_paid"  # a tranche paid already
