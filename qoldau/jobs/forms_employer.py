"""Forms of the employer's pages: a vacancy (posted and changed through
`services.vacancy_post` and `vacancy_update`), its status, and the employer's steps of a
proposal (`proposal_advance`, `proposal_decline`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.forms import district_choices, region_choices
from qoldau.jobs.models import Accommodation, EducationLevel, Proposal, Vacancy, WorkingCondition
from qoldau.jobs.services import VacancyInput


class VacancyForm(forms.Form):
    title_kk = bounds.form_field(bounds.Title, label=_("Title in Kazakh"))
    title_ru = bounds.form_field(bounds.Title, label=_("Title in Russian"), required=False)
    title_en = bounds.form_field(bounds.Title, label=_("Title in English"), required=False)
    occupation_code = bounds.form_field(
        bounds.Code,
        label=_("Occupation code"),
        help_text=_("The code in the classifier of occupations (НК РК 01-2017), for example 4110."),
    )
    duties = bounds.form_field(bounds.Comment, label=_("What the work is"), required=False)
    weekly_hours = bounds.form_field(bounds.WeeklyHours, label=_("Hours a week"), initial=40)
    pay_from = bounds.form_field(bounds.Wage, label=_("Pay from, tenge a month"))
    pay_to = bounds.form_field(bounds.Wage, label=_("Pay up to, tenge a month"), required=False)
    positions = bounds.form_field(bounds.Positions, label=_("Places"), initial=1)
    conditions = forms.MultipleChoiceField(
        label=_("Working conditions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Accommodations the employer offers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    quota = forms.BooleanField(label=_("A quota job, kept for people with disabilities"), required=False)
    remote = forms.BooleanField(label=_("Remote work"), required=False)
    workplace = bounds.form_field(
        bounds.Id,
        label=_("Workplace building"),
        required=False,
        help_text=_("The number of the building on the accessibility map, from its page's address."),
    )
    region = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False, empty_value=None)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)
    education_required = forms.ChoiceField(
        label=_("Education required"), choices=[("", "—"), *EducationLevel.choices], required=False
    )
    experience_months_required = bounds.form_field(
        bounds.ExperienceMonths, label=_("Experience required, months"), initial=0
    )
    opens_on = bounds.form_field(bounds.RecordDate, label=_("Opens on"))
    closes_on = bounds.form_field(bounds.RecordDate, label=_("Closes on"), required=False)
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # type: ignore[attr-defined]
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]
        self.fields["conditions"].choices = [  # type: ignore[attr-defined]
            (c.code, c.name) for c in WorkingCondition.objects.filter(active=True)
        ]
        self.fields["accommodations"].choices = [  # type: ignore[attr-defined]
            (a.code, a.name) for a in Accommodation.objects.filter(active=True)
        ]

    @staticmethod
    def initial_of(vacancy: Vacancy) -> dict[str, Any]:
        return {
            "title_kk": vacancy.title_kk,
            "title_ru": vacancy.title_ru,
            "title_en": vacancy.title_en,
            "occupation_code": vacancy.occupation.code,
            "duties": vacancy.duties,
            "weekly_hours": vacancy.weekly_hours,
            "pay_from": vacancy.pay_from,
            "pay_to": vacancy.pay_to,
            "positions": vacancy.positions,
            "conditions": [c.code for c in vacancy.conditions.all()],
            "accommodations": [a.code for a in vacancy.accommodations_offered.all()],
            "quota": vacancy.quota,
            "remote": vacancy.remote,
            "workplace": vacancy.workplace_id,
            "region": vacancy.region_id,
            "district": vacancy.district_id,
            "education_required": vacancy.education_required,
            "experience_months_required": vacancy.experience_months_required,
            "opens_on": vacancy.opens_on,
            "closes_on": vacancy.closes_on,
            "version": vacancy.version,
        }

    def vacancy_input(self) -> VacancyInput:
        data = self.cleaned_data
        return VacancyInput(
            occupation_code=data["occupation_code"],
            title_kk=data["title_kk"],
            title_ru=data["title_ru"],
            title_en=data["title_en"],
            duties=data["duties"],
            weekly_hours=data["weekly_hours"],
            pay_from=data["pay_from"],
            pay_to=data["pay_to"],
            positions=data["positions"],
            condition_codes=data["conditions"],
            accommodation_codes=data["accommodations"],
            quota=data["quota"],
            remote=data["remote"],
            workplace_id=data["workplace"],
            region_id=data["region"],
            district_id=data["district"],
            education_required=data["education_required"],
            experience_months_required=data["experience_months_required"] or 0,
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
        )


# The service's input names that the form calls otherwise.
VACANCY_FIELD_NAMES = {
    "condition_codes": "conditions",
    "accommodation_codes": "accommodations",
    "workplace_id": "workplace",
    "region_id": "region",
    "district_id": "district",
    "district": "district",
    "region": "region",
}


class VacancyStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Vacancy.Status.choices)


# The employer's steps of a proposal, in the order they come.
EMPLOYER_STEPS = (Proposal.State.INTERVIEW, Proposal.State.OFFER, Proposal.State.HIRED)


class EmployerDeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the employer declined"), choices=Proposal.DeclineReason.choices)
    note = bounds.form_field(bounds.Note, label=_("Note"), required=False)
