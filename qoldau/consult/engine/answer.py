"""`classify(text, lang=None)`: one message in, one `EngineAnswer` out — the topic (or none),
how sure the engine is, 2–3 next-best topics, the answer text in the person's language, and
whether to hand the conversation to a consultant.

The API, the Telegram bot and `qoldau consult classify` all call this function. It never
raises on what a person can send: empty, whitespace, emoji, control characters and binary
garbage get a polite answer; messages longer than MAX_MESSAGE_CHARS are truncated.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from qoldau.consult.engine.classifier import ModelScores, topic_model
from qoldau.consult.engine.index import (
    KNOWLEDGE_DIR,
    Analysed,
    Article,
    Features,
    Ranking,
    TopicIndex,
    confidence_features,
    text_tokens,
    topic_index,
)
from qoldau.consult.engine.normalise import (
    Lang,
    clean,
    fix_mixed_script,
    fold,
    latin_to_cyrillic,
    tokenize,
    word_script,
)

AMOUNTS_FILE = KNOWLEDGE_DIR / "amounts.toml"
KAZAKHSTAN = ZoneInfo("Asia/Almaty")

# Why the engine answered as it did:
# answered — a topic; low_confidence — a real question it cannot place for sure: the next-best
# topics as buttons, and the conversation handed to a consultant; off_topic — not about social
# support: no topic, no hand-off; small_talk — greetings and thanks; empty — nothing to read;
# handoff — the person asked for a human.
Reason = Literal["answered", "low_confidence", "off_topic", "small_talk", "empty", "handoff"]

# ----------------------------------------------------------------------------------------------
# Calibration. The confidence is the probability that the answer is right, as two logistic
# models of `Features`: P(the message is in the knowledge base's scope) from the best and second
# word scores, the n-gram share and the message length, times P(the best topic is the right one)
# from the margin of the best topic over the second. Below `threshold` the engine does not
# answer. The values came from `qoldau.consult.engine.tuning.search()`, fitted on out-of-fold
# readings of questions/tuning.jsonl only (the held-out part was not read while choosing them).


@dataclass(frozen=True)
class Calibration:
    scope_weights: tuple[float, float, float, float]
    scope_bias: float
    margin_weight: float
    margin_bias: float
    threshold: float


CALIBRATION = Calibration(
    scope_weights=(2.39, 1.48, 9.22, 5.56),
    scope_bias=-15.93,
    margin_weight=8.53,
    margin_bias=0.05,
    threshold=0.44,
)

# Next-best topics offered as buttons.
MAX_ALTERNATIVES = 3


# ----------------------------------------------------------------------------------------------
# What a person may write to ask for a human, after folding (Kazakh letters → Russian ones) and
# transliteration of Latin Kazakh.
_HANDOFF_PATTERNS = re.compile(
    r"|".join(
        (
            r"\bоператор",
            r"\bконсультант",
            r"\bкенесши",  # кеңесші
            r"\bжив(ои|ым|ого|ому) человек",
            r"\bс человеком\b",
            r"\b(позовит|позват|даит|нужен|хочу) человек",
            r"\bсо специалистом\b",
            r"\bадаммен\b",
            r"\bадам мен соилес",
            r"\bтири адам",
            r"\bмаманмен\b",
            r"\boperator",
            r"\bconsultant\b",
            r"\b(talk|speak|chat)\s+(to|with)\s+(a |an |the |some )?(human|person|someone|somebody|agent|"
            r"real person|live person|consultant|operator|specialist)",
            r"\b(real|live)\s+(human|person|agent)",
            r"\bhuman (agent|being|please)",
        )
    )
)

# Greetings, thanks and other small talk: a message made only of these is not a question.
_SMALL_TALK = """
сәлем салем сәлеметсіз сәлеметсиз салеметсиз салам саламатсызба ассалаумағалейкум
ассаламуағалейкум уағалейкум привет приветик здравствуйте здрасьте здравствуй добрый доброе
доброго день утро вечер ночи қайырлы таң кеш жарық күн рахмет рақмет рахмет көп үлкен
сізге саған спасибо спасибки благодарю большое огромное thanks thank thx ty much so hi hello hey
heya hiya there good morning evening afternoon night ok okay окей ок ок жарайды жақсы түсіндім
түсінікті понятно ясно хорошо отлично супер класс got it lol haha ахах хаха test тест alo алло
bye пока сау болыңыз бол до свидания свидания как дела қалайсыз қалайсың калаисын калаисыз бот
bot брат бауырым братан бро assalomu alaykum aleikum qalaysiz yes no да нет иә жоқ
"""
SMALL_TALK_WORDS = frozenset(fold(word) for word in _SMALL_TALK.split())

# Subjects plainly outside social support — weather, markets, entertainment, cooking, dating,
# sport, gadgets. A message about one of them gets no answer unless the engine is very sure
# (OFF_TOPIC_CONFIDENCE): it may still be a real question that mentions one.
_OFF_TOPIC = """
погода погоду прогноз weather forecast ауа райы
биткоин биткоина bitcoin крипта криптовалюта crypto cryptocurrency ethereum эфириум
доллар доллара долларов евро dollar dollars usd
анекдот анекдоты шутка шутку joke jokes әзіл
фильм фильмы кино сериал movie movies film netflix музыка music песня песню song
рецепт рецепты recipe recipes пицца pizza торт cake
гороскоп horoscope
знакомство знакомства познакомлюсь tinder тиндер girlfriend boyfriend
футбол football хоккей hockey
айфон iphone samsung самсунг playstation
"""
OFF_TOPIC_CONFIDENCE = 0.9
# Words that put a message in the knowledge base's field even when the engine cannot tell which
# topic it is about («мүгедектік», «пособие»): below the threshold such a message is handed to a
# consultant with suggestions, not turned away as off-topic.
_DOMAIN = """
мүгедек мүгедектік мүгедектер инвалид инвалидность инвалидности инвалиды disabled disability
handicapped жәрдемақы пособие пособия выплата выплаты төлем benefit benefits allowance пенсия
зейнетақы pension жеңілдік льгота льготы concession оңалту реабилитация rehabilitation коляска
арба wheelchair протез prosthesis әлеуметтік социальный социальная social соцзащита собес МСЭ
МӘС ВТЭК ИПР ИПАР опека қамқоршы guardianship
"""
# Words of danger (violence, threats, a wish to die): such a message is never turned away as
# off-topic, whatever the classifier's "none" says; it gets its best topic, or a consultant.
_DANGER_PATTERNS = re.compile(
    r"|".join(
        (
            r"\b(бь[её]т|бьют|избива|избил|побои|побоях|насили|угрожа|убь[её]т|убить|убью)",
            r"\b(суицид|самоубийств|покончить с собой|жить не хочу|жить не хочется|не хочу жить)",
            r"\b(урад|урып|сабаид|сабап|зорлык|зорла|олтирем|олтиреди)",
            r"\bомир сург(им|ым) келмеи",
            r"\bолгим келед",
            r"\b(hits me|beats me|beat me|abuse|abusive|violence|suicide|kill myself|want to die)",
        )
    )
)
# A message most of whose words no article or example has (noise, another language, random
# text) is not answered, however long: its length would otherwise look like a real question.
MIN_COVERAGE = 0.2
# Below the threshold, a message at least this likely to be in scope is a question the engine
# cannot place (hand-off with suggestions) rather than an off-topic one.
SCOPE_FOR_HANDOFF = 0.5

_MESSAGES: dict[Reason, dict[Lang, str]] = {
    "empty": {
        "kk": "Сұрағыңызды бір-екі сөйлеммен жазыңызшы: мысалы, «мүгедектікті қалай рәсімдеймін?»",
        "ru": "Напишите, пожалуйста, ваш вопрос одним-двумя предложениями: например, "
        "«как оформить инвалидность?»",
        "en": "Please write your question in a sentence or two, for example "
        "“how do I get a disability status?”",
    },
    "small_talk": {
        "kk": "Сәлеметсіз бе! Мен мүгедектік, жәрдемақы, оңалту, жұмыс және әлеуметтік қызметтер "
        "туралы сұрақтарға жауап беремін. Сұрағыңызды жазыңыз.",
        "ru": "Здравствуйте! Я отвечаю на вопросы об инвалидности, пособиях, реабилитации, работе "
        "и социальных услугах. Напишите ваш вопрос.",
        "en": "Hello! I answer questions about disability, benefits, rehabilitation, work and "
        "social services. Please write your question.",
    },
    "low_confidence": {
        "kk": "Сұрағыңызды нақты түсінгеніме сенімді емеспін. Төмендегі тақырыптардың бірін "
        "таңдаңыз; сұрағыңызды кеңесшіге де жібердім, ол осы чатта жауап береді.",
        "ru": "Я не уверен, что правильно понял вопрос. Выберите одну из тем ниже; я также "
        "передал ваш вопрос консультанту, он ответит в этом чате.",
        "en": "I am not sure I understood your question. Choose one of the topics below; I have "
        "also passed your question to a consultant, who will answer in this chat.",
    },
    "off_topic": {
        "kk": "Кешіріңіз, бұл сұраққа жауап бере алмаймын. Мен мүгедектік, жәрдемақы, оңалту, "
        "жұмыс және әлеуметтік қызметтер туралы сұрақтарға жауап беремін.",
        "ru": "Извините, с этим я помочь не могу. Я отвечаю на вопросы об инвалидности, пособиях, "
        "реабилитации, работе и социальных услугах.",
        "en": "Sorry, I cannot help with that. I answer questions about disability, benefits, "
        "rehabilitation, work and social services.",
    },
    "handoff": {
        "kk": "Сұрағыңызды кеңесшіге жібердім. Ол осы чатта жауап береді.",
        "ru": "Я передал ваш вопрос консультанту. Он ответит в этом чате.",
        "en": "I have passed your question to a consultant, who will answer in this chat.",
    },
}

_UNCERTAIN_NOTE: dict[Lang, str] = {
    "kk": "Бұл мақаладағы кейбір мәліметтер расталмаған: мәтінде аталған мекемеден нақтылаңыз.",
    "ru": "Часть сведений в этой статье не подтверждена: уточните их в названном в тексте органе.",
    "en": "Some details of this article could not be confirmed: check them with the authority it names.",
}


# ----------------------------------------------------------------------------------------------
# Answer


@dataclass(frozen=True)
class Alternative:
    topic: str
    title: str


@dataclass(frozen=True)
class SourceRef:
    title: str
    reference: str
    url: str


@dataclass(frozen=True)
class EngineAnswer:
    """What the engine makes of one message."""

    topic: str | None
    confidence: float
    alternatives: tuple[Alternative, ...]
    # The language detected in the message (Kazakh in Latin letters counts as kk).
    language: Lang
    # The language of `title` and `text`: the person's choice, else the detected one.
    answer_language: Lang
    handoff: bool
    reason: Reason
    title: str = ""
    text: str = ""
    sources: tuple[SourceRef, ...] = ()
    uncertain: bool = False

    @property
    def top3(self) -> list[str]:
        """The best topics, best first (the answered one, then the alternatives)."""
        ranked = ([self.topic] if self.topic else []) + [alt.topic for alt in self.alternatives]
        return ranked[:3]


# ----------------------------------------------------------------------------------------------
# Amounts


@dataclass(frozen=True)
class Amount:
    name: str
    valid_from: date
    value: int


@cache
def load_amounts(path: Path = AMOUNTS_FILE) -> tuple[Amount, ...]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    amounts = []
    for row in data.get("amount", ()):
        valid = row["valid_from"]
        amounts.append(
            Amount(
                name=row["name"],
                valid_from=valid if isinstance(valid, date) else date.fromisoformat(str(valid)),
                value=int(row["value"]),
            )
        )
    return tuple(sorted(amounts, key=lambda amount: (amount.name, amount.valid_from)))


def amounts_on(day: date) -> dict[str, int]:
    """Each amount's value valid on `day` (the latest `valid_from` not after it; before the first
    known date, the first known value)."""
    values: dict[str, int] = {}
    for amount in load_amounts():  # sorted by name, then date
        if amount.valid_from <= day or amount.name not in values:
            values[amount.name] = amount.value
    return values


def format_amount(value: int, lang: Lang) -> str:
    if lang == "en":
        return f"{value:,}"
    # Grouped as the kk and ru formats group (qoldau/formats): a narrow no-break space.
    return f"{value:,}".replace(",", "\u202f")


class _Placeholders(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_amounts(text: str, day: date, lang: Lang) -> str:
    """The article text with {mci}, {subsistence_minimum}, … replaced by the values valid on
    `day`; unknown placeholders and stray braces are left as they are."""
    values = _Placeholders({name: format_amount(value, lang) for name, value in amounts_on(day).items()})
    try:
        return text.format_map(values)
    except (ValueError, IndexError, AttributeError, KeyError):
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)


def today_in_kazakhstan() -> date:
    return datetime.now(tz=KAZAKHSTAN).date()


# ----------------------------------------------------------------------------------------------
# Classification


def _folded_message(tokens: list[str]) -> str:
    """The message twice: its words as typed (lower case), then folded, Latin transliterated."""
    typed: list[str] = []
    folded: list[str] = []
    for raw in tokens:
        token = fix_mixed_script(raw)
        typed.append(token)
        folded.append(fold(latin_to_cyrillic(token) if word_script(token) == "latin" else token))
    return " ".join(typed) + " | " + " ".join(folded)


def wants_human(text: str) -> bool:
    """Does the message ask for a person (operator, consultant, «адаммен сөйлескім келеді»)?"""
    return bool(_HANDOFF_PATTERNS.search(_folded_message(tokenize(clean(text)))))


def mentions_danger(text: str) -> bool:
    """Does the message speak of violence, threats or a wish to die?"""
    return bool(_DANGER_PATTERNS.search(_folded_message(tokenize(clean(text)))))


@cache
def _off_topic_tokens() -> frozenset[str]:
    return frozenset(text_tokens(_OFF_TOPIC))


@cache
def _domain_tokens() -> frozenset[str]:
    return frozenset(text_tokens(_DOMAIN))


def mentions_domain(analysed: Analysed) -> bool:
    return not _domain_tokens().isdisjoint(analysed.words)


def mentions_off_topic_subject(analysed: Analysed) -> bool:
    return not _off_topic_tokens().isdisjoint(analysed.words)


def is_small_talk(analysed: Analysed) -> bool:
    """Only greetings, thanks and the like (or noise such as «ааааа»)."""
    return bool(analysed.content) and all(
        word in SMALL_TALK_WORDS or len(set(word)) <= 2 for word in analysed.content
    )


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def in_scope(features: Features, calibration: Calibration = CALIBRATION) -> float:
    """P(the message is about something the knowledge base covers)."""
    return _sigmoid(
        calibration.scope_bias
        + sum(w * x for w, x in zip(calibration.scope_weights, features.scope(), strict=True))
    )


def confidence(features: Features, calibration: Calibration = CALIBRATION) -> float:
    """0..1: P(in scope) × P(best topic right | in scope), by the calibration's logistic models."""
    right = _sigmoid(calibration.margin_bias + calibration.margin_weight * features.margin)
    return in_scope(features, calibration) * right


