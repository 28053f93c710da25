"""The accessibility map in the bot: a place by name or by location, with its status for
the person's category, and a barrier report that becomes a task."""

from __future__ import annotations

from typing import Any

import pytest

from qoldau.access.models import AccessObject, BarrierReport, PublicStatus
from qoldau.bot.keyboards import Agree, LanguageChoice
from qoldau.bot.tests.harness import Harness, message_update, press
from qoldau.core.tests.factories import region


def place(name_ru: str, latitude: float, longitude: float, **statuses: Any) -> AccessObject:
    almaty = region("750000000")
    district = almaty.children.order_by("pk").first()
    assert district is not None
    return AccessObject.objects.create(
        name_kk=name_ru,
        name_ru=name_ru,
        name_en=name_ru,
        address="пр. Абая, 10",
        region=almaty,
        district=district,
        kind="health",
        latitude=latitude,
        longitude=longitude,
        **statuses,
    )


def texts(harness: Harness, chat_id: int) -> list[str]:
    return [m.text for m in harness.session.sent(chat_id)]


@pytest.mark.django_db
def test_a_place_found_by_name_shows_its_status_for_the_chosen_category():
    clinic = place(
        "Поликлиника № 5", 43.24, 76.90, status_k=PublicStatus.NOT_ACCESSIBLE, status_s="accessible"
    )
    harness = Harness()
    harness.agree(40, "en")
    harness.feed(message_update(40, "/access"))
    assert "accessible for you" in texts(harness, 40)[-1]
    harness.feed(press(40, "acat:С"))
    harness.feed(message_update(40, "поликлиника 5"))
    answer = texts(harness, 40)[-1]
    assert clinic.name_ru in answer
    assert "Status: Accessible" in answer  # for vision, not the wheelchair status

    # The search was one step: the next free text goes to the consultation assistant again.
    harness.feed(message_update(40, "поликлиника 5"))
    assert "Status:" not in texts(harness, 40)[-1]


@pytest.mark.django_db
def test_a_shared_location_lists_the_nearest_places_first_with_distances():
    place("Далёкая аптека", 43.30, 76.95)
    near = place("Ближняя школа", 43.2401, 76.9001, status_k=PublicStatus.PARTIAL)
    harness = Harness()
    harness.agree(41, "en")
    harness.feed(message_update(41, None, location={"latitude": 43.24, "longitude": 76.90}))
    answer = texts(harness, 41)[-1]
    assert answer.index(near.name_ru) < answer.index("Далёкая аптека")
    assert "Status: Partially accessible" in answer
    assert "m from you" in answer


@pytest.mark.django_db
def test_a_barrier_reported_in_the_bot_becomes_a_task_of_the_object():
    clinic = place("Поликлиника № 7", 43.25, 76.91)
    harness = Harness()
    harness.agree(42, "ru")
    harness.feed(press(42, f"abar:{clinic.pk}"))
    harness.feed(message_update(42, "У входа нет пандуса, ступени высокие"))
    report = BarrierReport.objects.get()
    assert report.object == clinic
    assert report.channel == BarrierReport.Channel.BOT
    assert report.state == BarrierReport.State.NEW
    assert "Спасибо" in texts(harness, 42)[-1]


@pytest.mark.django_db
def test_a_barrier_report_without_words_is_refused_politely_and_nothing_is_kept():
    clinic = place("Поликлиника № 8", 43.25, 76.91)
    harness = Harness()
    harness.agree(43, "en")
    harness.feed(press(43, f"abar:{clinic.pk}"))
    harness.feed(message_update(43, "   "))
    assert not BarrierReport.objects.exists()
    assert "describe the barrier in words" in texts(harness, 43)[-1]


@pytest.mark.django_db
def test_no_place_found_gets_a_helpful_answer():
    harness = Harness()
    harness.agree(44, "en")
    harness.feed(message_update(44, "/access"))
    harness.feed(press(44, "acat:K"))
    harness.feed(message_update(44, "zzzzqqq"))
    assert "No place with that name" in texts(harness, 44)[-1]


@pytest.mark.django_db
def test_places_of_one_name_are_numbered_and_their_buttons_differ():
    for street in ("пр. Абая, 10", "ул. Сатпаева, 3", "ул. Толе би, 7"):
        same_name = place("Поликлиника № 5", 43.24, 76.90)
        AccessObject.objects.filter(pk=same_name.pk).update(address=street)
    harness = Harness()
    harness.agree(41, "en")
    harness.feed(message_update(41, "/access"))
    harness.feed(press(41, "acat:К"))
    harness.feed(message_update(41, "поликлиника 5"))
    answer = harness.session.sent(41)[-1]
    assert answer.text.startswith("1. ")
    assert "\n\n2. " in answer.text
    labels = [row[0].text for row in answer.reply_markup.inline_keyboard]
    assert len(labels) == 3
    assert len(set(labels)) == 3, labels
    assert labels[0].startswith("Report a barrier: 1. Поликлиника № 5, ")


@pytest.mark.django_db
def test_agreeing_ends_an_access_step_begun_before_so_the_question_reaches_the_assistant():
    place("Поликлиника № 5", 43.24, 76.90)
    harness = Harness()
    harness.feed(message_update(42, "/start"))
    harness.feed(press(42, LanguageChoice(code="en").pack()))
    harness.feed(message_update(42, "/access"))  # before agreeing to the notice
    assert "accessible for you" in harness.session.sent(42)[-1].text
    harness.feed(press(42, Agree().pack()))
    harness.feed(message_update(42, "How do I get a disability allowance?"))
    answer = harness.session.sent(42)[-1]
    assert "Status:" not in answer.text
    assert "no place" not in answer.text.lower()
    # The assistant's answer, with its buttons, not the map's "nothing found".
    assert "Talk to a consultant" in [b.text for row in answer.reply_markup.inline_keyboard for b in row]
