from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.consult.models import Conversation

# Longer text is accepted and cut by the service; the limit only keeps requests bounded.
MAX_INPUT = 40_000


class AskForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=MAX_INPUT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"), max_length=MAX_INPUT, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Conversation.Outcome.choices, widget=forms.RadioSelect
    )