@dataclass(frozen=True)
class Reading:
    """What the index and the classifier make of a message before the engine decides whether
    to answer."""

    analysed: Analysed
    # The topics ranked by retrieval and classifier together (`combine`).
    ranking: Ranking | None
    features: Features | None
    # Decided by rules before any score: a request for a person, nothing to read, small talk.
    rule: Reason | None
    model: ModelScores | None = None
    # Violence, threats or a wish to die (`mentions_danger`): never off-topic.
    danger: bool = False
    # The retrieval ranking alone, before the classifier is combined with it.
    retrieval: Ranking | None = None


# How the two halves are combined (chosen by `tuning.cross_validate` on the labelled files,
# out-of-fold; never on heldout.jsonl): a topic's score is its max-normalised retrieval score
# plus MODEL_WEIGHT times its classifier decision value shifted by MODEL_SHIFT (an SVM decision
# value of a plausible topic lies around -1..1) and cut at zero.
MODEL_WEIGHT = 0.15
MODEL_SHIFT = 1.0
# The classifier's "none" has to beat its best topic by this much for a message to be
# off-topic: the trained off-topic decision.
NONE_MARGIN = 0.3


def combine(ranking: Ranking, scores: ModelScores) -> Ranking:
    """The retrieval ranking re-ordered by retrieval and classifier together."""
    top = float(ranking.fused.max(initial=0.0))
    retrieval = ranking.fused / top if top > 0 else ranking.fused
    fused = retrieval + MODEL_WEIGHT * np.maximum(scores.topics + MODEL_SHIFT, 0.0)
    order = tuple(int(i) for i in np.argsort(-fused, kind="stable"))
    return Ranking(order=order, fused=fused, word=ranking.word, char=ranking.char)


