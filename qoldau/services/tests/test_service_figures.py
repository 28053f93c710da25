"""The services app's seam for the dashboards (`service_figures`): the figures computed
from the models, within the user's scope (the policy's), and their public form hidden and
rounded. The scene is `figures_factories`'."""

import datetime as dt
from decimal import Decimal

import pytest

from qoldau.core.tests import factories as f
from qoldau.projects.impact import ImpactFilter
from qoldau.services.models import Provider
from qoldau.services.service_figures import service_figures, shown_figures
from qoldau.services.tests.figures_factories import NOW, figures_scene

pytestmark = pytest.mark.django_db

YEAR = ImpactFilter.for_year(2025)


@pytest.fixture
def scene() -> dict[str, Provider]:
    return figures_scene()


def test_the_figures_of_the_country(scene: dict[str, Provider]) -> None:
    found = service_figures(f.user("sys", "system_admin"), YEAR, now=NOW)
    assert found.as_of == dt.date(2025, 12, 31)
    assert found.providers == {
        "medical_social_institution": 0,
        "ngo": 2,
        "home_care_unit": 1,
        "state_centre": 0,
        "private": 0,
    }
    # Places on the last day: 6 + 20 + 5; free: 0 (8 enrolled in 6) + 18 + 0.
    assert (found.places, found.free_places) == (31, 18)
    assert found.waiting == 2
    assert found.planned_places == 190
    # Recipients of 2025: 8 + 2 + 5 (the one served only in 2024 is not).
    assert found.recipients == 15
    assert (found.referrals, found.referrals_closed, found.referrals_served) == (5, 2, 0)
    assert found.median_days_to_first_service == Decimal("7.0")
    assert found.unanswered_past_due == 1
    # Earlier in the year, the 10 places of Medeu were in force.
    june = service_figures(None, YEAR, as_of=dt.date(2025, 6, 30), now=NOW)
    assert (june.places, june.free_places) == (35, 2 + 18)


def test_each_user_counts_their_scope_only(scene: dict[str, Provider]) -> None:
    officer = service_figures(f.user("off", "akimat_officer", kato=f.ALMATY), YEAR, now=NOW)
    assert (officer.providers_total, officer.places, officer.recipients, officer.planned_places) == (
        2,
        26,
        10,
        150,
    )
    assert [r.label for r in officer.by_place] == ["Алатау ауданы", "Медеу ауданы"]
    staff = service_figures(f.user("own", "ngo_staff", org=scene["alatau"].organisation), YEAR, now=NOW)
    assert (staff.providers_total, staff.places, staff.recipients, staff.waiting, staff.referrals) == (
        1,
        20,
        2,
        0,
        0,
    )
    # A signed-in user with no role counts nothing; the filter narrows, never widens.
    nobody = service_figures(f.user("nobody", "ngo_staff", org=f.organisation(name="Басқа")), YEAR, now=NOW)
    assert (nobody.providers_total, nobody.places, nobody.recipients) == (0, 0, 0)
    astana = service_figures(
        f.user("ast", "akimat_officer", kato=f.ASTANA),
        ImpactFilter.for_year(2025, region_ids=(f.region(f.ALMATY).pk,)),
        now=NOW,
    )
    assert (astana.providers_total, astana.places) == (0, 0)


def test_the_public_sees_small_counts_hidden_and_the_rest_rounded(scene: dict[str, Provider]) -> None:
    found = service_figures(None, YEAR, now=NOW)
    shown = shown_figures(found, public=True, threshold=5)
    assert shown.providers_total == 3
    assert shown.places == 31
    assert shown.waiting is None  # 2
    assert shown.recipients == 15
    assert shown.unanswered_past_due is None
    assert shown.referrals == 5
    assert shown.referrals_closed is None
    assert shown.referrals_served is None
    assert shown.served_share is None
    # Two referrals reached a first service: too few for a median in public.
    assert shown.median_days_to_first_service is None
    assert shown.free_places == 20  # 18 rounded
    # The exact figures stay exact for a signed-in reader.
    assert shown_figures(found, public=False, threshold=5) == found
