"""The jobs policy: every rule's check for one record, its query for lists and its refusal
give the same answer, and the expected one, over one table of users × records; each
refusal says what it says; and no other module of the app asks the raw scope or words a
refusal.

The table: the Almaty career centre's seekers `sent` (sent to employer A), `proposed`
(proposed to A, not sent yet) and `withdrawn` (sent to A, then withdrew consent from the
centre); the Turkistan NGO's seeker `turkistan` (sent to employer B's remote vacancy).
Employer A has an open vacancy and a draft; B an open remote one."""

from __future__ import annotations

import ast
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from qoldau.core import services as core_services
from qoldau.core.errors import NotFound, PermissionDenied, ValidationFailed
from qoldau.core.models import Place
from qoldau.core.tests.policy_cases import Refusal, refusal, rule_mismatches
from qoldau.jobs import policy, services
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db

JOBS = Path(policy.__file__).parent

CENTRE = {"centre.staff", "centre.admin", "centre.coach", "centre.coach2"}
TURKISTAN_NGO = {"turkistan.coach", "turkistan.admin"}


@dataclass
class Table:
    s: f.Scene
    seekers: dict[str, Any]
    vacancies: dict[str, Any]
    proposals: dict[str, Any]
    cases: dict[str, Any]
    notes: dict[str, Any]
    placements: dict[str, Any]
    employers: dict[str, Any]
    regions: dict[str, Any]
    people: dict[str, Any]

    @property
    def users(self) -> dict[str, Any]:
        return self.s.users


@pytest.fixture
def t() -> Table:
    s = f.scene(buildings=False)
    coach, t_coach = s["centre.coach"], s["turkistan.coach"]
    sent = f.seeker(coach, s.centre)
    proposed = f.seeker(coach, s.centre)
    withdrawn = f.seeker(coach, s.centre)
    turkistan = f.seeker(t_coach, s.turkistan_ngo, region_kato=f.TURKISTAN)
    a_open = f.vacancy(s["employer.a"], s.employer_a)
    a_draft = f.vacancy(s["employer.a"], s.employer_a, draft=True)
    b_remote = f.vacancy(s["employer.b"], s.employer_b, remote=True)
    p_sent = f.sent_proposal(s, sent, a_open)
    p_proposed = services.proposal_create(actor=coach, seeker=proposed, vacancy=a_open)
    p_withdrawn = f.sent_proposal(s, withdrawn, a_open)
    p_turkistan = f.sent_proposal(s, turkistan, b_remote, actor="turkistan.coach")
    core_services.consent_withdraw(
        actor=s["centre.staff"],
        person=withdrawn.person,
        organisation=s.centre,
        withdrawn_on=dt.date(2025, 6, 1),
    )
    c_sent = f.case(s, sent)
    c_proposed = f.case(s, proposed, coach="centre.coach2")
    c_turkistan = services.case_open(actor=t_coach, seeker=turkistan, coach=t_coach, opened_on=f.PAST)
    notes = {
        name: services.case_note_add(actor=case.coach, case=case, text="ИПАР: ауыр жүк көтеруге болмайды.")
        for name, case in (("sent", c_sent), ("proposed", c_proposed), ("turkistan", c_turkistan))
    }
    placed = f.placement(s, c_sent, vacancy=a_open)
    return Table(
        s=s,
        seekers={"sent": sent, "proposed": proposed, "withdrawn": withdrawn, "turkistan": turkistan},
        vacancies={"a_open": a_open, "a_draft": a_draft, "b_remote": b_remote},
        proposals={
            "sent": p_sent,
            "proposed": p_proposed,
            "withdrawn": p_withdrawn,
            "turkistan": p_turkistan,
        },
        cases={"sent": c_sent, "proposed": c_proposed, "turkistan": c_turkistan},
        notes=notes,
        placements={"sent": placed},
        employers={
            "a": s.employer_a,
            "b": s.employer_b,
            "centre": s.centre,
            "turkistan_ngo": s.turkistan_ngo,
        },
        regions={
            "almaty": Place.objects.get(kato=f.ALMATY),
            "turkistan": Place.objects.get(kato=f.TURKISTAN),
            "astana": Place.objects.get(kato="710000000"),
        },
        people={name: seeker.person for name, seeker in {"sent": sent, "turkistan": turkistan}.items()},
    )


