"""The demo makes the articles' figures (shared/seeds/FACTS.md) into records, and a
second load changes nothing."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum
from django.test import Client

from qoldau.access.models import AccessObject, Measure, SurveyAssignment
from qoldau.console.tests.demo_checks import check_every_readme_user_signs_in, check_kazakh_pages
from qoldau.core import demo_data
from qoldau.core.identifiers import parse_iin
from qoldau.core.models import AuditEntry, Organisation, Person, Place
from qoldau.dashboard.selectors import dashboard
from qoldau.jobs import employment_figures
from qoldau.jobs import policy as jobs_policy
from qoldau.jobs import selectors as jobs_selectors
from qoldau.jobs.models import CoachingCase, CoachingSession, Seeker, Vacancy
from qoldau.projects.impact import ImpactFilter, public_round
from qoldau.projects.models import Event, Project, ServiceDelivery
from qoldau.projects.selectors import project_figures

pytestmark = pytest.mark.django_db


def counts():
    return (
        AccessObject.objects.count(),
        Measure.objects.count(),
        Person.objects.count(),
        ServiceDelivery.objects.count(),
        Event.objects.count(),
        Organisation.objects.count(),
        AuditEntry.objects.count(),
    )


def test_demo_holds_the_articles_figures_and_loads_once():
    out = io.StringIO()
    # Almaty's 34,000 objects are the demo's default; a smaller city keeps this test quick
    # (the generator's own tests are in access/tests/test_demo_generator.py).
    call_command("demo", "--no-progress", "--access-objects", "1500", stdout=out)
    assert "qoldau-demo-2025" in out.getvalue()
    for user in [*demo_data.USERS, *demo_data.JOBS_USERS, *demo_data.CONSULT_USERS]:
        assert user.username in out.getvalue()

    # Article 000: Qorgan-M, "Inclusive Society Development".
    qorgan = Project.objects.get(title_en="Inclusive Society Development")
    assert (str(qorgan.starts_on), str(qorgan.ends_on)) == ("2024-03-01", "2025-10-31")
    assert sorted(r.kato for r in qorgan.regions.all()) == ["350000000", "610000000", "790000000"]
    assert (qorgan.volunteers, qorgan.experts) == (2000, 200)
    figures = project_figures(qorgan)
    assert figures.people_reached >= 800
    consultations = ServiceDelivery.objects.filter(
        project=qorgan, service__code__in=["legal_consultation", "social_consultation"]
    )
    assert consultations.count() == 274
    fairs = Event.objects.filter(project=qorgan, kind="job_fair")
    assert fairs.count() == 6
    assert sum(f.attendance.count() for f in fairs) == 125
    assert fairs.aggregate(n=Sum("employers"))["n"] == 65
    seminars = Event.objects.filter(project=qorgan, kind="online_seminar")
    assert seminars.count() == 6
    assert seminars.aggregate(n=Sum("anonymous_participants"))["n"] >= 290
    assert Event.objects.filter(project=qorgan, kind="podcast").count() == 20

    # Article 004: Almaty's seven projects in 2025.
    expected = {
        "Independent Living School": 400,
        "Bright Life": 540,
        "New Life": 330,
        "Isker Isi": 6000,
        "Social Integration Centre": 240,
        "Hippotherapy": 50,
        "Wheelchair Repair Centre": 600,
    }
    seven = Project.objects.filter(title_en__in=expected)
    for project in seven:
        assert project_figures(project).participations == expected[project.title_en]
    deliveries = ServiceDelivery.objects.filter(project__in=seven, delivered_on__year=2025)
    assert deliveries.count() == 8160
    unique = deliveries.values("person_id").distinct().count()
    assert 7000 < unique < 8160  # some people take part in several projects

    # Article 002: JOBCOACH's 1,620 participants, each reached once; their employment
    # support is one delivery each (the first session of their case), and the jobs demo adds
    # the deliveries of placements and follow-ups, never a person.
    jobcoach = Project.objects.get(title_en="JOBCOACH")
    assert project_figures(jobcoach).people_reached == 1620
    assert (
        ServiceDelivery.objects.filter(project=jobcoach, service__code="employment_support").count() == 1620
    )

    # Article 001: the Astana forum-exhibition with its 20 NGOs and awards.
    forum = Project.objects.get(title_en="Forum-exhibition of social projects")
    awards = Event.objects.get(project=forum, kind="award_ceremony")
    assert awards.organisations.count() == 20
    assert Event.objects.get(project=forum, kind="exhibition").organisations.count() == 20
    assert Event.objects.get(project=forum, kind="forum").anonymous_participants == 150
    assert Organisation.objects.filter(
        name_en="Kazakhstan Society of the Deaf"
    ) or Organisation.objects.filter(name_en__contains="Society of the Deaf")

    # Generated people are plausible: valid IINs, encrypted at rest.
    sample = list(Person.objects.order_by("?")[:50])
    for person in sample:
        facts = parse_iin(person.iin)
        assert facts.birth_date == person.birth_date
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_name FROM core_person WHERE id = %s", [sample[0].pk])
        assert cursor.fetchone()[0] != sample[0].last_name

    check_impact_report_gives_the_articles_figures(qorgan, seven, unique, jobcoach)
    check_almaty_objects()
    check_employment(qorgan, jobcoach)
    # The demo as its users meet it (test_demo_language.py): every README user signs in, and
    # its Kazakh pages show Kazakh. Here, on this demo, so that it is built once.
    check_every_readme_user_signs_in()
    check_kazakh_pages()

    before = counts()
    again = io.StringIO()
    call_command("demo", "--no-progress", "--access-objects", "1500", stdout=again)
    assert "nothing changed" in again.getvalue() or "ештеңе" in again.getvalue()
    assert counts() == before


def check_impact_report_gives_the_articles_figures(qorgan, seven, unique, jobcoach):
    """Issue 3: the impact report (API, signed in and public) holds FACTS.md's figures."""
    department = seven.first().organisation
    ministry = Client()
    ministry.force_login(User.objects.get(username="ministry"))
    query = {"region": "750000000", "year": 2025, "organisation": department.pk}
    signed_in = ministry.get("/api/v1/reports/impact", query).json()
    assert signed_in["participations"] == 8160  # "seven projects helped 8,000+ people"
    assert signed_in["people_reached"] == unique < 8160
    assert sorted(p["participations"] for p in signed_in["projects"]) == [50, 240, 330, 400, 540, 600, 6000]
    public = Client().get("/api/v1/reports/impact", query).json()
    # The public figures are rounded to the threshold (qoldau.projects.impact, rule 4).
    assert (public["people_reached"], public["participations"]) == (public_round(unique, 5), 8160)
    assert public["suppressed_below"] == 5

    # The whole city in 2025 also counts JOBCOACH's participations (article 002), from the
    # cells: its 1,620 people's support, placements and follow-ups.
    city = ministry.get("/api/v1/reports/impact", {"region": "750000000", "year": 2025}).json()
    # ... and the social-service providers' services of article 002 (the services demo).
    providers_projects = Project.objects.filter(organisation__provider__isnull=False)
    assert city["participations"] == 8160 + project_figures(jobcoach).participations + sum(
        project_figures(p).participations for p in providers_projects
    )

    # Qorgan-M over its period (article 000).
    qorgan_query = {"project": qorgan.pk, "date_from": "2024-03-01", "date_to": "2025-10-31"}
    figures = ministry.get("/api/v1/reports/impact", qorgan_query).json()
    assert figures["people_reached"] >= 800
    assert figures["anonymous_participants"] >= 290
    assert (figures["volunteers"], figures["experts"]) == (2000, 200)
    assert figures["events"] == 32


