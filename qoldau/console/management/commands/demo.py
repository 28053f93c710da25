"""`qoldau demo`: load the demo data (once) and print the demo users."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from qoldau.console.demo import load_demo
from qoldau.core.audit import audit_context
from qoldau.core.demo_data import ACCESS_OBJECTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo data from the articles (idempotent) and print the demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")
        parser.add_argument(
            "--access-objects",
            type=int,
            default=ACCESS_OBJECTS,
            help="How many infrastructure objects to generate in Almaty (0 for none).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_context("cli"):
            result = load_demo(progress=not options["no_progress"], access_objects=options["access_objects"])
        if result.loaded:
            self.stdout.write(_("The demo data is loaded."))
        else:
            self.stdout.write(_("The demo data was already loaded; nothing changed."))
        self.stdout.write(_("Demo users (password for each: %(password)s):") % {"password": DEMO_PASSWORD})
        for user in result.users:
            self.stdout.write(f"  {user.username:<18} {user.what_kk}")
