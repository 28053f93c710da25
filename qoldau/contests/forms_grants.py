"""Forms of the operator's grant pages: awarding a ranked application, planning and paying
tranches, scheduling and reviewing grantee reports. Parsing only: the services keep the
budget, the grant and the report rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.contests.models import GranteeReport
from qoldau.core.forms import DateInput


class AwardForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(
        label=_("Grant, tenge"), min_value=0, max_digits=16, decimal_places=2, localize=False
    )


class TranchePlanForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount, tenge"), min_value=0, max_digits=16, decimal_places=2)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class TranchePayForm(forms.Form):
    tranche = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())


class ReportScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=GranteeReport.Kind.choices)
    period_start = forms.DateField(label=_("Period starts"), widget=DateInput())
    period_end = forms.DateField(label=_("Period ends"), widget=DateInput())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


ACCEPT = "accept"
RETURN = "return"


class ReportReviewForm(forms.Form):
    report = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept the report")), (RETURN, _("Return it for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the grantee"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the report is returned: say what must change."),
    )
