"""The engine's classifier and how it is combined with retrieval: a question buried in a story,
off-topic messages near the field (a taxi ride, a car loan, a visa, a neighbour's dog), typos,
messages of danger, and the data it learns from.

The messages here are written for these tests; none is in the question files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qoldau.consult.engine.answer import classify, mentions_danger
from qoldau.consult.engine.classifier import TRAINING_FILES, load_labelled, sentences, topic_model
from qoldau.consult.engine.index import EXAMPLE_FILES, topic_index
from qoldau.consult.engine.tuning import HELDOUT_FILE


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        (
            "Добрый день. Пишу вам из Караганды, простите что длинно. Мы с мужем сорок лет прожили "
            "вместе, вырастили троих детей, все разъехались. Летом муж упал на даче, теперь после "
            "перелома позвоночника лежит, я за ним ухаживаю сама, работу пришлось оставить. "
            "Дети помогают чем могут. Положена ли мне какая-то выплата за уход за мужем, если у него "
            "первая группа?",
            "benefit.carer",
        ),
        (
            "Сәлеметсіз бе. Мен ауылда тұрамын, үш балам бар, күйеуім малмен айналысады. Ортаншы "
            "ұлым бес жаста, былтыр дәрігерлер аутизм деді. Біз қалаға жиі бара алмаймыз, жол алыс. "
            "Көршілер де түрлі кеңес береді, кімге сенерімді білмеймін. Балаға мүгедектікті қалай "
            "рәсімдейміз, алдымен қайда бару керек?",
            "disability.establish",
        ),
        (
            "Hello. My father is 81 and lives alone in Taraz since my mother died last spring. I "
            "work in Astana and can only visit twice a month. He can still walk but cannot clean "
            "the flat or carry shopping any more, and he forgets his pills. Can a social worker come "
            "to his home to help him?",
            "service.home_care",
        ),
    ],
)
def test_a_question_buried_in_a_long_story_gets_its_topic(message, topic):
    assert len(sentences(message)) >= 3
    answer = classify(message)
    assert answer.topic == topic, answer.top3
    assert answer.reason == "answered"


@pytest.mark.parametrize(
    "message",
    [
        "закажите мне такси до ТРЦ Мега на 7 вечера",
        "таксист взял лишние 500 тенге, как вернуть через приложение",
        "какой банк даст автокредит на тойоту без первоначального взноса",
        "көлікті несиеге алсам айлық төлем қанша болады",
        "нужна ли виза в Японию для граждан Казахстана",
        "соседская овчарка лает с пяти утра, спать невозможно",
        "көршінің иті түнде ұлиды, ұйықтай алмаймын",
        "как перейти на тариф с безлимитным интернетом",
        "рецепт баурсаков на кефире",
        "кто выиграл вчера Астана или Тобол",
        "what's the weather in Almaty this weekend",
        "спасибо огромное, вы очень помогли!",
        "😂👍",
        "Анекдот айтып жіберші, көңілім жоқ",
    ],
)
def test_off_topic_messages_near_the_field_get_no_topic(message):
    answer = classify(message)
    assert answer.topic is None, answer.top3
    assert answer.reason in {"off_topic", "small_talk", "empty"}
    assert not answer.handoff
    assert answer.sources == ()


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("социальное такси для колясочника как заказать", "service.social_taxi"),
        ("кредит не могу выплатить, коллекторы звонят, пенсия маленькая", "crisis.debt"),
        ("мугедек баламмен ұшаққа отырғанда әуежайда көмек бола ма", "accessibility.transport"),
    ],
)
def test_the_field_s_own_taxi_loan_and_travel_questions_are_answered(message, topic):
    assert classify(message).topic == topic


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("инвалиднасть аформить с чего начать", "disability.establish"),
        ("пасобие па уходу за рибенком инвалидом", "benefit.carer"),
        ("мугедектер арбасн жондеу", "rehab.wheelchair_repair"),
        ("sotsialnoe taksi zakazat", "service.social_taxi"),
        ("сурдопереводчик бесплатна нада", "service.sign_language"),
    ],
)
def test_terse_messages_with_typos_get_their_topic(message, topic):
    assert classify(message).topic == topic


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("муж бьёт, боюсь идти домой с детьми", "crisis.domestic_violence"),
        ("күйеуім ұрады, балаларыммен қайда барам", "crisis.domestic_violence"),
    ],
)
def test_a_message_of_danger_is_never_turned_away(message, topic):
    assert mentions_danger(message)
    answer = classify(message)
    assert answer.topic == topic, answer.top3


@pytest.mark.parametrize("message", ["не хочу жить, всё надоело", "өмір сүргім келмейді"])
def test_a_wish_to_die_gets_a_topic_not_a_refusal(message):
    assert mentions_danger(message)
    answer = classify(message)
    assert answer.topic is not None
    assert answer.reason == "answered"


def test_words_near_danger_are_not_danger():
    assert not mentions_danger("как оформить пособие на ребенка")
    assert not mentions_danger("ұрпағыма не қалдырамын")
    assert not mentions_danger("the bus does not stop near me")


def test_the_fast_scoring_equals_the_library_s():
    index = topic_index()
    model = topic_model(index)
    for message in (
        "пособие по уходу за ребенком инвалидом",
        "мүгедектер арбасын жөндеу",
        "weather tomorrow",
        "zzzz",
        "",
    ):
        reading = index.analyse(message)
        assert np.allclose(model.decision(reading), model.library_decision(reading))


def test_the_model_is_trained_once_per_index():
    assert topic_model(topic_index()) is topic_model(topic_index())


def test_sentences_split_at_ends_and_line_breaks():
    assert sentences("Первое. Второе! Третье? Четвёртое") == ["Первое.", "Второе!", "Третье?", "Четвёртое"]
    assert sentences("бір\nекі") == ["бір", "екі"]
    assert sentences("   ") == []


def test_the_held_out_split_is_never_learnt_from_nor_indexed():
    assert HELDOUT_FILE not in TRAINING_FILES
    assert HELDOUT_FILE not in EXAMPLE_FILES
    with HELDOUT_FILE.open(encoding="utf-8") as handle:
        heldout = {json.loads(line)["text"] for line in handle if line.strip()}
    learnt = {row.text for row in load_labelled()}
    assert not heldout & learnt


def test_the_training_data_has_negatives_and_new_voices_for_every_topic():
    rows = load_labelled()
    off_topic = [row for row in rows if row.topic is None]
    assert len(off_topic) >= 300
    voices = load_labelled([TRAINING_FILES[1]])
    per_topic: dict[str, int] = {}
    for row in voices:
        if row.topic:
            per_topic[row.topic] = per_topic.get(row.topic, 0) + 1
    assert len(per_topic) == len(topic_index().articles)
    assert min(per_topic.values()) >= 10


def test_the_independent_sets_are_never_learnt_from_nor_indexed():
    """`questions/independent/` was written by people who saw neither the tuning data nor
    the articles; it only measures the engine from outside. No file the engine learns from
    or indexes is in it, and none of its texts is among theirs."""
    independent = sorted((HELDOUT_FILE.parent / "independent").glob("*.jsonl"))
    assert len(independent) >= 2
    assert not set(independent) & {*TRAINING_FILES, *EXAMPLE_FILES}
    texts = {
        json.loads(line)["text"]
        for path in independent
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert len(texts) >= 400
    assert not texts & {row.text for row in load_labelled()}
