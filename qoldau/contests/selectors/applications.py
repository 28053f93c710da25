"""Applications: the user's own (with deadlines and grants), one application for whoever may
see it, its documents, results and what stops a draft from being submitted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.contests import policy
from qoldau.contests.grants import check_fits_band
from qoldau.contests.models import (
    Application,
    ApplicationDocument,
    GrantAward,
    GranteeReport,
    RankedApplication,
    Stage,
    Tranche,
)
from qoldau.contests.selectors.grants import awards_of_user
from qoldau.contests.selectors.setup import contest_stage
from qoldau.core.audit import audit_record
from qoldau.core.errors import NotFound, ValidationFailed
from qoldau.core.models import Organisation
from qoldau.core.services import Actor

if TYPE_CHECKING:
    from qoldau.projects.models import Project


def applications_of_user(user: Actor) -> QuerySet[Application]:
    """Applications the user made, and those of the organisations they work for."""
    if not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(
            Q(applicant_id=user.pk) | Q(organisation_id__in=policy.own_organisation_ids(user))
        )
        .select_related("contest", "call", "region", "organisation", "project")
        .order_by("-created_at", "-pk")
    )


def application_get_for_user(user: Actor, application_id: int) -> Application:
    application = (
        Application.objects.select_related(
            "contest", "call", "region", "organisation", "project", "applicant"
        )
        .prefetch_related("documents", "budget_lines", "categories")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound(policy.APPLICATION_HIDDEN)
    policy.check_may_see_application(user, application)
    return application


def audit_application_read(user: Actor, application: Application) -> None:
    """Applications carry no personal data of beneficiaries; reading one by a commission is
    still recorded, so the applicant can learn who looked at it."""
    audit_record(
        user,
        "application.read",
        object_type="application",
        object_id=application.pk,
        organisation_id=application.organisation_id,
    )


def applicant_organisations(user: Actor) -> list[Organisation]:
    """The organisations a user may apply for: those they work for (by their roles)."""
    if not user.is_authenticated:
        return []
    ids = policy.own_organisation_ids(user)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name_kk", "pk"))


def applicant_projects(user: Actor) -> list[Project]:
    """Projects an application may name: those of the organisations the user works for."""
    if not user.is_authenticated:
        return []
    from qoldau.projects.models import Project

    ids = policy.own_organisation_ids(user)
    return list(
        Project.objects.filter(organisation_id__in=ids)
        .select_related("organisation")
        .order_by("organisation__name_kk", "title_kk", "pk")
    )


def application_deadline(application: Application) -> dt.datetime | None:
    """Until when the application may be submitted (the regional stage's or the call's
    deadline); uses prefetched stages when there are any."""
    if application.call is not None:
        return application.call.deadline
    if application.contest is not None:
        stage = contest_stage(application.contest, Stage.Level.REGIONAL)
        return stage.deadline if stage is not None else None
    return None


@dataclass(frozen=True)
class MyApplication:
    application: Application
    deadline: dt.datetime | None


@dataclass(frozen=True)
class MyGrant:
    award: GrantAward
    next_tranche: Tranche | None
    next_report: GranteeReport | None


@dataclass
class ApplicantOverview:
    applications: list[MyApplication]
    grants: list[MyGrant]


def applicant_overview(user: Actor) -> ApplicantOverview:
    """A user's applications (with their deadlines) and grants (with the next tranche and
    the next report due), in a fixed number of queries."""
    applications = list(applications_of_user(user).prefetch_related("contest__stages"))
    grants = []
    for award in awards_of_user(user):
        tranches = sorted(award.tranches.all(), key=lambda t: (t.due_on, t.number))
        reports = sorted(award.reports.all(), key=lambda r: (r.due_on, r.kind))
        grants.append(
            MyGrant(
                award=award,
                next_tranche=next((t for t in tranches if t.paid_on is None), None),
                next_report=next(
                    (
                        r
                        for r in reports
                        if r.status in (GranteeReport.Status.DUE, GranteeReport.Status.RETURNED)
                    ),
                    None,
                ),
            )
        )
    return ApplicantOverview(
        applications=[MyApplication(a, application_deadline(a)) for a in applications], grants=grants
    )


def application_results(application: Application) -> list[RankedApplication]:
    """The application's places in approved results only (a result is public once approved)."""
    return list(
        RankedApplication.objects.filter(application=application, commission__approved_at__isnull=False)
        .select_related("commission__region")
        .order_by("commission__level", "pk")
    )


def application_award(application: Application) -> GrantAward | None:
    return GrantAward.objects.filter(application=application).first()


def document_get_for_user(user: Actor, application_id: int, document_id: int) -> ApplicationDocument:
    """An application's document, for whoever may see the application (its applicant side,
    its commissions, officers, the call's operator); each download is audited."""
    application = application_get_for_user(user, application_id)
    document = ApplicationDocument.objects.filter(pk=document_id, application=application).first()
    if document is None:
        raise NotFound(_("There is no such document."))
    audit_record(
        user,
        "application.document_read",
        object_type="application",
        object_id=application.pk,
        organisation_id=application.organisation_id,
        details={"document": document.pk},
    )
    return document


def application_problems(application: Application) -> list[Any]:
    """What stops a draft from being submitted, as translatable sentences."""
    problems: list[Any] = []
    if not application.title:
        problems.append(_("Give the project's title, or choose one of your projects."))
    if not (application.description_kk or application.description_ru or application.description_en) and (
        application.project is None or not application.project.description
    ):
        problems.append(_("Describe the project."))
    if application.contest_id is not None and not application.results.strip():
        problems.append(_("Declare the results the project has achieved."))
    if application.call_id is not None:
        call = application.call
        if call is None:  # the model's check constraint: a contest or a call
            return problems
        if application.requested_amount is None or not application.duration_months or not application.band:
            problems.append(_("Give the amount requested, the duration and the grant size."))
        else:
            try:
                check_fits_band(
                    kind=application.band,
                    amount=application.requested_amount,
                    months=application.duration_months,
                    day=timezone.localdate(call.opens_at),
                )
            except ValidationFailed as exc:
                problems.append(exc.render())
            total = application.budget_lines.aggregate(total=Sum("amount"))["total"]
            if total is None:
                problems.append(_("Add the budget lines."))
            elif total != application.requested_amount:
                problems.append(
                    _("The budget lines add up to %(total)s tenge, not the %(amount)s tenge requested.")
                    % {"total": total, "amount": application.requested_amount}
                )
        if call.requires_state_ngo_database and (
            application.organisation is None or not application.organisation.in_state_ngo_database
        ):
            problems.append(_("The call accepts only organisations in the state NGO database."))
    return problems
