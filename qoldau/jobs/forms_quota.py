"""The quota page's choice of region and year, read from the query string; a value that
is not one of the choices falls back to the default (the first region, this year)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.models import Place


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
