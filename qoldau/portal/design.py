"""The design system's page (/design/): every component live, beside its class names, for
the system administrators who look after the site's look. Its sample data is made here,
never read from the database."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _


class SpecimenForm(forms.Form):
    """One field with a hint, shown with the error a wrong answer gets."""

    phone = forms.RegexField(
        label=_("Mobile phone number"),
        regex=r"^\+7 ?7\d{2} ?\d{3} ?\d{2} ?\d{2}$",
        help_text=_("For example, +7 701 234 56 78."),
        error_messages={"invalid": _("Enter the phone number as +7 followed by ten digits.")},
    )
    district = forms.ChoiceField(
        label=_("District"),
        choices=[("almaly", "Алмалы"), ("bostandyq", "Бостандық"), ("medeu", "Медеу")],
    )
    agrees = forms.BooleanField(label=_("Send me a text message when the answer is ready"), required=False)


def design_context() -> dict[str, Any]:
    form = SpecimenForm(data={"phone": "8 701 23", "district": "medeu"}, auto_id="specimen_%s")
    form.is_valid()
    rows = [
        {"name": "Алмалы", "objects": 312, "surveyed": 250, "status": "success"},
        {"name": "Бостандық", "objects": 405, "surveyed": 198, "status": "warning"},
        {"name": "Медеу", "objects": 227, "surveyed": 0, "status": "error"},
    ]
    return {
        "form": form,
        "rows": rows,
        "page": Paginator(list(range(95)), 20).page(2),
    }
