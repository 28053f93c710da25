"""/services in the bot: a need, then a location or a district, and the active services
for it nearest first (name, provider, address, free or not, public link); and "My place on
a wait list" by reference and birth date, the same answer for a wrong one of either, the
lookup limited per chat as the web page is per address."""

from __future__ import annotations

import datetime as dt

import pytest
from aiogram.types import InlineKeyboardMarkup
from django.conf import settings
from django.utils import timezone

from qoldau.bot.handlers.services import NeedChoice, WaitListStart
from qoldau.bot.middleware import FloodMiddleware
from qoldau.bot.tests.harness import Harness, message_update, press
from qoldau.core.tests import factories
from qoldau.services.models import Location, Service, ServiceAtLocation, WaitListEntry
from qoldau.services.services import capacity, directory_reindex_in_transaction, wait_lists
from qoldau.services.tests import flow_factories as f

pytestmark = pytest.mark.django_db


def texts(harness: Harness, chat_id: int) -> list[str]:
    return [m.text or "" for m in harness.session.sent(chat_id)]


def given_at(service: Service, name: str, address: str, lat: float, lon: float) -> Location:
    almaty = factories.region(factories.ALMATY)
    district = almaty.children.order_by("pk").first()
    location = Location.objects.create(
        provider=service.provider,
        name_kk=name,
        name_ru=name,
        address=address,
        region=almaty,
        district=district,
        latitude=lat,
        longitude=lon,
    )
    ServiceAtLocation.objects.create(service=service, location=location)
    return location


@pytest.fixture
def near_and_far() -> dict[str, Service]:
    s = f.flow()
    rehab = f.term("need", "rehabilitation")
    far = f.service(s.provider, name="Алыстағы оңалту")
    near = f.service(s.provider, name="Жақын оңалту")
    paid = f.service(s.provider, name="Ақылы оңалту")
    Service.objects.filter(pk=paid.pk).update(free=False)
    other_need = f.service(s.provider, name="Заң кеңесі")
    closed = f.service(s.provider, name="Жабық оңалту")
    Service.objects.filter(pk=closed.pk).update(status=Service.Status.DEFUNCT)
    for svc in (far, near, paid, closed):
        svc.needs.add(rehab)
    other_need.needs.add(f.term("need", "legal_help"))
    given_at(far, "Алыс", "Абай даңғылы, 150", 43.30, 76.98)
    given_at(near, "Жақын", "Төле би, 7", 43.2401, 76.9001)
    given_at(paid, "Орта", "Сәтбаев, 3", 43.26, 76.92)
    given_at(other_need, "Заң", "Төле би, 8", 43.2402, 76.9002)
    given_at(closed, "Жабық", "Төле би, 9", 43.2400, 76.9000)
    # Made with the models, not the services' writes: put them in the directory's index.
    directory_reindex_in_transaction(svc.pk for svc in (far, near, paid, other_need, closed))
    return {"far": far, "near": near, "paid": paid, "other": other_need, "closed": closed}


def test_the_needs_are_buttons_in_the_chats_language_and_differ() -> None:
    f.term("need", "rehabilitation")
    harness = Harness()
    harness.agree(60, "ru")
    harness.feed(message_update(60, "/services"))
    markup = harness.session.sent(60)[-1].reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    labels = [row[0].text for row in markup.inline_keyboard]
    assert "Реабилитация" in labels  # the catalogue's Russian name
    assert "Моё место в очереди" in labels
    assert len(labels) == len(set(labels))


def test_a_need_and_a_location_list_the_active_services_nearest_first(near_and_far) -> None:
    harness = Harness()
    harness.agree(61, "en")
    harness.feed(message_update(61, "/services"))
    harness.feed(press(61, NeedChoice(code="rehabilitation").pack()))
    assert "district" in texts(harness, 61)[-1]
    harness.feed(message_update(61, None, location={"latitude": 43.24, "longitude": 76.90}))
    answer = texts(harness, 61)[-1]
    near, paid, far = near_and_far["near"], near_and_far["paid"], near_and_far["far"]
    assert answer.index(near.name_en) < answer.index(paid.name_en) < answer.index(far.name_en)
    assert "Заң кеңесі" not in answer  # another need
    assert "Жабық оңалту" not in answer  # no longer given
    assert near.provider.organisation.name in answer
    assert "Төле би, 7" in answer
    assert f"{settings.QOLDAU_SITE_URL}/services/s/{near.public_id}/" in answer
    paid_part = answer[answer.index(paid.name_en) :].split("\n\n")[0]
    assert "A fee is charged" in paid_part
    assert "Free of charge" in answer[answer.index(near.name_en) :].split("\n\n")[0]
    # One search per /services: the next location is the map's again.
    harness.feed(message_update(61, None, location={"latitude": 43.24, "longitude": 76.90}))
    assert near.name_en not in texts(harness, 61)[-1]


