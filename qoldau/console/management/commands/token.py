"""`qoldau token create USERNAME [--name NAME]`: print a new API token for a user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from qoldau.core.audit import audit_context
from qoldau.core.services import api_token_create


class Command(BaseCommand):
    help = "Manage API tokens. 'create USERNAME' prints a new token once; keep it secret."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a user and print it.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("There is no user %(username)s.") % {"username": options["username"]})
        with audit_context("cli"):
            _token, plain = api_token_create(actor=None, user=user, name=options["name"])
        self.stdout.write(plain)