def check_almaty_objects():
    """Issue 5: Almaty's objects over its eight districts, a realistic mix, passports of the
    platform's history, a few hundred measures and the demo surveyor's worklist."""
    objects = AccessObject.objects.filter(region__kato="750000000")
    assert objects.count() == 1500
    assert objects.values("district").distinct().count() == 8
    kinds = dict(objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds["residential"] > kinds["education"] > kinds["social_protection"] > 0
    assert kinds["trade_services"] > kinds["health"]
    assert len(kinds) == 10
    passported = objects.filter(passported_on__isnull=False).count()
    assert 0.6 < passported / 1500 < 0.85
    statuses = set(objects.values_list("status_k", flat=True))
    assert statuses == {"accessible", "partial", "not_accessible", "unknown"}
    assert 200 <= Measure.objects.exclude(state="unplanned").count() <= 300
    assert Measure.objects.filter(state="done").exists()
    assert objects.filter(owner__name_en="Almaty City Department of Education").exists()
    surveyor = User.objects.get(username="almaty.surveyor")
    assert SurveyAssignment.objects.filter(surveyor=surveyor, active=True).count() == 25


def check_employment(qorgan, jobcoach):
    """Issue 14: JOBCOACH's participants coached (the summary for Almaty 2025 shows 1,620,
    none of them a new person), under the caseload's cap; Almaty's generated employers with
    their quota; Qorgan-M's six fairs with the article's 125 citizens and 65 employers."""
    almaty = Place.objects.get(kato="750000000", level=Place.Level.REGION)
    summary = jobs_selectors.employment_summary(almaty, 2025)
    assert (summary.seekers, summary.coached) == (1620, 1620)
    assert 0 < summary.retained_6_months < summary.placed < 1620
    assert summary.quota_filled > 0
    assert summary.quota_required > 0
    # The dashboard's employment section says the same, signed in and for the public, and
    # every person coached was reached by the project (a session is a delivery of it).
    ministry = User.objects.get(username="ministry")
    almaty_2025 = ImpactFilter.for_year(2025, region_ids=(almaty.pk,))
    employment = employment_figures.employment_figures(ministry, almaty_2025)
    assert (employment.seekers, employment.coached, employment.placed) == (1620, 1620, summary.placed)
    assert (employment.quota_required, employment.quota_filled) == (
        summary.quota_required,
        summary.quota_filled,
    )
    assert dashboard(None, almaty_2025).employment.coached == 1620
    coached = set(Seeker.objects.filter(cases__isnull=False).values_list("person_id", flat=True))
    assert coached == set(
        ServiceDelivery.objects.filter(project=jobcoach).values_list("person_id", flat=True)
    )
    # Each participant's support delivery is the first session of their case.
    assert CoachingSession.objects.filter(delivery__project=jobcoach).count() == 1620
    cap = settings.QOLDAU_JOB_COACH_CASELOAD
    open_cases = CoachingCase.objects.filter(closed_on__isnull=True).values("coach").annotate(n=Count("pk"))
    assert 0 < max(row["n"] for row in open_cases) <= cap
    assert CoachingCase.objects.filter(closed_on__isnull=False).count() > 1620 * 0.8
    coach = User.objects.get(username="jobcoach.coach")
    assert jobs_selectors.caseload(coach)
    # Generated employers say so in their names; the akimat follows their quota.
    employers = Organisation.objects.filter(vacancies__isnull=False).distinct()
    assert employers.count() == 120
    assert all("(generated)" in name for name in employers.values_list("name_en", flat=True))
    officer = User.objects.get(username="akimat.almaty")
    compliance = jobs_selectors.quota_compliance_of_region(officer, almaty, 2025)
    assert len(compliance) == 120
    assert any(line.compliance.shortfall for line in compliance)
    assert any(line.compliance.fines for line in compliance)
    assert Vacancy.objects.exclude(workplace=None).count() > Vacancy.objects.count() / 2
    # The employer's staff see the people sent to them, never the pool.
    staff = User.objects.get(username="employer.staff")
    [employer] = Organisation.objects.filter(staff__user=staff)
    sent = jobs_selectors.seekers_sent_to_employer(staff, employer)
    assert sent.exists()
    assert set(jobs_policy.seekers_visible(staff)) == set(sent)
    # The demo citizen: one of the demo coach's seekers, IIN confirmed, with vacancies that
    # fit and one proposal waiting for their agreement; signs in by name or by phone.
    citizen = User.objects.get(username="jobseeker.citizen")
    assert citizen.check_password(demo_data.DEMO_PASSWORD)
    own = jobs_selectors.own_profile(citizen)
    assert own is not None
    assert not own.iin_to_confirm
    assert own.seeker.cases.filter(coach=coach).exists()
    assert jobs_selectors.own_matches(citizen)
    waiting = [line.proposal for line in jobs_selectors.own_proposals(citizen)]
    assert any(p.state == "proposed" and p.seeker_agreed_on is None for p in waiting)
    assert not jobs_policy.seekers_in_pool(citizen).exists()
    # Qorgan-M's six fairs (article 000): the events' attendance is the fairs'.
    funnel = jobs_selectors.fairs_funnel(User.objects.get(username="qorgan.staff"), qorgan)
    assert len(funnel.fairs) == 6
    assert (funnel.total.attended, funnel.total.employers_attended) == (125, 65)
    assert sum(line.funnel.attended for line in funnel.fairs) == 125
    assert funnel.total.registered > 125
    assert 0 < funnel.total.hired < funnel.total.referred < funnel.total.interviewed < 125
    events = Event.objects.filter(project=qorgan, kind="job_fair")
    assert sum(e.attendance.count() for e in events) == 125
    assert events.aggregate(n=Sum("employers"))["n"] == 65
