"""`qoldau directory reindex`: rebuild the public directory's search index of every service
(after services were written with the models rather than the services: a data fix, a
load). The services' own writes keep it in step; nothing else needs this."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qoldau.services.services import directory_reindex_all


class Command(BaseCommand):
    help = "Rebuild the public directory's search index of every service."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["reindex"])

    def handle(self, *args: Any, **options: Any) -> None:
        written = directory_reindex_all()
        self.stdout.write(f"The directory's search index holds {written:,} keys of the public services.")
