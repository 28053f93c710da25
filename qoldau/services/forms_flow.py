"""Forms of the provider's, the referrer's, the akimat's and the public flow pages. They
parse and bound what a person types; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.core.forms import DateInput
from qoldau.services.models import CapacityUnit, Enrolment, PlannedCentre, Referral, WaitListEntry
from qoldau.services.services.capacity import MAX_PLACES


class CapacityForm(forms.Form):
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=MAX_PLACES)
    unit = forms.ChoiceField(label=_("Unit"), choices=CapacityUnit.choices)
    since = forms.DateField(label=_("From"), widget=DateInput())


class EnrolForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    starts_on = forms.DateField(label=_("Served from"), widget=DateInput())
    plan = forms.CharField(
        label=_("Individual plan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, people: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = people  # type: ignore[attr-defined]


class JoinForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)

    def __init__(self, *args: object, people: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = people  # type: ignore[attr-defined]


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("Served until"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Why it ended"), choices=Enrolment.EndReason.choices)


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            c for c in WaitListEntry.ParkReason.choices if c[0] != WaitListEntry.ParkReason.OFFER_EXPIRED
        ],
    )
    return_on = forms.DateField(label=_("Back on the list on"), widget=DateInput())


class ReferForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    service = forms.TypedChoiceField(label=_("Service"), coerce=int)
    consent_given_on = forms.DateField(
        label=_("The person agreed to the referral on"),
        widget=DateInput(),
        required=False,
        help_text=_("No referral without the person's consent."),
    )
    reason = forms.CharField(
        label=_("Why the person is referred"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: object, people: list[tuple[int, str]], services: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = people  # type: ignore[attr-defined]
        self.fields["service"].choices = services  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    """One form for every answer; the button pressed says which (`action`)."""

    rejection_reason = forms.ChoiceField(
        label=_("Reason for rejecting"),
        choices=[("", "—"), *Referral.RejectionReason.choices],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Referral.Outcome.choices], required=False
    )
    delivered_on = forms.DateField(
        label=_("Served on (the delivery it produced)"), widget=DateInput(), required=False
    )
    receiver_notes = forms.CharField(
        label=_("Your notes (the referring organisation never sees them)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LookupForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=12)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())


class NetworkForm(forms.Form):
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)

    def __init__(self, *args: object, regions: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].choices = regions  # type: ignore[attr-defined]


class PlannedCentreForm(forms.Form):
    """A centre planned or being built in a region the officer oversees. The places' bounds
    and the district's region are the service's rules (`planned_centre_record`)."""

    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    district = forms.TypedChoiceField(
        label=_("District"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a district of a region you oversee.")},
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=CapacityUnit.choices)
    places = forms.IntegerField(label=_("Planned places"))
    opens_on = forms.DateField(label=_("Planned opening"), widget=DateInput(), required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=PlannedCentre.Stage.choices)

    def __init__(
        self,
        *args: object,
        regions: list[tuple[int, str]],
        districts: list[tuple[str, list[tuple[int, str]]]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].choices = regions  # type: ignore[attr-defined]
        self.fields["district"].choices = [("", "—"), *districts]  # type: ignore[attr-defined]
