"""Error codes of the access app (objects, passports, measures, the map). Shared refusals
(`required`, `invalid_choice`, ...) and references to core's records are core's codes
(`qoldau.core.errors`)."""

from qoldau.core.errors import ErrorCodeEnum


class AccessErrorCode(ErrorCodeEnum):
    # Objects.
    DUPLICATE_REGISTER_NUMBER = "duplicate_register_number"  # another object of the region has it
    INVALID_COORDINATES = "invalid_coordinates"  # latitude or longitude is not a number
    OUTSIDE_KAZAKHSTAN = "outside_kazakhstan"  # the point lies outside the country
    PHOTO_TOO_LARGE = "photo_too_large"
    NOT_A_SURVEYOR = "not_a_surveyor"  # a survey assigned to a user who is no surveyor
    # Passports.
    UNKNOWN_ITEM = "unknown_item"  # a checklist item the checklist does not have
    INVALID_MEASUREMENT = "invalid_measurement"  # not a number, or out of the item's range
    MEASUREMENT_CONTRADICTS_RESULT = "measurement_contradicts_result"  # "met" with a failing measurement
    PASSPORT_SUBMITTED = "passport_submitted"  # a submitted passport never changes
    PASSPORT_INCOMPLETE = "passport_incomplete"  # submitted with items or zones left open
    # Measures (the plan of adaptations).
    MEASURE_DONE = "measure_done"
    MEASURE_NOT_PLANNED = "measure_not_planned"  # only a planned measure is completed
    INVALID_COST = "invalid_cost"  # not a sum of tenge, zero or more
    # The map.
    INVALID_BBOX = "invalid_bbox"  # the bounding box is not four numbers west,south,east,north
    INVALID_CATEGORY = "invalid_category"  # a people category letter other than К, О, С, Г, У
