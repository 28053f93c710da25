"""Import forms: the upload and the column mapping. Parsing only; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.core.models import Organisation
from qoldau.imports.readers import ACCEPTED_SUFFIXES, FILE_HELP, ColumnMatch, fields_of
from qoldau.projects.models import Project


class DeliveriesUploadForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    file = forms.FileField(
        label=_("File of deliveries"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def __init__(self, *args: Any, projects: Sequence[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.title} · {p.organisation.name}") for p in projects
        ]


class PeopleUploadForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    file = forms.FileField(
        label=_("File of people"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def __init__(self, *args: Any, organisations: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (str(o.pk), o.name) for o in organisations
        ]


class ColumnMappingForm(forms.Form):
    """One choice per column of the file: which field it holds, or none."""

    def __init__(
        self, *args: Any, columns: ColumnMatch, sample: Sequence[Sequence[str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— leave this column out —"))] + [
            (f.name, f.label) for f in fields_of(columns.kind)
        ]
        for position, header in enumerate(columns.header):
            label = (
                _("Column %(number)s, “%(header)s”") % {"number": position + 1, "header": header}
                if header
                else _("Column %(number)s, without a name") % {"number": position + 1}
            )
            examples = [row[position][:40] for row in sample if position < len(row) and row[position]]
            self.fields[f"column_{position}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial=columns.fields[position] or "",
                help_text=_("For example: %(values)s") % {"values": "; ".join(examples)} if examples else "",
            )
        self.width = len(columns.header)

    def mapping(self) -> list[str]:
        return [str(self.cleaned_data.get(f"column_{position}") or "") for position in range(self.width)]
