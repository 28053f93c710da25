"""`qoldau consult classify`: JSON lines in, JSON lines out, in order, bad lines reported."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import call_command

from qoldau.consult.engine.stream import classify_lines

LINES = [
    '{"text": "Сломалась инвалидная коляска, где бесплатно отремонтировать?"}\n',
    "this is not JSON\n",
    "\n",
    '{"text": "привет"}\n',
    '{"text": 42}\n',
    '["text"]\n',
    '{"text": "Әлеуметтік такси шақырғым келеді, қайда қоңырау шаламын?", "lang": "ru"}\n',
    b'{"text": "\xff\xfe \xd0 \xc3\x28"}\n',
]


def test_classify_lines_answers_every_line_in_order():
    out = io.StringIO()
    written = classify_lines(LINES, out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert written == len(rows) == 7  # the blank line is skipped

    assert rows[0]["text"].startswith("Сломалась")
    assert rows[0]["topic"] == "rehab.wheelchair_repair"
    assert rows[0]["top3"][0] == "rehab.wheelchair_repair"
    assert len(rows[0]["top3"]) == 3

    assert rows[1]["text"] is None
    assert rows[1]["topic"] is None
    assert rows[1]["top3"] == []
    assert rows[1]["error"].startswith("invalid JSON")

    assert rows[2] == {"text": "привет", "topic": None, "top3": []}
    assert "error" in rows[3]
    assert "error" in rows[4]
    assert rows[5]["topic"] == "service.social_taxi"
    assert rows[6]["topic"] is None
    assert "error" not in rows[6]
    assert set(rows[0]) == {"text", "topic", "top3"}


@pytest.mark.django_db
def test_the_command_reads_stdin_and_writes_stdout(monkeypatch):
    stdin = io.TextIOWrapper(
        io.BytesIO(b"".join(line if isinstance(line, bytes) else line.encode() for line in LINES))
    )
    monkeypatch.setattr(sys, "stdin", stdin)
    out = io.StringIO()
    call_command("consult", "classify", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["topic"] for row in rows] == [
        "rehab.wheelchair_repair",
        None,
        None,
        None,
        None,
        "service.social_taxi",
        None,
    ]
