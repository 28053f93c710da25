"""The job fair pages: the organiser takes a fair through its whole funnel by the forms
(registered → came → interviewed → referred → hired), each form refused with its
translated reason beside the field and nothing changed; another organisation finds none of
it; an officer reads the counts and no names; an employer's staff see their own table
(times and outcomes, never the people); the demo's six Qorgan-M fairs show the article's
125 citizens and 65 employers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, TypeVar

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from qoldau.console.demo import DemoBuilder
from qoldau.core.tests.policy_cases import rule_mismatches
from qoldau.jobs import policy, services
from qoldau.jobs.demo.common import DemoState
from qoldau.jobs.demo.fairs import load_fairs
from qoldau.jobs.models import FairEmployer, FairReferral, FairSeeker, InterviewSlot, JobFair
from qoldau.jobs.tests import factories as f
from qoldau.projects.models import Attendance, Event

pytestmark = pytest.mark.django_db

FAIR_DAY = dt.date(2025, 5, 20)
T = TypeVar("T")


@pytest.fixture
def s():
    return f.scene(buildings=False)


def _client(user: Any = None, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _counts() -> tuple[int, ...]:
    return (
        JobFair.objects.count(),
        Event.objects.count(),
        FairSeeker.objects.count(),
        FairSeeker.objects.exclude(stage="registered").count(),
        FairEmployer.objects.count(),
        FairEmployer.objects.filter(attended=True).count(),
        InterviewSlot.objects.count(),
        InterviewSlot.objects.exclude(booked_by=None).count(),
        InterviewSlot.objects.exclude(outcome="").count(),
        FairReferral.objects.count(),
        FairReferral.objects.exclude(outcome="").count(),
        Attendance.objects.count(),
    )


def _funnel_rows(html: str) -> list[tuple[str, int]]:
    """The fair page's funnel table, as (stage, people) rows."""
    table = html.split('id="funnel-caption"', 1)[1].split("</table>", 1)[0]
    return [
        (label, int(count))
        for label, count in re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)
    ]


def _field_error(html: str, field_id: str) -> str:
    """The error shown beside a form's field (`core/_field.html`)."""
    found = re.search(rf'id="{field_id}-error"><p class="error">([^<]+)</p>', html)
    assert found is not None, f"no error beside {field_id}"
    return found.group(1).replace("&#x27;", "'").replace("&quot;", '"')


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data)