def table(t: Table, **allowed: set[str]) -> dict[str, set[str]]:
    """Every user of the scene allowed nothing but what is named (with `_` for `.`)."""
    result: dict[str, set[str]] = {name: set() for name in t.users}
    for key, records in allowed.items():
        names = {key.replace("_", ".")} if key.replace("_", ".") in t.users else set()
        if key == "CENTRE":
            names = CENTRE
        elif key == "TURKISTAN_NGO":
            names = TURKISTAN_NGO
        assert names, key
        for name in names:
            result[name] = set(records)
    return result


def check(t: Table, records: dict[str, Any], allowed: dict[str, set[str]], **forms: Any) -> None:
    assert rule_mismatches(t.users, records, allowed, **forms) == []


ALL_SEEKERS = {"sent", "proposed", "withdrawn", "turkistan"}


# Seekers -----------------------------------------------------------------------------------


def test_the_pool_is_the_people_an_organisation_serves_and_nobody_elses(t):
    check(
        t,
        t.seekers,
        table(t, CENTRE={"sent", "proposed"}, TURKISTAN_NGO={"turkistan"}, sysadmin=ALL_SEEKERS),
        check=policy.may_work_with_seeker,
        query=policy.seekers_in_pool,
        refuse=policy.check_may_work_with_seeker,
    )


def test_an_employer_sees_the_seekers_sent_to_it_and_never_the_pool(t):
    check(
        t,
        t.seekers,
        table(
            t,
            CENTRE={"sent", "proposed"},
            TURKISTAN_NGO={"turkistan"},
            employer_a={"sent"},
            employer_b={"turkistan"},
            sysadmin=ALL_SEEKERS,
        ),
        check=policy.may_see_seeker,
        query=policy.seekers_visible,
        refuse=policy.check_may_see_seeker,
    )


def test_people_are_registered_as_seekers_by_those_who_see_them(t):
    check(
        t,
        t.people,
        table(t, CENTRE={"sent"}, TURKISTAN_NGO={"turkistan"}, sysadmin={"sent", "turkistan"}),
        check=policy.may_register_seeker,
        query=policy.people_registrable_as_seekers,
        refuse=policy.check_may_register_seeker,
    )


# Vacancies and employers -------------------------------------------------------------------


def test_open_vacancies_are_public_and_drafts_are_the_employers_and_officers(t):
    every = {"a_open", "a_draft", "b_remote"}
    allowed = {name: {"a_open", "b_remote"} for name in t.users}
    allowed.update({"employer.a": every, "akimat.almaty": every, "ministry": every, "sysadmin": every})
    check(
        t,
        t.vacancies,
        allowed,
        check=policy.may_see_vacancy,
        query=policy.vacancies_visible,
        refuse=policy.check_may_see_vacancy,
    )


def test_only_the_employers_staff_manage_its_vacancies(t):
    check(
        t,
        t.vacancies,
        table(
            t,
            employer_a={"a_open", "a_draft"},
            employer_b={"b_remote"},
            sysadmin={"a_open", "a_draft", "b_remote"},
        ),
        check=policy.may_manage_vacancy,
        query=policy.vacancies_managed_by,
        refuse=policy.check_may_manage_vacancy,
    )


def test_an_employers_staff_post_its_vacancies(t):
    everything = set(t.employers)
    check(
        t,
        t.employers,
        table(
            t,
            employer_a={"a"},
            employer_b={"b"},
            CENTRE={"centre"},
            TURKISTAN_NGO={"turkistan_ngo"},
            sysadmin=everything,
        ),
        check=policy.may_staff_employer,
        query=policy.employers_staffed_by,
        refuse=policy.check_may_post_vacancies_for,
    )


# Proposals ---------------------------------------------------------------------------------


def test_proposals_are_read_by_the_seekers_organisation_and_once_sent_by_the_employer(t):
    check(
        t,
        t.proposals,
        table(
            t,
            CENTRE={"sent", "proposed"},
            TURKISTAN_NGO={"turkistan"},
            employer_a={"sent"},
            employer_b={"turkistan"},
            sysadmin=ALL_SEEKERS,
        ),
        check=policy.may_see_proposal,
        query=policy.proposals_visible,
        refuse=policy.check_may_see_proposal,
    )


