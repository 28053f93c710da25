"""`qoldau consult classify`: JSON lines on stdin → one JSON line per message on stdout.

    echo '{"text": "мүгедектікті қалай рәсімдеймін"}' | qoldau consult classify
    {"text": "мүгедектікті қалай рәсімдеймін", "topic": "disability.establish", "top3": [...]}

The same engine as the API and the bot (`qoldau.consult.engine.answer.classify`).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qoldau.consult.engine.stream import classify_lines


class Command(BaseCommand):
    help = "Classify consultation messages: JSON lines {'text': ...} on stdin, one JSON line each on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["classify"])
        parser.add_argument(
            "--lang", choices=["kk", "ru", "en"], default=None, help="Answer language when a line has none."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Read bytes so that a line of broken UTF-8 is one bad message, not the end of the stream.
        stdin = getattr(sys.stdin, "buffer", sys.stdin)
        classify_lines(stdin, self.stdout, lang=options["lang"])
