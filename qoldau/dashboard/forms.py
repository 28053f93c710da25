"""The dashboards' filter forms: parsing only; the impact report decides what counts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core import policy as core_policy
from qoldau.core import selectors as core_selectors
from qoldau.core.errors import ValidationFailed
from qoldau.core.forms import district_choices, region_choices
from qoldau.core.services import Actor
from qoldau.jobs import employment_figures as jobs_figures
from qoldau.projects import policy as projects_policy
from qoldau.projects.impact import ImpactFilter, latest_year_with_participations, period_dates
from qoldau.projects.models import FundingSource

MAX_CHOICES = 500
FIRST_YEAR = 2013  # the contest archive's first year: the oldest figures anyone reports


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, FIRST_YEAR - 1, -1)]


class PublicFilterForm(forms.Form):
    """The public dashboard's filter: a whole year, quarter or month (the only periods
    public figures are given for) and the country or one region."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, required=False, empty_value=None)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False, empty_value=None)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]
        # Open on the latest year with figures, not on an empty new year.
        this_year = timezone.localdate().year
        self.fields["year"].initial = min(latest_year_with_participations() or this_year, this_year)
        quarters = [(q, _("Quarter %(number)s") % {"number": q}) for q in range(1, 5)]
        self.fields["quarter"].choices = [("", _("Whole year")), *quarters]  # type: ignore[attr-defined]
        self.fields["month"].choices = [("", _("Whole year")), *MONTHS.items()]  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", _("Whole country")), *region_choices()[1:]]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            period_dates(data.get("year") or 0, quarter=data.get("quarter"), month=data.get("month"))
        except ValidationFailed as error:
            if error.field in self.fields and error.field not in self.errors:
                self.add_error(error.field, error.render())
        return data

    def impact_filter(self) -> ImpactFilter:
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or self.fields["year"].initial
        region = data.get("region")
        return ImpactFilter.for_period(
            year, quarter=data.get("quarter"), month=data.get("month"), region_ids=(region,) if region else ()
        )


class DashboardFilterForm(PublicFilterForm):
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None
    )
    project = forms.TypedChoiceField(label=_("Project"), coerce=int, required=False, empty_value=None)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    funding_source = forms.ChoiceField(label=_("Funding source"), required=False)
    need = forms.ChoiceField(label=_("Accessibility category needed (employment)"), required=False)

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]
        # Long lists are narrowed by what is already chosen: the region's organisations,
        # the organisation's (or region's) projects. Every project stays one link away in
        # the projects table, and a national list of thousands would be no use in a select.
        region = _chosen(self.data.get("region"))
        organisation = _chosen(self.data.get("organisation"))
        organisations = core_policy.organisations_visible(user)
        if region:
            organisations = organisations.filter(region_id=region)
        organisation_choices = [
            (o.pk, o.name) for o in organisations.only("pk", "name_kk", "name_ru", "name_en")[:MAX_CHOICES]
        ]
        self.fields["organisation"].choices = [("", "—"), *organisation_choices]  # type: ignore[attr-defined]
        projects = projects_policy.projects_visible(user)
        if organisation:
            projects = projects.filter(organisation_id=organisation)
        elif region:
            projects = projects.filter(regions=region)
        project_choices = [
            (p.pk, p.title) for p in projects.only("pk", "title_kk", "title_ru", "title_en")[:MAX_CHOICES]
        ]
        self.fields["project"].choices = [("", "—"), *project_choices]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", "—")] + [(c.pk, c.name) for c in core_selectors.categories()]  # type: ignore[attr-defined]
        self.fields["funding_source"].choices = [("", "—"), *FundingSource.choices]  # type: ignore[attr-defined]
        self.fields["need"].choices = [("", "—"), *jobs_figures.NEED_CHOICES]  # type: ignore[attr-defined]

    def employment_need(self) -> str:
        """The accessibility category whose seekers the employment figures count ("" for
        all): what the seekers record from their ИПАР."""
        data = self.cleaned_data if self.is_valid() else {}
        return str(data.get("need") or "")

    def impact_filter(self) -> ImpactFilter:
        base = super().impact_filter()
        data = self.cleaned_data if self.is_valid() else {}
        return ImpactFilter(
            date_from=base.date_from,
            date_to=base.date_to,
            region_ids=base.region_ids,
            district_ids=(data["district"],) if data.get("district") else (),
            organisation_ids=(data["organisation"],) if data.get("organisation") else (),
            project_ids=(data["project"],) if data.get("project") else (),
            category_id=data.get("category"),
            funding_source=data.get("funding_source") or "",
        )


def _chosen(value: object) -> int | None:
    return bounds.parse_id(value)
