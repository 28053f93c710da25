"""Forms of the operator's grant pages: awarding a ranked application, planning and paying
tranches, scheduling and reviewing grantee reports. Parsing only: the services keep the
budget, the grant and the report rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.contests.models import GranteeReport
from qoldau.core import bounds


class AwardForm(forms.Form):
    application = bounds.form_field(bounds.Id, widget=forms.HiddenInput)
    amount = bounds.form_field(bounds.Money, label=_("Grant, tenge"))


class TranchePlanForm(forms.Form):
    amount = bounds.form_field(bounds.Money, label=_("Amount, tenge"))
    due_on = bounds.form_field(bounds.RecordDate, label=_("Due on"))


class TranchePayForm(forms.Form):
    tranche = bounds.form_field(bounds.Id, widget=forms.HiddenInput)
    paid_on = bounds.form_field(bounds.RecordDate, label=_("Paid on"))


class ReportScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=GranteeReport.Kind.choices)
    period_start = bounds.form_field(bounds.RecordDate, label=_("Period starts"))
    period_end = bounds.form_field(bounds.RecordDate, label=_("Period ends"))
    due_on = bounds.form_field(bounds.RecordDate, label=_("Due on"))


ACCEPT = "accept"
RETURN = "return"


class ReportReviewForm(forms.Form):
    report = bounds.form_field(bounds.Id, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept the report")), (RETURN, _("Return it for changes"))],
        widget=forms.RadioSelect,
    )
    comment = bounds.form_field(
        bounds.Comment,
        label=_("Comment to the grantee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the report is returned: say what must change."),
    )
