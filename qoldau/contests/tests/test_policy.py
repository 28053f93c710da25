"""The contests policy: each rule's check for one record and its query for lists give the
same answer on the same table of users × records, and that answer is the expected one.

The scene: a contest with the commissions of Almaty and Astana and the republican one
(Astana's result approved, so its winner advanced), a grant call with its commission, and
applications in every state from organisations, an individual and the call's applicants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, QuerySet
from django.utils import timezone

from qoldau.contests import policy, services
from qoldau.contests.models import ApplicantKind, Application, Commission, GrantAward, GranteeReport
from qoldau.contests.tests import factories as f
from qoldau.contests.tests.checks import english
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.models import Organisation
from qoldau.core.tests.factories import ALMATY, ASTANA, TURKISTAN, organisation, region, user

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    users: dict[str, Any] = field(default_factory=dict)
    commissions: dict[str, Commission] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)


def _seat(commission: Commission, minister: User, role: str, *, person: User | None = None) -> User:
    person = person or f.plain_user(role)
    services.commission_member_add(actor=minister, commission=commission, user=person, role=role)
    return person


def _draft(actor: User, *, contest: Any = None, call: Any = None, org: Organisation | None) -> Application:
    kind = ApplicantKind.NGO if org is not None else ApplicantKind.INDIVIDUAL
    return services.application_start(
        actor=actor,
        contest=contest,
        call=call,
        data=services.ApplicationInput(
            applicant_kind=kind,
            region_id=region(ALMATY).pk,
            organisation_id=org.pk if org is not None else None,
            applicant_name=org.name if org is not None else "Айгүл Ахметова",
            title_kk="Жоба",
            description_kk="Мүгедектігі бар адамдарға көмек.",
            results="120 адамға қызмет көрсетілді.",
        ),
    )


@pytest.fixture
def s() -> Scene:
    scene = Scene()
    u, c, a = scene.users, scene.commissions, scene.applications
    minister = f.ministry()
    u["anon"] = AnonymousUser()
    u["admin"] = user("sysadmin", "system_admin")
    u["minister"] = minister
    u["akimat_almaty"] = user("akimat-almaty", "akimat_officer", kato=ALMATY)
    u["akimat_astana"] = user("akimat-astana", "akimat_officer", kato=ASTANA)
    u["ngo_a"], org_a = f.applicant(ALMATY)
    u["staff_a"] = user("staff-a", "ngo_staff", org=org_a)
    u["ngo_b"], org_b = f.applicant(ASTANA)
    u["ngo_c"], org_c = f.applicant(ALMATY)
    u["citizen"] = f.plain_user("citizen")
    operator = organisation(name="«Қорған-М» республикалық қоғамдық бірлестігі")
    u["operator"] = user("operator", "ngo_admin", org=operator)
    scene.organisations.update(a=org_a, b=org_b, operator=operator)

    contest = f.contest(actor=minister)
    almaty = f.regional_panel(contest, kato=ALMATY, actor=minister, members=1)
    astana = f.regional_panel(contest, kato=ASTANA, actor=minister, members=0)
    c["almaty"], c["astana"] = almaty.commission, astana.commission
    u["alm_chair"], u["alm_secretary"], u["alm_member"] = almaty.chair, almaty.secretary, almaty.members[0]
    u["alm_conflicted"] = _seat(c["almaty"], minister, "member")
    # Staff of organisation A on the Almaty commission: connected to A's applications.
    u["alm_connected"] = _seat(
        c["almaty"], minister, "member", person=user("staff-a-member", "ngo_staff", org=org_a)
    )
    u["ast_chair"], u["ast_secretary"] = astana.chair, astana.secretary
    republican = f.panel(
        services.commission_create(actor=minister, level="republican", contest=contest), minister, members=0
    )
    c["republican"] = republican.commission
    u["rep_chair"], u["rep_secretary"] = republican.chair, republican.secretary

    call = f.grant_call(operator=operator, actor=minister)
    grant = f.panel(services.commission_create(actor=minister, level="grant", call=call), minister, members=0)
    c["grant"] = grant.commission
    u["grant_chair"], u["grant_secretary"] = grant.chair, grant.secretary

    a["c_draft"] = _draft(u["ngo_a"], contest=contest, org=org_a)
    a["c_submitted"] = f.contest_application(contest, staff=u["ngo_a"], org=org_a)
    a["c_eligible"] = f.eligible(
        f.contest_application(contest, staff=u["ngo_c"], org=org_c), almaty.secretary
    )
    individual = _draft(u["citizen"], contest=contest, org=None)
    individual = services.application_submit(actor=u["citizen"], application=individual)
    a["c_individual"] = f.eligible(individual, almaty.secretary)
    a["c_astana"] = f.eligible(
        f.contest_application(contest, kato=ASTANA, staff=u["ngo_b"], org=org_b), astana.secretary
    )
    f.score_all(astana, a["c_astana"], [8, 7, 6])
    services.commission_approve(actor=astana.chair, commission=c["astana"])
    a["c_astana"].refresh_from_db()
    assert a["c_astana"].advanced
    a["g_draft"] = _draft(u["ngo_a"], call=call, org=org_a)
    a["g_submitted"] = f.grant_application(call)
    services.conflict_declare(
        actor=u["alm_conflicted"], commission=c["almaty"], application=a["c_eligible"], reason="Менің туысым."
    )
    return scene


def _pairs(names: Iterable[str], records: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    return ((n, r) for n in names for r in records)


def assert_same_answers(
    users: Mapping[str, Any],
    records: Mapping[str, Model],
    check: Callable[[Any, Any], bool],
    query: Callable[[Any], QuerySet[Any]],
    expected: dict[str, set[str]],
) -> None:
    """For every user × record: the check, the query filtered by the record, and the table
    agree. `expected` names, per user, the records the rule allows (none when left out)."""
    wrong = []
    for name, key in _pairs(users, records):
        record = records[key]
        said = check(users[name], record)
        listed = query(users[name]).filter(pk=record.pk).exists()
        want = key in expected.get(name, set())
        if not said == listed == want:
            wrong.append(f"{name} × {key}: check {said}, query {listed}, expected {want}")
    assert wrong == []


ALMATY_CONTEST = {"c_draft", "c_submitted", "c_eligible", "c_individual"}
SUBMITTED_IN_ALMATY = {"c_submitted", "c_eligible", "c_individual"}
A_SIDE = {"c_draft", "c_submitted", "g_draft"}
EVERY_COMMISSION = {"almaty", "astana", "republican", "grant"}


def test_which_applications_a_commission_reviews(s: Scene) -> None:
    expected = {
        "almaty": ALMATY_CONTEST,
        "astana": {"c_astana"},
        "republican": {"c_astana"},
        "grant": {"g_draft", "g_submitted"},
    }
    assert_same_answers(
        s.commissions, s.applications, policy.reviews, policy.applications_reviewed_by, expected
    )
    # Eligibility is decided in the region (or by the call's commission), never at the republican stage.
    checked = {**expected, "republican": set()}
    assert_same_answers(
        s.commissions,
        s.applications,
        lambda commission, application: policy.checking_commission(application) == commission,
        policy.applications_checked_by,
        checked,
    )


def test_who_sees_an_application(s: Scene) -> None:
    expected = {
        "admin": set(s.applications),
        "minister": SUBMITTED_IN_ALMATY | {"c_astana", "g_submitted"},
        "akimat_almaty": SUBMITTED_IN_ALMATY | {"g_submitted"},
        "akimat_astana": {"c_astana"},
        "ngo_a": A_SIDE,
        "staff_a": A_SIDE,
        "ngo_b": {"c_astana"},
        "ngo_c": {"c_eligible"},
        "citizen": {"c_individual"},
        "operator": {"g_submitted"},
        "alm_chair": SUBMITTED_IN_ALMATY,
        "alm_member": SUBMITTED_IN_ALMATY,
        "alm_secretary": SUBMITTED_IN_ALMATY,
        "alm_conflicted": SUBMITTED_IN_ALMATY,
        "alm_connected": A_SIDE | SUBMITTED_IN_ALMATY,
        "ast_chair": {"c_astana"},
        "ast_secretary": {"c_astana"},
        "rep_chair": {"c_astana"},
        "rep_secretary": {"c_astana"},
        "grant_chair": {"g_submitted"},
        "grant_secretary": {"g_submitted"},
    }
    assert_same_answers(
        s.users, s.applications, policy.may_see_application, policy.applications_visible, expected
    )
    with pytest.raises(NotFound):
        policy.check_may_see_application(s.users["operator"], s.applications["g_draft"])


def test_who_acts_for_an_application(s: Scene) -> None:
    expected = {
        # A system administrator acts for every organisation, not for an individual.
        "admin": set(s.applications) - {"c_individual"},
        "ngo_a": A_SIDE,
        "staff_a": A_SIDE,
        "alm_connected": A_SIDE,
        "ngo_b": {"c_astana"},
        "ngo_c": {"c_eligible"},
        "citizen": {"c_individual"},
    }
    assert_same_answers(
        s.users, s.applications, policy.may_act_for_application, policy.applications_acted_for_by, expected
    )
    with pytest.raises(PermissionDenied):
        policy.check_may_change_application(s.users["alm_chair"], s.applications["c_submitted"])
    with pytest.raises(PermissionDenied):
        policy.check_may_withdraw_application(s.users["ngo_b"], s.applications["c_submitted"])


def test_who_sets_up_commissions_and_calls(s: Scene) -> None:
    national = {"admin": EVERY_COMMISSION, "minister": EVERY_COMMISSION}
    assert_same_answers(
        s.users,
        s.commissions,
        policy.may_set_up_commission,
        policy.commissions_set_up_by,
        {**national, "akimat_almaty": {"almaty"}, "akimat_astana": {"astana"}, "operator": {"grant"}},
    )
    regions = {kato: region(kato) for kato in (ALMATY, ASTANA, TURKISTAN)}
    assert_same_answers(
        s.users,
        regions,
        lambda person, place: policy.may_create_commission(
            person, level=Commission.Level.REGIONAL, region_id=place.pk, call=None
        ),
        policy.commission_regions,
        {
            "admin": set(regions),
            "minister": set(regions),
            "akimat_almaty": {ALMATY},
            "akimat_astana": {ASTANA},
        },
    )
    for name, person in s.users.items():
        assert policy.may_set_up_contest_commissions(person) == (
            name in {"admin", "minister", "akimat_almaty", "akimat_astana"}
        ), name
        assert policy.may_set_up_contests(person) == (name in national), name
    every_organisation = set(s.organisations)
    assert_same_answers(
        s.users,
        s.organisations,
        policy.may_open_call_for,
        policy.call_operators,
        {
            "admin": every_organisation,
            "minister": every_organisation,
            "ngo_a": {"a"},
            "ngo_b": {"b"},
            "operator": {"operator"},
        },
    )
    for name, person in s.users.items():
        assert policy.may_open_calls(person) == policy.call_operators(person).exists(), name
    with pytest.raises(PermissionDenied) as caught:
        policy.check_may_set_up_commission(s.users["akimat_almaty"], s.commissions["astana"])
    assert english(caught.value) == "You may not set up this commission."


def test_who_runs_a_call_and_applies_for_an_organisation(s: Scene) -> None:
    call = s.commissions["grant"].call
    assert call is not None
    calls = {"call": call}
    assert_same_answers(
        s.users,
        calls,
        policy.may_run_call,
        policy.calls_run_by,
        {"admin": {"call"}, "minister": {"call"}, "operator": {"call"}},
    )
    with pytest.raises(PermissionDenied) as caught:
        policy.check_may_run_call(s.users["ngo_a"], call, task="pay_tranche")
    assert english(caught.value) == "Only the call's operator records payments."
    with pytest.raises(NotFound):
        policy.check_may_see_call_awards(s.users["akimat_almaty"], call)
    assert_same_answers(
        s.users,
        s.organisations,
        policy.may_apply_for,
        policy.organisations_applied_for_by,
        {
            "admin": set(s.organisations),
            "ngo_a": {"a"},
            "staff_a": {"a"},
            "alm_connected": {"a"},
            "ngo_b": {"b"},
            "operator": {"operator"},
        },
    )


def test_who_sees_and_works_on_a_commission(s: Scene) -> None:
    seated = {
        "alm_chair": {"almaty"},
        "alm_member": {"almaty"},
        "alm_secretary": {"almaty"},
        "alm_conflicted": {"almaty"},
        "alm_connected": {"almaty"},
        "ast_chair": {"astana"},
        "ast_secretary": {"astana"},
        "rep_chair": {"republican"},
        "rep_secretary": {"republican"},
        "grant_chair": {"grant"},
        "grant_secretary": {"grant"},
    }
    setting_up = {
        "admin": EVERY_COMMISSION,
        "minister": EVERY_COMMISSION,
        "akimat_almaty": {"almaty"},
        "akimat_astana": {"astana"},
        "operator": {"grant"},
    }
    assert_same_answers(
        s.users,
        s.commissions,
        policy.may_see_commission,
        policy.commissions_visible,
        {**seated, **setting_up},
    )
    assert_same_answers(
        s.users, s.commissions, policy.may_work_on_commission, policy.commissions_worked_on_by, seated
    )
    keepers = {name: seats for name, seats in seated.items() if "chair" in name or "secretary" in name}
    assert_same_answers(
        s.users,
        s.commissions,
        policy.may_read_score_log,
        policy.commissions_score_log_readable_by,
        {**keepers, **setting_up},
    )
    chairs = {name: seats for name, seats in seated.items() if name.endswith("chair")}
    assert_same_answers(s.users, s.commissions, policy.may_approve, policy.commissions_approvable_by, chairs)
    secretaries = {name: seats for name, seats in seated.items() if name.endswith("secretary")}
    assert_same_answers(
        s.users, s.commissions, policy.may_check_eligibility, policy.commissions_checked_by, secretaries
    )
    with pytest.raises(NotFound) as hidden:
        policy.check_may_work_on_commission(s.users["minister"], s.commissions["almaty"])
    assert english(hidden.value) == "There is no such commission, or you do not sit on it."
    with pytest.raises(PermissionDenied):
        policy.check_may_approve(s.users["alm_secretary"], s.commissions["almaty"])


def test_who_decides_an_applications_eligibility(s: Scene) -> None:
    assert_same_answers(
        s.users,
        s.applications,
        lambda person, application: policy.may_decide_eligibility(
            person, application, commission=policy.checking_commission(application)
        ),
        policy.applications_eligibility_decidable_by,
        {
            # Whatever the application's state: a draft is refused later, for its state.
            "alm_secretary": ALMATY_CONTEST,
            "ast_secretary": {"c_astana"},
            "grant_secretary": {"g_draft", "g_submitted"},
        },
    )


def test_who_scores_and_declares_conflicts_in_a_commission(s: Scene) -> None:
    almaty = s.commissions["almaty"]
    members = {name: person for name, person in s.users.items() if name.startswith("alm_")}
    others = {name: s.users[name] for name in ("anon", "minister", "akimat_almaty", "ast_chair", "staff_a")}
    people = {**members, **others}
    assert_same_answers(
        people,
        s.applications,
        lambda person, application: policy.may_score(person, almaty, application),
        lambda person: policy.applications_scorable_by(person, almaty),
        {
            "alm_chair": ALMATY_CONTEST,
            "alm_member": ALMATY_CONTEST,
            # Not what they declared a conflict with, nor what their organisation applied with.
            "alm_conflicted": ALMATY_CONTEST - {"c_eligible"},
            "alm_connected": ALMATY_CONTEST - {"c_draft", "c_submitted"},
        },
    )
    # The answer a page gets by asking the conflict first is the same.
    for name, person in members.items():
        for key, application in s.applications.items():
            conflict = policy.in_conflict(person, almaty, application)
            assert policy.may_score(person, almaty, application, conflict=conflict) == policy.may_score(
                person, almaty, application
            ), (name, key)
    refusals = {
        ("alm_secretary", "c_eligible"): "forbidden",
        ("alm_chair", "c_astana"): "outside_commission",
        ("alm_conflicted", "c_eligible"): "conflict",
        ("alm_connected", "c_submitted"): "conflict",
        ("minister", "c_eligible"): "forbidden",
    }
    for (name, key), code in refusals.items():
        with pytest.raises(PermissionDenied) as caught:
            policy.check_may_score(people[name], almaty, s.applications[key])
        assert caught.value.code == code, (name, key)
    policy.check_may_score(members["alm_member"], almaty, s.applications["c_individual"])
    assert_same_answers(
        people,
        s.applications,
        lambda person, application: policy.may_declare_conflict(person, almaty, application),
        lambda person: policy.applications_conflict_declarable_by(person, almaty),
        {name: ALMATY_CONTEST for name in members},
    )


def test_a_seat_read_for_someone_else_is_no_seat(s: Scene) -> None:
    almaty = s.commissions["almaty"]
    chairs_seat = policy.seat_of(s.users["alm_chair"], almaty)
    assert chairs_seat is not None
    assert policy.may_approve(s.users["alm_chair"], almaty, seat=chairs_seat)
    assert not policy.may_approve(s.users["alm_member"], almaty, seat=chairs_seat)
    assert not policy.may_approve(s.users["alm_chair"], s.commissions["astana"], seat=chairs_seat)
    assert not policy.may_see_commission(s.users["citizen"], almaty, seat=chairs_seat)


def test_who_sees_a_grant_links_its_project_and_submits_its_reports(s: Scene) -> None:
    minister = s.users["minister"]
    award = f.awarded_grant(actor=minister)
    grantee = award.application.applicant
    users = {**s.users, "grantee": grantee}
    awards: dict[str, GrantAward] = {"award": award}
    assert_same_answers(
        users,
        awards,
        policy.may_see_award,
        policy.awards_visible,
        {"admin": {"award"}, "minister": {"award"}, "grantee": {"award"}},
    )
    assert_same_answers(
        users,
        awards,
        policy.may_link_grant_project,
        policy.awards_linkable_by,
        {"admin": {"award"}, "grantee": {"award"}},
    )
    reports: dict[str, GranteeReport] = {
        "report": f.grantee_report(award, actor=minister, due_on=timezone.localdate() + dt.timedelta(days=30))
    }
    assert_same_answers(
        users,
        reports,
        policy.may_submit_report,
        policy.reports_submittable_by,
        {"admin": {"report"}, "grantee": {"report"}},
    )
    services.report_submit(actor=grantee, report=reports["report"], narrative="Жасалды.")
    # Submitted: the grantee's page no longer offers the form, though the rule itself holds.
    assert policy.may_submit_report(grantee, reports["report"])
    assert not policy.may_submit_report_now(grantee, reports["report"])
    with pytest.raises(PermissionDenied):
        policy.check_may_submit_report_now(grantee, reports["report"])
