"""The progress report's filter: parsing only; `progress.progress_report` decides what counts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.access.models import PeopleCategory
from qoldau.core.models import Place


class ProgressFilterForm(forms.Form):
    """The region to report on, by KATO code; empty for the whole country."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    category = forms.ChoiceField(
        label=_("Statuses in the tables for"), choices=PeopleCategory.choices, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Place.objects.filter(level=Place.Level.REGION).order_by("kato")
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Whole country")),
            *((p.kato, p.name) for p in regions if p.kato),
        ]

    def chosen_region(self) -> Place | None:
        """The chosen region; None for the whole country or when the choice is not valid
        (the form then carries the error to show)."""
        if not self.is_valid() or not self.cleaned_data.get("region"):
            return None
        return Place.objects.filter(kato=self.cleaned_data["region"], level=Place.Level.REGION).first()

    def chosen_category(self) -> str:
        """The category whose statuses the breakdown tables show (wheelchair users by default)."""
        if self.is_valid() and self.cleaned_data.get("category"):
            return str(self.cleaned_data["category"])
        return PeopleCategory.WHEELCHAIR.value


class ProgressExportForm(ProgressFilterForm):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", _("Excel (XLSX)")), ("pdf", _("PDF with charts"))]
    )
