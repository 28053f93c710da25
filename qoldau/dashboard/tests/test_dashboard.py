"""Dashboards: scope, figures, charts with tables, the map, and the public figures'
suppression of small counts (including by subtraction)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from qoldau.core import services as core_services
from qoldau.core.models import Place, VulnerabilityCategory
from qoldau.core.tests import factories
from qoldau.core.tests.markup import INJECTED, inline_code, json_data
from qoldau.projects import services
from qoldau.projects.impact import public_count, public_round, suppressed_line, suppressed_table
from qoldau.projects.models import ServiceDelivery
from qoldau.projects.tests.factories import project, service

pytestmark = pytest.mark.django_db

DEAF = "disability_group_3"


def test_one_small_figure_is_hidden_with_its_smallest_neighbour():
    # 3 alone would be found as total (3 + 9 + 40) minus the shown 9 and 40.
    assert suppressed_line([3, 9, 40], 5) == [None, None, 40]
    assert suppressed_line([3, 2, 40], 5) == [None, None, 40]
    assert suppressed_line([0, 9, 40], 5) == [0, 9, 40]
    assert suppressed_line([4], 5, with_total=False) == [None]
    assert suppressed_line([5], 5, with_total=False) == [5]


def test_hidden_figures_of_a_line_add_up_to_at_least_the_threshold():
    # 1 and 2 hidden beside 40 and 50: the total minus 40 and 50 would give 3.
    assert suppressed_line([1, 2, 40, 50], 5) == [None, None, None, 50]
    assert suppressed_line([4, 4, 40], 5) == [None, None, 40]  # 8: not a small group
    assert suppressed_line([1, 0, 0, 30], 5) == [None, 0, 0, None]
    rows = [("a", "x", 1), ("a", "y", 2), ("a", "z", 60), ("b", "x", 30), ("b", "y", 40)]
    cells = suppressed_table(rows, 5)
    assert cells["a", "z"] is None


def test_public_figures_are_rounded_to_a_multiple_of_the_threshold():
    assert [public_count(v, 5) for v in (0, 1, 4, 5, 7, 8, 12, 13, 812, 8160)] == [
        0,
        None,
        None,
        5,
        5,
        10,
        10,
        15,
        810,
        8160,
    ]
    assert [public_round(v, 1) for v in (0, 1, 7)] == [0, 1, 7]  # threshold 1: nothing hidden
    # Whatever two figures are shown, their difference is no small group.
    shown = {public_round(v, 5) for v in range(5, 200)}
    assert all((a - b) % 5 == 0 for a in shown for b in shown)


def test_two_way_tables_leave_no_line_with_one_hidden_cell():
    rows = [("a", "x", 3), ("a", "y", 50), ("b", "x", 20), ("b", "y", 60)]
    cells = suppressed_table(rows, 5)
    for axis in (0, 1):
        for line in {k[axis] for k in cells}:
            hidden = [k for k in cells if k[axis] == line and cells[k] is None]
            assert len(hidden) != 1
    assert cells["a", "x"] is None


@pytest.fixture
def figures():
    """Almaty: 12 people served; Turkistan: 3 people served (under the threshold)."""
    world = factories.world()
    almaty_project = project(world.almaty_admin, world.almaty_ngo, title="Жарқын өмір")
    south = project(world.turkistan_admin, world.turkistan_ngo, title="Оңтүстік")
    for i in range(12):
        person = factories.person(world.almaty_staff, world.almaty_ngo, last_name=f"Адам{i}")
        services.delivery_record(
            actor=world.almaty_staff,
            project=almaty_project,
            person_id=person.pk,
            service=service(),
            delivered_on=dt.date(2025, 3, 1 + i),
        )
    for i in range(3):
        person = factories.person(world.turkistan_staff, world.turkistan_ngo, last_name=f"Оңтүстік{i}")
        services.delivery_record(
            actor=world.turkistan_staff,
            project=south,
            person_id=person.pk,
            service=service(),
            delivered_on=dt.date(2025, 4, 1),
        )
    return world


def test_public_dashboard_hides_small_counts_and_what_subtraction_would_reveal(figures, client):
    page = client.get(reverse("dashboard:public"), {"year": 2025}, HTTP_COOKIE="qoldau_language=en")
    assert page.status_code == 200
    board = page.context["board"]
    assert board.figures["people_reached"] == 15  # the country's total is shown
    regions = dict(zip(board.by_region.labels, board.by_region.people, strict=True))
    # Turkistan's 3 is hidden, and so is Almaty's 12: 15 - 12 would give it away.
    assert regions == {"Almaty": None, "Turkistan Region": None}
    html = page.content.decode()
    assert "fewer than 5" in html
    assert "Ахметова" not in html
    assert "Адам" not in html


def test_public_region_page_with_few_people_hides_them(figures, client):
    turkistan = Place.objects.get(kato=factories.TURKISTAN)
    page = client.get(reverse("dashboard:public"), {"year": 2025, "region": turkistan.pk})
    board = page.context["board"]
    assert board.figures["people_reached"] is None
    assert board.figures["participations"] is None
    assert all(row["people"] is None for row in board.projects)


def test_the_suppression_threshold_is_a_setting(figures, client, settings):
    settings.QOLDAU_SUPPRESSION_THRESHOLD = 3
    board = client.get(reverse("dashboard:public"), {"year": 2025}).context["board"]
    # 3 and 12 are multiples of 3: shown as they are. Under a threshold of 2, 3 rounds to 4.
    assert sorted(board.by_region.people) == [3, 12]
    settings.QOLDAU_SUPPRESSION_THRESHOLD = 2
    board = client.get(reverse("dashboard:public"), {"year": 2025}).context["board"]
    assert sorted(board.by_region.people) == [4, 12]


def test_public_dashboard_shows_a_quarter_or_a_month(figures, client):
    page = client.get(reverse("dashboard:public"), {"year": 2025, "quarter": 1})
    board = page.context["board"]
    assert (board.report.filter.date_from, board.report.filter.date_to) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 3, 31),
    )
    assert board.figures["people_reached"] == 10  # Almaty's 12 in March, rounded
    assert board.by_month.labels == ["2025-03"]
    april = client.get(reverse("dashboard:public"), {"year": 2025, "month": 4}).context["board"]
    assert april.figures["people_reached"] is None  # Turkistan's 3
    assert (april.report.filter.date_from, april.report.filter.date_to) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 4, 30),
    )


def test_public_dashboard_refuses_a_bad_period_clearly_and_shows_the_year(figures, client):
    for query, field in (
        ({"year": 2025, "quarter": 1, "month": 2}, "month"),
        ({"year": 2025, "month": 13}, "month"),
        ({"year": 2025, "quarter": 5}, "quarter"),
        ({"year": 1800}, "year"),
        ({"year": "soon"}, "year"),
    ):
        page = client.get(reverse("dashboard:public"), query, HTTP_COOKIE="qoldau_language=en")
        assert page.status_code == 200
        form = page.context["form"]
        assert list(form.errors) == [field], (query, form.errors)
        assert "Please correct the following" in page.content.decode()
        filter_ = page.context["board"].report.filter
        assert filter_.calendar_period == str(form.fields["year"].initial)
    query = {"year": 2025, "quarter": 1, "month": 2}
    both = client.get(reverse("dashboard:public"), query, HTTP_COOKIE="qoldau_language=en")
    assert both.context["form"].errors["month"] == ["Give a quarter or a month, not both."]


def test_officers_see_exact_figures_within_their_scope(figures):
    ministry = Client()
    ministry.force_login(figures.ministry)
    board = ministry.get(reverse("dashboard:internal"), {"year": 2025}).context["board"]
    assert board.figures["people_reached"] == 15
    assert sorted(board.by_region.people) == [3, 12]
    assert [tile.people for tile in board.tiles if tile.people] in ([12, 3], [3, 12])

    akimat = Client()
    akimat.force_login(figures.akimat_turkistan)
    board = akimat.get(reverse("dashboard:internal"), {"year": 2025}).context["board"]
    assert board.figures["people_reached"] == 3  # exact: officers see their own region's small counts

    staff = Client()
    staff.force_login(figures.almaty_staff)
    page = staff.get(reverse("dashboard:internal"), {"year": 2025})
    assert page.context["board"].figures["people_reached"] == 12
    assert [row["project"].project_id for row in page.context["board"].projects] == [
        figures.almaty_ngo.projects.get().pk
    ]


def test_dashboard_shows_each_chart_with_its_table_and_indicators(figures):
    admin = Client()
    admin.force_login(figures.almaty_admin)
    almaty_project = figures.almaty_ngo.projects.get()
    indicator = services.indicator_add(
        actor=figures.almaty_admin, project=almaty_project, name_kk="Қызмет алған адамдар", unit="адам"
    )
    services.indicator_period_set(
        actor=figures.almaty_admin,
        indicator=indicator,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        target=100,
        actual=12,
    )
    admin.cookies["qoldau_language"] = "en"
    page = admin.get(reverse("dashboard:internal"), {"year": 2025})
    html = page.content.decode()
    # Reach by month and by category, and the social services' providers by kind and places.
    assert html.count("<canvas") == 4
    assert 'data-chart="services_kinds"' in html
    assert 'data-chart="services_places"' in html
    assert "People reached by month" in html
    assert "People reached by category" in html
    assert "<svg" in html
    assert "Almaty" in html
    assert "Қызмет алған адамдар" in html
    assert page.context["board"].by_month.labels == ["2025-03"]


def test_dashboard_needs_sign_in(client):
    assert client.get(reverse("dashboard:internal")).status_code == 302


def test_category_filter_counts_only_people_in_the_category(figures):
    ministry = Client()
    ministry.force_login(figures.ministry)
    person = ServiceDelivery.objects.filter(project__organisation=figures.almaty_ngo).first().person
    group_three = VulnerabilityCategory.objects.get(code=DEAF)
    core_services.person_category_add(
        actor=figures.almaty_staff, person=person, category=group_three, since=dt.date(2025, 1, 1)
    )
    board = ministry.get(reverse("dashboard:internal"), {"year": 2025, "category": group_three.pk}).context[
        "board"
    ]
    assert board.figures["people_reached"] == 1


def test_public_api_hides_small_counts_in_two_way_tables(figures, client):
    data = client.get("/api/v1/reports/impact", {"year": 2025, "by": ["region", "month"]}).json()
    assert data["suppressed_below"] == 5
    rows = data["breakdown"]
    assert rows
    for axis in (0, 1):
        for line in {tuple(r["keys"])[axis] for r in rows}:
            cells = [r for r in rows if r["keys"][axis] == line]
            hidden = [r for r in cells if r["people_reached"] is None]
            # One hidden figure beside shown ones could be found from the line's total.
            assert len(hidden) != 1 or len(cells) == 1
    assert any(r["people_reached"] is None for r in rows)
    # Signed in, the same table is exact.
    ministry = Client()
    ministry.force_login(figures.ministry)
    exact = ministry.get("/api/v1/reports/impact", {"year": 2025, "by": ["region", "month"]}).json()
    assert exact["suppressed_below"] is None
    assert all(r["people_reached"] is not None for r in exact["breakdown"])


def test_impact_api_refuses_unknown_values_clearly(client):
    answer = client.get("/api/v1/reports/impact", {"region": "999999999", "year": 2025})
    assert answer.status_code == 404
    assert answer.json()["field"] == "region"
    answer = client.get("/api/v1/reports/impact", {"year": 2025, "by": ["colour"]})
    assert answer.status_code == 400
    assert answer.json()["field"] == "by"


def test_a_category_name_with_markup_stays_text_on_both_dashboards(figures):
    """A category's name reaches the charts' JSON: markup in it must not close the script
    element and run (stored XSS for every visitor of the public dashboard)."""
    admin = Client()
    admin.force_login(figures.sysadmin)
    added = admin.post(
        "/admin/core/vulnerabilitycategory/add/",
        {"code": "injected", "name_kk": INJECTED, "name_ru": INJECTED, "name_en": INJECTED, "sort_order": 1},
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    injected = VulnerabilityCategory.objects.get(code="injected")
    for delivery in ServiceDelivery.objects.filter(project__organisation=figures.almaty_ngo):
        core_services.person_category_add(
            actor=figures.almaty_staff, person=delivery.person, category=injected, since=dt.date(2025, 1, 1)
        )
    ministry = Client()
    ministry.force_login(figures.ministry)
    for client, url in ((Client(), reverse("dashboard:public")), (ministry, reverse("dashboard:internal"))):
        page = client.get(url, {"year": 2025})
        html = page.content.decode()
        assert INJECTED not in html
        assert inline_code(html) == []
        # The name is still there, as data the chart shows as text.
        assert INJECTED in json_data(html, "chart-data")["category"]["labels"]
