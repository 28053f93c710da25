"""Forms of the job fair pages. They parse what the organiser typed or chose among the
fair's own records; the services decide whether it is allowed (`services.fair_create`,
`fair_register_seeker`, `fair_register_employer`, `fair_attendance_record`,
`fair_employers_attended`, `interview_slots_add`, `interview_slot_book`,
`interview_record`, `referral_record`, `referral_outcome_record`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.forms import district_choices, region_choices
from qoldau.jobs.models import FairEmployer, FairReferral, FairSeeker, FairStage, InterviewSlot
from qoldau.jobs.services import FairInput
from qoldau.projects.models import Project

BOOKED = _("booked")
# A time of the fair's day as people type it: 9:30 or 09:30.
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def clock_times(text: str) -> list[dt.time] | None:
    """The times in "09:00, 09:30 10:00", or None if one of them is not a time of day."""
    times = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        found = _CLOCK.match(part)
        if found is None:
            return None
        times.append(dt.time(int(found.group(1)), int(found.group(2))))
    return times


def id_list(text: str) -> list[int] | None:
    """The record numbers in "12, 15", or None if one of them is not a record number."""
    ids = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        parsed = bounds.parse_id(part)
        if parsed is None:
            return None
        ids.append(parsed)
    return ids


def _person_label(registration: FairSeeker) -> str:
    return f"{registration.person.full_name} · {FairStage(registration.stage).label}"


def _slot_label(slot: InterviewSlot) -> str:
    when = slot.starts_at.strftime("%H:%M")
    employer = slot.fair_employer.employer.name
    if slot.outcome:
        return f"{employer} · {when} · {InterviewSlot.Outcome(slot.outcome).label}"
    if slot.booked_by_id:
        return f"{employer} · {when} · {BOOKED}"
    return f"{employer} · {when}"


class FairForm(forms.Form):
    project = forms.TypedChoiceField(
        label=_("Project"), coerce=int, help_text=_("The organisation's project that holds the job fair.")
    )
    title_kk = bounds.form_field(bounds.Title, label=_("Title in Kazakh"))
    title_ru = bounds.form_field(bounds.Title, label=_("Title in Russian"), required=False)
    title_en = bounds.form_field(bounds.Title, label=_("Title in English"), required=False)
    held_on = bounds.form_field(bounds.RecordDate, label=_("Date"))
    place = forms.TypedChoiceField(
        label=_("Region or district"), coerce=int, required=False, empty_value=None
    )
    venue = bounds.form_field(bounds.Address, label=_("Venue"), required=False)

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.projects = {p.pk: p for p in projects}
        self.fields["project"].choices = [(p.pk, p.title) for p in projects]  # type: ignore[attr-defined]
        self.fields["place"].choices = [*region_choices(), *district_choices()[1:]]  # type: ignore[attr-defined]

    def chosen_project(self) -> Project:
        return self.projects[self.cleaned_data["project"]]

    def fair_input(self) -> FairInput:
        data = self.cleaned_data
        return FairInput(
            title_kk=data["title_kk"],
            title_ru=data["title_ru"],
            title_en=data["title_en"],
            held_on=data["held_on"],
            place_id=data["place"],
            venue=data["venue"],
        )


class SeekerRegisterForm(forms.Form):
    person = bounds.form_field(
        bounds.Id,
        label=_("Person's record number"),
        help_text=_("One of your organisation's people: the number at the end of their page's address."),
    )
    registered_on = bounds.form_field(
        bounds.RecordDate,
        label=_("Registered on"),
        required=False,
        help_text=_("Today, or the fair's day if it has passed, when not given."),
    )


class EmployerRegisterForm(forms.Form):
    employer = bounds.form_field(
        bounds.IdNumber, label=_("Employer's BIN"), widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    vacancies = bounds.form_field(
        bounds.Label,
        label=_("Vacancies it brings"),
        required=False,
        help_text=_("The numbers of the employer's open vacancies, separated by commas."),
    )
    registered_on = bounds.form_field(bounds.RecordDate, label=_("Registered on"), required=False)

    def clean_vacancies(self) -> list[int]:
        ids = id_list(self.cleaned_data.get("vacancies") or "")
        if ids is None:
            raise forms.ValidationError(_("Give the vacancies' numbers, separated by commas."))
        return ids


class AttendanceForm(forms.Form):
    people = forms.TypedMultipleChoiceField(
        label=_("People who came"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, registrations: list[FairSeeker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [  # type: ignore[attr-defined]
            (r.person_id, r.person.full_name) for r in registrations if r.stage == FairStage.REGISTERED
        ]


class EmployersAttendedForm(forms.Form):
    employers = forms.TypedMultipleChoiceField(
        label=_("Employers that came"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, tables: list[FairEmployer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employers"].choices = [  # type: ignore[attr-defined]
            (t.employer_id, t.employer.name) for t in tables if not t.attended
        ]


class SlotsForm(forms.Form):
    employer = forms.TypedChoiceField(label=_("Employer's table"), coerce=int)
    starts_at = bounds.form_field(
        bounds.Label,
        label=_("Interview times"),
        help_text=_("Times of the fair's day, separated by commas, for example 10:00, 10:20, 10:40."),
    )

    def __init__(self, *args: Any, tables: list[FairEmployer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [(t.employer_id, t.employer.name) for t in tables]  # type: ignore[attr-defined]

    def clean_starts_at(self) -> list[dt.time]:
        times = clock_times(self.cleaned_data.get("starts_at") or "")
        if times is None:
            raise forms.ValidationError(
                _("Give times of the day from 00:00 to 23:59, separated by commas, for example 10:00, 10:20.")
            )
        return times


class BookForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("Interview slot"), coerce=int)
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)

    def __init__(
        self, *args: Any, slots: list[InterviewSlot], registrations: list[FairSeeker], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Every slot of the fair is a choice: a booked one is refused by the service's rule,
        # with its reason, rather than by the form as an unknown choice.
        self.fields["slot"].choices = [(s.pk, _slot_label(s)) for s in slots]  # type: ignore[attr-defined]
        self.fields["person"].choices = [(r.person_id, _person_label(r)) for r in registrations]  # type: ignore[attr-defined]


class InterviewForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("Interview slot"), coerce=int)
    outcome = forms.ChoiceField(
        label=_("Was the interview held?"), choices=InterviewSlot.Outcome.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, slots: list[InterviewSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.pk, _slot_label(s)) for s in slots if s.booked_by_id]  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    employer = forms.TypedChoiceField(label=_("Employer who refers them"), coerce=int)
    vacancy = bounds.form_field(
        bounds.Id,
        label=_("Vacancy number"),
        required=False,
        help_text=_("Optional: the employer's vacancy the person is referred to."),
    )
    referred_on = bounds.form_field(
        bounds.RecordDate, label=_("Referred on"), required=False, help_text=_("Today when not given.")
    )

    def __init__(
        self, *args: Any, registrations: list[FairSeeker], tables: list[FairEmployer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(r.person_id, _person_label(r)) for r in registrations]  # type: ignore[attr-defined]
        self.fields["employer"].choices = [(t.employer_id, t.employer.name) for t in tables]  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    referral = forms.TypedChoiceField(label=_("Referral"), coerce=int)
    outcome = forms.ChoiceField(
        label=_("Was the person hired?"), choices=FairReferral.Outcome.choices, widget=forms.RadioSelect
    )
    outcome_on = bounds.form_field(bounds.RecordDate, label=_("Decided on"))

    def __init__(self, *args: Any, referrals: list[FairReferral], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        for referral in referrals:
            registration = getattr(referral, "seen_registration", None)
            if registration is None:
                continue
            label = f"{registration.person.full_name} → {referral.fair_employer.employer.name}"
            if referral.outcome:
                label = f"{label} · {FairReferral.Outcome(referral.outcome).label}"
            choices.append((referral.pk, label))
        self.fields["referral"].choices = choices  # type: ignore[attr-defined]
