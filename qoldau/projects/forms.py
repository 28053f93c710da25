"""Project, delivery and event forms: parsing only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.forms import district_choices, region_choices
from qoldau.core.models import Organisation, VulnerabilityCategory
from qoldau.projects.models import Event, FundingSource, Project, ServiceType


def iin_lines(raw: str) -> list[str]:
    """IINs typed one per line (or separated by commas), blanks dropped."""
    return [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]


class ProjectForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title_kk = bounds.form_field(bounds.Title, label=_("Title in Kazakh"))
    title_ru = bounds.form_field(bounds.Title, label=_("Title in Russian"), required=False)
    title_en = bounds.form_field(bounds.Title, label=_("Title in English"), required=False)
    description_kk = bounds.form_field(bounds.Description, label=_("Description in Kazakh"), required=False)
    description_ru = bounds.form_field(bounds.Description, label=_("Description in Russian"), required=False)
    description_en = bounds.form_field(bounds.Description, label=_("Description in English"), required=False)
    regions = forms.TypedMultipleChoiceField(
        label=_("Regions"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    districts = forms.TypedMultipleChoiceField(
        label=_("Districts"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    starts_on = bounds.form_field(bounds.RecordDate, label=_("Start date"))
    ends_on = bounds.form_field(bounds.RecordDate, label=_("End date"))
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    funder = bounds.form_field(bounds.Name, label=_("Funder"), required=False)
    budget = bounds.form_field(bounds.Money, label=_("Budget, tenge"), initial=0)
    target_categories = forms.ModelMultipleChoiceField(
        label=_("Target categories"),
        queryset=VulnerabilityCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    volunteers = bounds.form_field(bounds.Headcount, label=_("Volunteers"), initial=0)
    experts = bounds.form_field(bounds.Headcount, label=_("Experts"), initial=0)
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]
        self.fields["regions"].choices = region_choices()[1:]  # type: ignore[attr-defined]
        self.fields["districts"].choices = district_choices()[1:]  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, project: Project) -> dict[str, Any]:
        return {
            "organisation": project.organisation_id,
            **{
                name: getattr(project, name)
                for name in (
                    "title_kk",
                    "title_ru",
                    "title_en",
                    "description_kk",
                    "description_ru",
                    "description_en",
                    "starts_on",
                    "ends_on",
                    "funding_source",
                    "funder",
                    "budget",
                    "volunteers",
                    "experts",
                    "version",
                )
            },
            "regions": [r.pk for r in project.regions.all()],
            "districts": [d.pk for d in project.districts.all()],
            "target_categories": list(project.target_categories.all()),
        }


class DeliveryForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    iin = bounds.form_field(
        bounds.IdNumber,
        label=_("Person's IIN"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Or open the person's page and record the delivery from there."),
    )
    person_id = bounds.form_field(bounds.Id, widget=forms.HiddenInput, required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=ServiceType.objects.all())
    delivered_on = bounds.form_field(bounds.RecordDate, label=_("Date"))
    quantity = bounds.form_field(bounds.Quantity, label=_("Quantity"), initial=1)
    note = bounds.form_field(bounds.Note, label=_("Note"), required=False)

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(str(p.pk), p.title) for p in projects]  # type: ignore[attr-defined]


class EventForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of event"), choices=Event.Kind.choices)
    title_kk = bounds.form_field(bounds.Title, label=_("Title in Kazakh"))
    title_ru = bounds.form_field(bounds.Title, label=_("Title in Russian"), required=False)
    title_en = bounds.form_field(bounds.Title, label=_("Title in English"), required=False)
    held_on = bounds.form_field(bounds.RecordDate, label=_("Date"))
    place = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False, empty_value=None)
    venue = bounds.form_field(bounds.Address, label=_("Venue or platform"), required=False)
    attendee_iins = bounds.form_field(
        bounds.IdNumberList,
        label=_("Attendees' IINs, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "inputmode": "numeric"}),
        help_text=_("People your organisation serves. Others are counted below without names."),
    )
    anonymous_participants = bounds.form_field(bounds.Headcount, label=_("Anonymous participants"), initial=0)
    volunteers = bounds.form_field(bounds.Headcount, label=_("Volunteers"), initial=0)
    experts = bounds.form_field(bounds.Headcount, label=_("Experts"), initial=0)
    employers = bounds.form_field(bounds.Headcount, label=_("Employers"), initial=0)

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(str(p.pk), p.title) for p in projects]  # type: ignore[attr-defined]
        self.fields["place"].choices = region_choices()  # type: ignore[attr-defined]

    def clean_attendee_iins(self) -> list[str]:
        return iin_lines(self.cleaned_data.get("attendee_iins") or "")


class IndicatorForm(forms.Form):
    name_kk = bounds.form_field(bounds.Name, label=_("Name in Kazakh"))
    name_ru = bounds.form_field(bounds.Name, label=_("Name in Russian"), required=False)
    name_en = bounds.form_field(bounds.Name, label=_("Name in English"), required=False)
    unit = bounds.form_field(bounds.Unit, label=_("Unit"), required=False)


class IndicatorPeriodForm(forms.Form):
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    starts_on = bounds.form_field(bounds.RecordDate, label=_("Period start"))
    ends_on = bounds.form_field(bounds.RecordDate, label=_("Period end"))
    target = bounds.form_field(bounds.IndicatorValue, label=_("Target"))
    actual = bounds.form_field(bounds.IndicatorValue, label=_("Actual"), required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(str(i.pk), i.name) for i in project.indicators.all()]  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    attendee_iins = bounds.form_field(
        bounds.IdNumberList,
        label=_("Attendees' IINs, one per line"),
        widget=forms.Textarea(attrs={"rows": 4, "inputmode": "numeric"}),
        help_text=_("People your organisation serves. Those already on the list are kept once."),
    )

    def clean_attendee_iins(self) -> list[str]:
        return iin_lines(self.cleaned_data.get("attendee_iins") or "")
