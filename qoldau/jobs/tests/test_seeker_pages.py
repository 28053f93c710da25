"""A citizen's own job search: registering themselves as a seeker with an organisation that
offers employment support (one Person record there, with their consent, seen by no other
organisation), their profile, matches and proposals, agreeing and declining themselves;
the IIN the staff confirm before the seeker is sent to an employer; and nobody else's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from qoldau.core import policy as core_policy
from qoldau.core import services as core_services
from qoldau.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from qoldau.core.models import CitizenRecord, Consent, Person
from qoldau.core.tests import factories as core_factories
from qoldau.core.tests.policy_cases import rule_mismatches
from qoldau.jobs import policy, selectors, services
from qoldau.jobs.errors import JobsErrorCode
from qoldau.jobs.models import Proposal, Seeker
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return f.scene()


def _client(user=None, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _form(s, **overrides):
    district = f.almaty_district()
    return {
        "organisation": str(s.centre.pk),
        "last_name": "Серікова",
        "first_name": "Айгүл",
        "iin": core_factories.valid_iin(sex="F"),
        "occupations": [],
        "education": "vocational",
        "experience_months": "12",
        "region": str(district.parent_id),
        "district": str(district.pk),
        "weekly_hours_wanted": "30",
        "categories_needed": ["К"],
        "consent": "on",
        **overrides,
    }


def test_self_registration_makes_one_person_of_the_chosen_organisation_with_consent(s):
    citizen = core_factories.citizen()
    client = _client(citizen)
    answer = client.post("/employment/me/register/", _form(s))
    assert answer.status_code == 302
    assert answer["Location"] == "/employment/me/"
    person = Person.objects.get(citizen_record__account__user=citizen)
    assert person.organisation == s.centre
    assert Person.objects.filter(citizen_record__isnull=False).count() == 1
    consent = Consent.objects.get(person=person)
    assert consent.organisation == s.centre
    assert consent.recorded_by == citizen
    seeker = Seeker.objects.get(person=person)
    assert seeker.categories_needed == "К"
    assert seeker.weekly_hours_wanted == 30
    assert CitizenRecord.objects.get(person=person).iin_confirmed_on is None

    # The chosen organisation's staff see the person; no other organisation's staff do.
    assert core_policy.may_see_person(s["centre.coach"], person)
    for other in ("turkistan.coach", "turkistan.admin", "employer.a", "akimat.almaty", "ministry"):
        assert not core_policy.may_see_person(s[other], person)
        assert not policy.seekers_in_pool(s[other]).filter(pk=seeker.pk).exists()
    # The profile page says the IIN waits for confirmation.
    page = client.get("/employment/me/").content.decode()
    assert "waiting for the organisation to confirm" in page
    assert s.centre.name_en in page


def test_without_consent_or_with_a_bad_iin_nothing_is_created(s):
    citizen = core_factories.citizen()
    client = _client(citizen)
    no_consent = _form(s)
    del no_consent["consent"]
    assert client.post("/employment/me/register/", no_consent).status_code == 200
    answer = client.post("/employment/me/register/", _form(s, iin="123456789012"))
    assert answer.status_code == 200
    assert "IIN" in answer.content.decode()
    assert not Person.objects.filter(citizen_record__isnull=False).exists()
    assert not Seeker.objects.exists()


def test_only_an_organisation_with_job_coaches_takes_self_registrations(s):
    citizen = core_factories.citizen()
    with pytest.raises(ValidationFailed) as refused:
        f.self_registered(citizen, s.employer_a)
    assert refused.value.code == JobsErrorCode.NO_EMPLOYMENT_SUPPORT
    assert s.employer_a not in selectors.organisations_for_self_registration()
    assert s.centre in selectors.organisations_for_self_registration()
    # The page offers only those; another id is refused by the form.
    answer = _client(citizen).post("/employment/me/register/", _form(s, organisation=str(s.employer_a.pk)))
    assert answer.status_code == 200
    assert not Person.objects.filter(citizen_record__isnull=False).exists()


def test_a_citizen_registers_as_a_seeker_once_and_staff_cannot_use_the_citizens_service(s):
    citizen = core_factories.citizen()
    f.self_registered(citizen, s.centre)
    with pytest.raises(Conflict):
        f.self_registered(citizen, s.turkistan_ngo)
    with pytest.raises(PermissionDenied):
        f.self_registered(s["centre.staff"], s.centre)
    assert Seeker.objects.count() == 1


def test_the_citizen_edits_what_they_want_but_not_what_the_ipar_rules_out(s):
    citizen = core_factories.citizen()
    seeker = f.self_registered(citizen, s.centre)
    # The staff record a contraindication from the ИПАР.
    services.seeker_update(
        actor=s["centre.coach"],
        seeker=seeker,
        expected_version=seeker.version,
        data=services.SeekerInput(
            education="vocational",
            region_id=seeker.region_id,
            district_id=seeker.district_id,
            occupation_codes=("4110",),
            contraindication_codes=("night_work",),
        ),
    )
    seeker.refresh_from_db()
    client = _client(citizen)
    answer = client.post(
        "/employment/me/edit/",
        {**_form(s), "education": "higher", "skills": "Excel", "version": str(seeker.version)},
    )
    assert answer.status_code == 302
    seeker.refresh_from_db()
    assert seeker.education == "higher"
    assert seeker.skills == "Excel"
    assert list(seeker.contraindications.values_list("code", flat=True)) == ["night_work"]
    # Another citizen edits nothing: they have no seeker.
    assert _client(core_factories.citizen()).get("/employment/me/edit/").status_code == 404


def test_matches_say_why_and_the_proposal_flow_is_completable_by_the_seeker(s):
    citizen = core_factories.citizen()
    seeker = f.self_registered(citizen, s.centre, categories=("К",))
    fits = f.vacancy(s["employer.a"], s.employer_a, workplace=s.clinic, title="Емхана тіркеушісі")
    steps = f.vacancy(s["employer.a"], s.employer_a, workplace=s.school, title="Мектеп кітапханашысы")
    client = _client(citizen)
    page = client.get("/employment/me/matches/").content.decode()
    assert "Емхана тіркеушісі" in page
    assert "Мектеп кітапханашысы" not in page
    assert "accessible for category К" in page

    proposal = services.proposal_create(actor=s["centre.coach"], seeker=seeker, vacancy=fits)
    page = client.get("/employment/me/proposals/").content.decode()
    assert "Емхана тіркеушісі" in page
    assert "I agree to be sent" in page
    assert client.post(f"/employment/me/proposals/{proposal.pk}/agree/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.seeker_agreed_on is not None

    # Not sent to the employer before the staff confirm the IIN.
    with pytest.raises(ValidationFailed) as refused:
        services.proposal_send(actor=s["centre.coach"], proposal=proposal)
    assert refused.value.code == JobsErrorCode.IIN_NOT_CONFIRMED
    assert not policy.seekers_visible(s["employer.a"]).filter(pk=seeker.pk).exists()
    core_services_confirm(s, seeker)
    services.proposal_send(actor=s["centre.coach"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SENT

    other = services.proposal_create(actor=s["centre.coach"], seeker=seeker, vacancy=steps_ok(s))
    answer = client.post(f"/employment/me/proposals/{other.pk}/decline/", {"reason": "pay", "note": ""})
    assert answer.status_code == 302
    other.refresh_from_db()
    assert other.state == Proposal.State.DECLINED
    assert other.declined_by == "seeker"
    # A bad reason is refused beside the field, nothing changed.
    third = services.proposal_create(actor=s["centre.coach"], seeker=seeker, vacancy=steps_ok(s, "Үшінші"))
    answer = client.post(f"/employment/me/proposals/{third.pk}/decline/", {"reason": "whatever"})
    assert answer.status_code == 400
    third.refresh_from_db()
    assert third.state == Proposal.State.PROPOSED
    assert steps.pk  # the inaccessible vacancy was never offered


def core_services_confirm(s, seeker):
    core_services.citizen_iin_confirm(actor=s["centre.coach"], person=seeker.person)


def steps_ok(s, title: str = "Екінші"):
    return f.vacancy(s["employer.a"], s.employer_a, workplace=s.clinic, title=title)


def test_another_citizens_proposals_answer_as_not_there(s):
    owner = core_factories.citizen()
    seeker = f.self_registered(owner, s.centre)
    proposal = services.proposal_create(actor=s["centre.coach"], seeker=seeker, vacancy=steps_ok(s))
    intruder = core_factories.citizen()
    f.self_registered(intruder, s.centre)
    client = _client(intruder)
    assert client.post(f"/employment/me/proposals/{proposal.pk}/agree/").status_code == 404
    assert (
        client.post(f"/employment/me/proposals/{proposal.pk}/decline/", {"reason": "pay"}).status_code == 404
    )
    assert client.post("/employment/me/proposals/999999/agree/").status_code == 404
    assert "Екінші" not in client.get("/employment/me/proposals/").content.decode()
    with pytest.raises(PermissionDenied):
        services.proposal_agree(actor=intruder, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.seeker_agreed_on is None
    assert proposal.state == Proposal.State.PROPOSED
    with pytest.raises(NotFound):
        selectors.own_proposal_get(intruder, proposal.pk)


def test_the_citizens_pages_are_theirs_only(s):
    anonymous = _client()
    assert anonymous.get("/employment/me/").status_code == 302  # to the sign-in page
    staff = _client(s["centre.coach"])
    assert staff.get("/employment/me/").status_code == 403
    citizen = _client(core_factories.citizen())
    assert citizen.get("/employment/me/").status_code == 200
    assert citizen.get("/employment/me/matches/").status_code == 404  # not registered yet
    assert citizen.get("/employment/me/proposals/").status_code == 404
    assert "/employment/me/register/" in citizen.get("/employment/me/").content.decode()


def test_the_coach_sees_who_registered_themselves_confirms_the_iin_and_opens_a_case(s):
    citizen = core_factories.citizen()
    seeker = f.self_registered(citizen, s.centre)
    coach = _client(s["centre.coach"])
    page = coach.get("/employment/coach/").content.decode()
    assert seeker.person.full_name in page
    assert "IIN to confirm" in page
    assert (
        seeker.person.full_name
        not in _client(s["turkistan.coach"]).get("/employment/coach/").content.decode()
    )
    coach.post(f"/people/{seeker.person_id}/confirm-iin/", {"next": "/employment/coach/"})
    assert CitizenRecord.objects.get(person=seeker.person).iin_confirmed_on is not None
    answer = coach.post(f"/employment/coach/seekers/{seeker.pk}/open-case/")
    assert answer.status_code == 302
    assert seeker.cases.get().coach == s["centre.coach"]
    assert (
        seeker.person.full_name
        not in coach.get("/employment/coach/").content.decode().split("People who registered themselves")[1]
    )
    # Another organisation's coach cannot take them on.
    other = f.self_registered(core_factories.citizen(), s.centre)
    assert (
        _client(s["turkistan.coach"]).post(f"/employment/coach/seekers/{other.pk}/open-case/").status_code
        == 404
    )


def test_the_vacancy_pages_link_to_registering_as_a_job_seeker(s):
    job = steps_ok(s)
    for url in ("/employment/vacancies/", f"/employment/vacancies/{job.pk}/"):
        page = _client().get(url).content.decode()
        assert "/signup/?next=/employment/me/register/" in page
        assert "Register as a job seeker" in page


def test_the_citizens_rules_agree_in_both_forms_over_a_table(s):
    """Seekers of a citizen and proposals answered for the seeker: the check, the query and
    the refusal give the same answer, the expected one, for every user × record."""
    ann, bob = core_factories.citizen(name="Ann"), core_factories.citizen(name="Bob")
    own = f.self_registered(ann, s.centre)
    staff_made = f.seeker(s["centre.coach"], s.centre)
    withdrawn = f.self_registered(bob, s.centre)
    core_services.consent_withdraw(
        actor=s["centre.staff"],
        person=withdrawn.person,
        organisation=s.centre,
        withdrawn_on=timezone.localdate(),
    )
    job = steps_ok(s)
    proposals = {
        "own": services.proposal_create(actor=s["centre.coach"], seeker=own, vacancy=job),
        "staff_made": services.proposal_create(actor=s["centre.coach"], seeker=staff_made, vacancy=job),
    }
    users = {
        "ann": ann,
        "bob": bob,
        "centre.coach": s["centre.coach"],
        "turkistan.coach": s["turkistan.coach"],
        "employer.a": s["employer.a"],
        "anonymous": s["anonymous"],
    }
    seekers = {"own": own, "staff_made": staff_made, "withdrawn": withdrawn}
    assert (
        rule_mismatches(
            users,
            seekers,
            {name: set() for name in users} | {"ann": {"own"}},
            check=policy.is_own_seeker,
            query=policy.seekers_of_citizen,
            refuse=policy.check_is_own_seeker,
        )
        == []
    )
    assert (
        rule_mismatches(
            users,
            proposals,
            {name: set() for name in users} | {"ann": {"own"}, "centre.coach": {"own", "staff_made"}},
            check=policy.may_answer_for_seeker,
            query=policy.proposals_answerable_for_seeker,
            refuse=policy.check_may_answer_for_seeker,
        )
        == []
    )


def test_a_citizen_starts_at_their_job_search_and_staff_see_the_iin_to_confirm_on_the_person(s):
    citizen = core_factories.citizen()
    seeker = f.self_registered(citizen, s.centre)
    answer = _client(citizen).get("/")
    assert answer.status_code == 302
    assert answer["Location"] == "/employment/me/"
    assert _client(s["centre.coach"]).get("/").status_code == 200
    page = _client(s["centre.staff"]).get(f"/people/{seeker.person_id}/").content.decode()
    assert "IIN to confirm" in page
    assert f"/people/{seeker.person_id}/confirm-iin/" in page
    assert _client(s["turkistan.admin"]).get(f"/people/{seeker.person_id}/").status_code == 404


def test_the_profile_lists_the_citizens_own_job_fair_registrations_only(s):
    citizen = core_factories.citizen()
    seeker = f.self_registered(citizen, s.centre)
    other = f.seeker(s["centre.coach"], s.centre)
    fair = f.fair(s, held_on=timezone.localdate() + dt.timedelta(days=10))
    services.fair_register_seeker(actor=s["centre.staff"], fair=fair, person=seeker.person)
    services.fair_register_seeker(actor=s["centre.staff"], fair=fair, person=other.person)
    assert [r.person_id for r in selectors.own_fair_registrations(citizen)] == [seeker.person_id]
    page = _client(citizen).get("/employment/me/").content.decode()
    assert "Job fair" in page
    assert "Registered" in page
    assert selectors.own_fair_registrations(core_factories.citizen()) == []
