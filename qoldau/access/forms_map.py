"""Forms of the public pages: the map's filters and reporting a barrier. They parse what a
person chose or typed; `map.py` and `services.barrier_report_submit` decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.access.map import MapFilter, regions_on_map
from qoldau.access.models import CATEGORY_ALIASES, ObjectKind, PeopleCategory, PublicStatus, Zone
from qoldau.core import bounds

QUERY_MAX_LENGTH = bounds.max_length(bounds.SearchText)


class MapFilterForm(forms.Form):
    """The map's and the list's filters, read from the query string. Unknown values are
    dropped rather than refused: a shared link with an old value still opens the map."""

    region = forms.ChoiceField(label=_("Region"), choices=(), required=False)
    category = forms.ChoiceField(
        label=_("I am looking for places accessible to"),
        choices=PeopleCategory.choices,
        widget=forms.RadioSelect,
        required=False,
        initial=PeopleCategory.WHEELCHAIR,
    )
    kind = forms.MultipleChoiceField(
        label=_("Kind of place"),
        choices=ObjectKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=PublicStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    q = bounds.form_field(
        bounds.SearchText,
        label=_("Name or address"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        regions = regions_on_map()
        if data is not None:
            data = _cleaned_query(data, [code for code, _name in regions])
        super().__init__(data, **kwargs)
        self.fields["region"].choices = regions  # type: ignore[attr-defined]
        # The region with the most objects is where most people look first.
        self.default_region = regions[0][0] if regions else ""
        self.fields["region"].initial = self.default_region

    def map_filter(self) -> MapFilter:
        """The filter the form describes; the defaults where it is not valid."""
        if not self.is_bound or not self.is_valid():
            return MapFilter(region=self.default_region)
        return MapFilter(
            region=self.cleaned_data["region"] or self.default_region,
            category=self.cleaned_data["category"] or PeopleCategory.WHEELCHAIR,
            kinds=tuple(self.cleaned_data["kind"]),
            statuses=tuple(self.cleaned_data["status"]),
            query=self.cleaned_data["q"].strip(),
        )


def _cleaned_query(data: Any, regions: list[str]) -> dict[str, Any]:
    """The query string with Latin category letters turned Cyrillic and unknown choices
    dropped, so that the form always validates."""
    category = str(data.get("category", "")).strip().upper()
    category = CATEGORY_ALIASES.get(category, category)
    region = str(data.get("region", "")).strip()
    return {
        "region": region if region in regions else "",
        "category": category if category in PeopleCategory.values else PeopleCategory.WHEELCHAIR,
        "kind": [v for v in data.getlist("kind") if v in ObjectKind.values],
        "status": [v for v in data.getlist("status") if v in PublicStatus.values],
        "q": str(data.get("q", "")).strip()[:QUERY_MAX_LENGTH],
    }


def _optional(choices: list[tuple[str, Any]], empty: str) -> list[tuple[str, Any]]:
    return [("", empty), *choices]


class BarrierStatusForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number of the report"),
        max_length=40,
        help_text=_("As given after the report was sent, for example 1234-K7Q2MX."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class BarrierReportForm(forms.Form):
    description = bounds.form_field(
        bounds.Comment,
        label=_("What is the barrier?"),
        help_text=_("For example: the ramp at the entrance is too steep, or there is no sign in Braille."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.ChoiceField(
        label=_("Who does it stop?"),
        choices=(),
        required=False,
    )
    zone = forms.ChoiceField(
        label=_("Where is it?"),
        choices=(),
        required=False,
    )
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("Optional. A JPEG, PNG or WebP image."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    contact = bounds.form_field(
        bounds.Note,
        label=_("How can we reach you?"),
        help_text=_("Optional: a phone number or an e-mail address, if you would like an answer."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Lazy choices: the "not specified" label in the language of this request.
        self.fields["category"].choices = _optional(  # type: ignore[attr-defined]
            list(PeopleCategory.choices), str(_("Not specified"))
        )
        self.fields["zone"].choices = _optional(  # type: ignore[attr-defined]
            list(Zone.choices), str(_("Not specified"))
        )
