"""The consultations demo (issue 17), made through the app's services on the base demo:

* two consultants: `qorgan.consultant` (Qorgan-M, which answers its regions, Turkistan,
  Karaganda and Shymkent, its own Astana, and anyone whose region no one else covers) and
  `almaty.consultant` (Almaty's department, which answers Almaty: its own region);
* three conversations waiting for them, handed off from the web chat by people of Almaty
  and of Turkistan region, so a newcomer can take one at once;
* six conversations of Qorgan-M answered and closed over the last three weeks, so that the
  queue shows the time to first reply and the chat the typical wait. Their hand-off and
  reply times are set back in time after the services wrote them: a demo's history, the one
  place where a time is not the moment of the write.

Loading twice changes nothing (`consult_demo_is_loaded`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from qoldau.consult import services
from qoldau.consult.models import Conversation
from qoldau.core import demo_data as d
from qoldau.core import services as core
from qoldau.core.models import Organisation, Place

# The consultants' first names: what a person sees when one takes their conversation.
FIRST_NAMES = {"qorgan.consultant": "Айгерім", "almaty.consultant": "Данияр"}
QORGAN_REGIONS = (d.ASTANA, d.TURKISTAN, d.KARAGANDA, d.SHYMKENT)
# (channel key, language, region, question) of the conversations left waiting.
WAITING = [
    ("demo-web-almaty-1", "ru", d.ALMATY, "Как получить пособие по уходу за ребёнком с инвалидностью?"),
    ("demo-web-almaty-2", "kk", d.ALMATY, "Мүгедектігі бар адамға әлеуметтік такси қалай шақырамын?"),
    ("demo-web-turkistan-1", "kk", d.TURKISTAN, "Оңалтудың жеке бағдарламасын қалай аламын?"),
]
# (days ago, minutes to the first reply, question) of Qorgan-M's answered conversations.
ANSWERED = [
    (2, 12, "Мүгедектік тобын қайта куәландыру қашан өтеді?"),
    (4, 35, "Кресло-арбаны жөндеуге кімге жүгінемін?"),
    (7, 18, "Как встать в очередь на санаторно-курортное лечение?"),
    (10, 55, "Қамқоршыға жәрдемақы қанша?"),
    (15, 25, "Какие документы нужны для установления инвалидности?"),
    (20, 80, "Жұмысқа орналасуға квота бойынша кім көмектеседі?"),
]


def consult_demo_is_loaded() -> bool:
    return User.objects.filter(username="qorgan.consultant").exists()


def _organisation(key: str) -> Organisation:
    spec = next(spec for spec in d.ORGANISATIONS if spec.key == key)
    return Organisation.objects.get(name_kk=spec.name_kk)


def _region(kato: str) -> Place:
    return Place.objects.get(kato=kato, level=Place.Level.REGION)


def _consultants() -> dict[str, User]:
    users = {}
    with transaction.atomic(durable=True):
        for spec in d.CONSULT_USERS:
            user = User.objects.create_user(
                spec.username,
                password=d.DEMO_PASSWORD,
                first_name=FIRST_NAMES[spec.username],
                email=f"{spec.username}@qoldau.localhost",
            )
            core.role_assign_in_transaction(
                actor=None, user=user, role=spec.role, organisation=_organisation(str(spec.organisation))
            )
            users[spec.username] = user
        qorgan = _organisation("qorgan")
        for kato in QORGAN_REGIONS:
            services.coverage_add_in_transaction(actor=None, organisation=qorgan, region=_region(kato))
        # Every region no other organisation covers.
        services.coverage_add_in_transaction(actor=None, organisation=qorgan)
    return users


def _hand_off(key: str, language: str, region: str, question: str) -> Conversation:
    conversation = services.conversation_for(
        channel=Conversation.Channel.WEB, channel_key=key, language=language
    )
    services.conversation_ask(conversation=conversation, text=question, lang=language)
    conversation.refresh_from_db()
    return services.conversation_request_human(conversation=conversation, region_id=_region(region).pk)


def load_consult_demo() -> None:
    """Load on a database whose base demo is loaded. Each step is one of the services, in
    its own durable transaction, as a person and a consultant would do them."""
    consultants = _consultants()
    now = timezone.now()
    for index, (days, minutes, question) in enumerate(ANSWERED):
        conversation = _hand_off(f"demo-web-answered-{index}", "kk", d.TURKISTAN, question)
        consultant = consultants["qorgan.consultant"]
        services.conversation_take(actor=consultant, conversation=conversation)
        services.conversation_reply(
            actor=consultant,
            conversation=conversation,
            text="Сәлеметсіз бе! Сұрағыңызға жауап беремін: қажетті құжаттар мен мекенжайды жібердім.",
        )
        services.conversation_close(actor=consultant, conversation=conversation, outcome="resolved")
        handed = now - dt.timedelta(days=days)
        Conversation.objects.filter(pk=conversation.pk).update(
            created_at=handed,
            handed_off_at=handed,
            taken_at=handed + dt.timedelta(minutes=minutes // 2),
            first_reply_at=handed + dt.timedelta(minutes=minutes),
            closed_at=handed + dt.timedelta(minutes=minutes + 10),
        )
    for key, language, region, question in WAITING:
        _hand_off(key, language, region, question)
