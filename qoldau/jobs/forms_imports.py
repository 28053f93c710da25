"""The upload forms of the jobs app's imports (the imports app's machinery reads the file)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qoldau.imports.readers import ACCEPTED_SUFFIXES, FILE_HELP


class JobsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )
