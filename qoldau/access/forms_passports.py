"""Forms of the passport and remediation pages: parsing only; the services decide.

The passport form's field names are those the services name in their errors
(`item-<code>-result`, `item-<code>-measurement`, `zone-<zone>-<category>`), so that an
error the service raises lands beside the input at fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.access import checklist, services
from qoldau.access.models import Measure, Passport, PassportItem, PeopleCategory, Zone, ZoneStatus
from qoldau.core import bounds
from qoldau.core.models import Organisation


def _plain(value: Decimal | None) -> str:
    """A decimal as a person writes it: 0.9, 10, 1500000 (never 1E+1)."""
    return "" if value is None else format(value.normalize(), "f")


def item_field(code: str, part: str) -> str:
    return f"item-{code}-{part}"


def zone_field(zone: str, category: str) -> str:
    return f"zone-{zone}-{category}"


def zone_comment_field(zone: str, category: str) -> str:
    return f"zone-{zone}-{category}-comment"


def photo_field(zone: str) -> str:
    return f"photo-{zone}"


def photo_caption_field(zone: str) -> str:
    return f"photo-{zone}-caption"


class PassportForm(forms.Form):
    """Every answer of one draft: the checklist items, the status and comment of each zone
    for each category, the date, an overall comment and a photo per zone."""

    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput)
    # The draft the page was opened on: if it is submitted meanwhile, saving is refused
    # instead of starting another draft.
    passport = bounds.form_field(bounds.Id, widget=forms.HiddenInput)
    surveyed_on = bounds.form_field(bounds.RecordDate, label=_("Date of the survey"), required=False)
    comment = bounds.form_field(
        bounds.Description,
        label=_("Comment on the whole passport"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in checklist.CHECKLIST:
            self.fields[item_field(item.code, "result")] = forms.ChoiceField(
                label=str(item.label),
                choices=PassportItem.Result.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            if item.unit:
                self.fields[item_field(item.code, "measurement")] = bounds.form_field(
                    bounds.NumberText,
                    label=_("Measurement, %(unit)s") % {"unit": item.unit},
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                )
            self.fields[item_field(item.code, "comment")] = bounds.form_field(
                bounds.Remark, label=_("Comment on this item"), required=False, widget=forms.TextInput
            )
        for zone in Zone:
            for category in PeopleCategory:
                self.fields[zone_field(zone.value, category.value)] = forms.ChoiceField(
                    label=category.label,
                    choices=[("", _("Not chosen yet")), *ZoneStatus.choices],
                    required=False,
                )
                self.fields[zone_comment_field(zone.value, category.value)] = bounds.form_field(
                    bounds.Remark,
                    label=_("Comment for category %(category)s") % {"category": category.value},
                    required=False,
                    widget=forms.TextInput,
                )
            self.fields[photo_field(zone.value)] = forms.FileField(
                label=_("Add a photo of this zone"),
                required=False,
                help_text=_("A JPEG, PNG or WebP image."),
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            )
            self.fields[photo_caption_field(zone.value)] = bounds.form_field(
                bounds.Note, label=_("What the photo shows"), required=False
            )

    @classmethod
    def initial_for(cls, passport: Passport) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": passport.version,
            "passport": passport.pk,
            "surveyed_on": passport.surveyed_on,
            "comment": passport.comment,
        }
        results: dict[str, str] = {}
        for code, result, measurement, comment in passport.items.values_list(
            "code", "result", "measurement", "comment"
        ):
            initial[item_field(code, "result")] = result
            results[code] = result
            initial[item_field(code, "measurement")] = _plain(measurement)
            initial[item_field(code, "comment")] = comment
        for zone, category, status, comment in passport.zone_statuses.values_list(
            "zone", "category", "status", "comment"
        ):
            initial[zone_field(zone, category)] = status
            initial[zone_comment_field(zone, category)] = comment
        # Where no status is chosen yet but every item behind it is answered, start from the
        # checklist's suggestion; the surveyor may change it (to ДУ, say).
        for zone in Zone.values:
            for category in PeopleCategory.values:
                key = zone_field(zone, category)
                relevant = [i.code for i in checklist.items_of_zone(zone) if category in i.categories]
                if key not in initial and all(code in results for code in relevant):
                    initial[key] = checklist.suggested_zone_status(results, zone, category).value
        return initial

    def results(self) -> dict[str, str]:
        """The item results as they stand in the form (submitted or initial)."""
        out: dict[str, str] = {}
        for item in checklist.CHECKLIST:
            value = self[item_field(item.code, "result")].value()
            if value:
                out[item.code] = str(value)
        return out

    def passport_input(self) -> services.PassportInput:
        data = self.cleaned_data
        items: dict[str, services.ItemAnswer] = {}
        for item in checklist.CHECKLIST:
            result = data.get(item_field(item.code, "result")) or ""
            if not result:
                continue
            items[item.code] = services.ItemAnswer(
                result=result,
                measurement=data.get(item_field(item.code, "measurement")) or None,
                comment=data.get(item_field(item.code, "comment")) or "",
            )
        zones: dict[tuple[str, str], services.ZoneAnswer] = {}
        for zone in Zone.values:
            for category in PeopleCategory.values:
                status = data.get(zone_field(zone, category)) or ""
                if status:
                    zones[(zone, category)] = services.ZoneAnswer(
                        status=status, comment=data.get(zone_comment_field(zone, category)) or ""
                    )
        return services.PassportInput(
            surveyed_on=data.get("surveyed_on"), comment=data.get("comment") or "", items=items, zones=zones
        )

    def photos(self) -> list[tuple[str, Any, str]]:
        """(zone, upload, caption) of each photo chosen."""
        return [
            (zone, upload, self.cleaned_data.get(photo_caption_field(zone)) or "")
            for zone in Zone.values
            if (upload := self.cleaned_data.get(photo_field(zone)))
        ]

    def zones(self) -> Iterator[ZoneSection]:
        """The form laid out zone by zone, for the template."""
        results = self.results()
        for number, zone in enumerate(Zone, start=1):
            items = [
                ItemRow(
                    item=item,
                    result=self[item_field(item.code, "result")],
                    measurement=self[item_field(item.code, "measurement")] if item.unit else None,
                    comment=self[item_field(item.code, "comment")],
                )
                for item in checklist.items_of_zone(zone.value)
            ]
            categories = [
                CategoryRow(
                    category=category,
                    status=self[zone_field(zone.value, category.value)],
                    comment=self[zone_comment_field(zone.value, category.value)],
                    suggested=checklist.suggested_zone_status(results, zone.value, category.value),
                )
                for category in PeopleCategory
            ]
            yield ZoneSection(
                number=number,
                zone=zone,
                items=items,
                categories=categories,
                photo=self[photo_field(zone.value)],
                caption=self[photo_caption_field(zone.value)],
            )


@dataclass
class ItemRow:
    item: checklist.ChecklistItem
    result: forms.BoundField
    measurement: forms.BoundField | None
    comment: forms.BoundField


@dataclass
class CategoryRow:
    category: PeopleCategory
    status: forms.BoundField
    comment: forms.BoundField
    suggested: ZoneStatus

    @property
    def suggestion_id(self) -> str:
        return f"{self.status.auto_id}-suggested"

    @property
    def select(self) -> str:
        """The status select, described by the checklist's suggestion and its errors."""
        described_by = [self.suggestion_id]
        attrs: dict[str, str | bool] = {"data-zone-status": "1"}
        if self.status.errors:
            described_by.append(f"{self.status.auto_id}-error")
            attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = " ".join(described_by)
        return self.status.as_widget(attrs=attrs)


