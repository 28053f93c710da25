"""Forms of the quota's pages: the choice of region and year, read from the query string
(a value that is not one of the choices falls back to the default: the first region, this
year); an employer's staff report; an akimat officer's exemption, warning or fine."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.models import Place
from qoldau.jobs.models import QuotaExemption, QuotaSanction


class QuotaFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), choices=())
    year = bounds.form_field(bounds.Year, label=_("Year"))

    def __init__(self, data: Any = None, *, regions: list[Place], **kwargs: Any) -> None:
        self.regions = {str(p.kato): p for p in regions}
        this_year = timezone.localdate().year
        values = {"region": next(iter(self.regions), ""), "year": this_year}
        if data is not None:
            values |= {key: data[key] for key in ("region", "year") if data.get(key)}
        super().__init__(values, **kwargs)
        self.fields["region"].choices = [(kato, p.name) for kato, p in self.regions.items()]  # type: ignore[attr-defined]

    def chosen(self) -> tuple[Place, int]:
        first = next(iter(self.regions.values()))
        this_year = timezone.localdate().year
        if not self.is_valid():
            region = self.regions.get(str(self.data.get("region")), first)
            return region, this_year
        return self.regions[self.cleaned_data["region"]], self.cleaned_data["year"]


class QuotaYearForm(forms.Form):
    """The ministry's choice of year, read from the query string; a value that is not a
    year falls back to this one."""

    year = bounds.form_field(bounds.Year, label=_("Year"))

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, initial={"year": timezone.localdate().year}, **kwargs)

    def chosen(self) -> int:
        return int(self.cleaned_data["year"]) if self.is_valid() else timezone.localdate().year


class StaffReportForm(forms.Form):
    """An employer's staff for a year (`services.staff_report_record_for_year`)."""

    year = bounds.form_field(bounds.Year, label=_("Year"))
    as_of = bounds.form_field(
        bounds.RecordDate,
        label=_("As of"),
        required=False,
        help_text=_("A day of that year; when empty, the year's last day, or today for this year."),
    )
    headcount = bounds.form_field(bounds.Headcount, label=_("Headcount"))
    hazardous_jobs = bounds.form_field(
        bounds.Headcount, label=_("Jobs in heavy, harmful or hazardous work"), initial=0
    )
    employees_with_disabilities = bounds.form_field(
        bounds.Headcount, label=_("Employees with disabilities"), initial=0
    )


class QuotaExemptionForm(forms.Form):
    """An akimat officer's exemption of an employer for a year."""

    year = bounds.form_field(bounds.Year, label=_("Year"))
    reason = forms.ChoiceField(label=_("Reason"), choices=QuotaExemption.Reason.choices)
    note = bounds.form_field(bounds.Note, label=_("Note"), required=False)


class QuotaSanctionForm(forms.Form):
    """An akimat officer's warning or fine for an unfilled quota."""

    year = bounds.form_field(bounds.Year, label=_("Quota year"))
    kind = forms.ChoiceField(label=_("Kind"), choices=QuotaSanction.Kind.choices)
    issued_on = bounds.form_field(bounds.RecordDate, label=_("Issued on"))
    fine_mci = bounds.form_field(
        bounds.FineMci,
        label=_("Fine, MCI"),
        required=False,
        help_text=_("For a fine only; a warning has none."),
    )
    note = bounds.form_field(bounds.Note, label=_("Note"), required=False)
