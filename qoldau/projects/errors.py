"""Error codes of the projects app (projects, deliveries, events, impact). Shared refusals
and references to core's records are core's codes (`qoldau.core.errors`)."""

from qoldau.core.errors import ErrorCodeEnum


class ProjectErrorCode(ErrorCodeEnum):
    OUTSIDE_PROJECT_PERIOD = "outside_project_period"  # a delivery or event dated outside the project
    PERIOD_EXCLUDES_RECORDS = "period_excludes_records"  # a new period would leave records outside it
    PUBLIC_PERIOD_ONLY = "public_period_only"  # the public figures are by whole published periods only
