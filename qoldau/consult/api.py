"""JSON API of the consultation assistant: ask a question, get the topic, the answer in
the person's language, the next-best topics and whether a consultant should take over."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from qoldau.consult.engine.answer import classify
from qoldau.core import bounds
from qoldau.core.api import BearerToken, PublicAccess
from qoldau.core.ratelimit import rate_limit_request

router = Router(tags=["consultations"])

# Longer messages are read up to this many characters (the engine cuts them too).
MAX_QUESTION = 10_000


class AskIn(Schema):
    text: bounds.Question = Field(..., description="The question, as the person wrote it")
    lang: bounds.Code | None = Field(
        None, description="kk, ru or en: the language to answer in (default: the question's)"
    )


class AlternativeOut(Schema):
    topic: str
    title: str


class SourceOut(Schema):
    title: str
    reference: str
    url: str


class AskOut(Schema):
    topic: str | None
    answer: str
    confidence: float
    alternatives: list[AlternativeOut]
    sources: list[SourceOut]
    handoff: bool
    language: str
    uncertain: bool


@router.post(
    "/consult/ask",
    response=AskOut,
    # No session auth here: its CSRF check would refuse the public's POSTs, and the answer
    # does not depend on who asks.
    auth=[BearerToken(), PublicAccess()],
    summary="Answer a legal or social question from the knowledge base",
)
def ask(request: HttpRequest, payload: AskIn) -> dict[str, Any]:
    """Anyone may ask; no personal data is kept. Off-topic messages get `topic: null` and a
    polite reply, never an invented answer; `handoff: true` means a consultant should answer.
    Too many questions from one address in a short time get 429 `rate_limited` with a
    Retry-After header."""
    rate_limit_request(request, per_address="chat_address")
    lang = payload.lang if payload.lang in {"kk", "ru", "en"} else None
    result = classify(payload.text[:MAX_QUESTION], lang)
    answer = f"{result.title}\n\n{result.text}".strip() if result.title else result.text
    return {
        "topic": result.topic,
        "answer": answer,
        "confidence": round(result.confidence, 3),
        "alternatives": [{"topic": a.topic, "title": a.title} for a in result.alternatives],
        "sources": [{"title": s.title, "reference": s.reference, "url": s.url} for s in result.sources],
        "handoff": result.handoff,
        "language": result.answer_language,
        "uncertain": result.uncertain,
    }
