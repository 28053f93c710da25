"""`qoldau bench contests` at a tiny size: it generates its contest, ranks it the same way as
the naive baseline, measures the worklist page, prints its table and removes what it made.
A correctness test; the timings are the benchmark's business (docs/PERFORMANCE.md)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from qoldau.contests import bench
from qoldau.contests.models import Application, Contest, Score

pytestmark = pytest.mark.django_db

TINY = ["--applications", "40", "--members", "3", "--criteria", "4", "--worklist", "12", "--samples", "2"]


def _run(*extra: str) -> str:
    """The command's output. A figure that misses its target fails the command (its exit
    status is for whoever runs the benchmark), but timings are not this test's business:
    on a loaded machine the tiny run may miss one, and the table is still checked."""
    out = StringIO()
    missed = ""
    try:
        call_command("bench", "contests", *TINY, *extra, stdout=out)
    except CommandError as refusal:
        missed = str(refusal)
    if missed:
        assert missed == "A figure missed its target."
        assert "| FAIL" in out.getvalue()
    return out.getvalue()


def test_the_bench_runs_at_a_tiny_size_and_removes_its_data():
    output = _run("--remove")
    assert re.search(
        r"^qoldau bench contests · \d{4}-\d\d-\d\d \d\d:\d\d · .+ · \d+ cores · SQLite|PostgreSQL", output
    )
    assert (
        "generated 40 applications × 3 members × 4 criteria (480 scores) to rank and 12 applications"
        in output
    )
    ranking = next(line for line in output.splitlines() if line.startswith("| ranking 40 applications"))
    assert "× 3 members × 4 criteria (480 scores)" in ranking
    assert re.search(r"\| < 1,000 ms \| (pass|FAIL)", ranking)
    baseline = next(line for line in output.splitlines() if line.startswith("| baseline:"))
    assert re.search(r"\d+ queries; p50 [\d.]+× the ranking's", baseline)
    page = next(line for line in output.splitlines() if line.startswith("| member's worklist"))
    assert "(12 applications)" in page
    assert "| < 300 ms |" in page
    assert not re.search(r"\(0 queries", output)
    assert "removed the generated contest" in output
    assert not Contest.objects.filter(year=bench.BENCH_YEAR).exists()
    assert not Application.objects.exists()
    assert not Score.objects.exists()
    assert not User.objects.filter(username__startswith=bench.BENCH_USER_PREFIX).exists()


def test_a_second_run_reuses_the_kept_data_and_other_sizes_regenerate_it():
    first = _run()
    assert "generated" in first
    contest = Contest.objects.get(year=bench.BENCH_YEAR)
    second = _run()
    assert "generated" not in second
    assert Contest.objects.get(year=bench.BENCH_YEAR).pk == contest.pk
    other = _run("--applications", "20", "--members", "2", "--criteria", "3", "--worklist", "5", "--remove")
    assert "generated 20 applications × 2 members × 3 criteria (120 scores)" in other
    assert not Contest.objects.exists()


def test_the_naive_baseline_ranks_exactly_as_the_service():
    data = bench.bench_generate(applications=30, members=3, criteria=5, worklist=4, out=StringIO())
    from qoldau.contests import selectors

    ours = selectors.commission_ranking(data.ranking_commission)
    naive = bench.naive_ranking(data.ranking_commission)
    assert [(line.application_id, line.rank) for line in ours.lines] == [
        (line.application_id, line.rank) for line in naive.lines
    ]
    assert len(ours.lines) == 30
    assert not ours.incomplete
