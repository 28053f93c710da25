"""The employment quota's records: an employer's staff reports, and the exemptions,
warnings and fines an akimat records (`quota.py` computes what is required and filled)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.contests.mci import mci_on
from qoldau.core import bounds
from qoldau.core import services as core_services
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.core.models import Organisation
from qoldau.core.transactions import check_in_transaction
from qoldau.jobs import figures, policy, quota, rules
from qoldau.jobs.errors import JobsErrorCode
from qoldau.jobs.models import QuotaExemption, QuotaSanction, StaffReport


def staff_report_record(
    *,
    actor: Actor,
    employer: Organisation,
    as_of: dt.date,
    headcount: int,
    hazardous_jobs: int = 0,
    employees_with_disabilities: int = 0,
) -> StaffReport:
    """Record an employer's staff on a day: its headcount, its jobs in heavy, harmful or
    hazardous work, and its employees with disabilities. Refused when either count is
    above the headcount, for a day in the future, and for a day already reported."""
    with transaction.atomic(durable=True):
        return staff_report_record_in_transaction(
            actor=actor,
            employer=employer,
            as_of=as_of,
            headcount=headcount,
            hazardous_jobs=hazardous_jobs,
            employees_with_disabilities=employees_with_disabilities,
        )


def staff_report_record_in_transaction(
    *,
    actor: Actor,
    employer: Organisation,
    as_of: dt.date,
    headcount: int,
    hazardous_jobs: int = 0,
    employees_with_disabilities: int = 0,
) -> StaffReport:
    """`staff_report_record` inside the caller's transaction (an import writes a file of
    reports in one)."""
    check_in_transaction()
    policy.check_may_report_staff_of(actor, employer)
    rules.check_staff_report(
        as_of=as_of,
        headcount=headcount,
        hazardous_jobs=hazardous_jobs,
        employees_with_disabilities=employees_with_disabilities,
    )
    try:
        with transaction.atomic():
            report = StaffReport.objects.create(
                employer=employer,
                as_of=as_of,
                headcount=headcount,
                hazardous_jobs=hazardous_jobs,
                employees_with_disabilities=employees_with_disabilities,
                recorded_by=core_services.acting_user(actor),
            )
    except IntegrityError:
        raise Conflict(
            _("The employer's staff on %(date)s are already reported."),
            field="as_of",
            code=ErrorCode.DUPLICATE,
            params={"date": as_of.isoformat()},
        ) from None
    audit_record(
        actor,
        "staff_report.record",
        object_type="staff_report",
        object_id=report.pk,
        organisation_id=employer.pk,
        details={"headcount": headcount, "year": as_of.year},
    )
    return report


def staff_report_record_for_year(
    *,
    actor: Actor,
    employer: Organisation,
    year: int,
    headcount: int,
    hazardous_jobs: int = 0,
    employees_with_disabilities: int = 0,
    as_of: dt.date | None = None,
) -> StaffReport:
    """Report an employer's staff for a year (the employer's page): as of the day given in
    that year, else the year's last day, or today for the current year
    (`rules.staff_report_day`). A year to come is refused."""
    policy.check_may_report_staff_of(actor, employer)
    day = rules.staff_report_day(year, as_of)
    return staff_report_record(
        actor=actor,
        employer=employer,
        as_of=day,
        headcount=headcount,
        hazardous_jobs=hazardous_jobs,
        employees_with_disabilities=employees_with_disabilities,
    )


def quota_exemption_record(
    *, actor: Actor, employer: Organisation, year: int, reason: str, note: str = ""
) -> QuotaExemption:
    """Leave an employer out of the quota for a year, with the reason in law."""
    policy.check_may_enforce_quota_of(actor, employer)
    rules.bounded(bounds.Year, year, "year")
    if reason not in QuotaExemption.Reason.values:
        raise ValidationFailed(
            _("Choose the reason for the exemption."), field="reason", code=ErrorCode.INVALID_CHOICE
        )
    text = rules.bounded(bounds.Note, note, "note")
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                exemption = QuotaExemption.objects.create(
                    employer=employer,
                    year=year,
                    reason=reason,
                    note=text,
                    recorded_by=core_services.acting_user(actor),
                )
        except IntegrityError:
            raise Conflict(
                _("The employer is already exempt for %(year)s."),
                field="year",
                code=ErrorCode.DUPLICATE,
                params={"year": year},
            ) from None
        audit_record(
            actor,
            "quota.exempt",
            object_type="quota_exemption",
            object_id=exemption.pk,
            organisation_id=employer.pk,
            details={"year": year, "reason": reason},
        )
    return exemption


def quota_sanction_record(
    *,
    actor: Actor,
    employer: Organisation,
    year: int,
    kind: str,
    issued_on: dt.date,
    fine_mci: int | None = None,
    note: str = "",
) -> QuotaSanction:
    """Record a warning or a fine for an unfilled quota. Refused for an employer that fills
    its quota or is exempt that year; a fine is 5 to 10 MCI, follows a warning issued within
    the year before, and is turned into tenge with the MCI in force on the day it is issued."""
    policy.check_may_enforce_quota_of(actor, employer)
    rules.bounded(bounds.Year, year, "year")
    rules.bounded(bounds.RecordDate, issued_on, "issued_on")
    if kind not in QuotaSanction.Kind.values:
        raise ValidationFailed(_("Choose a warning or a fine."), field="kind", code=ErrorCode.INVALID_CHOICE)
    if issued_on > timezone.localdate():
        raise ValidationFailed(_("The date is in the future."), field="issued_on")
    text = rules.bounded(bounds.Note, note, "note")
    found = figures.compliance_of(Organisation.objects.filter(pk=employer.pk), year)
    if not found:
        raise ValidationFailed(
            _("The employer has not reported its staff for %(year)s: its quota is not known."),
            field="year",
            code=JobsErrorCode.NO_STAFF_REPORT,
            params={"year": year},
        )
    standing = found[0]
    if standing.exemption:
        raise ValidationFailed(
            _("The employer is exempt from the quota for %(year)s."),
            field="year",
            code=JobsErrorCode.EXEMPT,
            params={"year": year},
        )
    if standing.shortfall == 0:
        raise ValidationFailed(
            _("The employer fills its quota for %(year)s: there is nothing to sanction."),
            field="year",
            code=JobsErrorCode.QUOTA_FILLED,
            params={"year": year},
        )
    amount = None
    if kind == QuotaSanction.Kind.FINE:
        if fine_mci is None or not quota.FINE_MCI_LOW <= fine_mci <= quota.FINE_MCI_HIGH:
            raise ValidationFailed(
                _("A fine is from %(low)s to %(high)s MCI."),
                field="fine_mci",
                code=JobsErrorCode.FINE_OUT_OF_RANGE,
                params={"low": quota.FINE_MCI_LOW, "high": quota.FINE_MCI_HIGH},
            )
        warned = QuotaSanction.objects.filter(
            employer=employer,
            kind=QuotaSanction.Kind.WARNING,
            issued_on__lte=issued_on,
            issued_on__gte=issued_on - dt.timedelta(days=quota.REPEAT_WITHIN_DAYS),
        ).exists()
        if not warned:
            raise ValidationFailed(
                _("A fine follows a warning issued within the year before it; issue a warning first."),
                field="kind",
                code=JobsErrorCode.NO_WARNING,
            )
        amount = mci_on(issued_on) * fine_mci
    elif fine_mci is not None:
        raise ValidationFailed(
            _("A warning has no fine."), field="fine_mci", code=JobsErrorCode.WARNING_HAS_NO_FINE
        )
    with transaction.atomic(durable=True):
        sanction = QuotaSanction.objects.create(
            employer=employer,
            year=year,
            kind=kind,
            issued_on=issued_on,
            fine_mci=fine_mci if kind == QuotaSanction.Kind.FINE else None,
            fine_amount=amount,
            note=text,
            recorded_by=core_services.acting_user(actor),
        )
        audit_record(
            actor,
            f"quota.{kind}",
            object_type="quota_sanction",
            object_id=sanction.pk,
            organisation_id=employer.pk,
            details={"year": year, "fine_mci": fine_mci},
        )
    return sanction
