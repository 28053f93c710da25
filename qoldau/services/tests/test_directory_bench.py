"""`qoldau bench services` at a tiny size: it generates its providers and services, runs the
directory search and the HSDS services page and their baseline, prints its table and
removes what it made. A correctness test; the timings are the benchmark's business
(docs/PERFORMANCE.md)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from qoldau.core.models import Organisation
from qoldau.services import bench
from qoldau.services.models import Service

pytestmark = pytest.mark.django_db


# Committed data: on PostgreSQL the wait lists' part runs its accepts in threads, each with
# its own connection, which must see what the bench made.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_bench_runs_at_a_tiny_size_and_removes_its_data():
    out = StringIO()
    missed = ""
    try:
        call_command("bench", "services", "--services", "450", "--samples", "3", "--remove", stdout=out)
    except CommandError as refusal:
        # A tiny run on a loaded machine may miss a target: the command fails after its report.
        missed = str(refusal)
    output = out.getvalue()
    if missed:
        assert missed == "A figure missed its target."
        assert "| FAIL" in output
    assert re.search(
        r"^qoldau bench services · \d{4}-\d\d-\d\d \d\d:\d\d · .+ · \d+ cores · (SQLite|PostgreSQL)", output
    )
    assert "generated 450 services of 4 providers" in output
    rows = [
        line
        for line in output.splitlines()
        if line.startswith("| ") and not line.startswith(("| figure", "| ---"))
    ]
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    # 450 services, every twentieth inactive: 427 active.
    assert names[0] == "directory search page, 427 active services"
    assert names[1] == "HSDS /services page of 20, in full"
    assert names[2].startswith("baseline: ")
    assert re.search(r"\| < 100 ms \| (pass|FAIL)", rows[0])
    assert re.search(r"\| < 150 ms \| (pass|FAIL)", rows[1])
    assert "searched 3 times and read 3 HSDS pages over 427 active services" in output
    assert "removed the generated providers and services" in output
    assert not bench.bench_providers().exists()
    assert not Service.objects.exists()
    assert not Organisation.objects.filter(name_kk__startswith=bench.BENCH_PREFIX).exists()


def test_a_second_run_of_the_same_size_keeps_the_data():
    out = StringIO()
    bench.bench_generate(services=120, out=out)
    bench.bench_generate(services=120, out=out)
    assert "kept 120 generated services of 1 providers" in out.getvalue()
    assert Service.objects.count() == 120
    bench.bench_remove()
    assert not Service.objects.exists()
