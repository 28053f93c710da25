"""The wait lists' part of `qoldau bench services` at a small size: more accepts than
places give exactly as many enrolments as places, two places freed at once go to two
people, and the lists replayed from the audit equal the live ones. On SQLite the attempts
run one after another; with DATABASE_URL on PostgreSQL they run at once."""

from __future__ import annotations

from io import StringIO

import pytest

from qoldau.core.models import Organisation
from qoldau.services.bench import flow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("reference_data")
def test_the_flow_bench_runs_small_and_every_check_holds() -> None:
    out = StringIO()
    result = flow.run_flow_bench(out, attempts=12, places=3, waiting=4)
    report = out.getvalue()
    assert (result.enrolled, result.refused_over_capacity, result.other_errors) == (3, 9, [])
    assert (result.freed_offers, result.freed_distinct_people) == (2, 2)
    assert result.replay_equal
    assert result.passed
    assert "12 concurrent accepts for 3 places → 3 enrolments" in report
    assert "Wait lists: all checks held." in report
    flow.bench_flow_remove()
    assert not Organisation.objects.filter(name_kk=flow.BENCH_ORG).exists()
