"""The interpreting app's seam for the dashboard: the figures of a small scene computed
by hand (`figures_scene`), within the reader's scope, and their public form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qoldau.core.tests import factories as core_factories
from qoldau.interpreting.interpreting_figures import interpreting_figures, shown_figures
from qoldau.interpreting.tests.figures_scene import figures_scene
from qoldau.projects.impact import ImpactFilter

pytestmark = pytest.mark.django_db

YEAR_2025 = ImpactFilter.for_year(2025)


def test_the_figures_of_a_small_year_are_those_computed_by_hand():
    scene = figures_scene()
    found = interpreting_figures(scene.scene.admin, YEAR_2025)
    assert found.services == 1
    assert [m.month for m in found.months][:4] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert len(found.months) == 12
    march, april = found.months[2], found.months[3]
    assert (march.calls, march.answered, march.answered_in_time, march.missed) == (10, 7, 5, 3)
    assert march.in_time_share == Decimal("50.0")
    assert (march.median_wait, march.p95_wait, march.minutes) == (100, 200, 70)
    assert (april.calls, april.answered_in_time, april.in_time_share, april.median_wait, april.p95_wait) == (
        1,
        1,
        Decimal("100.0"),
        40,
        40,
    )
    assert found.months[0].calls == 0
    assert found.months[0].median_wait is None
    t = found.total
    assert (t.calls, t.answered, t.answered_in_time, t.missed) == (11, 8, 6, 3)
    assert t.in_time_share == Decimal("54.5")
    assert (t.median_wait, t.p95_wait) == (80, 200)
    assert found.minutes_used == 80
    assert found.hours_used == Decimal("1.3")
    assert found.hours_entitled == 180
    assert found.people_served == 3
    assert [(r.key, r.minutes, r.people) for r in found.by_purpose] == [("medical", 70, 3), ("legal", 10, 1)]
    assert [(r.minutes, r.people) for r in found.by_region] == [(60, 2), (20, 1)]
    assert found.by_region[-1].key == ""


def test_the_public_sees_counts_under_five_hidden_and_the_rest_rounded():
    scene = figures_scene()
    exact = interpreting_figures(None, YEAR_2025)
    shown = shown_figures(exact, public=True, threshold=5)
    t = shown.total
    # 11 calls round to 10; 3 missed and 3 people are fewer than 5: hidden.
    assert (t.calls, t.missed) == (10, None)
    assert shown.people_served is None
    # The share and the waits are of the exact counts, shown of at least 5 calls.
    assert t.in_time_share == Decimal("54.5")
    assert (t.median_wait, t.p95_wait) == (80, 200)
    april = shown.months[3]
    assert (april.calls, april.in_time_share, april.median_wait, april.p95_wait) == (None, None, None, None)
    # Each purpose and region serves fewer than 5 people: neither people nor minutes shown.
    assert all(r.people is None and r.minutes is None for r in shown.by_purpose + shown.by_region)
    # Minutes and hours are no counts of people.
    assert shown.minutes_used == 80
    # A signed-in reader in scope sees them exactly.
    assert shown_figures(exact, public=False, threshold=5) == exact
    assert scene.scene.service.pk


def test_a_reader_counts_only_the_services_in_their_scope():
    figures_scene()
    elsewhere = core_factories.user("turkistan.officer", "akimat_officer", kato=core_factories.TURKISTAN)
    assert interpreting_figures(elsewhere, YEAR_2025).services == 0
    almaty = core_factories.user("almaty.officer", "akimat_officer", kato=core_factories.ALMATY)
    assert interpreting_figures(almaty, YEAR_2025).total.calls == 11
    ministry = core_factories.user("the.ministry", "ministry_officer")
    assert interpreting_figures(ministry, YEAR_2025).total.calls == 11
    stranger = core_factories.user("stranger.staff", "ngo_staff", org=core_factories.organisation())
    assert interpreting_figures(stranger, YEAR_2025).services == 0
