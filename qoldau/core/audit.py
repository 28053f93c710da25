"""The audit trail: who read or changed what, when, from where and through which channel.

Interfaces set the request's address and channel once (middleware, bot, CLI); services and
selectors write rows through `audit_record` without threading that context by hand.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from qoldau.core.models import AuditEntry


@dataclass(frozen=True)
class AuditContext:
    channel: str = "system"
    ip_address: str | None = None


_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "qoldau_audit_context",
    default=AuditContext(),  # noqa: B039 - a frozen dataclass, never mutated
)


@contextmanager
def audit_context(channel: str, ip_address: str | None = None) -> Iterator[None]:
    token = _context.set(AuditContext(channel=channel, ip_address=ip_address))
    try:
        yield
    finally:
        _context.reset(token)


def _entry(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    *,
    object_type: str = "",
    object_id: object = "",
    person_id: int | None = None,
    organisation_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    context = _context.get()
    user = actor if isinstance(actor, User) else None
    return AuditEntry(
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        person_id=person_id,
        organisation_id=organisation_id,
        channel=context.channel,
        ip_address=context.ip_address,
        details=details or {},
    )


def audit_record(actor: AbstractBaseUser | AnonymousUser | None, action: str, **fields: Any) -> AuditEntry:
    """Write one audit row. Details must never hold personal data in clear."""
    entry = _entry(actor, action, **fields)
    entry.save()
    return entry


def audit_record_person_reads(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    person_ids: Iterable[int],
    *,
    organisation_id: int | None = None,
) -> None:
    """One row per person shown, written in one statement."""
    AuditEntry.objects.bulk_create(
        [
            _entry(
                actor,
                action,
                object_type="person",
                object_id=pid,
                person_id=pid,
                organisation_id=organisation_id,
            )
            for pid in person_ids
        ]
    )
