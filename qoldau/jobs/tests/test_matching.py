"""Matching never proposes a trap, and ranks sensibly.

A trap is a vacancy a hard rule keeps from a seeker: a working condition their ИПАР
contraindicates, or a workplace not accessible for a category they need with no
accommodation offered that covers it. A generated set full of traps is ranked by the pure
functions and checked against a reference written here independently; then the same on
the database, through the selectors, with real accessibility passports."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from qoldau.core.errors import ValidationFailed
from qoldau.jobs import matching, selectors, services
from qoldau.jobs.models import Accommodation, Proposal
from qoldau.jobs.tests import factories as f

CATEGORIES = "КОСГУ"
STATUSES = ("accessible", "partial", "not_accessible", "unknown")


# The generated set ---------------------------------------------------------------------------


def _generated(seed: int, seekers: int = 300, vacancies: int = 400):
    rng = random.Random(seed)
    conditions = list(range(1, 19))
    accommodations = list(range(1, 21))
    # Accommodations 1–5 each cover one category; 6 covers К and О; the rest none.
    coverage = {i + 1: frozenset(c) for i, c in enumerate(CATEGORIES)} | {6: frozenset("КО")}
    regions = [1, 2, 3]
    seeker_list = [
        matching.SeekerProfile(
            id=i,
            region_id=rng.choice(regions),
            district_id=rng.choice([None, 10, 11, 12]),
            occupations=frozenset(rng.sample(range(100, 110), rng.randint(0, 2))),
            occupation_groups=frozenset(rng.sample(["4110", "4132", "5223", "9112"], rng.randint(0, 2))),
            contraindications=frozenset(rng.sample(conditions, rng.randint(0, 4))),
            accommodations_needed=frozenset(rng.sample(accommodations, rng.randint(0, 3))),
            categories_needed=frozenset(rng.sample(CATEGORIES, rng.randint(0, 2))),
            pay_wanted=rng.choice([None, Decimal(120_000), Decimal(200_000)]),
            weekly_hours_wanted=rng.choice([None, 20, 40]),
            remote_ok=rng.random() < 0.3,
            education_rank=rng.randint(0, 6),
            experience_months=rng.randint(0, 120),
        )
        for i in range(1, seekers + 1)
    ]
    vacancy_list = [
        matching.VacancyProfile(
            id=1000 + i,
            region_id=rng.choice(regions),
            district_id=rng.choice([None, 10, 11, 12]),
            occupation_id=rng.choice(range(100, 110)),
            isco_code=rng.choice(["4110", "4132", "5223", "9112", "2512"]),
            conditions=frozenset(rng.sample(conditions, rng.randint(0, 3))),
            accommodations_offered=frozenset(rng.sample(accommodations, rng.randint(0, 3))),
            statuses={c: rng.choice(STATUSES) for c in CATEGORIES} if rng.random() < 0.8 else {},
            remote=rng.random() < 0.15,
            pay_from=Decimal(rng.choice([90_000, 150_000, 250_000])),
            weekly_hours=rng.choice([20, 30, 40]),
            quota=rng.random() < 0.3,
            education_rank=rng.randint(-1, 5),
            experience_months_required=rng.choice([0, 12, 36]),
        )
        for i in range(1, vacancies + 1)
    ]
    return seeker_list, vacancy_list, coverage


def _is_trap(
    seeker: matching.SeekerProfile, vacancy: matching.VacancyProfile, coverage: matching.Coverage
) -> bool:
    """The hard rules, written again from their statement, independently of `matching`."""
    if set(seeker.contraindications) & set(vacancy.conditions):
        return True
    for category in seeker.categories_needed:
        if vacancy.remote or vacancy.statuses.get(category) == "accessible":
            continue
        if any(category in coverage.get(a, ()) for a in vacancy.accommodations_offered):
            continue
        return True
    return False


def _in_reach(seeker: matching.SeekerProfile, vacancy: matching.VacancyProfile) -> bool:
    if vacancy.remote:
        return seeker.remote_ok or vacancy.region_id == seeker.region_id
    return vacancy.region_id == seeker.region_id


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_ranking_ever_proposes_a_trap_and_every_other_job_in_reach_can_be_proposed(seed):
    seekers, vacancies, coverage = _generated(seed)
    by_id = {v.id: v for v in vacancies}
    traps = sum(_is_trap(s, v, coverage) for s in seekers for v in vacancies if _in_reach(s, v))
    safe = sum(not _is_trap(s, v, coverage) for s in seekers for v in vacancies if _in_reach(s, v))
    assert traps > 1000, "the generated set holds many traps"
    assert safe > 1000, "and many jobs that are safe"
    everything = matching.rank_all(seekers, vacancies, coverage, limit=len(vacancies))
    for seeker in seekers:
        proposed = everything[seeker.id]
        assert not any(_is_trap(seeker, by_id[fit.vacancy_id], coverage) for fit in proposed)
        expected = {v.id for v in vacancies if _in_reach(seeker, v) and not _is_trap(seeker, v, coverage)}
        assert {fit.vacancy_id for fit in proposed} == expected
    # The top 20 of the index agree with ranking one seeker at a time, and one vacancy at a time.
    top = matching.rank_all(seekers, vacancies, coverage, limit=20)
    for seeker in seekers[:50]:
        one = matching.rank_vacancies(seeker, vacancies, coverage, limit=20)
        assert [(fit.vacancy_id, fit.score) for fit in one] == [
            (fit.vacancy_id, fit.score) for fit in top[seeker.id]
        ]
    for vacancy in vacancies[:50]:
        for fit in matching.rank_seekers(vacancy, seekers, coverage, limit=len(seekers)):
            seeker = next(s for s in seekers if s.id == fit.seeker_id)
            assert not _is_trap(seeker, vacancy, coverage)


def test_every_fit_says_how_the_job_is_accessible_for_each_category_needed():
    seekers, vacancies, coverage = _generated(7, seekers=100, vacancies=200)
    by_id = {v.id: v for v in vacancies}
    for seeker in seekers:
        for fit in matching.rank_vacancies(seeker, vacancies, coverage, limit=200):
            vacancy = by_id[fit.vacancy_id]
            assert set(fit.covering) == set(seeker.categories_needed)
            for category, accommodations in fit.covering.items():
                if accommodations:
                    assert accommodations <= vacancy.accommodations_offered
                    assert all(category in coverage[a] for a in accommodations)
                else:
                    assert vacancy.remote or vacancy.statuses.get(category) == "accessible"
            assert fit.offered | fit.to_arrange == seeker.accommodations_needed
            assert 0 <= fit.score <= 100


def _profile(**kwargs):
    base = {
        "id": 1,
        "region_id": 1,
        "district_id": 10,
        "occupations": frozenset({100}),
        "occupation_groups": frozenset({"4110"}),
        "contraindications": frozenset(),
        "accommodations_needed": frozenset(),
        "categories_needed": frozenset(),
        "pay_wanted": Decimal(150_000),
        "weekly_hours_wanted": 40,
    }
    return matching.SeekerProfile(**(base | kwargs))


def _job(id_, **kwargs):
    base = {
        "id": id_,
        "region_id": 1,
        "district_id": 10,
        "occupation_id": 100,
        "isco_code": "4110",
        "conditions": frozenset(),
        "accommodations_offered": frozenset(),
        "statuses": {},
        "pay_from": Decimal(150_000),
    }
    return matching.VacancyProfile(**(base | kwargs))


def test_the_ranking_puts_the_job_wanted_nearby_at_fair_pay_first():
    seeker = _profile()
    jobs = [
        _job(1),  # the occupation wanted, in the district, the pay wanted
        _job(2, district_id=11),  # the same in another district of the region
        _job(3, occupation_id=101, isco_code="4132"),  # a related occupation (the same sub-major group)
        _job(4, pay_from=Decimal(100_000)),  # the occupation and district, pay well below
        _job(5, occupation_id=105, isco_code="9112"),  # unrelated
        _job(6, region_id=2),  # another region: out of reach
    ]
    ranked = [fit.vacancy_id for fit in matching.rank_vacancies(seeker, jobs, {}, limit=10)]
    assert ranked[0] == 1
    assert ranked.index(2) < ranked.index(3) < ranked.index(5)
    assert ranked.index(1) < ranked.index(4)
    assert 6 not in ranked
    best = matching.rank_vacancies(seeker, jobs, {}, limit=1)[0]
    assert best.score == 100
    assert {r.code for r in best.reasons} >= {"occupation_wanted", "same_district", "pay_meets", "hours_fit"}


def test_a_quota_job_comes_first_among_equals_and_a_remote_job_reaches_a_remote_seeker():
    seeker = _profile(remote_ok=True, region_id=1)
    jobs = [_job(1), _job(2, quota=True), _job(3, remote=True, region_id=9)]
    ranked = matching.rank_vacancies(seeker, jobs, {}, limit=10)
    assert [fit.vacancy_id for fit in ranked][:2] == [2, 1]
    assert 3 in {fit.vacancy_id for fit in ranked}
    assert 3 not in {fit.vacancy_id for fit in matching.rank_vacancies(_profile(), jobs, {}, limit=10)}


# On the database --------------------------------------------------------------------------


@pytest.fixture
def s(db):
    return f.scene()


@pytest.mark.django_db
def test_a_seeker_is_never_proposed_a_trap_from_the_database(s):
    coach, employer = s["centre.coach"], s["employer.a"]
    person = f.seeker(coach, s.centre, contraindications=("night_work",), categories=("К",))
    jobs = {
        "clinic": f.vacancy(employer, s.employer_a, workplace=s.clinic),
        "clinic_nights": f.vacancy(employer, s.employer_a, workplace=s.clinic, conditions=("night_work",)),
        "school": f.vacancy(employer, s.employer_a, workplace=s.school),
        "school_adapted": f.vacancy(
            employer, s.employer_a, workplace=s.school, accommodations=("step_free_workplace",)
        ),
        "school_wrong_help": f.vacancy(
            employer, s.employer_a, workplace=s.school, accommodations=("tactile_route",)
        ),
        "library": f.vacancy(employer, s.employer_a, workplace=s.library),
        "nowhere": f.vacancy(employer, s.employer_a),
        "remote": f.vacancy(employer, s.employer_a, remote=True),
        "draft": f.vacancy(employer, s.employer_a, workplace=s.clinic, draft=True),
    }
    found = {m.vacancy.pk: m for m in selectors.matches_for_seeker(coach, person)}
    names = {job.pk: name for name, job in jobs.items()}
    assert {names[pk] for pk in found} == {"clinic", "school_adapted", "remote"}
    adapted = found[jobs["school_adapted"].pk].fit
    step_free = Accommodation.objects.get(code="step_free_workplace")
    assert adapted.covering == {"К": frozenset({step_free.pk})}
    with translation.override("en"):
        words = selectors.explain_fit(adapted)
    assert (
        "The workplace is made accessible for category К by: A step-free route to the workplace, "
        "an adapted toilet and desk." in words.reasons
    )
    with translation.override("en"):
        clinic_words = selectors.explain_fit(found[jobs["clinic"].pk].fit)
    assert "The workplace is accessible for category К." in clinic_words.reasons
    assert "The occupation is one the person wants: General office clerks." in clinic_words.reasons

    # Proposing a trap by hand is refused, naming why, and nothing is written.
    for name, code in (
        ("clinic_nights", "contraindicated"),
        ("school", "not_accessible"),
        ("library", "not_accessible"),
    ):
        with translation.override("en"), pytest.raises(ValidationFailed) as caught:
            services.proposal_create(actor=coach, seeker=person, vacancy=jobs[name])
        assert caught.value.code == code
    with translation.override("en"):
        message = caught.value.render()
    assert message == (
        "The workplace is not accessible for category К, and the employer offers no accommodation "
        "that makes it so."
    )
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.proposal_create(actor=coach, seeker=person, vacancy=jobs["clinic_nights"])
    with translation.override("en"):
        assert (
            caught.value.render()
            == "The vacancy has working conditions the person's ИПАР rules out: Night work."
        )
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_vacancy_is_matched_only_to_the_pool_of_the_asking_organisation_and_never_to_a_trap(s):
    coach = s["centre.coach"]
    job = f.vacancy(s["employer.a"], s.employer_a, workplace=s.school, conditions=("prolonged_standing",))
    fits = f.seeker(coach, s.centre)
    wheelchair = f.seeker(coach, s.centre, categories=("К",))
    cannot_stand = f.seeker(coach, s.centre, contraindications=("prolonged_standing",))
    vision = f.seeker(coach, s.centre, categories=("С",))
    elsewhere = f.seeker(s["turkistan.coach"], s.turkistan_ngo, region_kato=f.ALMATY)
    found = [m.seeker for m in selectors.matches_for_vacancy(coach, job)]
    assert set(found) == {fits, vision}
    assert not {elsewhere, wheelchair, cannot_stand} & set(found)
    # An employer's staff have no pool: the vacancy's own employer is matched nobody.
    assert selectors.matches_for_vacancy(s["employer.a"], job) == []
    assert [m.seeker for m in selectors.matches_for_vacancy(s["turkistan.coach"], job)] == [elsewhere]


@pytest.mark.django_db
def test_matching_reads_a_fixed_number_of_queries_whatever_the_number_of_vacancies(s):
    coach = s["centre.coach"]
    person = f.seeker(coach, s.centre, contraindications=("noise",), accommodations=("screen_reader",))
    f.vacancy(s["employer.a"], s.employer_a, workplace=s.clinic, accommodations=("screen_reader",))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.matches_for_seeker(coach, person)
        return len(queries)

    few = count()
    for n in range(12):
        f.vacancy(
            s["employer.b" if n % 2 else "employer.a"],
            s.employer_b if n % 2 else s.employer_a,
            workplace=[s.clinic, s.school, None][n % 3],
            conditions=("noise",) if n % 4 == 0 else (),
            accommodations=("screen_reader", "seated_work"),
        )
    assert count() == few


@pytest.mark.django_db
def test_sending_checks_the_hard_rules_again_after_the_vacancy_changed(s):
    coach, employer = s["centre.coach"], s["employer.a"]
    person = f.seeker(coach, s.centre, contraindications=("work_at_height",))
    job = f.vacancy(employer, s.employer_a, workplace=s.clinic)
    proposal = services.proposal_create(actor=coach, seeker=person, vacancy=job)
    proposal = services.proposal_agree(actor=coach, proposal=proposal)
    job.refresh_from_db()
    services.vacancy_update(
        actor=employer,
        vacancy=job,
        expected_version=job.version,
        data=services.VacancyInput(
            occupation_code="4110",
            title_kk="Кеңсе қызметкері",
            weekly_hours=40,
            pay_from=Decimal(150_000),
            opens_on=f.PAST,
            condition_codes=("work_at_height",),
            workplace_id=s.clinic.pk,
        ),
    )
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_send(actor=coach, proposal=proposal)
    assert caught.value.code == "contraindicated"
    proposal.refresh_from_db()
    assert (proposal.state, proposal.sent_on) == ("proposed", None)


@pytest.mark.parametrize("seed", [11, 12])
def test_the_score_ranking_weighs_is_the_score_of_the_full_assessment(seed):
    """Ranking weighs every pair by `score` and assesses in full only the pairs it keeps:
    the two give the same answer for every pair, and the same top for every limit."""
    seekers, vacancies, coverage = _generated(seed, seekers=120, vacancies=300)
    for seeker in seekers:
        for vacancy in vacancies:
            fit = matching.assess(seeker, vacancy, coverage)
            expected = fit.score if isinstance(fit, matching.Fit) else None
            assert matching.score(seeker, vacancy, coverage) == expected
    # The order written again: the best score, then a quota job, then the older record.
    every = {
        seeker.id: sorted(
            (
                fit
                for vacancy in vacancies
                if _in_reach(seeker, vacancy)
                and isinstance(fit := matching.assess(seeker, vacancy, coverage), matching.Fit)
            ),
            key=lambda fit: (fit.score, fit.quota, -fit.vacancy_id - fit.seeker_id),
            reverse=True,
        )
        for seeker in seekers
    }
    for limit in (1, 5, 20):
        top = matching.rank_all(seekers, vacancies, coverage, limit=limit)
        for seeker in seekers:
            expected = [(f.vacancy_id, f.score) for f in every[seeker.id][:limit]]
            assert [(f.vacancy_id, f.score) for f in top[seeker.id]] == expected
            one = matching.rank_vacancies(seeker, vacancies, coverage, limit=limit)
            assert [(f.vacancy_id, f.score) for f in one] == expected
