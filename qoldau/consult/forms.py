from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.consult.models import Conversation
from qoldau.projects.models import Project

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
    iin = forms.CharField(
        label=_("IIN of the person, to count the consultation in the project's figures"),
        help_text=_("Only when the person gave it and the organisation serves them; leave empty otherwise."),
        required=False,
        max_length=20,
    )
    project = forms.TypedChoiceField(label=_("Project"), coerce=int, required=False, empty_value=None)
    service = forms.ChoiceField(
        label=_("Kind of consultation"),
        choices=[
            ("legal_consultation", _("Legal consultation")),
            ("social_consultation", _("Social consultation")),
        ],
        initial="legal_consultation",
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, projects: Sequence[Project] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "—"), *((p.pk, p.title) for p in projects)]  # type: ignore[attr-defined]
