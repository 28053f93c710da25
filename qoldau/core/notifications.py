"""Notifications by e-mail, in the recipient's language.

Every notification is written to the outbox table first (the outbox page shows it), then
sent after the transaction commits through Django's mail backend — the console in the
embedded default, SMTP when `QOLDAU_EMAIL_BACKEND` says so. A failed send is recorded on
the row, never raised into the action that caused it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.functional import Promise

from qoldau.core import policy
from qoldau.core.models import Notification, UserPreference
from qoldau.core.services import Actor

logger = logging.getLogger(__name__)


def user_language(user: User | None) -> str:
    """The language a user chose (their preference), else Kazakh. Read through the relation,
    so a caller notifying many users loads their preferences with `select_related`."""
    if user is None:
        return settings.LANGUAGE_CODE
    try:
        return user.preference.language or settings.LANGUAGE_CODE
    except UserPreference.DoesNotExist:
        return settings.LANGUAGE_CODE


def param_text(value: object) -> str:
    """A placeholder's value as the recipient reads it, under their language's formats
    (qoldau/formats): a moment as 07.12.2026 09:37 in Astana time, a day as 07.12.2026, an
    amount as 286 000,00. Whole numbers stay as they are: they are counts and numbers of
    records as often as amounts, and a record's number is never grouped."""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return formats.number_format(value, 2, force_grouping=True)
    return str(value)


def notify(
    *,
    user: User | None,
    kind: str,
    subject: str | Promise,
    body: str | Promise,
    params: Mapping[str, object] | None = None,
    email: str = "",
    language: str | None = None,
    object_type: str = "",
    object_id: object = "",
) -> Notification:
    """Write one notification in the recipient's language and send it after commit.

    `subject` and `body` are lazily translated sentences with named placeholders; they are
    rendered here, under the recipient's language, not the sender's, and so are the dates,
    times and amounts in `params` (pass them as values, not as text: see `param_text`).
    """
    language = language or user_language(user)
    with translation.override(language):
        values = {key: param_text(value) for key, value in (params or {}).items()}
        rendered_subject = str(subject) % values if values else str(subject)
        rendered_body = str(body) % values if values else str(body)
    note = Notification.objects.create(
        user=user,
        email=email or (user.email if user is not None else ""),
        language=language,
        kind=kind,
        subject=rendered_subject[:300],
        body=rendered_body,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
    )
    transaction.on_commit(lambda: notification_send(note.pk))
    return note


def notification_send(notification_id: int) -> None:
    """Hand one written notification to the mail backend; idempotent."""
    note = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).first()
    if note is None:
        return
    if not note.email:
        # Nobody to mail: the outbox page is where the user reads it.
        Notification.objects.filter(pk=note.pk).update(sent_at=timezone.now())
        return
    try:
        send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.email])
    except Exception as exc:  # a mail server's failure must not undo the action
        logger.warning("Notification %s was not sent: %s", note.pk, exc)
        Notification.objects.filter(pk=note.pk).update(error=str(exc)[:1000])
        return
    Notification.objects.filter(pk=note.pk).update(sent_at=timezone.now(), error="")


def notifications_visible(user: Actor) -> QuerySet[Notification]:
    """The notifications a user may read (the rule: `policy.notifications_visible`)."""
    return policy.notifications_visible(user).select_related("user")
