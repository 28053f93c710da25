"""The start page: five ways in for anyone, and for a signed-in user their work, role by
role, with counts that count only what the user may see (never another organisation's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from qoldau.access import services as access_services
from qoldau.access.tests import factories as access_factories
from qoldau.consult.tests import factories as consult_factories
from qoldau.contests.tests import commission_scene
from qoldau.core.tests import factories
from qoldau.interpreting import services as interpreting_services
from qoldau.interpreting.tests import factories as interpreting_factories
from qoldau.jobs.tests import factories as job_factories
from qoldau.portal.work import WorkLine, work_of
from qoldau.services.models import Referral
from qoldau.services.services import referrals
from qoldau.services.tests import flow_factories as flow_factories

pytestmark = pytest.mark.django_db


def _lines(user: User) -> dict[str, WorkLine]:
    """The user's work lines by their English label."""
    with translation.override("en"):
        return {str(line.label): line for section in work_of(user) for line in section.lines}


def _home(user: User | None, language: str = "en") -> str:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["qoldau_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_start_page_offers_five_ways_in_and_sign_in(language: str) -> None:
    html = _home(None, language)
    for url in ("/consult/", "/access/map/", "/services/", "/employment/vacancies/", "/interpreting/"):
        assert f'href="{url}"' in html
    assert f'href="{reverse("core:login")}"' in html
    if language != "en":
        # The ways in are in the reader's language, not left in English.
        assert "Find an accessible place" not in html
        assert "Ask a question" not in html


def test_a_surveyor_sees_the_objects_assigned_to_them_and_no_one_elses() -> None:
    scene = access_factories.survey_scene()
    access_services.surveyor_assign(actor=scene.officer, obj=scene.unassigned, surveyor=scene.other_surveyor)
    mine = _lines(scene.surveyor)["Objects assigned to you to passport"]
    assert mine.count == 1
    assert mine.url == reverse("access:survey")
    assert _lines(scene.other_surveyor)["Objects assigned to you to passport"].count == 2
    html = _home(scene.surveyor)
    assert f'href="{reverse("access:survey")}"' in html
    # The surveyor's home is their work, not an empty "no projects" page.
    assert "There are no projects in your scope yet." not in html


def test_a_consultant_counts_the_waiting_conversations_of_their_organisation_only() -> None:
    ngo = factories.organisation(name="«Кеңес» бірлестігі")
    other = factories.organisation(name="«Басқа» қоры", kato=factories.TURKISTAN)
    mine = consult_factories.consultant("cons.mine", ngo)
    theirs = consult_factories.consultant("cons.theirs", other)
    consult_factories.waiting_conversation("telegram-1")
    consult_factories.waiting_conversation("telegram-2")
    assert _lines(mine)["Conversations waiting for a consultant"].count == 2
    assert _lines(theirs)["Conversations waiting for a consultant"].count == 0
    assert f'href="{reverse("consult:queue")}"' in _home(mine)


def test_a_coach_counts_their_open_cases_and_not_another_coachs() -> None:
    s = job_factories.scene(buildings=False)
    seeker = job_factories.seeker(s["centre.staff"], s.centre)
    job_factories.case(s, seeker)
    coach = _lines(s["centre.coach"])
    assert coach["Open cases you coach"].count == 1
    assert coach["Follow-ups past their due date"].count == 0
    assert _lines(s["centre.coach2"])["Open cases you coach"].count == 0
    assert _lines(s["turkistan.coach"])["Open cases you coach"].count == 0
    assert f'href="{reverse("jobs:caseload")}"' in _home(s["centre.coach"])


def _referred(s: Any) -> Referral:
    return referrals.referral_create(
        actor=s.referrer_staff,
        service=s.service,
        person=s.referred,
        consent_given_on=flow_factories.CONSENT,
        reason="Оңалту",
    )


def test_a_provider_counts_referrals_to_answer_and_the_akimat_those_past_due() -> None:
    s = flow_factories.flow()
    other = flow_factories.flow()
    referral = _referred(s)
    provider = _lines(s.provider_staff)
    assert provider["Referrals to your services waiting for your answer"].count == 1
    assert provider["Places offered and not yet answered"].count == 0
    # The other provider's staff count none of this provider's referrals.
    assert _lines(other.provider_staff)["Referrals to your services waiting for your answer"].count == 0
    # The referrer keeps no service: no provider's section for them.
    assert "Referrals to your services waiting for your answer" not in _lines(s.referrer_staff)
    assert _lines(s.akimat)["Referrals past their answer deadline"].count == 0

    # The answer's deadline passes.
    Referral.objects.filter(pk=referral.pk).update(answer_due_at=timezone.now() - dt.timedelta(days=1))
    assert _lines(s.akimat)["Referrals past their answer deadline"].count == 1
    # Another region's akimat counts none of Almaty's.
    turkistan = factories.user("akimat.turkistan", "akimat_officer", kato=factories.TURKISTAN)
    assert _lines(turkistan)["Referrals past their answer deadline"].count == 0
    akimat_home = _home(s.akimat)
    assert f'href="{reverse("services:flow_network")}"' in akimat_home


def test_a_user_with_no_work_keeps_the_projects_and_organisations() -> None:
    w = factories.world()
    assert work_of(w.almaty_staff) == []
    html = _home(w.almaty_staff)
    assert "Organisations" in html
    assert w.turkistan_ngo.name_en not in html


def _starting(lines: dict[str, WorkLine], prefix: str) -> list[WorkLine]:
    return [line for label, line in lines.items() if label.startswith(prefix)]


def test_a_commission_member_counts_the_applications_left_to_score_on_their_commission() -> None:
    s = commission_scene.scene()
    member = s.almaty.members[0]
    (mine,) = _starting(_lines(member), "Applications to score:")
    assert mine.count == 2
    assert mine.url == reverse("contests:commission", args=[s.commission.pk])
    # Astana's member counts Astana's application only.
    (astana,) = _starting(_lines(s.astana.members[0]), "Applications to score:")
    assert astana.count == 1
    # The secretary scores nothing, so has nothing to score.
    assert _starting(_lines(s.almaty.secretary), "Applications to score:") == []

    client = Client()
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["qoldau_language"] = "en"
    client.post(commission_scene.score_url(s, s.first), commission_scene.sheet(s, ["5", "5", "5"]))
    (mine,) = _starting(_lines(member), "Applications to score:")
    assert mine.count == 1
    # Another member's scores are not this member's work done.
    (other,) = _starting(_lines(s.almaty.members[1]), "Applications to score:")
    assert other.count == 2
    assert f'href="{mine.url}"' in _home(member)


def test_a_dispatcher_counts_the_calls_waiting_at_their_service_only() -> None:
    s = interpreting_factories.scene()
    elsewhere = interpreting_factories.scene(kato=factories.TURKISTAN)
    citizen, _person = interpreting_factories.deaf_citizen(s)
    interpreting_services.call_create(actor=citizen, place="№5 емхана", purpose="medical")
    (waiting,) = _starting(_lines(s.dispatcher), "Calls waiting at")
    assert waiting.count == 1
    assert waiting.url == reverse("interpreting:console", args=[s.service.pk])
    (theirs,) = _starting(_lines(elsewhere.dispatcher), "Calls waiting at")
    assert theirs.count == 0
    # An interpreter who does not dispatch sees their desk, not the service's queue.
    plain = _lines(s.interpreters[1].user)
    assert "Calls offered to you now" in plain
    assert _starting(plain, "Calls waiting at") == []


def test_an_interpreters_home_shows_their_desk_with_offers_waiting_and_bookings_today() -> None:
    s = interpreting_factories.scene(interpreters=1)
    (interpreter,) = s.interpreters
    _citizen, person = interpreting_factories.deaf_citizen(s)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    for hours in (10, 14):
        interpreting_services.booking_create(
            actor=s.staff,
            person_id=person.pk,
            interpreter_id=interpreter.pk,
            starts_at=today + dt.timedelta(hours=hours),
            ends_at=today + dt.timedelta(hours=hours + 1),
            place="Нотариус",
            purpose="legal",
            at=today,
        )
    interpreting_services.booking_create(
        actor=s.staff,
        person_id=person.pk,
        interpreter_id=interpreter.pk,
        starts_at=today + dt.timedelta(days=2, hours=10),
        ends_at=today + dt.timedelta(days=2, hours=11),
        place="Нотариус",
        purpose="legal",
        at=today,
    )
    other_citizen, _other = interpreting_factories.deaf_citizen(s)
    interpreting_factories.available(interpreter)
    interpreting_services.call_create(actor=other_citizen, place="№5 емхана", purpose="medical")
    lines = _lines(interpreter.user)
    assert lines["Calls offered to you now"].count == 1
    assert lines["Your bookings today"].count == 2
    assert lines["Your booked sessions ahead"].count == 3
    assert lines["Your bookings today"].url == reverse("interpreting:desk")
    # Staff of the organisation who are not its interpreters have no desk.
    assert "Your bookings today" not in _lines(s.staff)
    for language in ("kk", "ru"):
        assert 'href="/interpreting/desk/"' in _home(interpreter.user, language)
