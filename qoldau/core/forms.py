"""Forms parse what a person typed; the services decide whether it is allowed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import ApplicationError, PermissionDenied
from qoldau.core.models import Organisation, Person, Place, VulnerabilityCategory


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_error(
    form: forms.Form, exc: ApplicationError, *, field_names: Mapping[str, str] | None = None
) -> None:
    """Show a domain error beside the field it names, or above the form. `field_names` maps
    a service's input names to the form's where they differ (`region_id` → `region`). A
    refusal of permission is not a form error: it goes on to the 403 page."""
    if isinstance(exc, PermissionDenied):
        raise exc
    name = (field_names or {}).get(exc.field or "", exc.field)
    form.add_error(name if name in form.fields else None, exc.render())


def region_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (str(p.pk), p.name) for p in Place.objects.filter(level=Place.Level.REGION).order_by("kato")
    ]


def district_choices() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for place in Place.objects.filter(level=Place.Level.DISTRICT).select_related("parent"):
        region = place.parent.name if place.parent is not None else ""
        grouped.setdefault(region, []).append((str(place.pk), place.name))
    return [("", "—"), *((region, items) for region, items in grouped.items())]


class SignInForm(AuthenticationForm):
    """Django's sign-in form without autofocus on the user name: autofocus would skip the
    heading, the language switch and the skip link for keyboard and screen-reader users."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=300)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    in_state_ngo_database = forms.BooleanField(label=_("In the state NGO database"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # type: ignore[attr-defined]
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]


class OrganisationCreateForm(OrganisationForm):
    bin = forms.CharField(
        label=_("BIN"),
        max_length=14,
        required=False,
        help_text=_("12 digits. Only an initiative group may have none."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    field_order = ["bin", "kind", "name_kk", "name_ru", "name_en", "region", "district"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class PersonForm(forms.Form):
    iin = forms.CharField(
        label=_("IIN"),
        max_length=14,
        required=False,
        help_text=_("12 digits. Birth date and sex are read from it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    no_iin_reason = forms.ChoiceField(
        label=_("If there is no IIN, why"),
        choices=[("", "—"), *Person.NoIinReason.choices],
        required=False,
    )
    no_iin_note = forms.CharField(label=_("Note on the missing IIN"), required=False, max_length=300)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Birth date (only without an IIN)"), required=False, widget=DateInput()
    )
    sex = forms.ChoiceField(
        label=_("Sex (only without an IIN)"),
        choices=[("", "—"), *Person.Sex.choices],
        required=False,
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    region = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False, empty_value=None)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # type: ignore[attr-defined]
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]


class PersonCreateForm(PersonForm):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    consent_given_on = forms.DateField(
        label=_("Consent to data processing given on"),
        widget=DateInput(),
        help_text=_("The signed consent form stays with your organisation."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PersonCategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=VulnerabilityCategory.objects.all())
    since = forms.DateField(label=_("Since"), widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    details = forms.CharField(
        label=_("Details (certificate, programme)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored encrypted."),
    )


class PersonCategoryEndForm(forms.Form):
    until = forms.DateField(label=_("Ended on"), widget=DateInput())


class ConsentWithdrawForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False)
    action = forms.CharField(label=_("Action starts with"), required=False)
    person_iin = forms.CharField(label=_("Person's IIN"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
