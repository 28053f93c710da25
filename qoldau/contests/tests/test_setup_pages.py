"""The set-up pages through real HTTP: the ministry sets up a contest (stages, criteria),
commissions by the ministry and by akimat officers of their own region, commission members,
and grant calls with their commission. Refusals are clear and change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from qoldau.contests import services
from qoldau.contests.models import Commission, CommissionMember, Contest, Criterion, GrantCall, Stage
from qoldau.contests.tests import factories as f
from qoldau.contests.tests.factories import client_for
from qoldau.core.tests import factories
from qoldau.core.tests.factories import ALMATY, ASTANA, TURKISTAN

pytestmark = pytest.mark.django_db

ASTANA_TIME = ZoneInfo("Asia/Almaty")


def criteria_post(
    rows: list[tuple[str, str, int, int]], *, initial: int = 0, delete: tuple[int, ...] = ()
) -> dict[str, Any]:
    """What the criteria page posts: its rows (the first `initial` of them the criteria
    already saved), those ticked for removal, and one empty extra row."""
    data: dict[str, Any] = {
        "criteria-TOTAL_FORMS": str(len(rows) + 1),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "30",
    }
    for i, (name, weight, low, high) in enumerate(rows):
        data |= {
            f"criteria-{i}-name_kk": name,
            f"criteria-{i}-weight": weight,
            f"criteria-{i}-scale_min": str(low),
            f"criteria-{i}-scale_max": str(high),
        }
        if i in delete:
            data[f"criteria-{i}-DELETE"] = "on"
    # The extra empty row the page shows is skipped.
    data |= {f"criteria-{len(rows)}-scale_min": "0", f"criteria-{len(rows)}-scale_max": "10"}
    return data


def test_ministry_creates_a_contest_with_stages_and_criteria_through_the_pages() -> None:
    minister = f.ministry()
    client = client_for(minister)
    assert client.get(reverse("contests:contest_create")).status_code == 200
    response = client.post(
        reverse("contests:contest_create"),
        {
            "year": "2027",
            "title_kk": "Үздік әлеуметтік жобалар",
            "title_en": "Best social projects",
            "eligible_kinds": ["ngo", "individual"],
            "places_awarded": "3",
            "advance_per_region": "1",
        },
    )
    contest = Contest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:stages", args=[contest.pk])
    assert contest.year == 2027
    assert contest.eligible_kinds == ["ngo", "individual"]
    assert contest.created_by == minister

    assert client.get(reverse("contests:stages", args=[contest.pk])).status_code == 200
    response = client.post(
        reverse("contests:stages", args=[contest.pk]),
        {
            "stage": "regional",
            "regional-level": "regional",
            "regional-opens_on": "2027-03-01",
            "regional-opens_time": "09:00",
            "regional-deadline_on": "2027-04-30",
            "regional-deadline_time": "18:00",
            "regional-venue": "Астана",
        },
    )
    assert response.status_code == 302
    stage = Stage.objects.get(contest=contest, level="regional")
    # The times typed are Astana time.
    assert stage.opens_at == dt.datetime(2027, 3, 1, 9, 0, tzinfo=ASTANA_TIME)
    assert stage.deadline == dt.datetime(2027, 4, 30, 18, 0, tzinfo=ASTANA_TIME)
    assert stage.venue == "Астана"

    # The republican stage cannot open before the regional deadline: the service's message.
    response = client.post(
        reverse("contests:stages", args=[contest.pk]),
        {
            "stage": "republican",
            "republican-level": "republican",
            "republican-opens_on": "2027-04-01",
            "republican-opens_time": "09:00",
            "republican-deadline_on": "2027-06-01",
            "republican-deadline_time": "18:00",
        },
    )
    assert response.status_code == 400
    assert "The republican stage opens after the regional stage" in response.content.decode()
    assert not Stage.objects.filter(contest=contest, level="republican").exists()

    response = client.post(
        reverse("contests:criteria", args=[contest.pk]),
        criteria_post([("Маңызы", "3", 0, 10), ("Нәтижесі", "2", 1, 5)]),
    )
    assert response.status_code == 302
    assert [
        (c.name_kk, c.weight, c.scale_min, c.scale_max) for c in Criterion.objects.filter(contest=contest)
    ] == [
        ("Маңызы", Decimal("3.00"), 0, 10),
        ("Нәтижесі", Decimal("2.00"), 1, 5),
    ]
    page = client.get(reverse("contests:criteria", args=[contest.pk])).content.decode()
    assert 'value="Нәтижесі"' in page


def test_contest_edit_saves_and_refuses_a_stale_version() -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    client = client_for(minister)
    url = reverse("contests:contest_edit", args=[contest.pk])
    data = {
        "year": "2026",
        "title_kk": "Жаңа атауы",
        "eligible_kinds": ["ngo"],
        "places_awarded": "3",
        "advance_per_region": "2",
        "version": str(contest.version),
    }
    assert client.post(url, data).status_code == 302
    contest.refresh_from_db()
    assert (contest.title_kk, contest.advance_per_region) == ("Жаңа атауы", 2)
    response = client.post(url, data | {"title_kk": "Ескі"})
    assert response.status_code == 400
    assert "Someone else saved this record" in response.content.decode()
    contest.refresh_from_db()
    assert contest.title_kk == "Жаңа атауы"


def test_a_deadline_before_the_opening_is_refused_for_a_stage() -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    before = Stage.objects.get(contest=contest, level="regional")
    response = client_for(minister).post(
        reverse("contests:stages", args=[contest.pk]),
        {
            "stage": "regional",
            "regional-level": "regional",
            "regional-opens_on": "2027-03-01",
            "regional-opens_time": "09:00",
            "regional-deadline_on": "2027-02-01",
            "regional-deadline_time": "18:00",
        },
    )
    assert response.status_code == 400
    assert "The deadline must come after the opening." in response.content.decode()
    assert Stage.objects.get(contest=contest, level="regional").deadline == before.deadline


def test_ngo_user_cannot_open_the_set_up_pages() -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    commission = services.commission_create(
        actor=minister, level="regional", contest=contest, region=factories.region(ALMATY)
    )
    call = f.grant_call(actor=minister)
    # NGO staff (not its administrators, who may run their own organisation's calls).
    _admin, org = f.applicant()
    client = client_for(factories.user("ngo.staff", "ngo_staff", org=org))
    for url in (
        reverse("contests:contest_create"),
        reverse("contests:contest_edit", args=[contest.pk]),
        reverse("contests:stages", args=[contest.pk]),
        reverse("contests:criteria", args=[contest.pk]),
        reverse("contests:commissions", args=[contest.pk]),
        reverse("contests:commission_setup", args=[commission.pk]),
        reverse("contests:call_create"),
        reverse("contests:call_edit", args=[call.pk]),
        reverse("contests:call_criteria", args=[call.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    response = client.post(
        reverse("contests:contest_create"),
        {
            "year": "2027",
            "title_kk": "X",
            "eligible_kinds": ["ngo"],
            "places_awarded": "3",
            "advance_per_region": "1",
        },
    )
    assert response.status_code == 403
    assert Contest.objects.count() == 1
    # Signed out: sent to sign in.
    response = Client().get(reverse("contests:contest_create"))
    assert response.status_code == 302
    assert "/signin/" in response["Location"]


def test_akimat_officer_creates_their_regions_commission_but_not_another_regions() -> None:
    contest = f.contest()
    officer = factories.user("akimat.almaty", "akimat_officer", kato=ALMATY)
    client = client_for(officer)
    url = reverse("contests:commissions", args=[contest.pk])
    page = client.get(url)
    assert page.status_code == 200
    # Only their own region is offered, and no republican commission.
    offered = [value for value, _label in page.context["form"].fields["region"].choices if value]
    assert offered == [str(factories.region(ALMATY).pk)]
    assert [v for v, _l in page.context["form"].fields["level"].choices] == ["regional"]

    response = client.post(url, {"level": "regional", "region": str(factories.region(ASTANA).pk)})
    assert response.status_code == 400
    response = client.post(url, {"level": "republican"})
    assert response.status_code == 400
    assert not Commission.objects.exists()

    response = client.post(url, {"level": "regional", "region": str(factories.region(ALMATY).pk)})
    commission = Commission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:commission_setup", args=[commission.pk])
    assert (commission.level, commission.region_id) == ("regional", factories.region(ALMATY).pk)

    # A second one for the same region is refused with the service's message.
    response = client.post(url, {"level": "regional", "region": str(factories.region(ALMATY).pk)})
    assert response.status_code == 400
    assert "This commission has already been set up." in response.content.decode()
    assert Commission.objects.count() == 1

    # Another region's commission is not theirs to set up.
    other = services.commission_create(
        actor=f.ministry(), level="regional", contest=contest, region=factories.region(TURKISTAN)
    )
    assert client.get(reverse("contests:commission_setup", args=[other.pk])).status_code == 404


def test_commissions_list_shows_members_and_approval_in_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    for kato in (ALMATY, ASTANA, TURKISTAN):
        f.regional_panel(contest, kato=kato, actor=minister, members=1)
    client = client_for(minister)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("contests:commissions", args=[contest.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("Not approved yet") == 3
    assert [c.member_count for c, _may in response.context["rows"]] == [3, 3, 3]


def test_commission_members_are_added_and_removed_and_an_unknown_username_is_refused() -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    commission = services.commission_create(
        actor=minister, level="regional", contest=contest, region=factories.region(ALMATY)
    )
    chair = f.plain_user("chair")
    client = client_for(minister)
    url = reverse("contests:commission_setup", args=[commission.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"action": "add", "username": "nobody.here", "role": "member"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is no user with the username nobody.here. Check the spelling." in text
    assert 'aria-describedby="member_username_helptext member_username-error"' in text
    assert not CommissionMember.objects.exists()

    response = client.post(
        url,
        {"action": "add", "username": chair.username, "role": "chair", "affiliation": "Мүгедектер қоғамы"},
    )
    assert response.status_code == 302
    seat = CommissionMember.objects.get()
    assert (seat.user, seat.role, seat.affiliation) == (chair, "chair", "Мүгедектер қоғамы")

    # A second chair: the service's refusal, shown on the form.
    other = f.plain_user()
    response = client.post(url, {"action": "add", "username": other.username, "role": "chair"})
    assert response.status_code == 400
    assert "The commission already has a chair." in response.content.decode()
    assert CommissionMember.objects.count() == 1

    response = client.post(url, {"action": "scale", "scale_min": "1", "scale_max": "5"})
    assert response.status_code == 302
    commission.refresh_from_db()
    assert (commission.scale_min, commission.scale_max) == (1, 5)
    response = client.post(url, {"action": "scale", "scale_min": "5", "scale_max": ""})
    assert response.status_code == 400
    assert "Give both ends of the commission" in response.content.decode()

    response = client.post(url, {"action": "remove", "seat": str(seat.pk)})
    assert response.status_code == 302
    assert not CommissionMember.objects.exists()


def test_criteria_change_is_refused_once_a_score_exists() -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    board = f.regional_panel(contest, actor=minister)
    application = f.contest_application(contest)
    f.eligible(application, board.secretary)
    f.score_all(board, application, [8, 7, 6])
    before = list(Criterion.objects.filter(contest=contest).values_list("pk", "name_kk", "weight"))
    response = client_for(minister).post(
        reverse("contests:criteria", args=[contest.pk]),
        criteria_post(
            [("Жаңа", "1", 0, 10), ("Нәтижелері", "2", 0, 10), ("Тұрақтылығы", "1", 0, 10)], initial=3
        ),
    )
    assert response.status_code == 400
    assert "Scoring has started; the criteria can no longer change." in response.content.decode()
    assert list(Criterion.objects.filter(contest=contest).values_list("pk", "name_kk", "weight")) == before


def test_criteria_need_at_least_one_row() -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    rows = [("Әлеуметтік маңызы", "3", 0, 10), ("Нәтижелері", "2", 0, 10), ("Тұрақтылығы", "1", 0, 10)]
    response = client_for(minister).post(
        reverse("contests:criteria", args=[contest.pk]), criteria_post(rows, initial=3, delete=(0, 1, 2))
    )
    assert response.status_code == 400
    assert "Give at least one criterion." in response.content.decode()
    assert Criterion.objects.filter(contest=contest).count() == 3


def _call_post(operator_id: int, **changes: Any) -> dict[str, Any]:
    data = {
        "action": "save",
        "operator": str(operator_id),
        "title_kk": "Шағын гранттар 2026",
        "budget": "50000000",
        "bands": ["short"],
        "eligible_kinds": ["ngo", "public_association"],
        "regions": [str(factories.region(ALMATY).pk), str(factories.region(ASTANA).pk)],
        "opens_on": "2026-03-01",
        "opens_time": "09:00",
        "deadline_on": "2026-04-01",
        "deadline_time": "18:00",
        "requires_state_ngo_database": "on",
    }
    data.update(changes)
    return data


def test_operator_admin_creates_a_call_and_its_commission() -> None:
    operator = factories.organisation(name="«Қорған-М» бірлестігі")
    admin = factories.user("qorgan.admin", "ngo_admin", org=operator)
    client = client_for(admin)
    page = client.get(reverse("contests:call_create"))
    assert page.status_code == 200
    # Only the organisation they administer is offered; the bands show their limits in tenge.
    assert [v for v, _l in page.context["form"].fields["operator"].choices] == [str(operator.pk)]
    assert "tenge" in dict(page.context["form"].fields["bands"].choices)["short"]
    response = client.post(reverse("contests:call_create"), _call_post(operator.pk))
    call = GrantCall.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:call_edit", args=[call.pk])
    assert call.operator == operator
    assert call.deadline == dt.datetime(2026, 4, 1, 18, 0, tzinfo=ASTANA_TIME)
    assert set(call.eligible_regions.values_list("kato", flat=True)) == {ALMATY, ASTANA}

    response = client.post(reverse("contests:call_edit", args=[call.pk]), {"action": "commission"})
    commission = Commission.objects.get(call=call)
    assert commission.level == "grant"
    assert response["Location"] == reverse("contests:commission_setup", args=[commission.pk])
    assert client.get(response["Location"]).status_code == 200

    response = client.post(
        reverse("contests:call_edit", args=[call.pk]),
        _call_post(operator.pk, budget="60000000", version=str(call.version)),
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.budget == Decimal("60000000")

    # Another organisation's administrator may not open a call for this operator.
    other_admin = factories.user("other.admin", "ngo_admin", org=factories.organisation(name="Басқа"))
    response = client_for(other_admin).post(reverse("contests:call_create"), _call_post(operator.pk))
    assert response.status_code == 400
    assert GrantCall.objects.count() == 1
    assert client_for(other_admin).get(reverse("contests:call_edit", args=[call.pk])).status_code == 403


def test_call_with_the_deadline_before_the_opening_is_refused_and_nothing_is_created() -> None:
    minister = f.ministry()
    operator = factories.organisation(name="«Қорған-М» бірлестігі")
    response = client_for(minister).post(
        reverse("contests:call_create"),
        _call_post(operator.pk, opens_on="2026-04-01", deadline_on="2026-03-01"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The deadline must come after the opening." in text
    assert 'href="#id_deadline_on"' in text
    assert not GrantCall.objects.exists()


def test_call_criteria_are_set_by_the_operator() -> None:
    minister = f.ministry()
    call = f.grant_call(actor=minister)
    client = client_for(minister)
    assert client.get(reverse("contests:call_criteria", args=[call.pk])).status_code == 200
    response = client.post(
        reverse("contests:call_criteria", args=[call.pk]),
        criteria_post([("Әсері", "4", 0, 5), ("Бюджеті", "1", 0, 10)], initial=2, delete=(1,)),
    )
    assert response.status_code == 302
    assert list(Criterion.objects.filter(call=call).values_list("name_kk", "scale_max")) == [("Әсері", 5)]
