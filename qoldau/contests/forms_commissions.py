"""Forms of a commission's work: the score sheet, a declared conflict of interest and the
secretary's eligibility decision. They parse what a person typed; the services decide
whether it is allowed (a score's scale, a refusal's reason)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.contests.selectors import ScoreSheetLine
from qoldau.core import bounds
from qoldau.core.errors import ErrorCode


def _plain(value: Decimal | None) -> str:
    """8.00 → "8", 7.50 → "7.5": how a person would type it."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class ScoreField(forms.CharField):
    """A score as typed: a number with a point or a comma. The scale is the service's to
    check, so that its message is the one shown."""

    LIMIT = bounds.max_length(bounds.NumberText)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", str(self.LIMIT))

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = str(super().to_python(value) or "").strip().replace(" ", "").replace(",", ".")
        if not text:
            return None
        if len(text) > self.LIMIT:
            raise forms.ValidationError(
                _("Enter the score as a number, for example 7 or 7.5."), code=ErrorCode.INVALID
            )
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise forms.ValidationError(
                _("Enter the score as a number, for example 7 or 7.5."), code=ErrorCode.INVALID
            ) from exc
        if not number.is_finite():
            raise forms.ValidationError(
                _("Enter the score as a number, for example 7 or 7.5."), code=ErrorCode.INVALID
            )
        return number


def score_field_name(criterion_id: int) -> str:
    return f"criterion_{criterion_id}"


def comment_field_name(criterion_id: int) -> str:
    return f"comment_{criterion_id}"


class ScoreSheetForm(forms.Form):
    """One score and one comment per criterion, each score's label naming its scale."""

    def __init__(self, *args: Any, lines: list[ScoreSheetLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            criterion = line.criterion
            self.fields[score_field_name(criterion.pk)] = ScoreField(
                label=_("%(criterion)s: score from %(low)s to %(high)s")
                % {"criterion": criterion.name, "low": line.low, "high": line.high},
                help_text=_("Weight %(weight)s. Whole or decimal numbers, such as 7.5.")
                % {"weight": _plain(criterion.weight)},
                initial=_plain(line.value),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}),
            )
            self.fields[comment_field_name(criterion.pk)] = bounds.form_field(
                bounds.Comment,
                label=_("Comment on %(criterion)s") % {"criterion": criterion.name},
                required=False,
                initial=line.comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def pairs(self) -> list[tuple[ScoreSheetLine, forms.BoundField, forms.BoundField]]:
        """(line, score field, comment field) per criterion, for the template."""
        return [
            (line, self[score_field_name(line.criterion.pk)], self[comment_field_name(line.criterion.pk)])
            for line in self.lines
        ]

    def scores(self) -> list[tuple[int, Decimal, str]]:
        """(criterion, value, comment) for every criterion, once the form is valid."""
        return [
            (
                line.criterion.pk,
                self.cleaned_data[score_field_name(line.criterion.pk)],
                self.cleaned_data[comment_field_name(line.criterion.pk)],
            )
            for line in self.lines
        ]


class ConflictForm(forms.Form):
    reason = bounds.form_field(
        bounds.Comment,
        label=_("How you are connected to the application"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your scores of this application, if any, are withdrawn; the log keeps them."),
        error_messages={"required": _("Say how you are connected to the application.")},
    )


ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"


class EligibilityForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ELIGIBLE, _("Eligible")), (INELIGIBLE, _("Not eligible"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the application is eligible.")},
    )
    reason = bounds.form_field(
        bounds.Comment,
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the application is not eligible; the applicant receives it."),
    )

    @property
    def eligible(self) -> bool:
        return bool(self.cleaned_data["decision"] == ELIGIBLE)