def read_message(index: TopicIndex, message: str) -> Reading:
    analysed = index.analyse(message)
    rule: Reason | None = None
    if wants_human(message):
        rule = "handoff"
    elif is_small_talk(analysed):
        rule = "small_talk"
    elif not analysed.words:
        rule = "empty"
    if rule is not None:
        return Reading(analysed=analysed, ranking=None, features=None, rule=rule)
    retrieval = index.rank(analysed)
    model = topic_model(index).score(analysed, message)
    if retrieval.fused[retrieval.order[0]] <= 0:
        return Reading(analysed=analysed, ranking=None, features=None, rule="off_topic", model=model)
    ranking = combine(retrieval, model)
    return Reading(
        analysed=analysed,
        ranking=ranking,
        features=confidence_features(index, analysed, retrieval),
        rule=None,
        model=model,
        danger=mentions_danger(message),
        retrieval=retrieval,
    )


def decide(reading: Reading, calibration: Calibration = CALIBRATION) -> tuple[Reason, float]:
    """Answer or not, and how sure. The classifier's "none" decides off-topic; otherwise a
    message is answered when retrieval is confident, and always when it speaks of danger.
    Below that, a message that looks like a question in scope is `low_confidence`
    (suggest topics, hand off); anything else is `off_topic`."""
    if reading.rule is not None:
        return reading.rule, 0.0
    if reading.features is None or reading.ranking is None:
        return "off_topic", 0.0
    score = confidence(reading.features, calibration)
    model = reading.model
    if model is not None and not reading.danger and model.none_margin > NONE_MARGIN:
        return "off_topic", score
    # In scope by the classifier's reckoning: retrieval's confidence says whether to answer.
    # A message of danger is always answered with its best topic.
    if reading.danger:
        return "answered", max(score, calibration.threshold)
    if score >= calibration.threshold and reading.analysed.coverage >= MIN_COVERAGE:
        if (
            model is not None
            or score >= OFF_TOPIC_CONFIDENCE
            or not mentions_off_topic_subject(reading.analysed)
        ):
            return "answered", score
    if (
        in_scope(reading.features, calibration) >= SCOPE_FOR_HANDOFF or mentions_domain(reading.analysed)
    ) and (reading.analysed.coverage >= MIN_COVERAGE and not mentions_off_topic_subject(reading.analysed)):
        return "low_confidence", score
    return "off_topic", score


def _as_text(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, bytes | bytearray | memoryview):
        return bytes(text).decode("utf-8", "replace")
    return text if isinstance(text, str) else str(text)


def _lang(value: object) -> Lang | None:
    if isinstance(value, str):
        code = value.strip().lower()[:2]
        if code == "kk":
            return "kk"
        if code == "ru":
            return "ru"
        if code == "en":
            return "en"
    return None


def _alternatives(
    index: TopicIndex, ranking: Ranking, skip: str | None, lang: Lang
) -> tuple[Alternative, ...]:
    alternatives: list[Alternative] = []
    for position in ranking.order:
        if len(alternatives) == MAX_ALTERNATIVES or ranking.fused[position] <= 0:
            break
        article = index.articles[position]
        if article.topic != skip:
            alternatives.append(Alternative(topic=article.topic, title=article.text(lang).title))
    return tuple(alternatives)


_AMOUNT_PLACEHOLDER = re.compile(r"\{(?:mci|subsistence_minimum|minimum_wage|minimum_pension)\}")
_AMOUNTS_YEAR: dict[Lang, str] = {
    "kk": "Сомалар {year} жылға берілген.",
    "ru": "Суммы указаны на {year} год.",
    "en": "The amounts are for {year}.",
}
_NO_AMOUNTS_FOR_YEAR: dict[Lang, str] = {
    "kk": "{asked} жылға арналған сомалар бізде жоқ; сомалар {year} жылға берілген.",
    "ru": "Сумм на {asked} год у нас нет; суммы указаны на {year} год.",
    "en": "We have no amounts for {asked}; the amounts are for {year}.",
}
# A year in a question ("the allowance in 2025", "2025 жылы", "в 2025 г.").
_YEAR_ASKED = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def year_asked(message: str) -> int | None:
    """The one year a question names, if it names exactly one."""
    years = {int(found) for found in _YEAR_ASKED.findall(message)}
    return years.pop() if len(years) == 1 else None


