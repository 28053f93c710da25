"""The contests and grants JSON API over real HTTP (Django's test client, session or Bearer
token): a contest from set-up to public results, a grant call from opening to a reviewed
report, and every refusal with its code and nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from qoldau.contests import selectors, services
from qoldau.contests.grants import mci_on
from qoldau.contests.models import (
    Application,
    ApplicationDocument,
    ConflictOfInterest,
    Contest,
    GrantAward,
    GranteeReport,
    Score,
    Tranche,
)
from qoldau.contests.tests import factories as f
from qoldau.core.models import AuditEntry
from qoldau.core.services import api_token_create
from qoldau.core.tests.factories import ALMATY, ASTANA, organisation
from qoldau.core.tests.images import png_declaring
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db

API = "/api/v1"


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user) -> Client:
    _token, plain = api_token_create(actor=None, user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def post(client: Client, url: str, payload: object = None):
    return client.post(API + url, payload or {}, content_type="application/json")


def put(client: Client, url: str, payload: object):
    return client.put(API + url, payload, content_type="application/json")


def patch(client: Client, url: str, payload: object):
    return client.patch(API + url, payload, content_type="application/json")


def get(client: Client, url: str):
    return client.get(API + url)


def ok(response, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def refused(response, status: int, code: str) -> Any:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    return body


def local(day: dt.datetime) -> str:
    """A time as a person in Astana types it: no offset."""
    return timezone.localtime(day).replace(tzinfo=None).isoformat(timespec="minutes")


def application_payload(org, *, kato: str = ALMATY, **overrides) -> Any:
    payload = {
        "applicant_kind": "ngo",
        "region": kato,
        "organisation_id": org.pk,
        "applicant_name": org.name,
        "title_kk": "Тәуелсіз өмір мектебі",
        "description_kk": "Мүгедектігі бар жастарға тәуелсіз өмір дағдыларын үйрету.",
        "results": "80 жас адам оқыды.",
        "people_reached_declared": 80,
    }
    payload.update(overrides)
    return payload


# The contest, set-up to public results ---------------------------------------------


def test_contest_runs_over_http_from_set_up_to_public_results():
    minister = bearer(f.ministry())
    now = timezone.now()
    contest = ok(
        post(
            minister,
            "/contests",
            {
                "year": 2026,
                "title_kk": "Үздік әлеуметтік жобалар",
                "title_en": "Best social projects",
                "eligible_kinds": ["ngo", "public_association"],
                "advance_per_region": 1,
            },
        ),
        201,
    )
    cid = contest["id"]
    stage = ok(
        put(
            minister,
            f"/contests/{cid}/stages/regional",
            {"opens_at": local(now - dt.timedelta(days=2)), "deadline": local(now + dt.timedelta(days=20))},
        )
    )
    assert stage["deadline"].endswith("+05:00")  # read and answered in Astana time
    criteria = ok(
        put(
            minister,
            f"/contests/{cid}/criteria",
            {
                "criteria": [
                    {"name_kk": "Әлеуметтік маңызы", "weight": "3"},
                    {"name_kk": "Нәтижелері", "weight": "2", "scale_max": 5},
                ]
            },
        )
    )
    assert [c["scale_max"] for c in criteria] == [10, 5]

    public = ok(get(Client(), f"/contests/{cid}"))
    assert public["eligible_kinds"] == ["ngo", "public_association"]
    assert public["places_awarded"] == 3
    assert [s["level"] for s in public["stages"]] == ["regional"]
    assert [c["name"] for c in public["criteria"]] == ["Әлеуметтік маңызы", "Нәтижелері"]

    commission = ok(
        post(minister, f"/contests/{cid}/commissions", {"level": "regional", "region": ALMATY}), 201
    )
    assert commission["region"] == ALMATY
    chair, member, secretary = f.plain_user("chair"), f.plain_user(), f.plain_user("secretary")
    for person, role in ((chair, "chair"), (member, "member"), (secretary, "secretary")):
        seat = ok(
            post(
                minister,
                f"/contests/commissions/{commission['id']}/members",
                {"username": person.username, "role": role, "affiliation": "Қоғамдық кеңес"},
            ),
            201,
        )
        assert seat["role"] == role

    staff, org = f.applicant(ALMATY)
    ngo = session(staff)
    draft = ok(post(ngo, f"/contests/{cid}/applications", application_payload(org)), 201)
    assert draft["status"] == "draft"
    assert draft["number"] is None
    changed = ok(
        patch(
            ngo,
            f"/contests/applications/{draft['id']}",
            {"version": draft["version"], "title_en": "Independent living school"},
        )
    )
    assert changed["title_en"] == "Independent living school"
    assert changed["title_kk"] == "Тәуелсіз өмір мектебі"  # a PATCH keeps what it does not name
    document = ngo.post(
        f"{API}/contests/applications/{draft['id']}/documents",
        {"title": "Жарғы", "file": SimpleUploadedFile("charter.pdf", b"%PDF-1.4 test", "application/pdf")},
    )
    assert ok(document, 201)["title"] == "Жарғы"
    receipt = ok(post(ngo, f"/contests/applications/{draft['id']}/submit"))
    assert receipt["number"] == "K-2026-75-0001"
    assert receipt["status"] == "submitted"
    assert receipt["submitted_at"].endswith("+05:00")
    mine = ok(get(ngo, "/contests/applications"))
    assert [a["number"] for a in mine["items"]] == ["K-2026-75-0001"]

    application_id = draft["id"]
    decided = ok(
        post(session(secretary), f"/contests/applications/{application_id}/eligibility", {"eligible": True})
    )
    assert decided["status"] == "eligible"

    worklist = ok(get(session(member), f"/contests/commissions/{commission['id']}/applications"))
    assert worklist["role"] == "member"
    assert [(r["application_id"], r["scored"], r["conflict"]) for r in worklist["rows"]] == [
        (application_id, 0, False)
    ]
    criterion_ids = [c["id"] for c in criteria]
    for person, values in ((chair, ("8", "4")), (member, ("9.5", "5"))):
        scores = ok(
            put(
                session(person),
                f"/contests/commissions/{commission['id']}/applications/{application_id}/scores",
                {
                    "scores": [
                        {"criterion_id": c, "value": v, "comment": "Жақсы жоба."}
                        for c, v in zip(criterion_ids, values, strict=True)
                    ]
                },
            )
        )
        assert [s["criterion_id"] for s in scores] == criterion_ids
    assert AuditEntry.objects.filter(action="commission.score", actor_username=member.username).exists()

    before = ok(get(Client(), f"/contests/{cid}/results"))
    assert before["regions"][0]["approved"] is False
    assert before["regions"][0]["winner"] is None

    live = ok(get(session(chair), f"/contests/commissions/{commission['id']}/ranking"))
    assert live["approved"] is False
    assert live["missing_sheets"] == 0
    assert live["rows"][0]["application"]["id"] == application_id
    assert live["rows"][0]["members"] == 2
    approved = ok(post(session(chair), f"/contests/commissions/{commission['id']}/approve"))
    assert [(r["application_id"], r["rank"], r["place"]) for r in approved] == [(application_id, 1, 1)]

    results = ok(get(Client(), f"/contests/{cid}/results"))
    region = results["regions"][0]
    assert region["region"] == ALMATY
    assert region["approved"] is True
    assert region["winner"]["application"]["number"] == "K-2026-75-0001"
    assert region["winner"]["score"] == pytest.approx(
        100 * ((0.6 * 0.8 + 0.4 * 0.8) + (0.6 * 0.95 + 0.4 * 1)) / 2, abs=0.01
    )
    assert [w["application"]["id"] for w in results["compared"]] == [application_id]
    assert results["republican"] is None
    assert Application.objects.get(pk=application_id).advanced


def test_contest_list_and_history_are_public():
    f.contest(year=2025)
    body = ok(get(Client(), "/contests"))
    assert body["count"] == 1
    assert body["items"][0]["stages"][0]["level"] == "regional"
    history = ok(get(Client(), "/contests/history"))
    assert {"periods", "laureates", "projects_taken_part", "regional_winners"} <= set(history)


# Refusals -------------------------------------------------------------------------


@pytest.fixture
def scoring():
    """A contest with an Almaty and an Astana commission and one eligible application each."""
    minister = f.ministry()
    contest = f.contest(actor=minister)
    almaty = f.regional_panel(contest, kato=ALMATY, actor=minister)
    astana = f.regional_panel(contest, kato=ASTANA, actor=minister)
    a = f.eligible(f.contest_application(contest, kato=ALMATY), almaty.secretary)
    b = f.eligible(f.contest_application(contest, kato=ASTANA), astana.secretary)
    criteria = selectors.criteria_of(almaty.commission)
    return {
        "minister": minister,
        "contest": contest,
        "almaty": almaty,
        "astana": astana,
        "a": a,
        "b": b,
        "criteria": criteria,
    }


def scores_url(panel: f.Panel, application: Application) -> str:
    return f"/contests/commissions/{panel.commission.pk}/applications/{application.pk}/scores"


def sheet(criteria, values) -> Any:
    return {"scores": [{"criterion_id": c.pk, "value": v} for c, v in zip(criteria, values, strict=True)]}


def test_score_outside_the_scale_is_refused_and_nothing_is_recorded(scoring):
    almaty = scoring["almaty"]
    member = session(almaty.members[0])
    member.cookies["qoldau_language"] = "en"
    response = put(member, scores_url(almaty, scoring["a"]), sheet(scoring["criteria"], [5, 11, 3]))
    body = refused(response, 400, "outside_scale")
    assert "must be from 0 to 10; 11 is outside the scale" in body["message"]
    assert body["field"] == f"criterion.{scoring['criteria'][1].pk}"
    assert not Score.objects.exists()  # all or none: the valid first score is not kept either


def test_member_cannot_score_another_commissions_application(scoring):
    almaty = scoring["almaty"]
    response = put(
        session(almaty.members[0]), scores_url(almaty, scoring["b"]), sheet(scoring["criteria"], [5, 5, 5])
    )
    # Not one of their commission's: not found, as a missing application is.
    refused(response, 404, "not_found")
    # Through a commission they do not sit on, the commission is not found at all.
    astana = scoring["astana"]
    response = put(
        session(almaty.members[0]), scores_url(astana, scoring["b"]), sheet(scoring["criteria"], [5, 5, 5])
    )
    refused(response, 404, "not_found")
    assert not Score.objects.exists()


def test_another_commissions_member_learns_nothing_of_an_application_in_any_state(scoring):
    """Whatever a member (or the secretary) of the Almaty commission asks about an Astana
    application, in any state, the answer is the one for an id that does not exist."""
    contest, almaty, astana, criteria = (
        scoring["contest"],
        scoring["almaty"],
        scoring["astana"],
        scoring["criteria"],
    )
    member, secretary = session(almaty.members[0]), session(almaty.secretary)
    for client in (member, secretary):
        client.cookies["qoldau_language"] = "en"
    on_almaty = f"/contests/commissions/{almaty.commission.pk}/applications"

    def answers(application_id: int) -> list[tuple[int, str, str]]:
        responses = [
            put(member, f"{on_almaty}/{application_id}/scores", sheet(criteria, [5, 5, 5])),
            post(member, f"{on_almaty}/{application_id}/conflict", {"reason": "Менің туысым."}),
            get(member, f"/contests/applications/{application_id}"),
            post(
                secretary,
                f"/contests/applications/{application_id}/eligibility",
                {"eligible": False, "reason": "x"},
            ),
            post(member, f"/contests/applications/{application_id}/withdraw"),
        ]
        return [(r.status_code, r.json()["code"], r.json()["message"]) for r in responses]

    missing = answers(10**9)
    assert {status for status, _code, _message in missing} == {404}

    staff, org = f.applicant(ASTANA)
    draft = ok(
        post(session(staff), f"/contests/{contest.pk}/applications", application_payload(org, kato=ASTANA)),
        201,
    )
    submitted = f.contest_application(contest, kato=ASTANA)
    ineligible = services.eligibility_decide(
        actor=astana.secretary,
        application=f.contest_application(contest, kato=ASTANA),
        eligible=False,
        reason="Құжаттар жоқ.",
    )
    withdrawn_staff, withdrawn_org = f.applicant(ASTANA)
    withdrawn = services.application_withdraw(
        actor=withdrawn_staff,
        application=f.contest_application(contest, kato=ASTANA, staff=withdrawn_staff, org=withdrawn_org),
    )
    states = {
        "draft": draft["id"],
        "submitted": submitted.pk,
        "eligible": scoring["b"].pk,
        "ineligible": ineligible.pk,
        "withdrawn": withdrawn.pk,
    }
    statuses = dict(Application.objects.values_list("pk", "status"))
    for state, application_id in states.items():
        assert answers(application_id) == missing, state
    # Scored and approved by its own commission: still nothing.
    f.score_all(astana, scoring["b"], [7, 7, 7])
    services.commission_approve(actor=astana.chair, commission=astana.commission)
    assert answers(scoring["b"].pk) == missing
    assert dict(Application.objects.values_list("pk", "status")) == statuses
    assert not Score.objects.filter(member__in=almaty.members).exists()
    assert not ConflictOfInterest.objects.exists()


def test_member_with_a_declared_conflict_cannot_score(scoring):
    almaty = scoring["almaty"]
    member = session(almaty.members[0])
    url = f"/contests/commissions/{almaty.commission.pk}/applications/{scoring['a'].pk}/conflict"
    refused(post(member, url, {"reason": " "}), 400, "required")
    declared = ok(post(member, url, {"reason": "Ұйымның басқарма мүшесімін."}), 201)
    assert declared["application_id"] == scoring["a"].pk
    refused(
        put(member, scores_url(almaty, scoring["a"]), sheet(scoring["criteria"], [5, 5, 5])), 403, "conflict"
    )
    assert not Score.objects.exists()
    worklist = ok(get(member, f"/contests/commissions/{almaty.commission.pk}/applications"))
    assert worklist["rows"][0]["conflict"] is True


def test_late_submission_is_refused_with_astana_time_and_the_draft_stays(scoring):
    contest = scoring["contest"]
    staff, org = f.applicant(ALMATY)
    client = session(staff)
    draft = ok(post(client, f"/contests/{contest.pk}/applications", application_payload(org)), 201)
    now = timezone.now()
    services.stage_set(
        actor=scoring["minister"],
        contest=contest,
        level="regional",
        opens_at=now - dt.timedelta(days=30),
        deadline=now - dt.timedelta(hours=1),
    )
    body = refused(post(client, f"/contests/applications/{draft['id']}/submit"), 409, "deadline_passed")
    assert "Астана" in body["message"] or "Astana" in body["message"]
    client.cookies["qoldau_language"] = "en"
    body = refused(post(client, f"/contests/applications/{draft['id']}/submit"), 409, "deadline_passed")
    assert "(Astana time)" in body["message"]
    application = Application.objects.get(pk=draft["id"])
    assert application.status == Application.Status.DRAFT
    assert application.number is None
    assert application.submitted_at is None


def test_scores_cannot_change_after_approval(scoring):
    almaty = scoring["almaty"]
    f.score_all(almaty, scoring["a"], [7, 7, 7])
    ok(post(session(almaty.chair), f"/contests/commissions/{almaty.commission.pk}/approve"))
    response = put(
        session(almaty.members[0]), scores_url(almaty, scoring["a"]), sheet(scoring["criteria"], [1, 1, 1])
    )
    refused(response, 409, "approved")
    assert set(Score.objects.values_list("value", flat=True)) == {Decimal(7)}
    frozen = ok(get(session(almaty.chair), f"/contests/commissions/{almaty.commission.pk}/ranking"))
    assert frozen["approved"] is True
    assert frozen["rows"][0]["application"]["id"] == scoring["a"].pk


def test_only_the_chair_approves(scoring):
    almaty = scoring["almaty"]
    f.score_all(almaty, scoring["a"], [7, 7, 7])
    refused(
        post(session(almaty.members[0]), f"/contests/commissions/{almaty.commission.pk}/approve"),
        403,
        "forbidden",
    )
    almaty.commission.refresh_from_db()
    assert almaty.commission.approved_at is None


def test_anonymous_writes_are_refused_and_change_nothing(scoring):
    anonymous = Client()
    refused(post(anonymous, "/contests", {"year": 2027, "title_kk": "Жаңа"}), 401, "unauthorized")
    almaty = scoring["almaty"]
    refused(
        put(anonymous, scores_url(almaty, scoring["a"]), sheet(scoring["criteria"], [5, 5, 5])),
        401,
        "unauthorized",
    )
    refused(post(anonymous, "/grants", {}), 401, "unauthorized")
    assert Contest.objects.count() == 1
    assert not Score.objects.exists()


def test_ngo_staff_cannot_set_up_a_contest(scoring):
    staff, _org = f.applicant(ALMATY)
    refused(post(session(staff), "/contests", {"year": 2027, "title_kk": "Жаңа"}), 403, "forbidden")
    assert Contest.objects.count() == 1


# Grants ---------------------------------------------------------------------------


def test_grant_call_runs_over_http_from_opening_to_a_reviewed_report():
    minister_user = f.ministry()
    minister = bearer(minister_user)
    operator = organisation(name="«Қорған-М» қоғамдық бірлестігі")
    now = timezone.now()
    call = ok(
        post(
            minister,
            "/grants",
            {
                "operator_id": operator.pk,
                "title_kk": "Шағын гранттар",
                "budget": "10000000.00",
                "bands": ["short"],
                "regions": [ALMATY, ASTANA],
                "opens_at": local(now - dt.timedelta(days=1)),
                "deadline": local(now + dt.timedelta(days=10)),
            },
        ),
        201,
    )
    assert call["budget"] == "10000000.00"  # money answers as a decimal string
    assert call["regions"] == sorted([ALMATY, ASTANA])
    assert call["operator"] == operator.name
    call_id = call["id"]
    criteria = ok(
        put(
            minister,
            f"/grants/{call_id}/criteria",
            {"criteria": [{"name_kk": "Маңызы", "weight": 2}, {"name_kk": "Бюджеті", "weight": 1}]},
        )
    )
    commission = ok(post(minister, f"/grants/{call_id}/commission", {}), 201)
    assert commission["level"] == "grant"
    chair, secretary = f.plain_user("chair"), f.plain_user("secretary")
    for person, role in ((chair, "chair"), (secretary, "secretary")):
        ok(
            post(
                minister,
                f"/contests/commissions/{commission['id']}/members",
                {"username": person.username, "role": role},
            ),
            201,
        )

    staff, org = f.applicant(ALMATY)
    grantee = session(staff)
    amount = mci_on(timezone.localdate(now - dt.timedelta(days=1))) * 600
    draft = ok(
        post(
            grantee,
            f"/grants/{call_id}/applications",
            application_payload(
                org, results="", requested_amount=str(amount), duration_months=6, band="short"
            ),
        ),
        201,
    )
    lines = ok(
        put(
            grantee,
            f"/grants/applications/{draft['id']}/budget",
            {
                "lines": [
                    {"item": "Тренерлер", "amount": str(amount - 100000)},
                    {"item": "Материалдар", "amount": "100000"},
                ]
            },
        )
    )
    assert [line["amount"] for line in lines] == [f"{amount - 100000:.2f}", "100000.00"]
    receipt = ok(post(grantee, f"/contests/applications/{draft['id']}/submit"))
    assert receipt["number"] == f"G-{call_id}-0001"
    ok(post(session(secretary), f"/contests/applications/{draft['id']}/eligibility", {"eligible": True}))
    ok(
        put(
            session(chair),
            f"/contests/commissions/{commission['id']}/applications/{draft['id']}/scores",
            {"scores": [{"criterion_id": c["id"], "value": 8} for c in criteria]},
        )
    )
    ok(post(session(chair), f"/contests/commissions/{commission['id']}/approve"))

    award = ok(post(minister, f"/grants/applications/{draft['id']}/award", {"amount": str(amount)}), 201)
    assert award["amount"] == f"{amount:.2f}"
    assert award["number"] == receipt["number"]
    tranche = ok(
        post(
            minister,
            f"/grants/awards/{award['id']}/tranches",
            {"amount": str(amount / 2), "due_on": timezone.localdate().isoformat()},
        ),
        201,
    )
    paid = ok(post(minister, f"/grants/tranches/{tranche['id']}/pay", {}))
    assert paid["paid_on"] == timezone.localdate().isoformat()
    today = timezone.localdate()
    report = ok(
        post(
            minister,
            f"/grants/awards/{award['id']}/reports",
            {
                "kind": "financial",
                "period_start": (today - dt.timedelta(days=30)).isoformat(),
                "period_end": today.isoformat(),
                "due_on": (today + dt.timedelta(days=5)).isoformat(),
            },
        ),
        201,
    )
    project = project_factories.project(staff, org)
    linked = ok(post(grantee, f"/grants/awards/{award['id']}/project", {"project_id": project.pk}))
    assert linked["project_id"] == project.pk
    submitted = ok(
        post(
            grantee,
            f"/grants/reports/{report['id']}/submit",
            {"narrative": "Оқыту өтті.", "spent_amount": "250000.50"},
        )
    )
    assert submitted["status"] == "submitted"
    assert submitted["spent_amount"] == "250000.50"
    reviewed = ok(post(minister, f"/grants/reports/{report['id']}/review", {"accept": True}))
    assert reviewed["status"] == "accepted"

    mine = ok(get(grantee, "/grants/awards/mine"))
    assert [(a["id"], len(a["tranches"]), len(a["reports"])) for a in mine] == [(award["id"], 1, 1)]
    operated = ok(get(minister, f"/grants/{call_id}/awards"))
    assert operated[0]["tranches"][0]["paid_on"] == today.isoformat()
    refused(get(grantee, f"/grants/{call_id}/awards"), 404, "not_found")

    public = ok(get(Client(), f"/grants/{call_id}"))
    board = public["dashboard"]
    assert (board["applied"], board["awarded"]) == (1, 1)
    assert board["awarded_amount"] == f"{amount:.2f}"
    assert board["paid_amount"] == f"{amount / 2:.2f}"
    # Nobody reached yet: 0 gives no one away, as in every public figure (1 to 4 is null).
    assert board["people_reached"] == 0
    assert board["suppressed_below"] == 5
    signed_in = ok(get(minister, f"/grants/{call_id}"))
    assert signed_in["dashboard"]["people_reached"] == 0
    assert signed_in["dashboard"]["suppressed_below"] is None
    assert signed_in["call"]["id"] == call_id
    assert len(signed_in["criteria"]) == 2


def test_award_over_the_budget_is_refused_and_nothing_is_awarded():
    minister = f.ministry()
    probe = f.grant_call(actor=minister)
    mci = mci_on(timezone.localdate(probe.opens_at))
    call = f.grant_call(actor=minister, budget=mci * 550)
    commission = services.commission_create(actor=minister, level="grant", call=call)
    board = f.panel(commission, minister, members=0)
    application = f.eligible(f.grant_application(call), board.secretary)
    f.score_all(board, application, [8, 6])
    services.commission_approve(actor=board.chair, commission=commission)
    body = refused(
        post(bearer(minister), f"/grants/applications/{application.pk}/award", {"amount": str(mci * 600)}),
        409,
        "over_budget",
    )
    assert body["field"] is None
    assert not GrantAward.objects.exists()
    assert not Tranche.objects.exists()


def test_bad_call_input_names_the_field():
    minister = bearer(f.ministry())
    operator = organisation(name="«Оператор» қоры")
    now = timezone.now()
    payload = {
        "operator_id": operator.pk,
        "title_kk": "Гранттар",
        "budget": "1000",
        "regions": ["999999999"],
        "opens_at": now.isoformat(),
        "deadline": (now + dt.timedelta(days=3)).isoformat(),
    }
    body = refused(post(minister, "/grants", payload), 400, "unknown_region")
    assert body["field"] == "regions"
    body = refused(
        post(minister, "/grants", {**payload, "regions": [ALMATY], "budget": "abc"}), 422, "validation_error"
    )
    assert body["field"] == "budget"


# The OpenAPI document and the number of queries ------------------------------------


def test_openapi_document_lists_the_contest_and_grant_paths():
    paths = ok(get(Client(), "/openapi.json"))["paths"]
    for path in (
        "/api/v1/contests",
        "/api/v1/contests/{contest_id}",
        "/api/v1/contests/{contest_id}/results",
        "/api/v1/contests/history",
        "/api/v1/contests/commissions/{commission_id}/applications/{application_id}/scores",
        "/api/v1/contests/applications/{application_id}/submit",
        "/api/v1/grants",
        "/api/v1/grants/{call_id}",
        "/api/v1/grants/applications/{application_id}/award",
        "/api/v1/grants/reports/{report_id}/review",
    ):
        assert path in paths, path
    assert {"contests", "grants"} <= {
        tag for p in paths.values() for op in p.values() for tag in op.get("tags", [])
    }


def test_worklist_takes_the_same_number_of_queries_for_many_applications(django_assert_max_num_queries):
    minister = f.ministry()
    contest = f.contest(actor=minister)
    panel = f.regional_panel(contest, actor=minister)
    member = session(panel.members[0])
    url = f"{API}/contests/commissions/{panel.commission.pk}/applications"
    f.eligible(f.contest_application(contest), panel.secretary)
    with django_assert_max_num_queries(12) as few:
        assert len(member.get(url).json()["rows"]) == 1
    for _ in range(15):
        f.eligible(f.contest_application(contest), panel.secretary)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(member.get(url).json()["rows"]) == 16


def test_list_endpoints_take_a_fixed_number_of_queries(django_assert_max_num_queries):
    minister = f.ministry()
    staff, org = f.applicant(ALMATY)
    for year in (2023, 2024, 2025):
        contest = f.contest(actor=minister, year=year)
        f.contest_application(contest, staff=staff, org=org)
    for _ in range(3):
        f.grant_call(actor=minister)
    anonymous, ngo = Client(), session(staff)
    with django_assert_max_num_queries(3):
        assert ok(anonymous.get(f"{API}/contests"))["count"] == 3
    with django_assert_max_num_queries(5):
        assert ok(anonymous.get(f"{API}/grants"))["count"] == 3
    # Session, user, language, scope, count and rows (and the session's own save).
    with django_assert_max_num_queries(10):
        assert ok(ngo.get(f"{API}/contests/applications"))["count"] == 3
    with django_assert_max_num_queries(10):
        assert ok(ngo.get(f"{API}/grants/awards/mine")) == []


def test_documents_of_a_submitted_application_cannot_be_added():
    contest = f.contest()
    staff, org = f.applicant(ALMATY)
    application = f.contest_application(contest, staff=staff, org=org)
    response = session(staff).post(
        f"{API}/contests/applications/{application.pk}/documents",
        {"title": "Есеп", "file": SimpleUploadedFile("report.pdf", b"%PDF-1.4", "application/pdf")},
    )
    refused(response, 409, "submitted")
    assert not ApplicationDocument.objects.exists()
    assert GranteeReport.objects.count() == 0


def test_stale_draft_edit_is_refused_and_a_withdrawal_is_recorded():
    contest = f.contest()
    staff, org = f.applicant(ALMATY)
    client = session(staff)
    draft = ok(post(client, f"/contests/{contest.pk}/applications", application_payload(org)), 201)
    url = f"/contests/applications/{draft['id']}"
    ok(patch(client, url, {"version": draft["version"], "title_kk": "Бірінші"}))
    refused(patch(client, url, {"version": draft["version"], "title_kk": "Екінші"}), 409, "edit_conflict")
    assert Application.objects.get(pk=draft["id"]).title_kk == "Бірінші"
    withdrawn = ok(post(client, f"{url}/withdraw"))
    assert withdrawn["status"] == "withdrawn"
    refused(post(client, f"{url}/withdraw"), 409, "not_active")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("charter.pdf", b"<html><script>alert(1)</script></html>", "file_type"),
        ("budget.xlsx", b"%PDF-1.4 a pdf named as a workbook", "file_type"),
        ("scan.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "file_type"),
        ("scan.png", png_declaring(20_000, 20_000), "image_too_many_pixels"),
        ("scan.png", png_declaring(12_000, 12_000), "image_too_many_pixels"),
    ],
)
def test_a_document_must_be_what_its_name_says_and_an_image_within_the_pixels(name, content, code):
    contest = f.contest()
    staff, org = f.applicant(ALMATY)
    ngo = session(staff)
    draft = ok(post(ngo, f"/contests/{contest.pk}/applications", application_payload(org)), 201)
    response = ngo.post(
        f"{API}/contests/applications/{draft['id']}/documents",
        {"title": "Құжат", "file": SimpleUploadedFile(name, content, "application/octet-stream")},
    )
    body = refused(response, 400, code)
    assert body["field"] == "file"
    assert not ApplicationDocument.objects.exists()
    assert not AuditEntry.objects.filter(action="application.document_add").exists()
    # The same document as what it is goes in.
    good = {
        "charter.pdf": b"%PDF-1.7\n",
        "budget.xlsx": b"PK\x03\x04rest",
        "scan.png": png_declaring(800, 600),
    }
    response = ngo.post(
        f"{API}/contests/applications/{draft['id']}/documents",
        {"title": "Құжат", "file": SimpleUploadedFile(name, good[name], "application/octet-stream")},
    )
    ok(response, 201)
