from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from qoldau.core.audit_actions import action_label, channel_label
from qoldau.core.i18n import translated
from qoldau.core.json_ld import json_ld_script

register = template.Library()


@register.filter
def tr(obj: Any, field: str) -> str:
    """A record's text in the active language: {{ project|tr:"title" }}."""
    return translated(obj, field)


@register.filter
def audit_action(code: str) -> str:
    """An audit log action in words in the active language: {{ entry.action|audit_action }}."""
    return action_label(code)


@register.filter
def audit_channel(code: str) -> str:
    """The channel an audit entry came through, in words: {{ entry.channel|audit_channel }}."""
    return channel_label(code)


@register.filter
def thousands(value: Any) -> str:
    return number_format(value, force_grouping=True) if value is not None else ""


@register.filter
def public_figure(value: int | None, threshold: int) -> str:
    """A count as the public sees it: hidden counts (None) read "fewer than 5"."""
    if value is None:
        return gettext("fewer than %(threshold)s") % {"threshold": threshold}
    return thousands(value)


@register.filter
def accessible(field: Any) -> str:
    """Render a form field's widget tied to its help text and errors for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs: dict[str, str] = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return str(field.as_widget(attrs=attrs))


@register.filter
def json_ld(value: Any, element_id: str = "") -> str:
    """schema.org data as `<script type="application/ld+json">`, escaped as json_script
    escapes (`core/json_ld.py`): {{ posting|json_ld:"job-posting" }}."""
    return json_ld_script(value, element_id)
