"""The public vacancy search's form: it parses the query string into a `VacancySearch`.
Unknown values are dropped rather than refused, so that an old shared link still opens the
search (as the accessibility map's filters do)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.access import accessibility
from qoldau.core.models import Place
from qoldau.jobs.selectors import VacancySearch, occupations_with_open_vacancies


def _region_choices() -> list[tuple[str, str]]:
    regions = Place.objects.filter(level=Place.Level.REGION, kato__isnull=False).order_by("kato")
    return [("", str(_("Any region")))] + [(str(p.kato), p.name) for p in regions]


def _district_choices() -> list[Any]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    # Districts by id: the reference list of districts carries no KATO codes.
    districts = Place.objects.filter(level=Place.Level.DISTRICT).select_related("parent")
    for place in districts.order_by("parent__kato", "name_kk"):
        region = place.parent.name if place.parent is not None else ""
        grouped.setdefault(region, []).append((str(place.pk), place.name))
    return [("", str(_("Any district"))), *grouped.items()]


class VacancySearchForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), choices=(), required=False)
    district = forms.ChoiceField(label=_("District"), choices=(), required=False)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=(), required=False)
    category = forms.ChoiceField(
        label=_("Accessible for"),
        choices=(("", _("Any category")), *accessibility.CATEGORY_CHOICES),
        required=False,
        help_text=_("The workplace is accessible, the work is remote, or an accommodation makes it so."),
    )
    quota = forms.BooleanField(label=_("Quota jobs only"), required=False)
    remote = forms.BooleanField(label=_("Remote work only"), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        regions = _region_choices()
        districts = _district_choices()
        occupations = [
            ("", str(_("Any occupation"))),
            *((o.code, f"{o.code} {o.name}") for o in occupations_with_open_vacancies()),
        ]
        if data is not None:
            data = _known(data, regions, districts, occupations)
        super().__init__(data, **kwargs)
        self.fields["region"].choices = regions  # type: ignore[attr-defined]
        self.fields["district"].choices = districts  # type: ignore[attr-defined]
        self.fields["occupation"].choices = occupations  # type: ignore[attr-defined]

    def search(self) -> VacancySearch:
        """The search the form describes; everything when it is not bound."""
        if not self.is_bound or not self.is_valid():
            return VacancySearch()
        data = self.cleaned_data
        region = Place.objects.filter(kato=data["region"]).first() if data["region"] else None
        district = Place.objects.filter(pk=int(data["district"])).first() if data["district"] else None
        occupation = None
        if data["occupation"]:
            occupation = occupations_with_open_vacancies().filter(code=data["occupation"]).first()
        return VacancySearch(
            region=region,
            district=district,
            occupation=occupation,
            category=data["category"],
            quota=data["quota"],
            remote=data["remote"],
        )

    def query(self) -> str:
        """The search as a query string, for the pages' links."""
        if not self.is_bound or not self.is_valid():
            return ""
        pairs = [(name, str(value)) for name, value in self.cleaned_data.items() if value]
        return urlencode([(name, "on" if value == "True" else value) for name, value in pairs])


def _values(choices: list[Any]) -> set[str]:
    found: set[str] = set()
    for value, label in choices:
        if isinstance(label, list):
            found.update(v for v, _label in label)
        else:
            found.add(value)
    return found


def _known(data: Any, regions: list[Any], districts: list[Any], occupations: list[Any]) -> dict[str, Any]:
    def pick(name: str, choices: list[Any]) -> str:
        value = str(data.get(name, "")).strip()
        return value if value in _values(choices) else ""

    category = accessibility.category_code(str(data.get("category", ""))) or ""
    return {
        "region": pick("region", regions),
        "district": pick("district", districts),
        "occupation": pick("occupation", occupations),
        "category": category,
        "quota": data.get("quota", ""),
        "remote": data.get("remote", ""),
    }
