"""A signed-in user's work, role by role, for their start page: each line a count and the
page where that work is done. Every count comes from the owning app's selectors, so it
counts only what the user may see there (never another organisation's items)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.access import selectors as access_selectors
from qoldau.consult import selectors as consult_selectors
from qoldau.contests import selectors as contest_selectors
from qoldau.core import policy as core_policy
from qoldau.core.access import Actor
from qoldau.interpreting import selectors as interpreting_selectors
from qoldau.jobs import selectors as job_selectors
from qoldau.services import policy as service_policy
from qoldau.services.selectors import flow as service_selectors


@dataclass(frozen=True)
class WorkLine:
    """One count of work: `label` names what is counted, `url` is where it is done."""

    label: str | Promise
    count: int
    url: str
    # A count of overdue items: shown as a warning when above zero.
    overdue: bool = False


@dataclass(frozen=True)
class WorkLink:
    label: str | Promise
    url: str


@dataclass(frozen=True)
class WorkSection:
    title: str | Promise
    lines: list[WorkLine]
    # A page of the section's whole picture beyond its counts (the akimat's dashboard).
    more: WorkLink | None = None


def _surveyor(user: Actor) -> WorkSection | None:
    if not core_policy.menu(user).survey:
        return None
    count = access_selectors.objects_assigned(user).count()
    return WorkSection(
        _("Objects to survey"),
        [WorkLine(_("Objects assigned to you to passport"), count, reverse("access:survey"))],
    )


def _commission_member(user: Actor) -> WorkSection | None:
    # A secretary keeps the commission's papers but scores nothing.
    seats = [seat for seat in contest_selectors.seats_of_user(user) if seat.scores]
    if not seats:
        return None
    lines = []
    for seat in seats:
        worklist = contest_selectors.member_worklist(user, seat.commission, seat=seat)
        lines.append(
            WorkLine(
                _("Applications to score: %(commission)s") % {"commission": seat.commission},
                len(worklist.rows) - worklist.done,
                reverse("contests:commission", args=[seat.commission.pk]),
            )
        )
    return WorkSection(_("Contest commissions"), lines)


def _consultant(user: Actor) -> WorkSection | None:
    if not core_policy.menu(user).consultations:
        return None
    count = consult_selectors.consultations_waiting_count(user)
    return WorkSection(
        _("Consultations"),
        [WorkLine(_("Conversations waiting for a consultant"), count, reverse("consult:queue"))],
    )


def _job_coach(user: Actor) -> WorkSection | None:
    if not core_policy.menu(user).caseload:
        return None
    lines = job_selectors.caseload(user, timezone.localdate())
    url = reverse("jobs:caseload")
    return WorkSection(
        _("Job coaching"),
        [
            WorkLine(_("Open cases you coach"), len(lines), url),
            WorkLine(
                _("Follow-ups past their due date"),
                sum(line.follow_ups_overdue for line in lines),
                url,
                overdue=True,
            ),
        ],
    )


def _provider(user: Actor) -> WorkSection | None:
    referrals = service_selectors.referrals_in(user)
    offers = service_selectors.offers_open(user)
    if not service_policy.services_managed_by(user).exists():
        return None
    url = reverse("services:flow_home")
    return WorkSection(
        _("Social services"),
        [
            WorkLine(
                _("Referrals to your services waiting for your answer"),
                referrals.filter(status="requested").count(),
                url,
            ),
            WorkLine(_("Places offered and not yet answered"), offers.count(), url),
        ],
    )


def _interpreting(user: Actor) -> WorkSection | None:
    lines = []
    desk = interpreting_selectors.desk_if_interpreter(user)
    if desk is not None:
        url = reverse("interpreting:desk")
        lines.append(WorkLine(_("Calls offered to you now"), 1 if desk.offer else 0, url))
        lines.append(WorkLine(_("Your bookings today"), desk.bookings_today, url))
        lines.append(WorkLine(_("Your booked sessions ahead"), len(desk.bookings), url))
    for service, waiting in interpreting_selectors.calls_waiting(user):
        lines.append(
            WorkLine(
                _("Calls waiting at %(service)s") % {"service": str(service)},
                waiting,
                reverse("interpreting:console", args=[service.pk]),
            )
        )
    return WorkSection(_("Interpreting"), lines) if lines else None


def _akimat(user: Actor) -> WorkSection | None:
    if not core_policy.menu(user).quota:
        return None
    due = service_selectors.network_due(user, timezone.localdate())
    network = reverse("services:flow_network")
    return WorkSection(
        _("Your region's overview"),
        [
            WorkLine(
                _("Referrals past their answer deadline"), due.unanswered_referrals, network, overdue=True
            ),
            WorkLine(
                _("Provider permits ending within 90 days"), due.permits_expiring, network, overdue=True
            ),
        ],
    )


def work_of(user: Actor) -> list[WorkSection]:
    """The sections of work a user's roles give them, in the order they are shown."""
    sections = [
        _surveyor(user),
        _commission_member(user),
        _consultant(user),
        _job_coach(user),
        _provider(user),
        _interpreting(user),
        _akimat(user),
    ]
    return [s for s in sections if s is not None]