def test_a_named_district_lists_its_services_and_an_unknown_name_is_asked_again(near_and_far) -> None:
    harness = Harness()
    harness.agree(62, "kk")
    harness.feed(message_update(62, "/services"))
    harness.feed(press(62, NeedChoice(code="legal_help").pack()))
    harness.feed(message_update(62, "Qqqzzz"))
    assert near_and_far["other"].name_kk not in texts(harness, 62)[-1]
    district = factories.region(factories.ALMATY).children.order_by("pk").first()
    assert district is not None
    harness.feed(message_update(62, district.name_en))
    answer = texts(harness, 62)[-1]
    assert near_and_far["other"].name_kk in answer
    assert near_and_far["near"].name_kk not in answer


def _waiting() -> WaitListEntry:
    s = f.flow(places=1)
    today = timezone.localdate()
    capacity.enrolment_create(
        actor=s.provider_staff,
        service=s.service,
        person=f.person(s.provider_staff, s.provider_org),
        starts_on=today - dt.timedelta(days=30),
    )
    wait_lists.wait_list_join(
        actor=s.provider_staff, service=s.service, person=f.person(s.provider_staff, s.provider_org)
    )
    person = f.person(s.provider_staff, s.provider_org, birth=dt.date(1984, 3, 9))
    return wait_lists.wait_list_join(actor=s.provider_staff, service=s.service, person=person)


def _ask(harness: Harness, chat_id: int, reference: str, birth: str) -> str:
    harness.feed(message_update(chat_id, "/services"))
    harness.feed(press(chat_id, WaitListStart().pack()))
    harness.feed(message_update(chat_id, reference))
    harness.feed(message_update(chat_id, birth))
    return texts(harness, chat_id)[-1]


def test_the_place_on_a_wait_list_by_reference_and_birth_date() -> None:
    entry = _waiting()
    harness = Harness()
    harness.agree(63, "en")
    answer = _ask(harness, 63, entry.reference.lower(), "09.03.1984")
    assert "place in the queue: 2" in answer
    assert "Waiting" in answer or "waiting" in answer
    assert str(entry.person.last_name) not in answer
    assert entry.service.name_en not in answer


def test_a_wrong_reference_and_a_wrong_birth_date_answer_the_same() -> None:
    entry = _waiting()
    # Many messages in a row: the chat flood guard (another rule) is set aside here.
    harness = Harness(flood=FloodMiddleware(limit=100))
    harness.agree(64, "ru")
    wrong_reference = _ask(harness, 64, "ZZZZZZZZ", "09.03.1984")
    wrong_date = _ask(harness, 64, entry.reference, "10.03.1984")
    assert wrong_reference == wrong_date
    assert "очеред" not in wrong_reference.lower() or "Нет" in wrong_reference
    assert "1984" not in wrong_reference
    # A date that is no date is asked again, not looked up.
    harness.feed(message_update(64, "/services"))
    harness.feed(press(64, WaitListStart().pack()))
    harness.feed(message_update(64, entry.reference))
    harness.feed(message_update(64, "вчера"))
    assert "17.05.1990" in texts(harness, 64)[-1]


def test_a_flood_of_guesses_is_refused_even_for_the_right_answer(settings) -> None:
    settings.QOLDAU_RATE_LIMITS = {**settings.QOLDAU_RATE_LIMITS, "wait_list_lookup_address": (1 / 3600, 2)}
    entry = _waiting()
    harness = Harness(flood=FloodMiddleware(limit=100))
    harness.agree(65, "en")
    first = _ask(harness, 65, "ZZZZZZZZ", "01.01.2001")
    second = _ask(harness, 65, "YYYYYYYY", "01.01.2001")
    third = _ask(harness, 65, entry.reference, "09.03.1984")
    assert first == second
    assert "Too many requests" in third
    assert "queue" not in third
    # Another chat has its own limit.
    other = Harness()
    other.agree(66, "en")
    assert "place in the queue: 2" in _ask(other, 66, entry.reference, "09.03.1984")
