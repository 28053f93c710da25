"""Forms of the officers' and owners' pages of objects, their import and barrier reports.
Parsing only: the services decide what is allowed and whether values are right
(districts, coordinates, photos), so a page and an import refuse the same things."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from qoldau.access.models import AccessObject, BarrierReport, ObjectKind, PeopleCategory, PublicStatus
from qoldau.core import bounds
from qoldau.core.forms import district_choices
from qoldau.core.models import Place
from qoldau.imports.readers import ACCEPTED_SUFFIXES, FILE_HELP

PHOTO_TYPES = "image/jpeg,image/png,image/webp"


def _region_choices(regions: Sequence[Place]) -> list[tuple[str, str]]:
    return [(str(r.pk), r.name) for r in regions]


class ObjectFilterForm(forms.Form):
    q = bounds.form_field(bounds.SearchText, label=_("Name, address or register number"), required=False)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ObjectKind.choices]
    )
    category = forms.ChoiceField(
        label=_("Status for"),
        required=False,
        choices=PeopleCategory.choices,
        initial=PeopleCategory.WHEELCHAIR,
    )
    status = forms.ChoiceField(
        label=_("Public status"), required=False, choices=[("", _("Any status")), *PublicStatus.choices]
    )
    passported = forms.ChoiceField(
        label=_("Passport"),
        required=False,
        choices=[("", _("With or without")), ("yes", _("Passported")), ("no", _("Not passported yet"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]


class ObjectForm(forms.Form):
    name_kk = bounds.form_field(bounds.Name, label=_("Name in Kazakh"))
    name_ru = bounds.form_field(bounds.Name, label=_("Name in Russian"), required=False)
    name_en = bounds.form_field(bounds.Name, label=_("Name in English"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ObjectKind.choices)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, empty_value=None)
    address = bounds.form_field(bounds.Address, label=_("Address"))
    latitude = bounds.form_field(
        bounds.Coordinate,
        label=_("Latitude"),
        help_text=_("Degrees north, for example 43.2389."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = bounds.form_field(
        bounds.Coordinate,
        label=_("Longitude"),
        help_text=_("Degrees east, for example 76.8897."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    owner_bin = bounds.form_field(
        bounds.IdNumber,
        label=_("Owner's BIN"),
        required=False,
        help_text=_("12 digits, if the owner is registered on the platform."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    owner_name = bounds.form_field(
        bounds.Name,
        label=_("Owner, as written"),
        required=False,
        help_text=_("If the owner is not registered on the platform."),
    )
    external_id = bounds.form_field(bounds.Code, label=_("Register number"), required=False)
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, regions: Sequence[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices(regions)  # type: ignore[attr-defined]
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, obj: AccessObject) -> dict[str, Any]:
        return {
            "name_kk": obj.name_kk,
            "name_ru": obj.name_ru,
            "name_en": obj.name_en,
            "kind": obj.kind,
            "region": obj.region_id,
            "district": obj.district_id,
            "address": obj.address,
            "latitude": obj.latitude,
            "longitude": obj.longitude,
            "owner_bin": obj.owner.bin if obj.owner is not None else "",
            "owner_name": obj.owner_name,
            "external_id": obj.external_id,
            "version": obj.version,
        }


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("A JPEG, PNG or WebP image."),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_TYPES}),
    )
    caption = bounds.form_field(bounds.Note, label=_("Caption"), required=False)


class SurveyorAssignForm(forms.Form):
    surveyor = forms.TypedChoiceField(label=_("Surveyor"), coerce=int)

    def __init__(self, *args: Any, surveyors: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["surveyor"].choices = [  # type: ignore[attr-defined]
            (str(u.pk), u.get_full_name() or u.get_username()) for u in surveyors
        ]


class ObjectsImportForm(forms.Form):
    region = forms.TypedChoiceField(label=_("Region (city)"), coerce=int)
    file = forms.FileField(
        label=_("File of objects"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def __init__(self, *args: Any, regions: Sequence[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices(regions)  # type: ignore[attr-defined]


OPEN = "open"


class BarrierFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(OPEN, _("Open: new and in progress")), ("", _("All")), *BarrierReport.State.choices],
    )


class BarrierHandleForm(forms.Form):
    state = forms.ChoiceField(
        label=_("What happens to the report"),
        choices=[
            (BarrierReport.State.IN_PROGRESS, _("In progress: we are working on it")),
            (BarrierReport.State.RESOLVED, _("Resolved: the barrier is removed")),
            (BarrierReport.State.REJECTED, _("Not confirmed: there is no such barrier")),
        ],
        widget=forms.RadioSelect,
    )
    resolution = bounds.form_field(
        bounds.Comment,
        label=_("What was done or found"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the report is resolved or not confirmed."),
    )
