"""What every service of Qoldau uses: the acting user, a required text, and the
compare-and-set save of a versioned record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import F, Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import Actor
from qoldau.core.errors import EditConflict, ErrorCode, ValidationFailed


def acting_user(actor: Actor | None) -> User | None:
    """The signed-in user behind an action, for `recorded_by` columns; None for the system."""
    return actor if isinstance(actor, User) else None


def require_text(value: str, field: str, label: str = "", *, message: str | Promise | None = None) -> str:
    """The text without surrounding spaces; refused as `required` when empty, with the
    message given, else "<label> is required."."""
    value = (value or "").strip()
    if not value:
        if message is not None:
            raise ValidationFailed(message, field=field, code=ErrorCode.REQUIRED)
        raise ValidationFailed(
            _("%(label)s is required."), field=field, code=ErrorCode.REQUIRED, params={"label": label}
        )
    return value


def save_versioned(instance: Model, expected_version: int, changes: dict[str, Any]) -> None:
    """Write `changes` only if nobody saved the record since `expected_version` was read.

    The compare-and-set is one UPDATE, so of two concurrent editors exactly one wins and
    the other gets EditConflict instead of silently overwriting.
    """
    model = type(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    # update() prepares each value through its field (encrypted fields encrypt there).
    field_values = dict(changes)
    if hasattr(instance, "updated_at"):
        field_values["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **field_values
    )
    if updated != 1:
        raise EditConflict(
            _(
                "Someone else saved this record after you opened it. "
                "Reload the page to see their changes, then make yours again."
            )
        )
    instance.version = expected_version + 1  # type: ignore[attr-defined]