@dataclass
class ZoneSection:
    number: int
    zone: Zone
    items: list[ItemRow]
    categories: list[CategoryRow]
    photo: forms.BoundField
    caption: forms.BoundField
    existing_photos: list[Any] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        bound = [self.photo, self.caption]
        for row in self.items:
            bound += [row.result, row.comment, *([row.measurement] if row.measurement else [])]
        for cat in self.categories:
            bound += [cat.status, cat.comment]
        return any(f.errors for f in bound)


# Remediation ----------------------------------------------------------------------------


class MeasureFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *Measure.State.choices]
    )
    kind = forms.ChoiceField(
        label=_("Measure"), required=False, choices=[("", _("Any measure")), *Measure.Kind.choices]
    )
    district = forms.TypedChoiceField(label=_("District"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, districts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("Any district")), *districts]  # type: ignore[attr-defined]


class MeasurePlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=[("", "—"), *Measure.Kind.choices], required=False)
    responsible = forms.TypedChoiceField(
        label=_("Responsible organisation"), required=False, coerce=int, empty_value=None
    )
    responsible_name = bounds.form_field(
        bounds.Name,
        label=_("Or who is responsible, as written"),
        required=False,
        help_text=_("Where the responsible party is not among the organisations above."),
    )
    deadline = bounds.form_field(bounds.RecordDate, label=_("Deadline"), required=False)
    cost = bounds.form_field(
        bounds.NumberText,
        label=_("Cost, tenge"),
        required=False,
        help_text=_("Zero or more; 0 where the measure costs nothing."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = bounds.form_field(
        bounds.Remark, label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(o.pk), o.name) for o in organisations),
        ]

    @classmethod
    def initial_for(cls, measure: Measure) -> dict[str, Any]:
        return {
            "kind": measure.kind,
            "responsible": measure.responsible_id,
            "responsible_name": measure.responsible_name,
            "deadline": measure.deadline,
            "cost": _plain(measure.cost),
            "note": measure.note,
            "version": measure.version,
        }

    def plan(self) -> services.MeasurePlan:
        data = self.cleaned_data
        return services.MeasurePlan(
            kind=data["kind"] or "",
            deadline=data["deadline"],
            cost=data["cost"] or None,
            responsible_id=data["responsible"],
            responsible_name=data["responsible_name"] or "",
            note=data["note"] or "",
        )


class MeasureCompleteForm(forms.Form):
    completed_on = bounds.form_field(bounds.RecordDate, label=_("Completed on"))
    resurvey_by = forms.TypedChoiceField(
        label=_("Ask a surveyor for a re-survey"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The object appears in the surveyor's worklist with the reason."),
    )
    version = bounds.form_field(bounds.Version, widget=forms.HiddenInput)

    def __init__(self, *args: Any, surveyors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resurvey_by"].choices = [("", _("No re-survey")), *surveyors]  # type: ignore[attr-defined]
