"""Forms of the directory: the public search (unknown values dropped, so an old shared
link still opens it) and the forms provider staff keep their entry with (each field
bounded as the API's, the domain's rules left to the services)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.forms import district_choices, region_choices
from qoldau.core.models import VulnerabilityCategory
from qoldau.services import selectors, services
from qoldau.services.catalogue import LANGUAGES
from qoldau.services.models import CatalogueTerm, Location, Permit, ProviderKind

# Ages a search may ask about, in whole years.
MAX_SEARCH_AGE = 120


def _terms(taxonomy: str, empty: Any) -> list[tuple[str, str]]:
    return [("", str(empty)), *((t.code, t.name) for t in selectors.catalogue(taxonomy))]


def _categories(empty: Any) -> list[tuple[str, str]]:
    return [("", str(empty)), *((c.code, c.name) for c in VulnerabilityCategory.objects.all())]


class DirectorySearchForm(forms.Form):
    q = bounds.form_field(bounds.SearchText, label=_("Name of the service"), required=False)
    need = forms.ChoiceField(label=_("What you need"), choices=(), required=False)
    region = forms.ChoiceField(label=_("Region"), choices=(), required=False)
    district = forms.ChoiceField(label=_("District"), choices=(), required=False)
    age = forms.IntegerField(
        label=_("Age of the person, in years"), min_value=0, max_value=MAX_SEARCH_AGE, required=False
    )
    category = forms.ChoiceField(label=_("Category of the person"), choices=(), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        choices: dict[str, list[Any]] = {
            "need": _terms(CatalogueTerm.Taxonomy.NEED, _("Any need")),
            "region": [("", str(_("Any region"))), *region_choices()[1:]],
            "district": [("", str(_("Any district"))), *district_choices()[1:]],
            "category": _categories(_("Anyone")),
        }
        if data is not None:
            data = data.copy()
            for name, options in choices.items():
                flat = {str(v) for v, label in options if not isinstance(label, list)} | {
                    str(v) for _g, items in options if isinstance(items, list) for v, _l in items
                }
                if data.get(name, "") not in flat:
                    data[name] = ""
        super().__init__(data, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]

    def directory_filter(self) -> selectors.DirectoryFilter:
        if not self.is_bound or not self.is_valid():
            return selectors.DirectoryFilter()
        data = self.cleaned_data
        return selectors.DirectoryFilter(
            text=data["q"] or "",
            need=data["need"],
            region_id=int(data["region"]) if data["region"] else None,
            district_id=int(data["district"]) if data["district"] else None,
            age=data["age"],
            category=data["category"],
        )

    def query(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return urlencode([(k, v) for k, v in self.cleaned_data.items() if v not in (None, "")])


class ProviderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of provider"), choices=ProviderKind.choices)
    description_kk = bounds.form_field(bounds.Comment, label=_("Description in Kazakh"), required=False)
    description_ru = bounds.form_field(bounds.Comment, label=_("Description in Russian"), required=False)
    description_en = bounds.form_field(bounds.Comment, label=_("Description in English"), required=False)

    def provider_input(self) -> services.ProviderInput:
        return services.ProviderInput(**self.cleaned_data)


class PermitForm(forms.Form):
    issuer = bounds.form_field(bounds.Title, label=_("Issued by"))
    number = bounds.form_field(bounds.Code, label=_("Number"))
    activity = bounds.form_field(bounds.Title, label=_("Activity it permits"))
    valid_from = bounds.form_field(bounds.RecordDate, label=_("Valid from"))
    valid_to = bounds.form_field(
        bounds.RecordDate,
        label=_("Valid to"),
        required=False,
        help_text=_("Leave empty for a permit without end."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Permit.Status.choices)

    def permit_input(self) -> services.PermitInput:
        return services.PermitInput(**self.cleaned_data)


class LocationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of location"), choices=Location.Kind.choices)
    name_kk = bounds.form_field(bounds.Title, label=_("Name in Kazakh"))
    name_ru = bounds.form_field(bounds.Title, label=_("Name in Russian"), required=False)
    name_en = bounds.form_field(bounds.Title, label=_("Name in English"), required=False)
    address = bounds.form_field(bounds.Address, label=_("Address"), required=False)
    region = forms.ChoiceField(label=_("Region"), choices=())
    district = forms.ChoiceField(label=_("District"), choices=(), required=False)
    latitude = bounds.form_field(bounds.Coordinate, label=_("Latitude"), required=False)
    longitude = bounds.form_field(bounds.Coordinate, label=_("Longitude"), required=False)
    building = bounds.form_field(
        bounds.Id,
        label=_("Number of the building on the accessibility map"),
        required=False,
        help_text=_(
            "Open the building on the accessibility map: its number is in the page's address. "
            "Its accessibility passport then shows in the directory."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # type: ignore[attr-defined]
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(location: Location) -> dict[str, Any]:
        return {
            "kind": location.kind,
            "name_kk": location.name_kk,
            "name_ru": location.name_ru,
            "name_en": location.name_en,
            "address": location.address,
            "region": location.region_id,
            "district": location.district_id or "",
            "latitude": location.latitude if location.latitude is not None else "",
            "longitude": location.longitude if location.longitude is not None else "",
            "building": location.building_id,
        }

    def location_input(self) -> services.LocationInput:
        data = self.cleaned_data
        return services.LocationInput(
            kind=data["kind"],
            name_kk=data["name_kk"],
            name_ru=data["name_ru"] or "",
            name_en=data["name_en"] or "",
            address=data["address"] or "",
            region_id=int(data["region"]),
            district_id=int(data["district"]) if data["district"] else None,
            latitude=data["latitude"] or "",
            longitude=data["longitude"] or "",
            building_id=data["building"],
        )


LOCATION_FIELDS = {"region_id": "region", "district_id": "district", "building_id": "building"}
SERVICE_FIELDS = {
    "setting_code": "setting",
    "kind_code": "kind",
    "need_codes": "needs",
    "category_codes": "categories",
    "location_ids": "locations",
}


class ServiceForm(forms.Form):
    name_kk = bounds.form_field(bounds.Title, label=_("Name in Kazakh"))
    name_ru = bounds.form_field(bounds.Title, label=_("Name in Russian"))
    name_en = bounds.form_field(bounds.Title, label=_("Name in English"), required=False)
    setting = forms.ChoiceField(label=_("Setting"), choices=())
    kind = forms.ChoiceField(label=_("Type of service"), choices=())
    needs = forms.MultipleChoiceField(
        label=_("Needs it meets"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description_kk = bounds.form_field(bounds.Comment, label=_("Description in Kazakh"), required=False)
    description_ru = bounds.form_field(bounds.Comment, label=_("Description in Russian"), required=False)
    description_en = bounds.form_field(bounds.Comment, label=_("Description in English"), required=False)
    minimum_age = forms.IntegerField(label=_("From age"), min_value=0, max_value=120, required=False)
    maximum_age = forms.IntegerField(
        label=_("To age (inclusive)"), min_value=0, max_value=120, required=False
    )
    categories = forms.MultipleChoiceField(
        label=_("For the categories"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the service is for anyone."),
    )
    eligibility_kk = bounds.form_field(
        bounds.Remark, label=_("Who may receive it, in Kazakh"), required=False
    )
    eligibility_ru = bounds.form_field(
        bounds.Remark, label=_("Who may receive it, in Russian"), required=False
    )
    eligibility_en = bounds.form_field(
        bounds.Remark, label=_("Who may receive it, in English"), required=False
    )
    application_kk = bounds.form_field(bounds.Remark, label=_("How to apply, in Kazakh"), required=False)
    application_ru = bounds.form_field(bounds.Remark, label=_("How to apply, in Russian"), required=False)
    application_en = bounds.form_field(bounds.Remark, label=_("How to apply, in English"), required=False)
    schedule_kk = bounds.form_field(bounds.Title, label=_("Schedule in Kazakh"), required=False)
    schedule_ru = bounds.form_field(bounds.Title, label=_("Schedule in Russian"), required=False)
    schedule_en = bounds.form_field(bounds.Title, label=_("Schedule in English"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages it is given in"),
        choices=[(code, label) for code, label in LANGUAGES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    fee = bounds.form_field(bounds.Money, label=_("Fee, tenge"), required=False)
    fee_note_kk = bounds.form_field(bounds.Title, label=_("About the fee, in Kazakh"), required=False)
    fee_note_ru = bounds.form_field(bounds.Title, label=_("About the fee, in Russian"), required=False)
    fee_note_en = bounds.form_field(bounds.Title, label=_("About the fee, in English"), required=False)
    offer_days = forms.IntegerField(label=_("Days to accept an offered place"), min_value=1, max_value=30)
    phone = bounds.form_field(bounds.Phone, label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    url = forms.URLField(label=_("Web page"), required=False, max_length=200)
    locations = forms.MultipleChoiceField(
        label=_("Where it is given"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    NOT_TEXT = frozenset(
        {
            "setting",
            "kind",
            "needs",
            "categories",
            "languages",
            "locations",
            "minimum_age",
            "maximum_age",
            "free",
            "fee",
            "offer_days",
        }
    )

    def __init__(self, *args: Any, locations: list[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["setting"].choices = _terms(CatalogueTerm.Taxonomy.SETTING, "—")  # type: ignore[attr-defined]
        self.fields["kind"].choices = _terms(CatalogueTerm.Taxonomy.TYPE, "—")  # type: ignore[attr-defined]
        self.fields["needs"].choices = _terms(CatalogueTerm.Taxonomy.NEED, "")[1:]  # type: ignore[attr-defined]
        self.fields["categories"].choices = _categories("")[1:]  # type: ignore[attr-defined]
        self.fields["locations"].choices = [(str(loc.pk), loc.name) for loc in locations]  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(service: Any) -> dict[str, Any]:
        initial = {
            name: getattr(service, name)
            for name in ServiceForm.base_fields
            if name not in ("setting", "kind", "needs", "categories", "languages", "locations")
        }
        initial.update(
            setting=service.setting.code,
            kind=service.kind.code,
            needs=[t.code for t in service.needs.all()],
            categories=[c.code for c in service.categories.all()],
            languages=service.language_codes,
            locations=[str(pk) for pk in service.locations.values_list("pk", flat=True)],
        )
        return initial

    def service_input(self) -> services.ServiceInput:
        data: dict[str, Any] = dict(self.cleaned_data)
        texts = {k: v or "" for k, v in data.items() if k not in ServiceForm.NOT_TEXT}
        return services.ServiceInput(
            setting_code=data["setting"],
            kind_code=data["kind"],
            need_codes=tuple(data["needs"]),
            category_codes=tuple(data["categories"]),
            languages=tuple(data["languages"]),
            location_ids=tuple(int(pk) for pk in data["locations"]),
            minimum_age=data["minimum_age"],
            maximum_age=data["maximum_age"],
            free=bool(data["free"]),
            fee=data["fee"],
            offer_days=data["offer_days"],
            **texts,
        )


class DocumentForm(forms.Form):
    name_kk = bounds.form_field(bounds.Title, label=_("Document in Kazakh"))
    name_ru = bounds.form_field(bounds.Title, label=_("Document in Russian"))
    name_en = bounds.form_field(bounds.Title, label=_("Document in English"), required=False)

    def document_input(self) -> services.DocumentInput:
        return services.DocumentInput(**{k: v or "" for k, v in self.cleaned_data.items()})


class RegisterProviderForm(ProviderForm):
    organisation = forms.ChoiceField(label=_("Organisation"), choices=())

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]
        self.order_fields(["organisation", "kind"])

    def provider_input(self) -> services.ProviderInput:
        data = {k: v for k, v in self.cleaned_data.items() if k != "organisation"}
        return services.ProviderInput(**data)
