"""Forms of the applicant's and grantee's pages: parsing only; the services decide.

Field names follow the services' `ApplicationInput` (`region_id` is the form's `region`,
and so on), so that an error a service raises about a field lands beside that input."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from qoldau.contests import services
from qoldau.contests.models import ApplicantKind, Application, GrantBandKind, GrantCall, GranteeReport
from qoldau.contests.selectors import ReportIndicator
from qoldau.core import bounds
from qoldau.core.models import Organisation, Place, VulnerabilityCategory

# A service names its fields as ApplicationInput does; the form's names are shorter.
# The services' input names where the application form names its fields differently.
SERVICE_FIELDS = {
    "region_id": "region",
    "organisation_id": "organisation",
    "project_id": "project",
    "category_ids": "categories",
}


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


class ApplicationForm(forms.Form):
    """A draft application to a contest or a grant call. The choices are those the contest
    or call admits and the organisations and projects the user works for."""

    applicant_kind = forms.ChoiceField(label=_("Who applies"))
    organisation = forms.TypedChoiceField(
        label=_("Organisation that applies"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty when you apply as an individual."),
    )
    applicant_name = bounds.form_field(
        bounds.Name,
        label=_("Applicant's name as it will be published"),
        required=False,
        help_text=_("Leave empty to use the organisation's name, or your own name as an individual."),
    )
    region = forms.TypedChoiceField(label=_("Region where the project works"), coerce=int)
    project = forms.TypedChoiceField(
        label=_("One of your organisation's projects"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Choose a project, or describe the project below."),
    )
    title_kk = bounds.form_field(bounds.Title, label=_("Project title in Kazakh"), required=False)
    title_ru = bounds.form_field(bounds.Title, label=_("Project title in Russian"), required=False)
    title_en = bounds.form_field(bounds.Title, label=_("Project title in English"), required=False)
    description_kk = bounds.form_field(
        bounds.Description,
        label=_("Project description in Kazakh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_ru = bounds.form_field(
        bounds.Description,
        label=_("Project description in Russian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_en = bounds.form_field(
        bounds.Description,
        label=_("Project description in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    results = bounds.form_field(
        bounds.Description,
        label=_("Results the project has achieved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    people_reached_declared = bounds.form_field(bounds.Headcount, label=_("People helped"), required=False)
    contact_email = forms.EmailField(
        label=_("E-mail for notifications"),
        max_length=bounds.max_length(bounds.Email),
        required=False,
        help_text=_("Leave empty to use the e-mail of your account."),
    )
    categories = forms.TypedMultipleChoiceField(
        label=_("Who the project helps"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    requested_amount = bounds.form_field(
        bounds.PositiveMoney, label=_("Amount requested, tenge"), required=False
    )
    duration_months = bounds.form_field(bounds.DurationMonths, label=_("Duration, months"), required=False)
    band = forms.ChoiceField(label=_("Grant size"), required=False)
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        target: Any,
        user: User,
        organisations: Sequence[Organisation],
        projects: Sequence[Any],
        band_help: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.organisations = {o.pk: o for o in organisations}
        kinds = list(target.eligible_kinds)
        self.fields["applicant_kind"].choices = [  # type: ignore[attr-defined]
            (k, ApplicantKind(k).label) for k in ApplicantKind.values if k in kinds
        ]
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(o.pk), o.name) for o in organisations),
        ]
        self.fields["project"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(p.pk), f"{p.title} ({p.organisation.name})") for p in projects),
        ]
        regions = Place.objects.filter(level=Place.Level.REGION).order_by("kato")
        categories = VulnerabilityCategory.objects.order_by("sort_order", "pk")
        if isinstance(target, GrantCall):
            regions = regions.filter(pk__in=target.eligible_regions.values("pk"))
            allowed = list(target.eligible_categories.values_list("pk", flat=True))
            if allowed:
                categories = categories.filter(pk__in=allowed)
            self.fields["band"].choices = [  # type: ignore[attr-defined]
                ("", "—"),
                *((b, GrantBandKind(b).label) for b in GrantBandKind.values if b in target.bands),
            ]
            self.fields["band"].help_text = band_help
        else:
            for name in ("requested_amount", "duration_months", "band"):
                del self.fields[name]
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(p.pk), p.name) for p in regions),
        ]
        self.fields["categories"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), c.name) for c in categories
        ]

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, Any]:
        return {
            "applicant_kind": application.applicant_kind,
            "organisation": application.organisation_id,
            "applicant_name": application.applicant_name,
            "region": application.region_id,
            "project": application.project_id,
            "title_kk": application.title_kk,
            "title_ru": application.title_ru,
            "title_en": application.title_en,
            "description_kk": application.description_kk,
            "description_ru": application.description_ru,
            "description_en": application.description_en,
            "results": application.results,
            "people_reached_declared": application.people_reached_declared,
            "contact_email": application.contact_email,
            "categories": [c.pk for c in application.categories.all()],
            "requested_amount": _plain(application.requested_amount),
            "duration_months": application.duration_months,
            "band": application.band,
            "version": application.version,
        }

    def application_input(self) -> services.ApplicationInput:
        data = self.cleaned_data
        individual = data["applicant_kind"] == ApplicantKind.INDIVIDUAL
        organisation_id = None if individual else data["organisation"]
        name = data["applicant_name"].strip()
        if not name:
            organisation = self.organisations.get(organisation_id or 0)
            name = organisation.name if organisation is not None else self.user.get_full_name()
            name = name or self.user.get_username()
        return services.ApplicationInput(
            applicant_kind=data["applicant_kind"],
            region_id=data["region"],
            applicant_name=name,
            organisation_id=organisation_id,
            project_id=None if individual else data["project"],
            title_kk=data["title_kk"],
            title_ru=data["title_ru"],
            title_en=data["title_en"],
            description_kk=data["description_kk"],
            description_ru=data["description_ru"],
            description_en=data["description_en"],
            results=data["results"],
            people_reached_declared=data["people_reached_declared"],
            contact_email=data["contact_email"],
            category_ids=data["categories"],
            requested_amount=data.get("requested_amount"),
            duration_months=data.get("duration_months"),
            band=data.get("band") or "",
        )


class DocumentForm(forms.Form):
    title = bounds.form_field(bounds.Label, label=_("What the document is"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, Word, Excel, OpenDocument or image file."),
    )


class BudgetLineForm(forms.Form):
    item = bounds.form_field(bounds.Name, label=_("Item"), required=False)
    amount = bounds.form_field(bounds.PositiveMoney, label=_("Amount, tenge"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("item") and data.get("amount") is None:
            self.add_error("amount", _("Give the amount of this line."))
        if data.get("amount") is not None and not data.get("item"):
            self.add_error("item", _("Every budget line needs a description."))
        return data


BudgetFormSet = forms.formset_factory(
    BudgetLineForm, extra=3, max_num=bounds.MAX_BUDGET_LINES, absolute_max=bounds.MAX_BUDGET_LINES
)


def budget_lines(formset: Any) -> list[services.BudgetLineInput]:
    """The filled lines of a valid budget formset, in order; blank lines are skipped."""
    return [
        services.BudgetLineInput(item=form.cleaned_data["item"], amount=form.cleaned_data["amount"])
        for form in formset.forms
        if form.cleaned_data.get("item") and form.cleaned_data.get("amount") is not None
    ]


class ProjectLinkForm(forms.Form):
    project = forms.TypedChoiceField(label=_("The project this grant funds"), coerce=int)

    def __init__(self, *args: Any, projects: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(p.pk), p.title) for p in projects),
        ]


def indicator_field(indicator_id: int) -> str:
    return f"indicator-{indicator_id}"


class ReportForm(forms.Form):
    narrative = bounds.form_field(
        bounds.Description, label=_("What was done in the period"), widget=forms.Textarea(attrs={"rows": 6})
    )
    spent_amount = bounds.form_field(bounds.Money, label=_("Spent in the period, tenge"), required=False)

    def __init__(
        self, *args: Any, report: GranteeReport, indicators: Sequence[ReportIndicator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if report.kind != GranteeReport.Kind.FINANCIAL:
            del self.fields["spent_amount"]
        self.indicator_ids = [row.indicator.pk for row in indicators]
        for row in indicators:
            unit = row.indicator.unit
            label = (
                _("%(indicator)s, %(unit)s") % {"indicator": row.indicator.name, "unit": unit}
                if unit
                else row.indicator.name
            )
            self.fields[indicator_field(row.indicator.pk)] = bounds.form_field(
                bounds.IndicatorValue, label=label, required=False
            )

    @classmethod
    def initial_for(cls, report: GranteeReport, indicators: Sequence[ReportIndicator]) -> dict[str, Any]:
        initial: dict[str, Any] = {"narrative": report.narrative, "spent_amount": _plain(report.spent_amount)}
        for row in indicators:
            initial[indicator_field(row.indicator.pk)] = _plain(row.value)
        return initial

    def indicator_values(self) -> dict[int, Decimal]:
        values = {}
        for pk in self.indicator_ids:
            value = self.cleaned_data.get(indicator_field(pk))
            if value is not None:
                values[pk] = value
        return values
