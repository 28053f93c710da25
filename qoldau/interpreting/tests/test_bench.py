"""`qoldau bench interpreting` on a tiny day: the report's line, and no double booking and no
lost call (the figures themselves are the benchmark's, not a test's)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from qoldau.interpreting import bench
from qoldau.interpreting.models import InterpretingService

pytestmark = pytest.mark.django_db


def test_a_small_day_reports_its_line_with_no_double_booking_and_nothing_lost():
    result = bench.bench_day(interpreters=2, calls=12, bookings=12, out=lambda _line: None)
    assert result.calls == 12
    assert result.double_bookings == 0
    assert result.lost == 0
    assert result.bookings_made + result.bookings_refused == 12
    assert result.bookings_refused > 0  # the bookings overlap on purpose
    assert re.fullmatch(
        r"interpreting: answered within 120 s \d+ %, p95 wait \d+ s, double bookings 0, lost 0", result.line()
    )
    bench.bench_remove()
    assert not InterpretingService.objects.exists()


def test_the_command_ends_with_the_line():
    out = io.StringIO()
    call_command(
        "bench", "interpreting", "--calls", "6", "--bookings", "4", "--interpreters", "2", stdout=out
    )
    assert out.getvalue().strip().splitlines()[-1].startswith("interpreting: answered within 120 s ")
    assert not InterpretingService.objects.exists()