def test_the_organiser_takes_a_fair_through_its_funnel_by_the_pages(s):
    staff = s["centre.staff"]
    client = _client(staff)
    page = client.get("/employment/fairs/new/")
    assert page.status_code == 200
    created = _post(
        client,
        "/employment/fairs/new/",
        {
            "project": s.project.pk,
            "title_kk": "Бос жұмыс орындары жәрмеңкесі",
            "title_en": "Spring job fair",
            "held_on": FAIR_DAY.isoformat(),
            "place": f.almaty_district().pk,
            "venue": "Мансап орталығы",
        },
    )
    assert created.status_code == 302
    fair = JobFair.objects.get()
    url = f"/employment/fairs/{fair.pk}/"
    assert created["Location"] == url
    assert fair.event.kind == "job_fair"
    assert fair.event.project == s.project

    people = [f.person(s) for _ in range(3)]
    for person in people:
        done = _post(client, f"{url}seekers/", {"person": person.pk, "registered_on": "2025-05-10"})
        assert done.status_code == 302, done.content.decode()[:2000]
    assert _post(client, f"{url}employers/", {"employer": s.employer_a.bin}).status_code == 302
    assert _post(client, f"{url}employers/", {"employer": s.employer_b.bin}).status_code == 302
    assert _post(client, f"{url}attendance/", {"people": [people[0].pk, people[1].pk]}).status_code == 302
    assert _post(client, f"{url}employers/came/", {"employers": [s.employer_a.pk]}).status_code == 302
    added = _post(client, f"{url}slots/", {"employer": s.employer_a.pk, "starts_at": "10:00, 9:40"})
    assert added.status_code == 302
    first, second = InterviewSlot.objects.order_by("starts_at")
    assert (first.starts_at, second.starts_at) == (dt.time(9, 40), dt.time(10, 0))
    assert _post(client, f"{url}slots/book/", {"slot": first.pk, "person": people[0].pk}).status_code == 302
    assert _post(client, f"{url}slots/book/", {"slot": second.pk, "person": people[1].pk}).status_code == 302
    assert _post(client, f"{url}interviews/", {"slot": first.pk, "outcome": "held"}).status_code == 302
    assert _post(client, f"{url}interviews/", {"slot": second.pk, "outcome": "no_show"}).status_code == 302
    referred = _post(
        client,
        f"{url}referrals/",
        {"person": people[0].pk, "employer": s.employer_a.pk, "referred_on": "2025-05-20"},
    )
    assert referred.status_code == 302
    referral = FairReferral.objects.get()
    outcome = _post(
        client,
        f"{url}referrals/outcome/",
        {"referral": referral.pk, "outcome": "hired", "outcome_on": "2025-06-02"},
    )
    assert outcome.status_code == 302

    html = client.get(url).content.decode()
    assert _funnel_rows(html) == [
        ("Registered", 3),
        ("Came to the fair", 2),
        ("Interviewed", 1),
        ("Referred to an employer", 1),
        ("Hired", 1),
    ]
    for person in people:
        assert person.full_name in html
    assert "Employers: 2 registered, 1 came." in html
    # The list of fairs shows the same funnel in one row.
    listing = client.get("/employment/fairs/").content.decode()
    assert f'href="{url}"' in listing
    row = listing.split(f'href="{url}"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>(\d+)</td>", row) == ["3", "2", "1", "1", "1", "1"]


@pytest.fixture
def held(s):
    """A fair that was held: two people came, one did not; employer A came and has two
    slots, the first booked and held for the first person, who was not yet referred, the
    second booked for the person who did not come."""
    staff = s["centre.staff"]
    fair = f.fair(s, FAIR_DAY)
    people = [f.person(s) for _ in range(3)]
    registrations = [services.fair_register_seeker(actor=staff, fair=fair, person=p) for p in people]
    table_a = services.fair_register_employer(actor=staff, fair=fair, employer=s.employer_a)
    table_b = services.fair_register_employer(actor=staff, fair=fair, employer=s.employer_b)
    services.fair_attendance_record(actor=staff, fair=fair, person_ids=[people[0].pk, people[1].pk])
    services.fair_employers_attended(actor=staff, fair=fair, employer_ids=[s.employer_a.pk])
    slot, free = services.interview_slots_add(
        actor=staff, fair_employer=table_a, starts_at=[dt.time(10, 0), dt.time(10, 20)]
    )
    services.interview_slot_book(actor=staff, slot=slot, registration=registrations[0])
    services.interview_record(actor=staff, slot=slot, outcome="held")
    services.interview_slot_book(actor=staff, slot=free, registration=registrations[2])
    return {
        "fair": fair,
        "url": f"/employment/fairs/{fair.pk}/",
        "people": people,
        "table_a": table_a,
        "table_b": table_b,
        "slot": slot,
        "free": free,
    }


BAD_INPUT = {
    # A time that is not a time of the fair's day.
    "slot-out-of-day": (
        "slots/",
        lambda s, h: {"employer": s.employer_a.pk, "starts_at": "10:00, 25:30"},
        "slots-starts_at",
        {
            "en": "Give times of the day from 00:00 to 23:59, separated by commas, for example 10:00, 10:20.",
            "ru": "Укажите время дня от 00:00 до 23:59 через запятую, например 10:00, 10:20.",
            "kk": "Күннің уақытын 00:00-ден 23:59-ға дейін үтір арқылы жазыңыз, мысалы 10:00, 10:20.",
        },
    ),
    "slot-twice": (
        "slots/",
        lambda s, h: {"employer": s.employer_a.pk, "starts_at": "10:20"},
        "slots-starts_at",
        {"en": "The employer has a slot at 10:20 already."},
    ),
    "book-taken": (
        "slots/book/",
        lambda s, h: {"slot": h["slot"].pk, "person": h["people"][1].pk},
        "book-slot",
        {
            "en": "The slot is booked already.",
            "ru": "Это время уже занято.",
            "kk": "Бұл уақытқа бұрын жазылған.",
        },
    ),
    "referral-not-interviewed": (
        "referrals/",
        lambda s, h: {"person": h["people"][1].pk, "employer": s.employer_a.pk},
        "referral-employer",
        {
            "en": "The employer did not interview the person at the job fair: record the interview first.",
        },
    ),
    "interview-twice": (
        "interviews/",
        lambda s, h: {"slot": h["slot"].pk, "outcome": "no_show"},
        "interview-slot",
        {"en": "The interview's outcome is recorded already."},
    ),
    "interview-of-a-person-who-did-not-come": (
        "interviews/",
        lambda s, h: {"slot": h["free"].pk, "outcome": "held"},
        "interview-slot",
        {"en": "The person did not come to the job fair: record their attendance first."},
    ),
    "person-of-another-organisation": (
        "seekers/",
        lambda s, h: {"person": f.person(s, s.turkistan_ngo, actor="turkistan.admin").pk},
        "seeker-person",
        {"en": "There is no such person among the people you serve."},
    ),
    "employer-bin-unknown": (
        "employers/",
        lambda s, h: {"employer": "123"},
        "employer-employer",
        {},
    ),
}


@pytest.mark.parametrize(
    ("case", "language"),
    [(case, language) for case, spec in BAD_INPUT.items() for language in spec[3] or ["en"]],
)
def test_bad_input_on_a_fair_page_is_refused_beside_its_field_and_changes_nothing(s, held, case, language):
    route, data, field_id, messages = BAD_INPUT[case]
    payload = data(s, held)
    before = _counts()
    response = _client(s["centre.staff"], language).post(f"{held['url']}{route}", payload)
    assert response.status_code == 400
    html = response.content.decode()
    error = _field_error(html, field_id)
    if language in messages:
        assert error == messages[language]
    else:
        assert error  # a BIN's own check-digit sentence
    assert _counts() == before


def test_an_outcome_recorded_twice_is_refused_and_the_first_stands(s, held):
    staff = s["centre.staff"]
    referral = services.referral_record(
        actor=staff,
        registration=FairSeeker.objects.get(person=held["people"][0]),
        fair_employer=held["table_a"],
        referred_on=FAIR_DAY,
    )
    client = _client(staff, "ru")
    url = f"{held['url']}referrals/outcome/"
    assert (
        client.post(
            url, {"referral": referral.pk, "outcome": "hired", "outcome_on": "2025-06-01"}
        ).status_code
        == 302
    )
    before = _counts()
    again = client.post(url, {"referral": referral.pk, "outcome": "not_hired", "outcome_on": "2025-06-03"})
    assert again.status_code == 400
    assert _field_error(again.content.decode(), "outcome-outcome") == "Итог направления уже внесён."
    assert _counts() == before
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on) == ("hired", dt.date(2025, 6, 1))


