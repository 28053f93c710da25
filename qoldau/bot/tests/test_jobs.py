"""/jobs in the bot: the category, then a location or a district, and up to five open
vacancies there that fit the category, each with its employer, pay, district and public
link; nothing personal asked, no sign-in. The handlers through the recording harness, and
once the real bot process over HTTP against the fake Bot API."""

from __future__ import annotations

import subprocess

import pytest
from django.conf import settings

from qoldau.access.tests.factories import make_object
from qoldau.bot.tests import e2e
from qoldau.bot.tests.e2e import QOLDAU, run, started_api
from qoldau.bot.tests.harness import Harness, message_update, press
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db


def texts(harness: Harness, chat_id: int) -> list[str]:
    return [m.text for m in harness.session.sent(chat_id)]


@pytest.fixture
def s():
    return f.scene()


@pytest.fixture
def jobs(s):
    staff = s["employer.a"]
    return {
        # The clinic is accessible for every category; the school has no ramp (not for К).
        "clinic": f.vacancy(staff, s.employer_a, workplace=s.clinic, title="Емхана тіркеушісі"),
        "school": f.vacancy(staff, s.employer_a, workplace=s.school, title="Мектеп кітапханашысы"),
        "ramp": f.vacancy(
            staff,
            s.employer_a,
            workplace=s.school,
            accommodations=("step_free_workplace",),
            title="Пандусы бар жұмыс",
        ),
        "draft": f.vacancy(staff, s.employer_a, workplace=s.clinic, draft=True, title="Жоба вакансия"),
        "elsewhere": f.vacancy(
            staff, s.employer_a, workplace=s.clinic, district="Medeu District", title="Медеудегі жұмыс"
        ),
    }


def test_jobs_by_district_fit_the_category_and_carry_the_public_link(s, jobs):
    harness = Harness()
    harness.agree(50, "en")
    harness.feed(message_update(50, "/jobs"))
    assert "accessible for" in texts(harness, 50)[-1]
    harness.feed(press(50, "jcat:К"))
    assert "district" in texts(harness, 50)[-1]
    harness.feed(message_update(50, "Almaly"))
    answer = texts(harness, 50)[-1]
    assert "Емхана тіркеушісі" in answer
    assert "Пандусы бар жұмыс" in answer
    assert "Мектеп кітапханашысы" not in answer  # not accessible for К, nothing offered
    assert "Жоба вакансия" not in answer
    assert "Медеудегі жұмыс" not in answer
    assert s.employer_a.name_en in answer
    assert "150" in answer
    assert "Almaly" in answer
    assert f"{settings.QOLDAU_SITE_URL}/employment/vacancies/{jobs['clinic'].pk}/" in answer
    # The search was one step: the next free text goes to the assistant again.
    harness.feed(message_update(50, "Almaly"))
    assert "Емхана" not in texts(harness, 50)[-1]


def test_for_another_category_the_inaccessible_school_is_fine(s, jobs):
    harness = Harness()
    harness.agree(51, "en")
    harness.feed(message_update(51, "/jobs"))
    harness.feed(press(51, "jcat:С"))
    harness.feed(message_update(51, "Almaly District"))
    assert "Мектеп кітапханашысы" in texts(harness, 51)[-1]


def test_a_shared_location_finds_the_vacancies_of_its_district(s, jobs):
    harness = Harness()
    harness.agree(52, "en")
    harness.feed(message_update(52, "/jobs"))
    harness.feed(press(52, "jcat:К"))
    # Next to the clinic, which is on the map in Almaly District.
    harness.feed(
        message_update(52, None, location={"latitude": s.clinic.latitude, "longitude": s.clinic.longitude})
    )
    answer = texts(harness, 52)[-1]
    assert "Емхана тіркеушісі" in answer
    assert "Status:" not in answer  # the answer of /jobs, not the map's


def test_at_most_five_vacancies_and_an_unknown_district_is_said_so(s):
    for n in range(7):
        f.vacancy(s["employer.a"], s.employer_a, workplace=s.clinic, title=f"Жұмыс {n}")
    harness = Harness()
    harness.agree(53, "ru")
    harness.feed(message_update(53, "/jobs"))
    harness.feed(press(53, "jcat:О"))
    harness.feed(message_update(53, "Атлантида"))
    assert "Жұмыс" not in texts(harness, 53)[-1]
    harness.feed(message_update(53, "Almaly"))
    assert texts(harness, 53)[-1].count("💼") == 5


def test_nothing_near_is_said_plainly(s):
    make_object(s["akimat.almaty"], name="Дүкен", latitude=43.25, longitude=76.92)
    harness = Harness()
    harness.agree(54, "en")
    harness.feed(message_update(54, "/jobs"))
    harness.feed(press(54, "jcat:У"))
    harness.feed(message_update(54, "Almaly"))
    assert "no open vacancies near you" in texts(harness, 54)[-1]


# The real `qoldau bot` process over HTTP against the fake Bot API, as `test_e2e.py` runs it.

E2E_CHAT = 434343
E2E_SETUP = """
from qoldau.jobs.tests import factories as f
s = f.scene()
f.vacancy(s["employer.a"], s.employer_a, workplace=s.clinic, title="Емхана тіркеушісі")
f.vacancy(s["employer.a"], s.employer_a, workplace=s.school, title="Мектеп кітапханашысы")
"""


def test_jobs_in_the_real_bot_over_http(tmp_path):
    api, env = started_api(tmp_path)
    run(env, "migrate", "--verbosity", "0")
    run(env, "shell", "-c", E2E_SETUP)
    bot = subprocess.Popen(  # noqa: S603 (our own command)
        [QOLDAU, "bot"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        api.wait_for("getUpdates", 1, timeout=300)
        api.push(e2e.message(E2E_CHAT, "/start", 1))
        (choice,) = api.wait_for("sendMessage", 1)
        english = next(b for b in e2e.buttons(choice) if b["text"] == "English")
        api.push(e2e.press(E2E_CHAT, english["callback_data"], 2))
        (notice,) = api.wait_for("editMessageText", 1)
        api.push(e2e.press(E2E_CHAT, e2e.buttons(notice)[0]["callback_data"], 3))
        api.wait_for("editMessageText", 2)

        api.push(e2e.message(E2E_CHAT, "/jobs", 4))
        ask = api.wait_for("sendMessage", 2)[-1]
        wheelchair = next(b for b in e2e.buttons(ask) if b["callback_data"] == "jcat:К")
        api.push(e2e.press(E2E_CHAT, wheelchair["callback_data"], 5))
        api.wait_for("sendMessage", 3)
        api.push(e2e.message(E2E_CHAT, "Almaly", 6))
        answer = api.wait_for("sendMessage", 4)[-1]["text"]
        assert "Емхана тіркеушісі" in answer
        assert "Мектеп кітапханашысы" not in answer
        assert "/employment/vacancies/" in answer
    finally:
        bot.terminate()
        try:
            output = bot.communicate(timeout=10)[0]
        except subprocess.TimeoutExpired:
            bot.kill()
            output = bot.communicate()[0]
        api.stop()
    assert bot.returncode is not None, output
