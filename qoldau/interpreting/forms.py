"""The forms of interpreting: a call (where and what for), a message to be called back, a
booking, and a dispatcher's override. Bounds come from `core.bounds`; the rules are the
services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.interpreting.models import Purpose


class CallForm(forms.Form):
    place = bounds.form_field(
        bounds.Note,
        label=_("Where are you?"),
        help_text=_("For example: polyclinic No. 5, a public service centre, a job interview."),
    )
    purpose = forms.ChoiceField(label=_("What is the call for?"), choices=Purpose.choices)
    emergency = forms.BooleanField(
        label=_("This is an emergency"),
        required=False,
        help_text=_("An emergency is answered first. Use it only when health or safety is at stake."),
    )


class CallbackForm(forms.Form):
    text = bounds.form_field(
        bounds.Remark,
        label=_("Your message"),
        help_text=_("Say how and when to reach you. An interpreter calls you back."),
    )


class BookingForm(forms.Form):
    starts_at = bounds.form_field(
        bounds.Moment,
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    ends_at = bounds.form_field(
        bounds.Moment,
        label=_("Ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = bounds.form_field(bounds.Note, label=_("Where"))
    purpose = forms.ChoiceField(label=_("What for"), choices=Purpose.choices)


class OverrideForm(forms.Form):
    reason = bounds.form_field(bounds.Note, label=_("Why the call may go on without hours left"))
