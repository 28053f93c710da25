"""The public pages of contests and grants over real HTTP, signed out, in kk/ru/en: they
answer, show no personal data, publish only approved results, show the archive's figures and
hide a small count of people on a call's dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qoldau.contests.tests import factories as f
from qoldau.contests.tests.factories import APPROVED_TITLE, UNAPPROVED_TITLE, PublicScene, public_scene
from qoldau.core.tests.factories import ALMATY, ASTANA

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")


@pytest.fixture
def world() -> PublicScene:
    return public_scene()


def _pages(s: PublicScene) -> dict[str, str]:
    return {
        "index": reverse("contests:index"),
        "contest": reverse("contests:contest", kwargs={"contest_id": s.contest.pk}),
        "results": reverse("contests:results", kwargs={"contest_id": s.contest.pk}),
        "archive": reverse("contests:archive"),
        "calls": reverse("contests:calls"),
        "call": reverse("contests:call", kwargs={"call_id": s.call.pk}),
    }


def _get(client: Client, path: str, language: str = "en") -> str:
    client.cookies["qoldau_language"] = language
    response = client.get(path)
    assert response.status_code == 200, f"{path} in {language}: {response.status_code}"
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_answer_signed_out_in_every_language_without_personal_data(
    world: PublicScene, client: Client, language: str
) -> None:
    for name, path in _pages(world).items():
        html = _get(client, path, language)
        assert f'<html lang="{language}">' in html, name
        for person in world.people:
            for value in (person.last_name, person.first_name, person.iin):
                assert value, name
                assert value not in html, name


def test_results_hide_a_commission_that_has_not_approved(world: PublicScene, client: Client) -> None:
    html = _get(client, reverse("contests:results", kwargs={"contest_id": world.contest.pk}))
    assert APPROVED_TITLE in html
    assert UNAPPROVED_TITLE not in html
    assert "The commission has not approved its result yet." in html
    assert "The republican commission has not approved its result yet." in html
    assert "standardised score" in html


def test_contest_page_counts_eligible_applications_per_region_and_offers_apply(
    world: PublicScene, client: Client
) -> None:
    response = client.get(reverse("contests:contest", kwargs={"contest_id": world.contest.pk}))
    overview = response.context["overview"]
    counts = {row.commission.region.kato: (row.applications, row.approved) for row in overview.regions}
    assert counts == {ALMATY: (2, True), ASTANA: (1, False)}
    html = response.content.decode()
    assert reverse("contests:apply_contest", kwargs={"contest_id": world.contest.pk}) in html
    assert UNAPPROVED_TITLE not in html


def test_closed_contest_offers_no_apply_link(client: Client) -> None:
    past = timezone.now() - dt.timedelta(days=60)
    contest = f.contest(opens_at=past, deadline=past + dt.timedelta(days=10))
    html = _get(client, reverse("contests:contest", kwargs={"contest_id": contest.pk}))
    assert reverse("contests:apply_contest", kwargs={"contest_id": contest.pk}) not in html
    index = _get(client, reverse("contests:index"))
    assert "Closed" in index


def test_archive_shows_the_published_figures_and_the_2016_laureates(client: Client) -> None:
    response = client.get(reverse("contests:archive"), HTTP_COOKIE="qoldau_language=en")
    html = response.content.decode()
    for figure in ("495", "94", "17", "38", "39"):
        assert f'<td class="number">{figure}</td>' in html
    assert "Online sign-language interpreting service" in html
    assert "Kokshetau" in html
    assert "victims of human trafficking" in html
    # The project leaders are people: not on a public page.
    assert "Махашев" not in html


def test_call_dashboard_hides_a_small_count_of_people(world: PublicScene, client: Client) -> None:
    response = client.get(
        reverse("contests:call", kwargs={"call_id": world.call.pk}), HTTP_COOKIE="qoldau_language=en"
    )
    overview = response.context["overview"]
    assert overview.dashboard.people_reached == 2
    assert overview.people_reached is None
    html = response.content.decode()
    assert "fewer than 5" in html
    assert overview.dashboard.awarded == 1
    assert reverse("contests:apply_call", kwargs={"call_id": world.call.pk}) in html
    # Short-term grants: 500 to 3,000 MCI in tenge.
    assert [b.band.kind for b in overview.bands] == ["short"]


def test_call_dashboard_shows_people_at_the_threshold(world: PublicScene, client: Client, settings) -> None:
    settings.QOLDAU_SUPPRESSION_THRESHOLD = 2
    response = client.get(reverse("contests:call", kwargs={"call_id": world.call.pk}))
    assert response.context["overview"].people_reached == 2


def test_unknown_contest_and_call_are_not_found(client: Client) -> None:
    assert client.get(reverse("contests:contest", kwargs={"contest_id": 999999})).status_code == 404
    assert client.get(reverse("contests:results", kwargs={"contest_id": 999999})).status_code == 404
    assert client.get(reverse("contests:call", kwargs={"call_id": 999999})).status_code == 404


def test_signed_in_ministry_officer_sees_links_to_their_work(world: PublicScene) -> None:
    officer = Client()
    officer.force_login(f.ministry(), backend="django.contrib.auth.backends.ModelBackend")
    html = _get(officer, reverse("contests:index"))
    for name in (
        "contests:mine",
        "contests:my_commissions",
        "contests:contest_create",
        "contests:call_create",
    ):
        assert reverse(name) in html


def test_signed_out_visitor_sees_no_links_to_work_pages(world: PublicScene, client: Client) -> None:
    html = _get(client, reverse("contests:index"))
    assert reverse("contests:my_commissions") not in html
    assert reverse("contests:contest_create") not in html


def test_index_and_results_make_a_bounded_number_of_queries(
    world: PublicScene, client: Client, django_assert_max_num_queries
) -> None:
    for _ in range(3):
        f.contest()
        f.grant_call()
    with django_assert_max_num_queries(8):
        _get(client, reverse("contests:index"))
    with django_assert_max_num_queries(12):
        _get(client, reverse("contests:results", kwargs={"contest_id": world.contest.pk}))