def amounts_day(asked: int | None, today: date) -> date:
    """The day whose amounts answer a question: the end of the year asked when the dated data
    has that year's figures (the last day of it that has passed), else today."""
    if asked is None or asked == today.year:
        return today
    known_years = {amount.valid_from.year for amount in load_amounts()}
    first = min((amount.valid_from for amount in load_amounts()), default=today)
    if asked < today.year and date(asked, 12, 31) >= first:
        return date(asked, 12, 31)
    if asked > today.year and asked in known_years:
        return date(asked, 12, 31)
    return today


def article_answer(
    article: Article, lang: Lang, day: date, asked_year: int | None = None
) -> tuple[str, str, tuple[SourceRef, ...]]:
    """Title, text (summary, body, the year its amounts are for, a note if uncertain) and
    sources of an article. The sources are given once, beside the text, never inside it.
    `asked_year` is the year the question named, said when the amounts are not for it."""
    text = article.text(lang)
    sources = tuple(
        SourceRef(title=source.title(lang), reference=source.reference, url=source.url)
        for source in article.sources
    )
    parts = [fill_amounts(text.summary, day, lang), fill_amounts(text.body, day, lang)]
    if _AMOUNT_PLACEHOLDER.search(text.summary) or _AMOUNT_PLACEHOLDER.search(text.body):
        if asked_year is not None and asked_year != day.year:
            parts.append(_NO_AMOUNTS_FOR_YEAR[lang].format(asked=asked_year, year=day.year))
        else:
            parts.append(_AMOUNTS_YEAR[lang].format(year=day.year))
    if article.uncertain:
        parts.append(_UNCERTAIN_NOTE[lang])
    return text.title, "\n\n".join(parts), sources


