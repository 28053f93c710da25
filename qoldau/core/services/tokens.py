"""API tokens: issued once in clear, kept as a digest, revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.models import ApiToken


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A token's first characters, kept in clear so that its owner can tell it apart ("qld_" and six).
API_TOKEN_PREFIX_LENGTH = 10


def api_token_create(*, actor: Actor | None, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a token for `user`; the clear token is returned once and never stored."""
    plain = "qld_" + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=user, name=name, prefix=plain[:API_TOKEN_PREFIX_LENGTH], token_hash=_token_digest(plain)
        )
        audit_record(actor, "token.create", object_type="user", object_id=user.pk)
    return token, plain


def api_token_user(plain: str) -> User | None:
    """The active user a token belongs to, or None; notes when it was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_token_digest(plain), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, actor: Actor | None, token: ApiToken) -> None:
    """Revoke a token (the command line revokes with no acting user, audited as the cli)."""
    with transaction.atomic(durable=True):
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit_record(actor, "token.revoke", object_type="user", object_id=token.user_id)