def test_the_seekers_side_of_a_proposal_is_their_organisations(t):
    check(
        t,
        t.proposals,
        table(t, CENTRE={"sent", "proposed"}, TURKISTAN_NGO={"turkistan"}, sysadmin=ALL_SEEKERS),
        check=policy.may_coach_proposal,
        query=policy.proposals_coached_by,
        refuse=policy.check_may_coach_proposal,
    )


def test_the_employers_side_of_a_proposal_opens_when_it_is_sent(t):
    check(
        t,
        t.proposals,
        table(t, employer_a={"sent"}, employer_b={"turkistan"}, sysadmin={"sent", "withdrawn", "turkistan"}),
        check=policy.may_answer_proposal,
        query=policy.proposals_answered_by,
        refuse=policy.check_may_answer_proposal,
    )


# Job coaching ------------------------------------------------------------------------------


def test_cases_are_read_by_the_seekers_organisation(t):
    check(
        t,
        t.cases,
        table(t, CENTRE={"sent", "proposed"}, TURKISTAN_NGO={"turkistan"}, sysadmin=set(t.cases)),
        check=policy.may_see_case,
        query=policy.cases_visible,
        refuse=policy.check_may_see_case,
    )


COACHED = {
    "centre_coach": {"sent"},
    "centre_coach2": {"proposed"},
    "centre_admin": {"sent", "proposed"},
    "turkistan_coach": {"turkistan"},
    "turkistan_admin": {"turkistan"},
    "sysadmin": {"sent", "proposed", "turkistan"},
}


def test_a_case_is_coached_by_its_coach_and_overseen_by_the_organisations_administrators(t):
    check(
        t,
        t.cases,
        table(t, **COACHED),
        check=policy.may_coach_case,
        query=policy.cases_coached_by,
        refuse=policy.check_may_coach_case,
    )


def test_case_notes_are_read_only_by_those_who_coach_the_case(t):
    check(t, t.notes, table(t, **COACHED), check=policy.may_read_case_note, query=policy.case_notes_visible)


def test_placements_are_read_by_the_seekers_organisation(t):
    check(
        t,
        t.placements,
        table(t, CENTRE={"sent"}, sysadmin={"sent"}),
        check=policy.may_see_placement,
        query=policy.placements_visible,
        refuse=policy.check_may_see_placement,
    )


def test_job_coaches_are_those_who_hold_the_role_for_the_organisation(t):
    for organisation, coaches in (
        (t.s.centre, {"centre.coach", "centre.coach2"}),
        (t.s.turkistan_ngo, {"turkistan.coach"}),
    ):
        listed = set(policy.coaches_of(organisation).values_list("username", flat=True))
        assert listed == coaches
        for name, user in t.users.items():
            assert policy.may_coach_for(user, organisation) == (name in coaches), name


# The quota ---------------------------------------------------------------------------------


ALMATY_EMPLOYERS = {"a", "b", "centre"}


def test_an_employers_quota_is_read_by_its_staff_its_regions_officers_and_the_ministry(t):
    everything = set(t.employers)
    check(
        t,
        t.employers,
        table(
            t,
            employer_a={"a"},
            employer_b={"b"},
            CENTRE={"centre"},
            TURKISTAN_NGO={"turkistan_ngo"},
            akimat_almaty=ALMATY_EMPLOYERS,
            akimat_turkistan={"turkistan_ngo"},
            ministry=everything,
            sysadmin=everything,
        ),
        check=policy.may_see_quota_of,
        query=policy.employers_quota_visible,
        refuse=policy.check_may_see_quota_of,
    )


def test_staff_are_reported_by_the_employer_or_its_regions_officers(t):
    check(
        t,
        t.employers,
        table(
            t,
            employer_a={"a"},
            employer_b={"b"},
            CENTRE={"centre"},
            TURKISTAN_NGO={"turkistan_ngo"},
            akimat_almaty=ALMATY_EMPLOYERS,
            akimat_turkistan={"turkistan_ngo"},
            sysadmin=set(t.employers),
        ),
        check=policy.may_report_staff_of,
        query=policy.employers_reportable_by,
        refuse=policy.check_may_report_staff_of,
    )


