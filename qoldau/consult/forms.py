from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.consult.models import Conversation
from qoldau.core import bounds
from qoldau.core.models import Place
from qoldau.projects.models import Project

# Longer text is accepted and cut by the service; the limit only keeps requests bounded.
MAX_INPUT = bounds.max_length(bounds.Question)


class AskForm(forms.Form):
    text = bounds.form_field(
        bounds.Question, label=_("Your question"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(forms.Form):
    # Bounded well below a question: a reply is read on a phone, and in Telegram.
    text = bounds.form_field(bounds.Comment, label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))


class HandOffForm(forms.Form):
    """The person's region, so that a consultant who knows its services answers."""

    region = forms.TypedChoiceField(
        label=_("Your region (optional)"),
        help_text=_(
            "A consultant of an organisation working in your region will answer, where there is one."
        ),
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, region_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Place.objects.filter(level=Place.Level.REGION, kato__isnull=False).order_by("kato")
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("I do not want to say")),
            *((place.pk, place.name) for place in regions),
        ]
        if region_id is not None:
            self.fields["region"].initial = region_id


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Conversation.Outcome.choices, widget=forms.RadioSelect
    )
    iin = bounds.form_field(
        bounds.IdNumber,
        label=_("IIN of the person, to count the consultation in the project's figures"),
        help_text=_("Only when the person gave it and the organisation serves them; leave empty otherwise."),
        required=False,
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
