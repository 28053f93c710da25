"""Forms of the job coach's pages. They parse what the coach typed; the services decide
whether it is allowed (`services.case_update`, `coaching_session_record`,
`proposal_create`, `proposal_decline`, `placement_record`, `follow_up_record`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.jobs.models import (
    Accommodation,
    CoachingStage,
    ContractKind,
    Placement,
    Proposal,
    RetentionFollowUp,
    SubsidisedProgramme,
)
from qoldau.projects.models import Project


def _project_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Project"),
        coerce=int,
        help_text=_("The organisation's project the work is counted for."),
    )


class _WithProject(forms.Form):
    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, p.title) for p in projects]  # type: ignore[attr-defined]
        self.projects = {p.pk: p for p in projects}
        if len(projects) == 1:
            self.fields["project"].initial = projects[0].pk

    def chosen_project(self) -> Project:
        return self.projects[self.cleaned_data["project"]]


class CaseStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=CoachingStage.choices)
    next_step = bounds.form_field(bounds.Note, label=_("Next step"), required=False)
    next_step_due = bounds.form_field(bounds.RecordDate, label=_("Next step due"), required=False)
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput)


class SessionForm(_WithProject):
    project = _project_field()
    held_on = bounds.form_field(bounds.RecordDate, label=_("Held on"), initial=timezone.localdate)
    note = bounds.form_field(
        bounds.Comment,
        label=_("Note"),
        required=False,
        help_text=_("Optional. It joins the case's notes, which only the case's coaches read."),
    )


class ProposeForm(forms.Form):
    vacancy = bounds.form_field(
        bounds.Id,
        label=_("Vacancy number"),
        help_text=_("The number on the vacancy's public page."),
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the person declined"), choices=Proposal.DeclineReason.choices)
    note = bounds.form_field(bounds.Note, label=_("Note"), required=False)


class PlacementForm(_WithProject):
    vacancy = forms.TypedChoiceField(
        label=_("Job"),
        coerce=int,
        help_text=_("The vacancy of one of the person's proposals; its employer is the employer."),
    )
    project = _project_field()
    start_date = bounds.form_field(bounds.RecordDate, label=_("Start date"))
    pay = bounds.form_field(bounds.Wage, label=_("Pay, tenge a month"))
    weekly_hours = bounds.form_field(bounds.WeeklyHours, label=_("Hours a week"), initial=40)
    contract_kind = forms.ChoiceField(label=_("Contract"), choices=ContractKind.choices)
    programme = forms.ChoiceField(label=_("Subsidised programme"), required=False)
    accommodations = forms.MultipleChoiceField(
        label=_("Accommodations made"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        projects: list[Project],
        proposals: list[Proposal],
        accommodations: list[Accommodation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, projects=projects, **kwargs)
        vacancies = {p.vacancy_id: p.vacancy for p in proposals if p.state != Proposal.State.DECLINED}
        self.fields["vacancy"].choices = [  # type: ignore[attr-defined]
            (pk, f"{v.title} · {v.employer.name}") for pk, v in vacancies.items()
        ]
        self.vacancies = vacancies
        programmes = SubsidisedProgramme.objects.order_by("code", "-valid_from").distinct()
        self.fields["programme"].choices = [  # type: ignore[attr-defined]
            ("", _("None")),
            *{p.code: p.name for p in programmes}.items(),
        ]
        self.fields["accommodations"].choices = [(a.code, a.name) for a in accommodations]  # type: ignore[attr-defined]


class FollowUpForm(_WithProject):
    project = _project_field()
    recorded_on = bounds.form_field(bounds.RecordDate, label=_("Recorded on"), initial=timezone.localdate)
    outcome = forms.ChoiceField(
        label=_("Does the person still work there?"),
        choices=RetentionFollowUp.Outcome.choices,
        widget=forms.RadioSelect,
    )
    left_on = bounds.form_field(bounds.RecordDate, label=_("Left on"), required=False)
    left_reason = forms.ChoiceField(
        label=_("Why they left"), choices=[("", "—"), *Placement.EndReason.choices], required=False
    )
    note = bounds.form_field(bounds.Comment, label=_("Note"), required=False)
