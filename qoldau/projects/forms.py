"""Project, delivery and event forms: parsing only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.core.forms import DateInput, district_choices, region_choices
from qoldau.core.models import Organisation, VulnerabilityCategory
from qoldau.projects.models import Event, FundingSource, Project, ServiceType


def iin_lines(raw: str) -> list[str]:
    """IINs typed one per line (or separated by commas), blanks dropped."""
    return [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]


class ProjectForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    description_kk = forms.CharField(
        label=_("Description in Kazakh"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_ru = forms.CharField(
        label=_("Description in Russian"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    regions = forms.TypedMultipleChoiceField(
        label=_("Regions"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    districts = forms.TypedMultipleChoiceField(
        label=_("Districts"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    ends_on = forms.DateField(label=_("End date"), widget=DateInput())
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    funder = forms.CharField(label=_("Funder"), max_length=300, required=False)
    budget = forms.DecimalField(label=_("Budget, tenge"), min_value=0, decimal_places=2, initial=0)
    target_categories = forms.ModelMultipleChoiceField(
        label=_("Target categories"),
        queryset=VulnerabilityCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    volunteers = forms.IntegerField(label=_("Volunteers"), min_value=0, initial=0)
    experts = forms.IntegerField(label=_("Experts"), min_value=0, initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
    iin = forms.CharField(
        label=_("Person's IIN"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Or open the person's page and record the delivery from there."),
    )
    person_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=ServiceType.objects.all())
    delivered_on = forms.DateField(label=_("Date"), widget=DateInput())
    quantity = forms.DecimalField(label=_("Quantity"), initial=1, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(str(p.pk), p.title) for p in projects]  # type: ignore[attr-defined]


class EventForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of event"), choices=Event.Kind.choices)
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False, empty_value=None)
    venue = forms.CharField(label=_("Venue or platform"), max_length=300, required=False)
    attendee_iins = forms.CharField(
        label=_("Attendees' IINs, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "inputmode": "numeric"}),
        help_text=_("People your organisation serves. Others are counted below without names."),
    )
    anonymous_participants = forms.IntegerField(label=_("Anonymous participants"), min_value=0, initial=0)
    volunteers = forms.IntegerField(label=_("Volunteers"), min_value=0, initial=0)
    experts = forms.IntegerField(label=_("Experts"), min_value=0, initial=0)
    employers = forms.IntegerField(label=_("Employers"), min_value=0, initial=0)

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(str(p.pk), p.title) for p in projects]  # type: ignore[attr-defined]
        self.fields["place"].choices = region_choices()  # type: ignore[attr-defined]

    def clean_attendee_iins(self) -> list[str]:
        return iin_lines(self.cleaned_data.get("attendee_iins") or "")


class IndicatorForm(forms.Form):
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=300)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)


class IndicatorPeriodForm(forms.Form):
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    starts_on = forms.DateField(label=_("Period start"), widget=DateInput())
    ends_on = forms.DateField(label=_("Period end"), widget=DateInput())
    target = forms.DecimalField(label=_("Target"), decimal_places=2)
    actual = forms.DecimalField(label=_("Actual"), decimal_places=2, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(str(i.pk), i.name) for i in project.indicators.all()]  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    attendee_iins = forms.CharField(
        label=_("Attendees' IINs, one per line"),
        widget=forms.Textarea(attrs={"rows": 4, "inputmode": "numeric"}),
        help_text=_("People your organisation serves. Those already on the list are kept once."),
    )

    def clean_attendee_iins(self) -> list[str]:
        return iin_lines(self.cleaned_data.get("attendee_iins") or "")
