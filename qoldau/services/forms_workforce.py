"""Forms of the workforce's pages: a worker added to a provider, a training recorded, the
day a worker left, and the choice of a training target on the progress page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.services.models import Position, TrainingTarget


class WorkerForm(forms.Form):
    full_name = bounds.form_field(bounds.Name, label=_("Full name"))
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    qualification = bounds.form_field(bounds.Name, label=_("Qualification"), required=False)
    hired_on = bounds.form_field(bounds.RecordDate, label=_("Hired on"))


class TrainingForm(forms.Form):
    course = bounds.form_field(bounds.Title, label=_("Course"))
    hours = forms.IntegerField(label=_("Hours of the course"), min_value=1, max_value=2000)
    completed_on = bounds.form_field(bounds.RecordDate, label=_("Completed on"))
    certificate = bounds.form_field(bounds.Code, label=_("Certificate number"), required=False)


class LeaveForm(forms.Form):
    left_on = bounds.form_field(bounds.RecordDate, label=_("Left on"))


class TargetForm(forms.Form):
    """The target shown, read from the query string; anything else shows the latest."""

    target = forms.ChoiceField(label=_("Training target"), choices=())

    def __init__(self, data: Any = None, *, targets: list[TrainingTarget], **kwargs: Any) -> None:
        self.targets = {str(t.pk): t for t in targets}
        values = {"target": next(iter(self.targets), "")}
        if data is not None and data.get("target"):
            values["target"] = data["target"]
        super().__init__(values, **kwargs)
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (pk, f"{t.name} ({t.region.name})") for pk, t in self.targets.items()
        ]

    def chosen(self) -> TrainingTarget | None:
        if self.is_valid():
            return self.targets[self.cleaned_data["target"]]
        return next(iter(self.targets.values()), None)
