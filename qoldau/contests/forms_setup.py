"""Forms of the set-up pages: contests, their stages and criteria, commissions and their
members, grant calls. Parsing only: the services decide what is allowed and whether the
values fit together (dates in order, scales, budgets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.contests.models import (
    ApplicantKind,
    Commission,
    CommissionMember,
    Contest,
    GrantCall,
    Stage,
)
from qoldau.core import bounds
from qoldau.core.models import Organisation, Place, VulnerabilityCategory

ASTANA_TIME_HELP = _("Astana time (Asia/Almaty).")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def combine(day: dt.date, time: dt.time) -> dt.datetime:
    """A date and a time typed on a page, read in Asia/Almaty (the project's time zone)."""
    return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())


def local_parts(moment: dt.datetime | None) -> tuple[dt.date | None, dt.time | None]:
    if moment is None:
        return None, None
    local = timezone.localtime(moment)
    return local.date(), local.time().replace(second=0, microsecond=0)


# Contests -----------------------------------------------------------------------------


class ContestForm(forms.Form):
    year = bounds.form_field(bounds.Year, label=_("Year"))
    title_kk = bounds.form_field(bounds.Title, label=_("Title in Kazakh"))
    title_ru = bounds.form_field(bounds.Title, label=_("Title in Russian"), required=False)
    title_en = bounds.form_field(bounds.Title, label=_("Title in English"), required=False)
    description_kk = bounds.form_field(
        bounds.Description,
        label=_("Description in Kazakh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_ru = bounds.form_field(
        bounds.Description,
        label=_("Description in Russian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_en = bounds.form_field(
        bounds.Description,
        label=_("Description in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"), choices=ApplicantKind.choices, widget=forms.CheckboxSelectMultiple
    )
    places_awarded = bounds.form_field(
        bounds.ContestPlaces, label=_("Places awarded at the republican stage"), initial=3
    )
    advance_per_region = bounds.form_field(
        bounds.AdvancingPlaces, label=_("Places that advance from each region"), initial=1
    )
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, contest: Contest) -> dict[str, Any]:
        return {
            "year": contest.year,
            "title_kk": contest.title_kk,
            "title_ru": contest.title_ru,
            "title_en": contest.title_en,
            "description_kk": contest.description_kk,
            "description_ru": contest.description_ru,
            "description_en": contest.description_en,
            "eligible_kinds": list(contest.eligible_kinds),
            "places_awarded": contest.places_awarded,
            "advance_per_region": contest.advance_per_region,
            "version": contest.version,
        }


class StageForm(forms.Form):
    """One stage's dates; the page shows one form per stage, each with its own prefix."""

    level = forms.ChoiceField(choices=Stage.Level.choices, widget=forms.HiddenInput)
    opens_on = bounds.form_field(bounds.RecordDate, label=_("Opens on"))
    opens_time = forms.TimeField(label=_("Opens at (Astana time)"), widget=TimeInput(), initial=dt.time(9, 0))
    deadline_on = bounds.form_field(bounds.RecordDate, label=_("Deadline date"))
    deadline_time = forms.TimeField(
        label=_("Deadline time (Astana time)"), widget=TimeInput(), initial=dt.time(18, 0)
    )
    results_on = bounds.form_field(bounds.RecordDate, label=_("Results announced on"), required=False)
    venue = bounds.form_field(bounds.Label, label=_("Where results are announced"), required=False)

    @classmethod
    def initial_for(cls, level: str, stage: Stage | None) -> dict[str, Any]:
        if stage is None:
            return {"level": level}
        opens_on, opens_time = local_parts(stage.opens_at)
        deadline_on, deadline_time = local_parts(stage.deadline)
        return {
            "level": level,
            "opens_on": opens_on,
            "opens_time": opens_time,
            "deadline_on": deadline_on,
            "deadline_time": deadline_time,
            "results_on": stage.results_on,
            "venue": stage.venue,
        }

    def opens_at(self) -> dt.datetime:
        return combine(self.cleaned_data["opens_on"], self.cleaned_data["opens_time"])

    def deadline(self) -> dt.datetime:
        return combine(self.cleaned_data["deadline_on"], self.cleaned_data["deadline_time"])


# Criteria -----------------------------------------------------------------------------


class CriterionForm(forms.Form):
    name_kk = bounds.form_field(bounds.Name, label=_("Name in Kazakh"))
    name_ru = bounds.form_field(bounds.Name, label=_("Name in Russian"), required=False)
    name_en = bounds.form_field(bounds.Name, label=_("Name in English"), required=False)
    weight = bounds.form_field(bounds.Weight, label=_("Weight"))
    scale_min = bounds.form_field(bounds.ScaleEnd, label=_("Lowest score"), initial=0)
    scale_max = bounds.form_field(bounds.ScaleEnd, label=_("Highest score"), initial=10)


class BaseCriterionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The rows a person filled in, less those ticked for removal; empty extra rows are
    skipped."""

    def _kept_forms(self) -> list[forms.Form]:
        initial = self.initial_form_count()
        return [
            f
            for i, f in enumerate(self.forms)
            if (i < initial or f.has_changed()) and not (f.cleaned_data or {}).get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self._kept_forms():
            raise forms.ValidationError(_("Give at least one criterion."))

    def kept(self) -> list[dict[str, Any]]:
        return [f.cleaned_data for f in self._kept_forms()]


CriterionFormSet = cast(
    type[BaseCriterionFormSet],
    forms.formset_factory(
        CriterionForm, formset=BaseCriterionFormSet, extra=2, can_delete=True, max_num=bounds.MAX_CRITERIA
    ),
)


# Commissions --------------------------------------------------------------------------


class CommissionCreateForm(forms.Form):
    level = forms.ChoiceField(label=_("Commission"), widget=forms.RadioSelect)
    region = forms.TypedChoiceField(
        label=_("Region"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Only for a regional commission."),
    )

    def __init__(self, *args: Any, regions: Sequence[Place], republican: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [(Commission.Level.REGIONAL.value, Commission.Level.REGIONAL.label)]
        if republican:
            levels.append((Commission.Level.REPUBLICAN.value, Commission.Level.REPUBLICAN.label))
        self.fields["level"].choices = levels  # type: ignore[attr-defined]
        self.fields["level"].initial = Commission.Level.REGIONAL
        self.fields["region"].choices = [("", "—"), *((str(r.pk), r.name) for r in regions)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("level") == Commission.Level.REGIONAL and not data.get("region"):
            self.add_error("region", _("Choose the region of the commission."))
        return data


class MemberAddForm(forms.Form):
    username = bounds.form_field(
        bounds.Username,
        label=_("Username"),
        help_text=_("The person signs in to Qoldau with this username."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=CommissionMember.Role.choices)
    affiliation = bounds.form_field(
        bounds.Name,
        label=_("Represents"),
        required=False,
        help_text=_("The organisation or body the member represents."),
    )

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        found = User.objects.filter(username=username, is_active=True).first()
        if found is None:
            raise forms.ValidationError(
                _("There is no user with the username %(username)s. Check the spelling."),
                params={"username": username},
            )
        return found


class ScaleForm(forms.Form):
    scale_min = bounds.form_field(bounds.ScaleEnd, label=_("Lowest score"), required=False)
    scale_max = bounds.form_field(bounds.ScaleEnd, label=_("Highest score"), required=False)


# Grant calls ---------------------------------------------------------------------------


class GrantCallForm(forms.Form):
    operator = forms.TypedChoiceField(label=_("Operator"), coerce=int)
    title_kk = bounds.form_field(bounds.Title, label=_("Title in Kazakh"))
    title_ru = bounds.form_field(bounds.Title, label=_("Title in Russian"), required=False)
    title_en = bounds.form_field(bounds.Title, label=_("Title in English"), required=False)
    description_kk = bounds.form_field(
        bounds.Description,
        label=_("Description in Kazakh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_ru = bounds.form_field(
        bounds.Description,
        label=_("Description in Russian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_en = bounds.form_field(
        bounds.Description,
        label=_("Description in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    budget = bounds.form_field(bounds.Money, label=_("Budget, tenge"))
    bands = forms.MultipleChoiceField(label=_("Grant sizes admitted"), widget=forms.CheckboxSelectMultiple)
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"), choices=ApplicantKind.choices, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.TypedMultipleChoiceField(
        label=_("Eligible regions"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.TypedMultipleChoiceField(
        label=_("Eligible categories"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: projects for any category may apply."),
    )
    opens_on = bounds.form_field(bounds.RecordDate, label=_("Opens on"))
    opens_time = forms.TimeField(label=_("Opens at (Astana time)"), widget=TimeInput(), initial=dt.time(9, 0))
    deadline_on = bounds.form_field(bounds.RecordDate, label=_("Deadline date"))
    deadline_time = forms.TimeField(
        label=_("Deadline time (Astana time)"), widget=TimeInput(), initial=dt.time(18, 0)
    )
    requires_state_ngo_database = forms.BooleanField(
        label=_("Applicants must be in the state NGO database"), required=False, initial=True
    )
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        operators: Sequence[Organisation],
        bands: Sequence[tuple[str, str]],
        regions: Sequence[Place],
        categories: Sequence[VulnerabilityCategory],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = [(str(o.pk), o.name) for o in operators]  # type: ignore[attr-defined]
        self.fields["bands"].choices = list(bands)  # type: ignore[attr-defined]
        self.fields["regions"].choices = [(str(r.pk), r.name) for r in regions]  # type: ignore[attr-defined]
        self.fields["categories"].choices = [(str(c.pk), c.name) for c in categories]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = ("opens_on", "opens_time", "deadline_on", "deadline_time")
        if all(data.get(p) is not None for p in parts) and combine(
            data["deadline_on"], data["deadline_time"]
        ) <= combine(data["opens_on"], data["opens_time"]):
            self.add_error("deadline_on", _("The deadline must come after the opening."))
        return data

    def opens_at(self) -> dt.datetime:
        return combine(self.cleaned_data["opens_on"], self.cleaned_data["opens_time"])

    def deadline(self) -> dt.datetime:
        return combine(self.cleaned_data["deadline_on"], self.cleaned_data["deadline_time"])

    @classmethod
    def initial_for(cls, call: GrantCall) -> dict[str, Any]:
        opens_on, opens_time = local_parts(call.opens_at)
        deadline_on, deadline_time = local_parts(call.deadline)
        return {
            "operator": call.operator_id,
            "title_kk": call.title_kk,
            "title_ru": call.title_ru,
            "title_en": call.title_en,
            "description_kk": call.description_kk,
            "description_ru": call.description_ru,
            "description_en": call.description_en,
            "budget": call.budget,
            "bands": list(call.bands),
            "eligible_kinds": list(call.eligible_kinds),
            "regions": [r.pk for r in call.eligible_regions.all()],
            "categories": [c.pk for c in call.eligible_categories.all()],
            "opens_on": opens_on,
            "opens_time": opens_time,
            "deadline_on": deadline_on,
            "deadline_time": deadline_time,
            "requires_state_ngo_database": call.requires_state_ngo_database,
            "version": call.version,
        }
