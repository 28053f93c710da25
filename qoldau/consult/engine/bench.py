"""`qoldau bench consult`: the answering engine measured on the HELD-OUT questions.

Figures, all from one run:
- top-1 topic accuracy on the on-topic held-out questions, overall and per language
  (kk, ru, en, mixed); a question the engine declines to answer counts as wrong;
- the null-rate: the share of off-topic held-out messages answered with no topic;
- the same for a plain bm25s baseline over the same articles (bm25s' default tokenizer, no
  normalisation, no synonyms, the best-scoring topic always, never null);
- p50 and p95 latency of `classify` over every held-out message, the index and the classifier
  warm, in wall-clock time and in the process's CPU time (which other processes on a busy
  machine do not inflate), and the load average during the run;
- the time of a cold start: the index built and the classifier trained.

The held-out questions are never used to choose the engine's parameters (see `tuning`).
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO

import bm25s  # type: ignore[import-untyped]
import numpy as np

from qoldau.consult.engine.answer import classify
from qoldau.consult.engine.classifier import topic_model
from qoldau.consult.engine.index import LANGS, Article, clear_index_cache, load_articles, topic_index
from qoldau.consult.engine.tuning import HELDOUT_FILE, Question, load_questions

QUESTION_LANGS = ("kk", "ru", "en", "mixed")


class PlainBaseline:
    """bm25s out of the box: one document per topic (every field in the three languages),
    the default tokenizer, the best topic always."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.topics = [article.topic for article in articles]
        corpus = []
        for article in articles:
            parts: list[str] = []
            for lang in LANGS:
                text = article.text(lang)
                parts.extend((text.title, text.summary, " ".join(text.keywords), text.body))
            corpus.append("\n".join(parts))
        self.model = bm25s.BM25()
        self.model.index(bm25s.tokenize(corpus, show_progress=False), show_progress=False)

    def classify(self, text: str) -> str:
        tokens = bm25s.tokenize([text], return_ids=False, show_progress=False)[0]
        known = [token for token in tokens if token in self.model.vocab_dict]
        if not known:
            return self.topics[0]
        scores = self.model.get_scores(known)
        return self.topics[int(np.argmax(scores))]


def _figures(questions: Sequence[Question], predicted: Sequence[str | None]) -> dict[str, Any]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    null_right = null_total = 0
    for question, topic in zip(questions, predicted, strict=True):
        if question.topic is None:
            null_total += 1
            null_right += topic is None
            continue
        for key in ("all", question.lang):
            total[key] += 1
            right[key] += topic == question.topic
    return {
        "top1": right["all"] / total["all"] if total["all"] else 0.0,
        "top1_by_lang": {lang: right[lang] / total[lang] if total[lang] else 0.0 for lang in QUESTION_LANGS},
        "questions": total["all"],
        "questions_by_lang": {lang: total[lang] for lang in QUESTION_LANGS},
        "off_topic": null_total,
        "null_rate": null_right / null_total if null_total else 0.0,
    }


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return float(np.percentile(ordered, share * 100)) if ordered else 0.0


def bench_consult(stdout: TextIO) -> dict[str, Any]:
    """Measure the engine and the plain baseline on the held-out questions; print and return."""
    questions = load_questions(HELDOUT_FILE)
    started = time.perf_counter()
    clear_index_cache()
    index = topic_index()
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    topic_model(index)
    train_seconds = time.perf_counter() - started
    classify("warm-up")

    predicted: list[str | None] = []
    latencies: list[float] = []
    cpu_latencies: list[float] = []
    for question in questions:
        before, before_cpu = time.perf_counter(), time.process_time()
        answer = classify(question.text)
        cpu_latencies.append((time.process_time() - before_cpu) * 1000)
        latencies.append((time.perf_counter() - before) * 1000)
        predicted.append(answer.topic)
    load = os.getloadavg()[0]
    engine = _figures(questions, predicted)

    baseline_model = PlainBaseline(load_articles())
    baseline = _figures(questions, [baseline_model.classify(question.text) for question in questions])

    result: dict[str, Any] = {
        "engine": engine,
        "baseline": baseline,
        "gain_points": (engine["top1"] - baseline["top1"]) * 100,
        "latency_ms_p50": _percentile(latencies, 0.50),
        "latency_ms_p95": _percentile(latencies, 0.95),
        "latency_ms_mean": statistics.fmean(latencies) if latencies else 0.0,
        "cpu_ms_p50": _percentile(cpu_latencies, 0.50),
        "cpu_ms_p95": _percentile(cpu_latencies, 0.95),
        "load_average": load,
        "index_build_seconds": build_seconds,
        "model_train_seconds": train_seconds,
        "messages": len(questions),
    }

    def by_lang(figures: dict[str, Any]) -> str:
        return ", ".join(
            f"{lang} {figures['top1_by_lang'][lang]:.1%} (n={figures['questions_by_lang'][lang]})"
            for lang in QUESTION_LANGS
        )

    stdout.write(
        f"consult engine on the held-out questions ({engine['questions']} on-topic, "
        f"{engine['off_topic']} off-topic; index built in {build_seconds * 1000:.0f} ms, "
        f"classifier trained in {train_seconds * 1000:.0f} ms)\n"
    )
    stdout.write(f"engine   top-1 {engine['top1']:.1%} (target ≥ 90 %); {by_lang(engine)}\n")
    stdout.write(f"         null-rate on off-topic messages {engine['null_rate']:.1%}\n")
    stdout.write(f"baseline top-1 {baseline['top1']:.1%}; {by_lang(baseline)}\n")
    stdout.write(
        f"         null-rate on off-topic messages {baseline['null_rate']:.1%} (it never says null)\n"
    )
    stdout.write(f"gain over the plain bm25s baseline: {result['gain_points']:+.1f} points (target ≥ 15)\n")
    stdout.write(
        f"latency of classify over {len(questions)} messages: p50 {result['latency_ms_p50']:.2f} ms, "
        f"p95 {result['latency_ms_p95']:.2f} ms (target p95 < 20 ms); CPU time p50 "
        f"{result['cpu_ms_p50']:.2f} ms, p95 {result['cpu_ms_p95']:.2f} ms; load average {load:.1f}\n"
    )
    return result