def test_the_quota_is_enforced_by_the_officers_of_the_employers_region(t):
    check(
        t,
        t.employers,
        table(
            t, akimat_almaty=ALMATY_EMPLOYERS, akimat_turkistan={"turkistan_ngo"}, sysadmin=set(t.employers)
        ),
        check=policy.may_enforce_quota_of,
        query=policy.employers_enforceable_by,
        refuse=policy.check_may_enforce_quota_of,
    )


def test_a_regions_compliance_is_followed_by_its_officers_and_the_ministry(t):
    everywhere = set(t.regions)
    check(
        t,
        t.regions,
        table(
            t,
            akimat_almaty={"almaty"},
            akimat_turkistan={"turkistan"},
            ministry=everywhere,
            sysadmin=everywhere,
        ),
        check=policy.may_follow_quota_in,
        query=policy.regions_quota_followed_by,
        refuse=policy.check_may_follow_quota_in,
    )


# Job fairs ---------------------------------------------------------------------------------


def test_a_fairs_funnel_is_read_by_those_who_see_its_event_and_it_is_organised_by_its_staff(t):
    fairs = {"centre": f.fair(t.s)}
    check(
        t,
        fairs,
        table(t, CENTRE={"centre"}, akimat_almaty={"centre"}, ministry={"centre"}, sysadmin={"centre"}),
        check=policy.may_see_fair,
        query=policy.fairs_visible,
        refuse=policy.check_may_see_fair,
    )
    check(
        t,
        fairs,
        table(t, CENTRE={"centre"}, sysadmin={"centre"}),
        check=policy.may_organise_fair,
        query=policy.fairs_organised_by,
        refuse=policy.check_may_organise_fair,
    )
    fair = fairs["centre"]
    for name, user in t.users.items():
        for key, employer in t.employers.items():
            expected = (
                name in CENTRE
                or name == "sysadmin"
                or (name, key) in {("employer.a", "a"), ("employer.b", "b")}
            )
            if name in TURKISTAN_NGO and key == "turkistan_ngo":
                expected = True  # an organisation's own staff post its vacancies
            assert policy.may_register_employer_for_fair(user, fair, employer) == expected, (name, key)


def test_the_catalogues_are_kept_by_administrators_and_the_command_line(t):
    for name, user in t.users.items():
        assert policy.may_keep_catalogues(user) == (name == "sysadmin"), name
    assert policy.may_keep_catalogues(None)


def test_the_table_holds_every_case_it_names(t):
    assert {p.state for p in t.proposals.values()} == {"proposed", "sent"}
    assert t.proposals["proposed"].sent_on is None
    assert not t.seekers["withdrawn"].person.consents.filter(withdrawn_on__isnull=True).exists()
    assert t.vacancies["a_draft"].status == "draft"
    assert t.vacancies["b_remote"].remote


# The refusals ------------------------------------------------------------------------------


