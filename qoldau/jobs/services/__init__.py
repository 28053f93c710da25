"""Every write of employment, one module per area. Each service runs in one transaction,
checks who may do it (`qoldau.jobs.policy`) before anything else, then the domain's rules
(raising ApplicationError and changing nothing), and writes its audit row. Callers import
the package: `from qoldau.jobs import services`."""

from qoldau.jobs.services.catalogues import OccupationRow, OccupationsImportResult, occupations_import
from qoldau.jobs.services.coaching import (
    PlacementInput,
    case_close,
    case_note_add,
    case_open,
    case_reassign,
    case_update,
    coaching_session_link,
    coaching_session_record,
    follow_up_record,
    placement_end,
    placement_record,
)
from qoldau.jobs.services.fairs import (
    FairInput,
    fair_attendance_record,
    fair_create,
    fair_employers_attended,
    fair_from_event,
    fair_register_employer,
    fair_register_seeker,
    interview_record,
    interview_slot_book,
    interview_slots_add,
    referral_outcome_record,
    referral_record,
)
from qoldau.jobs.services.proposals import (
    assess_pair,
    proposal_advance,
    proposal_agree,
    proposal_create,
    proposal_decline,
    proposal_send,
)
from qoldau.jobs.services.quota import quota_exemption_record, quota_sanction_record, staff_report_record
from qoldau.jobs.services.reminders import follow_up_reminders_send
from qoldau.jobs.services.seekers import (
    SeekerInput,
    seeker_register,
    seeker_register_person,
    seeker_set_status,
    seeker_update,
)
from qoldau.jobs.services.vacancies import VacancyInput, vacancy_post, vacancy_set_status, vacancy_update

__all__ = [
    "FairInput",
    "OccupationRow",
    "OccupationsImportResult",
    "PlacementInput",
    "SeekerInput",
    "VacancyInput",
    "assess_pair",
    "case_close",
    "case_note_add",
    "case_open",
    "case_reassign",
    "case_update",
    "coaching_session_link",
    "coaching_session_record",
    "fair_attendance_record",
    "fair_create",
    "fair_employers_attended",
    "fair_from_event",
    "fair_register_employer",
    "fair_register_seeker",
    "follow_up_record",
    "follow_up_reminders_send",
    "interview_record",
    "interview_slot_book",
    "interview_slots_add",
    "occupations_import",
    "placement_end",
    "placement_record",
    "proposal_advance",
    "proposal_agree",
    "proposal_create",
    "proposal_decline",
    "proposal_send",
    "quota_exemption_record",
    "quota_sanction_record",
    "referral_outcome_record",
    "referral_record",
    "seeker_register",
    "seeker_register_person",
    "seeker_set_status",
    "seeker_update",
    "staff_report_record",
    "vacancy_post",
    "vacancy_set_status",
    "vacancy_update",
]