def _routes(h: dict[str, Any]) -> Iterable[tuple[str, str, dict[str, Any]]]:
    url = h["url"]
    yield "get", url, {}
    for route, payload in [
        ("seekers/", {"person": h["people"][2].pk}),
        ("employers/", {"employer": "x"}),
        ("attendance/", {"people": [h["people"][2].pk]}),
        ("employers/came/", {"employers": [h["table_b"].employer_id]}),
        ("slots/", {"employer": h["table_a"].employer_id, "starts_at": "11:00"}),
        ("slots/book/", {"slot": h["free"].pk, "person": h["people"][1].pk}),
        ("interviews/", {"slot": h["slot"].pk, "outcome": "no_show"}),
        ("referrals/", {"person": h["people"][0].pk, "employer": h["table_a"].employer_id}),
        ("referrals/outcome/", {"referral": 1, "outcome": "hired", "outcome_on": "2025-06-01"}),
    ]:
        yield "post", f"{url}{route}", payload


@pytest.mark.parametrize(
    "name", ["turkistan.admin", "turkistan.coach", "akimat.turkistan", "employer.a", "nobody"]
)
def test_another_organisation_finds_no_fair_page(s, held, name):
    client = _client(s[name])
    before = _counts()
    for method, url, payload in _routes(held):
        response = getattr(client, method)(url, payload)
        assert response.status_code == 404, (name, method, url)
        assert "Бос жұмыс" not in response.content.decode()
    assert _counts() == before
    listing = client.get("/employment/fairs/").content.decode()
    assert held["url"] not in listing


def test_an_officer_of_the_region_reads_the_counts_and_no_names(s, held):
    client = _client(s["akimat.almaty"])
    page = client.get(held["url"])
    assert page.status_code == 200
    html = page.content.decode()
    assert _funnel_rows(html)[:3] == [("Registered", 3), ("Came to the fair", 2), ("Interviewed", 1)]
    for person in held["people"]:
        assert person.full_name not in html
    assert "Only the organiser's staff read who registered for the fair" in html
    # Following a fair is not organising it: each form's address is not found.
    before = _counts()
    for method, url, payload in list(_routes(held))[1:]:
        assert getattr(client, method)(url, payload).status_code == 404, url
    assert _counts() == before


