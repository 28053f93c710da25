"""Forms parse what a person typed; the services decide whether it is allowed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from qoldau.core.identifiers import normalise_kazakh_mobile
from qoldau.core.models import Organisation, Person, Place, VulnerabilityCategory
from qoldau.core.services.citizens import PASSWORD_MAX_LENGTH


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
        # Citizens sign in with the phone of their account (`CitizenPhoneBackend`).
        self.fields["username"].label = _("User name or mobile phone")

    def clean_username(self) -> str:
        """A phone in its one written form: the lockout after failed attempts counts by
        what is signed in with, and "8 701 …" and "+7 701 …" must not be two counts."""
        username = str(self.cleaned_data.get("username") or "")
        try:
            return normalise_kazakh_mobile(username)
        except ValidationFailed:
            return username


class CitizenSignUpForm(forms.Form):
    """A citizen's own account: their name, their mobile phone, which they sign in with,
    and a password (Django's validators check it in the service)."""

    name = bounds.form_field(bounds.PersonName, label=_("Your name"))
    phone = bounds.form_field(
        bounds.Phone,
        label=_("Mobile phone"),
        help_text=_("For example +7 701 123 45 67. You will sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        help_text=_("At least 8 characters; not only digits, and not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    name_kk = bounds.form_field(bounds.Name, label=_("Name in Kazakh"))
    name_ru = bounds.form_field(bounds.Name, label=_("Name in Russian"), required=False)
    name_en = bounds.form_field(bounds.Name, label=_("Name in English"), required=False)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)
    address = bounds.form_field(bounds.Address, label=_("Address"), required=False)
    phone = bounds.form_field(bounds.Phone, label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=bounds.max_length(bounds.Email))
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        max_length=bounds.max_length(bounds.Website),
    )
    in_state_ngo_database = forms.BooleanField(label=_("In the state NGO database"), required=False)
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # type: ignore[attr-defined]
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]


class OrganisationCreateForm(OrganisationForm):
    bin = bounds.form_field(
        bounds.IdNumber,
        label=_("BIN"),
        required=False,
        help_text=_("12 digits. Only an initiative group may have none."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    field_order = ["bin", "kind", "name_kk", "name_ru", "name_en", "region", "district"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class PersonForm(forms.Form):
    iin = bounds.form_field(
        bounds.IdNumber,
        label=_("IIN"),
        required=False,
        help_text=_("12 digits. Birth date and sex are read from it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    no_iin_reason = forms.ChoiceField(
        label=_("If there is no IIN, why"),
        choices=[("", "—"), *Person.NoIinReason.choices],
        required=False,
    )
    no_iin_note = bounds.form_field(bounds.Note, label=_("Note on the missing IIN"), required=False)
    last_name = bounds.form_field(bounds.PersonName, label=_("Last name"))
    first_name = bounds.form_field(bounds.PersonName, label=_("First name"))
    patronymic = bounds.form_field(bounds.PersonName, label=_("Patronymic"), required=False)
    birth_date = bounds.form_field(
        bounds.BirthDate, label=_("Birth date (only without an IIN)"), required=False
    )
    sex = forms.ChoiceField(
        label=_("Sex (only without an IIN)"),
        choices=[("", "—"), *Person.Sex.choices],
        required=False,
    )
    phone = bounds.form_field(
        bounds.Phone,
        label=_("Phone"),
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
    consent_given_on = bounds.form_field(
        bounds.RecordDate,
        label=_("Consent to data processing given on"),
        help_text=_("The signed consent form stays with your organisation."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]


class PersonEditForm(PersonForm):
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput)


class PersonCategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=VulnerabilityCategory.objects.all())
    since = bounds.form_field(bounds.Day, label=_("Since"))
    until = bounds.form_field(bounds.Day, label=_("Until"), required=False)
    details = bounds.form_field(
        bounds.CategoryDetails,
        label=_("Details (certificate, programme)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored encrypted."),
    )


class PersonCategoryEndForm(forms.Form):
    until = bounds.form_field(bounds.Day, label=_("Ended on"))


class ConsentWithdrawForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    withdrawn_on = bounds.form_field(bounds.RecordDate, label=_("Withdrawn on"))

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]


class AuditFilterForm(forms.Form):
    username = bounds.form_field(bounds.Username, label=_("User"), required=False)
    action = bounds.form_field(bounds.Code, label=_("Action starts with"), required=False)
    person_iin = bounds.form_field(bounds.IdNumber, label=_("Person's IIN"), required=False)
    date_from = bounds.form_field(bounds.Day, label=_("From"), required=False)
    date_to = bounds.form_field(bounds.Day, label=_("To"), required=False)
