"""`qoldau token create USERNAME [--name NAME]`: print a new API token for a user.
`qoldau token list [USERNAME]`: the tokens (prefix, name, user, dates), never the token.
`qoldau token revoke PREFIX_OR_ID`: revoke one, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from qoldau.core import selectors
from qoldau.core.audit import audit_context
from qoldau.core.errors import ApplicationError
from qoldau.core.services import api_token_create, api_token_revoke


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


class Command(BaseCommand):
    help = (
        "Manage API tokens. 'create USERNAME' prints a new token once; keep it secret. "
        "'list [USERNAME]' shows the tokens without them; 'revoke PREFIX_OR_ID' revokes one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a user and print it.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")
        listing = sub.add_parser("list", help="List the tokens (of one user), never the tokens themselves.")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="Revoke a token named by its prefix or id.")
        revoke.add_argument("token", metavar="PREFIX_OR_ID")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self._list(options["username"])
        elif action == "revoke":
            self._revoke(options["token"])
        else:
            self._create(options["username"], options["name"])

    def _create(self, username: str, name: str) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user %(username)s.") % {"username": username})
        with audit_context("cli"):
            _token, plain = api_token_create(actor=None, user=user, name=name)
        self.stdout.write(plain)

    def _list(self, username: str | None) -> None:
        if username is not None and not get_user_model().objects.filter(username=username).exists():
            raise CommandError(_("There is no user %(username)s.") % {"username": username})
        heading = [_("id"), _("prefix"), _("name"), _("user"), _("created"), _("last used"), _("revoked")]
        rows = [
            [
                str(token.pk),
                f"{token.prefix}…",
                token.name or "—",
                token.user.username,
                _when(token.created_at),
                _when(token.last_used_at),
                _when(token.revoked_at),
            ]
            for token in selectors.api_tokens(username)
        ]
        if not rows:
            self.stdout.write(_("No API tokens."))
            return
        widths = [max(len(row[i]) for row in [heading, *rows]) for i in range(len(heading))]
        for row in [heading, *rows]:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )

    def _revoke(self, value: str) -> None:
        try:
            token = selectors.api_token_by_prefix_or_id(value)
        except ApplicationError as exc:
            raise CommandError(exc.render()) from exc
        if token.revoked_at is not None:
            raise CommandError(
                _("The token %(prefix)s… of %(user)s was already revoked on %(date)s.")
                % {"prefix": token.prefix, "user": token.user.username, "date": _when(token.revoked_at)}
            )
        with audit_context("cli"):
            api_token_revoke(actor=None, token=token)
        self.stdout.write(
            _("The token %(prefix)s… of %(user)s is revoked.")
            % {"prefix": token.prefix, "user": token.user.username}
        )