def classify(
    text: object,
    lang: str | None = None,
    *,
    on: date | None = None,
    index: TopicIndex | None = None,
    calibration: Calibration = CALIBRATION,
) -> EngineAnswer:
    """Pick the topic of a message and answer it in the message's language (or `lang`, the one
    the person chose). `on` is the date whose amounts fill the article (today in Kazakhstan)."""
    index = index or topic_index()
    message = clean(_as_text(text))
    reading = read_message(index, message)
    reason, score = decide(reading, calibration)
    detected = reading.analysed.lang
    answer_lang = _lang(lang) or detected
    ranking = reading.ranking

    if reason != "answered" or ranking is None:
        unsure = reason == "low_confidence" and ranking is not None
        return EngineAnswer(
            topic=None,
            confidence=score,
            alternatives=_alternatives(index, ranking, None, answer_lang) if unsure and ranking else (),
            language=detected,
            answer_language=answer_lang,
            handoff=reason in ("handoff", "low_confidence"),
            reason=reason,
            text=_MESSAGES[reason][answer_lang],
        )

    article = index.articles[ranking.order[0]]
    asked = year_asked(message)
    day = amounts_day(asked, on or today_in_kazakhstan())
    title, body, sources = article_answer(article, answer_lang, day, asked)
    return EngineAnswer(
        topic=article.topic,
        confidence=score,
        alternatives=_alternatives(index, ranking, article.topic, answer_lang),
        language=detected,
        answer_language=answer_lang,
        handoff=False,
        reason="answered",
        title=title,
        text=body,
        sources=sources,
        uncertain=article.uncertain,
    )