def test_each_refusal_says_why_with_the_status_of_what_the_user_may_see(t):
    u = t.users
    cases = [
        (
            lambda: policy.check_may_see_seeker(u["employer.a"], t.seekers["proposed"]),
            Refusal(NotFound, 404, "There is no such job seeker among the people you serve."),
        ),
        (
            lambda: policy.check_may_see_vacancy(u["employer.b"], t.vacancies["a_draft"]),
            Refusal(NotFound, 404, "There is no such vacancy, or it is outside your scope."),
        ),
        (
            lambda: policy.check_may_see_proposal(u["employer.a"], t.proposals["proposed"]),
            Refusal(NotFound, 404, "There is no such proposal, or it is outside your scope."),
        ),
        (
            lambda: policy.check_may_see_case(u["employer.a"], t.cases["sent"]),
            Refusal(NotFound, 404, "There is no such coaching case among the people you serve."),
        ),
        (
            lambda: policy.check_may_see_placement(u["employer.a"], t.placements["sent"]),
            Refusal(NotFound, 404, "There is no such placement among the people you serve."),
        ),
        (
            lambda: policy.check_may_see_quota_of(u["employer.a"], t.employers["b"]),
            Refusal(NotFound, 404, "There is no such employer, or it is outside your scope."),
        ),
        (
            lambda: policy.check_may_manage_vacancy(u["employer.b"], t.vacancies["a_open"]),
            Refusal(PermissionDenied, 403, "Only the employer's staff may change its vacancies."),
        ),
        (
            lambda: policy.check_may_post_vacancies_for(u["employer.b"], t.employers["a"]),
            Refusal(PermissionDenied, 403, "Only the employer's staff post its vacancies."),
        ),
        (
            lambda: policy.check_may_coach_proposal(u["employer.a"], t.proposals["sent"]),
            Refusal(
                PermissionDenied, 403, "Only the staff of the organisation serving the seeker may do this."
            ),
        ),
        (
            lambda: policy.check_may_answer_proposal(u["centre.coach"], t.proposals["sent"]),
            Refusal(
                PermissionDenied,
                403,
                "Only the employer's staff answer for its vacancies, once a seeker is sent.",
            ),
        ),
        (
            lambda: policy.check_may_coach_case(u["centre.staff"], t.cases["sent"]),
            Refusal(
                PermissionDenied,
                403,
                "Only the case's job coach or the organisation's administrators may do this.",
            ),
        ),
        (
            lambda: policy.check_may_coach_for(u["centre.staff"], t.s.centre),
            Refusal(ValidationFailed, 400, "This user is not a job coach of the organisation."),
        ),
        (
            lambda: policy.check_may_enforce_quota_of(u["ministry"], t.employers["a"]),
            Refusal(
                PermissionDenied,
                403,
                "Only the akimat officers of the employer's region record the quota's "
                "exemptions and sanctions.",
            ),
        ),
        (
            lambda: policy.check_may_report_staff_of(u["employer.a"], t.employers["b"]),
            Refusal(
                PermissionDenied,
                403,
                "Only the employer's staff or the akimat officers of its region report its staff.",
            ),
        ),
        (
            lambda: policy.check_may_follow_quota_in(u["akimat.turkistan"], t.regions["almaty"]),
            Refusal(
                PermissionDenied,
                403,
                "Only the akimat officers of a region and the ministry follow its quota.",
            ),
        ),
        (
            lambda: policy.check_may_see_fair(u["akimat.turkistan"], f.fair(t.s)),
            Refusal(NotFound, 404, "There is no such job fair, or it is outside your scope."),
        ),
        (
            lambda: policy.check_may_organise_fair(u["akimat.almaty"], f.fair(t.s)),
            Refusal(
                PermissionDenied, 403, "Only the staff of the organisation holding the job fair may do this."
            ),
        ),
        (
            lambda: policy.check_may_register_employer_for_fair(
                u["employer.a"], f.fair(t.s), t.employers["b"]
            ),
            Refusal(
                PermissionDenied,
                403,
                "Only the job fair's organisers or the employer's own staff register the employer for it.",
            ),
        ),
        (
            lambda: policy.check_may_keep_catalogues(u["centre.admin"]),
            Refusal(PermissionDenied, 403, "Only system administrators keep the employment catalogues."),
        ),
    ]
    for call, expected in cases:
        assert refusal(call) == expected


# One home for each rule --------------------------------------------------------------------


def _app_modules() -> list[Path]:
    return [
        path
        for path in sorted(JOBS.rglob("*.py"))
        if "tests" not in path.relative_to(JOBS).parts
        and "migrations" not in path.relative_to(JOBS).parts
        and path.name != "policy.py"
    ]


def _policy_sentences() -> set[str]:
    tree = ast.parse((JOBS / "policy.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "_"
            and node.args
        ):
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def test_only_the_policy_asks_the_raw_scope_or_words_a_refusal():
    sentences = _policy_sentences()
    assert len(sentences) >= 15
    found = []
    for path in _app_modules():
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(JOBS))
        for construct in (
            "user_scope",
            "PermissionDenied(",
            "outside your scope",
            "Scope(",
            "people_visible(",
        ):
            if construct in text:
                found.append((name, construct))
        found.extend((name, sentence) for sentence in sentences if sentence in text)
        found.extend((name, m) for m in re.findall(r"_\(\s*\"[^\"]*(?:may do this|Only the )", text))
    assert found == []
