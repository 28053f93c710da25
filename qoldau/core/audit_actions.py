"""What the audit log's action codes mean, in words (issue 18: the log showed raw codes such
as `person.delivery_list` on a Kazakh page). The codes stay in the data, the API and the
exports; the page shows these words, and the code only for an action not listed here."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "access.barrier_report": _("A barrier reported"),
    "access.barrier_report_contact_view": _("A barrier reporter's contact read"),
    "access.barrier_report_handle": _("A barrier report handled"),
    "access.measure_complete": _("An adaptation measure completed"),
    "access.measure_plan": _("An adaptation measure planned"),
    "access.object_create": _("An object registered"),
    "access.object_update": _("An object changed"),
    "access.objects_import": _("Objects imported"),
    "access.passport_open": _("A passport draft opened"),
    "access.passport_save": _("A passport draft saved"),
    "access.passport_submit": _("A passport submitted"),
    "access.photo_add": _("A photo added"),
    "access.surveyor_assign": _("A surveyor assigned"),
    "access.surveyor_unassign": _("A surveyor unassigned"),
    "application.budget_set": _("An application's budget set"),
    "application.document_add": _("A document added to an application"),
    "application.document_read": _("An application's document read"),
    "application.document_remove": _("A document removed from an application"),
    "application.eligibility": _("An application's eligibility checked"),
    "application.read": _("An application read"),
    "application.start": _("An application started"),
    "application.submit": _("An application submitted"),
    "application.update": _("An application changed"),
    "application.withdraw": _("An application withdrawn"),
    "case.list": _("Cases listed"),
    "case.notes_read": _("A case's notes read"),
    "case.read": _("A case read"),
    "citizen.sign_up": _("A citizen signed up"),
    "commission.approve": _("A commission's result approved"),
    "commission.conflict_declare": _("A conflict of interest declared"),
    "commission.create": _("A commission created"),
    "commission.member_add": _("A commission member added"),
    "commission.member_remove": _("A commission member removed"),
    "commission.scale_set": _("A commission's scale set"),
    "commission.score": _("Scores given"),
    "consent.withdraw": _("Consent withdrawn"),
    "consult.article_edit": _("A knowledge article edited"),
    "consult.coverage_add": _("A consultation region added"),
    "consult.coverage_remove": _("A consultation region removed"),
    "consultation.close": _("A conversation closed"),
    "consultation.read": _("A conversation read"),
    "consultation.reply": _("A consultant replied"),
    "consultation.take": _("A conversation taken"),
    "contest.advance": _("Winners advanced to the next stage"),
    "contest.create": _("A contest created"),
    "contest.criteria_set": _("A contest's criteria set"),
    "contest.stage_set": _("A contest's stage set"),
    "contest.update": _("A contest changed"),
    "delivery.record": _("A delivery recorded"),
    "delivery.record_consultation": _("A consultation recorded as a delivery"),
    "event.attendance_add": _("Attendance added to an event"),
    "event.employers_set": _("An event's employers set"),
    "event.record": _("An event recorded"),
    "fair.registrations": _("A fair's registrations read"),
    "grant.award": _("A grant awarded"),
    "grant.project_link": _("A grant linked to its project"),
    "grant.report_review": _("A grantee's report reviewed"),
    "grant.report_schedule": _("A grantee's reports scheduled"),
    "grant.report_submit": _("A grantee's report submitted"),
    "grant.tranche_pay": _("A tranche paid"),
    "grant.tranche_plan": _("Tranches planned"),
    "grant_call.create": _("A grant call created"),
    "grant_call.update": _("A grant call changed"),
    "imports.deliveries": _("Deliveries imported"),
    "indicator.create": _("An indicator created"),
    "indicator.period_set": _("An indicator's target and actual set"),
    "job.start": _("A background job started"),
    "job.worker_lost": _("A background job's worker lost"),
    "jobs.staff_reports_import": _("Staff reports imported"),
    "jobs.vacancies_import": _("Vacancies imported"),
    "occupations.import": _("Occupations imported"),
    "organisation.create": _("An organisation created"),
    "organisation.update": _("An organisation changed"),
    "person.attendance_list": _("A person's attendance listed"),
    "person.category_add": _("A person's category added"),
    "person.category_end": _("A person's category ended"),
    "person.citizen_link": _("A person linked to a citizen's account"),
    "person.create": _("A person registered"),
    "person.create_by_citizen": _("A citizen registered themselves"),
    "person.delivery_list": _("A person's services listed"),
    "person.iin_confirm": _("A person's IIN confirmed"),
    "person.lookup": _("A person looked up by IIN"),
    "person.search_result": _("People found by a search"),
    "person.update": _("A person's record changed"),
    "person.view": _("A person's record read"),
    "places.import_kato": _("Places imported from KATO"),
    "project.create": _("A project created"),
    "project.update": _("A project changed"),
    "proposal.create": _("A vacancy proposed to a job seeker"),
    "quota.exempt": _("An employer exempted from the quota"),
    "role.assign": _("A role assigned"),
    "role.revoke": _("A role revoked"),
    "seeker.list_self_registered": _("Self-registered job seekers listed"),
    "seeker.match": _("Vacancies matched to a job seeker"),
    "seeker.read": _("A job seeker's record read"),
    "seeker.register": _("A job seeker registered"),
    "seeker.sent_read": _("A job seeker sent to an employer read"),
    "seeker.status": _("A job seeker's status changed"),
    "seeker.update": _("A job seeker's record changed"),
    "seeker.update_by_citizen": _("A citizen changed their job seeker record"),
    "staff_report.record": _("A staff report recorded"),
    "token.create": _("An API token created"),
    "token.revoke": _("An API token revoked"),
    "vacancy.post": _("A vacancy posted"),
    "vacancy.status": _("A vacancy's status changed"),
    "vacancy.update": _("A vacancy changed"),
}


def action_label(code: str) -> str:
    """The action in words in the active language, or the code itself where none is known."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


# The channels an entry came through (`core.audit`'s contexts).
CHANNEL_LABELS: dict[str, Promise] = {
    "web": _("Web site"),
    "api": _("API"),
    "cli": _("Command line"),
    "system": _("System"),
    "telegram": _("Telegram bot"),
}


def channel_label(code: str) -> str:
    label = CHANNEL_LABELS.get(code)
    return str(label) if label is not None else code
