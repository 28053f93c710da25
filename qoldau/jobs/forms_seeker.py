"""The forms of a citizen's own job search: registering as a seeker with an organisation
(who they are, with their consent) and what they want and can do. What their ИПАР rules out
is not here: the organisation's staff record it from the document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.access import accessibility
from qoldau.core import bounds
from qoldau.core.forms import region_choices
from qoldau.core.models import Organisation, Place
from qoldau.jobs.models import Accommodation, EducationLevel, Occupation, Proposal, Vacancy


def _district_choices() -> list[tuple[str, str]]:
    districts = Place.objects.filter(level=Place.Level.DISTRICT).select_related("parent")
    return [("", "—")] + [
        (str(d.pk), f"{d.name} ({d.parent.name})" if d.parent else d.name)
        for d in districts.order_by("parent__kato", "name_kk")
    ]


class SeekerProfileForm(forms.Form):
    """What the citizen wants and can do."""

    occupations = forms.MultipleChoiceField(
        label=_("Occupations you want"),
        required=False,
        help_text=_("The occupations employers are looking for now. Hold Ctrl to choose several."),
    )
    skills = bounds.form_field(bounds.Comment, label=_("Your skills"), required=False)
    education = forms.ChoiceField(label=_("Education"), choices=EducationLevel.choices)
    experience_months = bounds.form_field(
        bounds.ExperienceMonths, label=_("Work experience, months"), initial=0
    )
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)
    weekly_hours_wanted = bounds.form_field(
        bounds.WeeklyHours, label=_("Hours a week you want"), required=False
    )
    pay_wanted = bounds.form_field(bounds.Wage, label=_("Pay you want, tenge a month"), required=False)
    remote_ok = forms.BooleanField(label=_("I would work remotely"), required=False)
    categories_needed = forms.MultipleChoiceField(
        label=_("The workplace must be accessible for"),
        required=False,
        choices=accessibility.CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Accommodations you need at work"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version of the seeker the citizen edits (none when registering).
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, chosen_occupations: Iterable[Occupation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = {
            o.code: o
            for o in Occupation.objects.filter(active=True, vacancies__status=Vacancy.Status.OPEN).distinct()[
                :500
            ]
        }
        offered |= {o.code: o for o in chosen_occupations}
        self.fields["occupations"].choices = sorted(  # type: ignore[attr-defined]
            ((code, f"{o.name} ({code})") for code, o in offered.items()), key=lambda c: c[1]
        )
        self.fields["region"].choices = region_choices()  # type: ignore[attr-defined]
        self.fields["district"].choices = _district_choices()  # type: ignore[attr-defined]
        self.fields["accommodations"].choices = [  # type: ignore[attr-defined]
            (a.code, a.name) for a in Accommodation.objects.filter(active=True).order_by("sort_order", "code")
        ]


class SelfRegistrationForm(SeekerProfileForm):
    """Registering with an organisation: who the citizen is, and their consent."""

    organisation = forms.TypedChoiceField(
        label=_("Organisation that will support you"),
        coerce=int,
        help_text=_("Organisations with job coaches, who help people find work and keep it."),
    )
    last_name = bounds.form_field(bounds.PersonName, label=_("Last name"))
    first_name = bounds.form_field(bounds.PersonName, label=_("First name"))
    patronymic = bounds.form_field(bounds.PersonName, label=_("Patronymic"), required=False)
    iin = bounds.form_field(
        bounds.IdNumber,
        label=_("IIN"),
        help_text=_("The organisation's staff confirm it once against your identity document."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organisation I chose processes my personal data to help me find work "
            "and shows my profile to the employers I agree to be sent to."
        ),
    )

    field_order = ["organisation", "last_name", "first_name", "patronymic", "iin"]

    def __init__(self, *args: Any, organisations: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(o.pk), f"{o.name} ({o.region.name})") for o in organisations
        ]
        self.order_fields(self.field_order)


class OwnDeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why you decline"),
        choices=[
            (value, label)
            for value, label in Proposal.DeclineReason.choices
            # The employer's reasons, not the seeker's.
            if value not in {Proposal.DeclineReason.POSITION_FILLED, Proposal.DeclineReason.NO_SHOW}
        ],
    )
    note = bounds.form_field(bounds.Note, label=_("Note"), required=False)
