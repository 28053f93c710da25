"""Error codes of the services app (directory, capacity, referrals, wait lists and the
workforce). Shared refusals and references to core's records are core's codes
(`qoldau.core.errors`)."""

from qoldau.core.errors import ErrorCodeEnum


class ServicesErrorCode(ErrorCodeEnum):
    # A referral's, an offer's or a wait-list entry's next step does not follow from its state
    # (not `invalid_transition`, which the jobs app declares for its own records).
    NOT_IN_THAT_STATE = "not_in_that_state"
    # More people enrolled than the service has places on the day.
    OVER_CAPACITY = "over_capacity"
    # A capacity below the people enrolled on its first day.
    CAPACITY_BELOW_ENROLMENTS = "capacity_below_enrolments"
    # The offer's deadline passed before it was accepted.
    OFFER_EXPIRED = "offer_expired"
    # A referral without the person's consent to it.
    NO_CONSENT = "no_consent"
    # The service's eligibility (ages, categories) excludes the person (not the contests'
    # `not_eligible`, which is about applications).
    ELIGIBILITY_EXCLUDES = "eligibility_excludes"
    # A permit or a period that ends before it starts.
    ENDS_BEFORE_START = "ends_before_start"
    # "Completed: served" without the delivery it produced.
    DELIVERY_REQUIRED = "delivery_required"
    # The person is already on the service's wait list or enrolled in it.
    ALREADY_WAITING = "already_waiting"
    ALREADY_ENROLLED = "already_enrolled"
    # A service that is not active takes no referrals or enrolments.
    SERVICE_NOT_ACTIVE = "service_not_active"
    # A person who is not the provider's own record (the receiving side works on its own).
    NOT_PROVIDERS_PERSON = "not_providers_person"
    # A service without a capacity on the day has no places to enrol into.
    NO_CAPACITY = "no_capacity"
    # An open referral of the same person to the same service already exists.
    ALREADY_REFERRED = "already_referred"
    # A training the worker completed after they left.
    TRAINED_AFTER_LEAVING = "trained_after_leaving"
    # A worker who has already left, or a day in the future.
    ALREADY_LEFT = "already_left"
