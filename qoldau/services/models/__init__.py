"""Social services (`../shared/domain/SERVICES.md`): the directory, capacity, referrals,
wait lists and the workforce. One module per area; everything is importable from here."""

from qoldau.services.models.directory import (
    CatalogueTerm,
    Location,
    Permit,
    PriorityTier,
    Provider,
    ProviderKind,
    RequiredDocument,
    Service,
    ServiceAtLocation,
)
from qoldau.services.models.flow import (
    Capacity,
    CapacityUnit,
    Enrolment,
    EnrolmentAttendance,
    Offer,
    PlannedCentre,
    Referral,
    WaitListEntry,
)
from qoldau.services.models.workforce import (
    SOCIAL_WORK_POSITIONS,
    Position,
    Training,
    TrainingTarget,
    Worker,
    WorkforceBonus,
)

__all__ = [
    "SOCIAL_WORK_POSITIONS",
    "Capacity",
    "CapacityUnit",
    "CatalogueTerm",
    "Enrolment",
    "EnrolmentAttendance",
    "Location",
    "Offer",
    "Permit",
    "PlannedCentre",
    "Position",
    "PriorityTier",
    "Provider",
    "ProviderKind",
    "Referral",
    "RequiredDocument",
    "Service",
    "ServiceAtLocation",
    "Training",
    "TrainingTarget",
    "WaitListEntry",
    "Worker",
    "WorkforceBonus",
]