def test_the_employers_staff_see_their_table_never_the_people(s, held):
    client = _client(s["employer.a"])
    page = client.get(f"/employment/employer/{s.employer_a.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    table_url = f"/employment/employer/fairs/{held['table_a'].pk}/"
    assert f'href="{table_url}"' in html
    row = html.split(f'href="{table_url}"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "2", "0"]  # slots, booked, referrals
    table = client.get(table_url)
    assert table.status_code == 200
    text = table.content.decode()
    assert "10:00" in text
    assert "Interview held" in text
    for person in held["people"]:
        assert person.full_name not in text
    # Another employer's table is not found, as one that is not there.
    assert client.get(f"/employment/employer/fairs/{held['table_b'].pk}/").status_code == 404
    assert _client(s["employer.b"]).get(table_url).status_code == 404
    assert _client(s["turkistan.admin"]).get(table_url).status_code == 404


def test_the_menu_links_the_fairs_for_staff(s):
    html = _client(s["centre.staff"]).get("/employment/fairs/").content.decode()
    assert '<a href="/employment/fairs/" aria-current="page">' in html
    assert (
        'href="/employment/fairs/"'
        not in _client(s["employer.a"]).get("/employment/employer/").content.decode()
    )
    # Someone with no project to hold a fair for is refused the form, and creates nothing.
    before = _counts()
    assert _client(s["employer.a"]).get("/employment/fairs/new/").status_code == 403
    refused = _client(s["akimat.almaty"]).post(
        "/employment/fairs/new/", {"project": s.project.pk, "title_kk": "Жәрмеңке", "held_on": "2025-05-20"}
    )
    assert refused.status_code == 403
    assert _counts() == before


def test_the_list_of_fairs_takes_a_fixed_number_of_queries(s, django_assert_max_num_queries):
    staff = s["centre.staff"]
    for day in (dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 1)):
        fair = f.fair(s, day)
        for _ in range(3):
            services.fair_register_seeker(actor=staff, fair=fair, person=f.person(s))
    client = _client(staff)
    client.get("/employment/fairs/")
    with django_assert_max_num_queries(20):
        assert client.get("/employment/fairs/").status_code == 200


def _quiet(items: Iterable[T], label: str) -> Iterable[T]:
    return items


def test_the_demos_six_fairs_show_the_articles_figures():
    base = DemoBuilder(_quiet)
    base.create_organisations()
    base.create_users()
    base.load_qorgan()
    load_fairs(DemoState())
    client = _client(User.objects.get(username="qorgan.staff"))
    html = client.get("/employment/fairs/").content.decode()
    assert "6 job fairs" in html
    total = html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    registered, attended, interviewed, referred, hired, employers = (
        int(n) for n in re.findall(r"<td>(\d+)</td>", total)
    )
    assert (attended, employers) == (125, 65)
    assert registered > attended > interviewed > referred > hired > 0
    # Each fair's page has the same figures as its row.
    fairs = JobFair.objects.all()
    came = sum(
        _funnel_rows(client.get(f"/employment/fairs/{fair.pk}/").content.decode())[1][1] for fair in fairs
    )
    assert came == 125


def test_the_fair_page_takes_as_many_queries_for_many_people_as_for_few(s, held, django_assert_num_queries):
    client = _client(s["centre.staff"])
    client.get(held["url"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(held["url"]).status_code == 200
    staff = s["centre.staff"]
    table = held["table_a"]
    more = [f.person(s) for _ in range(4)]
    registrations = [services.fair_register_seeker(actor=staff, fair=held["fair"], person=p) for p in more]
    services.fair_attendance_record(actor=staff, fair=held["fair"], person_ids=[p.pk for p in more])
    slots = services.interview_slots_add(
        actor=staff, fair_employer=table, starts_at=[dt.time(11, m) for m in (0, 10, 20, 30)]
    )
    for slot, registration in zip(slots, registrations, strict=True):
        services.interview_slot_book(actor=staff, slot=slot, registration=registration)
        services.interview_record(actor=staff, slot=slot, outcome="held")
        services.referral_record(
            actor=staff, registration=registration, fair_employer=table, referred_on=FAIR_DAY
        )
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(held["url"]).status_code == 200


def test_an_employers_tables_at_fairs_are_read_by_its_staff_and_nobody_else(s, held):
    """The rule behind the employer's fair page, in its three forms over every user."""
    records = {"a": held["table_a"], "b": held["table_b"]}
    allowed = {name: set() for name in s.users} | {
        "employer.a": {"a"},
        "employer.b": {"b"},
        "sysadmin": {"a", "b"},
    }
    assert (
        rule_mismatches(
            s.users,
            records,
            allowed,
            check=policy.may_staff_fair_table,
            query=policy.fair_tables_staffed_by,
            refuse=policy.check_may_staff_fair_table,
        )
        == []
    )
