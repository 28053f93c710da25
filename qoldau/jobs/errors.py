"""Error codes of the jobs app (seekers, vacancies, proposals, coaching, placements and
the employment quota). Shared refusals and references to core's records are core's codes
(`qoldau.core.errors`)."""

from qoldau.core.errors import ErrorCodeEnum


class JobsErrorCode(ErrorCodeEnum):
    BEFORE_VACANCY_OPENED = "before_vacancy_opened"
    BELOW_MINIMUM_WAGE = "below_minimum_wage"
    CASE_CLOSED = "case_closed"
    CASELOAD_FULL = "caseload_full"
    CONTRAINDICATED = "contraindicated"
    EXEMPT = "exempt"
    FINE_OUT_OF_RANGE = "fine_out_of_range"
    HAZARDOUS_ABOVE_HEADCOUNT = "hazardous_above_headcount"
    HEADCOUNT_BELOW_FILLED = "headcount_below_filled"
    INVALID_TRANSITION = "invalid_transition"
    LEFT_NEEDS_DATE = "left_needs_date"
    NO_MINIMUM_WAGE = "no_minimum_wage"
    NO_SERVICE = "no_service"
    NO_STAFF_REPORT = "no_staff_report"
    NO_WARNING = "no_warning"
    NOT_A_JOB_COACH = "not_a_job_coach"
    NOT_ACCESSIBLE = "not_accessible"
    NOT_AGREED = "not_agreed"
    PLACEMENT_ENDED = "placement_ended"
    QUOTA_FILLED = "quota_filled"
    SEEKER_NOT_ACTIVE = "seeker_not_active"
    TOO_EARLY = "too_early"
    UNKNOWN_CODE = "unknown_code"
    UNKNOWN_OBJECT = "unknown_object"
    UNKNOWN_PROGRAMME = "unknown_programme"
    VACANCY_NOT_OPEN = "vacancy_not_open"
    WARNING_HAS_NO_FINE = "warning_has_no_fine"
    WRONG_EMPLOYER = "wrong_employer"
    WRONG_PROJECT = "wrong_project"
    # A seeker who registered themselves is sent to no employer before their IIN is confirmed.
    IIN_NOT_CONFIRMED = "iin_not_confirmed"
    # A citizen registers only with an organisation that offers employment support.
    NO_EMPLOYMENT_SUPPORT = "no_employment_support"
    NOT_COACHING = (
        "not_coaching"  # a delivery linked as a session that is not the person's employment support
    )
    # Job fairs.
    NOT_A_JOB_FAIR = "not_a_job_fair"  # a fair made of an event of another kind
    FAIR_OVER = "fair_over"  # registering for a fair whose day has passed
    FAIR_NOT_HELD = "fair_not_held"  # attendance or an interview recorded before the fair's day
    NOT_REGISTERED = "not_registered"  # attendance, a slot or a referral of someone not registered
    NOT_ATTENDED = "not_attended"  # an interview of a person who did not come to the fair
    EMPLOYER_ABSENT = "employer_absent"  # an interview at the table of an employer that did not come
    NOT_INTERVIEWED = "not_interviewed"  # a referral by an employer that did not interview the person
    SLOT_TAKEN = "slot_taken"  # the slot is booked, or the person is at another table then
