"""Choosing the engine's few weights and thresholds on the TUNING part of the question set.

    .venv/bin/python -m qoldau.consult.engine.tuning

The tuning questions play two parts, kept apart by 5-fold cross-validation: they are indexed as
example questions of their topic, and they measure. Every figure here is out-of-fold: a question
is read by an index built with the examples of the other four folds only.

`search()` walks the index parameters one at a time (field weights, BM25 k1 and b, bigrams,
example weights, the share of the character channel) for the best cross-validated top-1
accuracy on the on-topic tuning questions, then fits the two confidence models (logistic
regressions of `confidence_features`: "in scope" against the off-topic rows, and "the top-1
topic is right" on the margin) on the out-of-fold readings, and picks the threshold with the
best accuracy over all rows. It prints the chosen values; they are committed as constants
(`index.DEFAULT_PARAMS`, `answer.CALIBRATION`).

It reads only `questions/tuning.jsonl`. The held-out part is for `bench.bench_consult` alone.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from qoldau.consult.engine.answer import CALIBRATION, Calibration, Reading, decide, read_message
from qoldau.consult.engine.classifier import TRAINING_FILES, Labelled, TopicModel, use_model
from qoldau.consult.engine.index import (
    DEFAULT_PARAMS,
    QUESTIONS_DIR,
    TUNING_FILE,
    Article,
    IndexParams,
    Synonym,
    TopicIndex,
    load_articles,
    load_synonyms,
)
from qoldau.consult.engine.normalise import clean

HELDOUT_FILE = QUESTIONS_DIR / "heldout.jsonl"
FOLDS = 5

__all__ = ["HELDOUT_FILE", "TUNING_FILE", "Question", "load_questions", "search"]


@dataclass(frozen=True)
class Question:
    text: str
    topic: str | None
    lang: str


def load_questions(path: Path) -> list[Question]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [Question(text=row["text"], topic=row.get("topic"), lang=row.get("lang", "")) for row in rows]


def read_all(index: TopicIndex, questions: Sequence[Question]) -> list[Reading]:
    return [read_message(index, clean(question.text)) for question in questions]


def folds_of(questions: Sequence[Question]) -> list[int]:
    """A fold for every question, round-robin within its topic (off-topic rows too)."""
    seen: Counter[str | None] = Counter()
    folds = []
    for question in questions:
        folds.append(seen[question.topic] % FOLDS)
        seen[question.topic] += 1
    return folds


def cross_indexes(
    articles: Sequence[Article],
    synonyms: Sequence[Synonym],
    params: IndexParams,
    questions: Sequence[Question],
) -> list[TopicIndex]:
    """One index per fold, built with the example questions of the other folds."""
    folds = folds_of(questions)
    indexes = []
    for fold in range(FOLDS):
        examples: dict[str, list[str]] = {}
        for question, question_fold in zip(questions, folds, strict=True):
            if question.topic is not None and question_fold != fold:
                examples.setdefault(question.topic, []).append(question.text)
        indexes.append(TopicIndex(articles, params, synonyms, examples))
    return indexes


def cross_readings(indexes: Sequence[TopicIndex], questions: Sequence[Question]) -> list[Reading]:
    """Every question read by the index of its own fold (which never saw it)."""
    folds = folds_of(questions)
    return [
        read_message(indexes[fold], clean(question.text))
        for question, fold in zip(questions, folds, strict=True)
    ]


def _top_topic(index: TopicIndex, reading: Reading) -> str | None:
    return index.articles[reading.ranking.order[0]].topic if reading.ranking is not None else None


def ranked_accuracy(
    index: TopicIndex, questions: Sequence[Question], readings: Sequence[Reading], lang: str | None = None
) -> float:
    """Share of on-topic questions (of one language, or all) whose best-ranked topic is right,
    no threshold. (Every fold's index lists the articles in the same order.)"""
    right = total = 0
    for question, reading in zip(questions, readings, strict=True):
        if question.topic is None or (lang is not None and question.lang != lang):
            continue
        total += 1
        right += _top_topic(index, reading) == question.topic
    return right / total if total else 0.0


def _fit_logistic(features: np.ndarray, labels: np.ndarray, steps: int = 5000) -> tuple[np.ndarray, float]:
    """Plain L2-regularised logistic regression by gradient descent on standardised features (no
    extra dependency); the weights returned apply to the raw features."""
    mean = features.mean(axis=0)
    spread = features.std(axis=0) + 1e-9
    standard = (features - mean) / spread
    weights = np.zeros(features.shape[1])
    bias = 0.0
    rate, l2 = 0.5, 1e-3
    for _ in range(steps):
        z = standard @ weights + bias
        predicted = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        error = predicted - labels
        weights -= rate * (standard.T @ error / len(labels) + l2 * weights)
        bias -= rate * float(error.mean())
    raw = weights / spread
    return raw, bias - float((raw * mean).sum())


def overall_accuracy(
    index: TopicIndex,
    questions: Sequence[Question],
    readings: Sequence[Reading],
    calibration: Calibration,
) -> tuple[float, float, float]:
    """(accuracy over all rows, top-1 on on-topic rows, null-rate on off-topic rows)."""
    on_right = on_total = null_right = null_total = 0
    for question, reading in zip(questions, readings, strict=True):
        reason, _ = decide(reading, calibration)
        topic = _top_topic(index, reading) if reason == "answered" else None
        if question.topic is None:
            null_total += 1
            null_right += topic is None
        else:
            on_total += 1
            on_right += topic == question.topic
    total = on_total + null_total
    return (
        (on_right + null_right) / total if total else 0.0,
        on_right / on_total if on_total else 0.0,
        null_right / null_total if null_total else 0.0,
    )


def calibrate(
    index: TopicIndex, questions: Sequence[Question], readings: Sequence[Reading]
) -> tuple[Calibration, tuple[float, float, float]]:
    """Fit the two confidence models on (out-of-fold) readings and choose the threshold with the
    best accuracy over all rows (a right topic, or no topic for an off-topic message)."""
    scope_rows: list[tuple[float, ...]] = []
    in_scope: list[float] = []
    margins: list[tuple[float, ...]] = []
    right: list[float] = []
    for question, reading in zip(questions, readings, strict=True):
        if reading.features is None:
            continue
        scope_rows.append(reading.features.scope())
        in_scope.append(0.0 if question.topic is None else 1.0)
        if question.topic is not None:
            margins.append((reading.features.margin,))
            right.append(1.0 if _top_topic(index, reading) == question.topic else 0.0)
    scope_weights, scope_bias = _fit_logistic(np.array(scope_rows), np.array(in_scope))
    margin_weights, margin_bias = _fit_logistic(np.array(margins), np.array(right))
    best: tuple[tuple[float, float, float], Calibration] | None = None
    for threshold in np.arange(0.05, 0.95, 0.01):
        w = [round(float(value), 2) for value in scope_weights]
        calibration = Calibration(
            scope_weights=(w[0], w[1], w[2], w[3]),
            scope_bias=round(scope_bias, 2),
            margin_weight=round(float(margin_weights[0]), 2),
            margin_bias=round(margin_bias, 2),
            threshold=round(float(threshold), 2),
        )
        figures = overall_accuracy(index, questions, readings, calibration)
        if best is None or figures > best[0]:
            best = (figures, calibration)
    if best is None:  # pragma: no cover - the threshold grid is not empty
        raise ValueError("no threshold")
    return best[1], best[0]


GRID: dict[str, tuple[Any, ...]] = {
    "title_weight": (1, 2, 3, 5, 8),
    "keywords_weight": (1, 2, 3, 5),
    "summary_weight": (0, 1, 2, 3),
    "body_weight": (0, 1, 2),
    "k1": (0.9, 1.2, 1.5, 2.0, 3.0),
    "b": (0.1, 0.3, 0.5, 0.75),
    "bigram_weight": (0, 1, 2, 4),
    "examples_weight": (0, 1, 2, 3, 5),
    "examples_char_weight": (0, 1, 2, 3),
    "char_body": (True, False),
}
CHAR_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def search(stdout: TextIO = sys.stdout, rounds: int = 2) -> tuple[IndexParams, Calibration]:
    questions = load_questions(TUNING_FILE)
    articles = load_articles()
    synonyms = load_synonyms()

    def measure(params: IndexParams) -> tuple[float, float]:
        """(best cross-validated top-1 over the character weights, that weight)."""
        indexes = cross_indexes(articles, synonyms, params, questions)
        best = (-1.0, params.char_weight)
        for char_weight in CHAR_WEIGHTS:
            for index in indexes:
                index.params = replace(index.params, char_weight=char_weight)
            accuracy = ranked_accuracy(indexes[0], questions, cross_readings(indexes, questions))
            best = max(best, (accuracy, char_weight))
        return best

    params = DEFAULT_PARAMS
    best, char_weight = measure(params)
    params = replace(params, char_weight=char_weight)
    stdout.write(f"start {params}: cross-validated top-1 {best:.3f}\n")
    for _ in range(rounds):
        improved = False
        for name, values in GRID.items():
            for value in values:
                candidate = replace(params, **{name: value})
                if candidate == params:
                    continue
                accuracy, char_weight = measure(candidate)
                if accuracy > best:
                    best, params, improved = accuracy, replace(candidate, char_weight=char_weight), True
                    stdout.write(f"  {name}={value}, char_weight={char_weight}: top-1 {accuracy:.3f}\n")
                    stdout.flush()
        if not improved:
            break

    indexes = cross_indexes(articles, synonyms, params, questions)
    readings = cross_readings(indexes, questions)
    calibration, figures = calibrate(indexes[0], questions, readings)
    by_lang = ", ".join(
        f"{lang} {ranked_accuracy(indexes[0], questions, readings, lang):.3f}"
        for lang in ("kk", "ru", "en", "mixed")
    )
    stdout.write(f"chosen {params}\n")
    stdout.write(
        f"cross-validated ranked top-1 {ranked_accuracy(indexes[0], questions, readings):.3f} ({by_lang})\n"
    )
    stdout.write(f"chosen {calibration}\n")
    stdout.write(
        f"cross-validated with the threshold: all rows {figures[0]:.3f}, top-1 on-topic {figures[1]:.3f}, "
        f"null-rate {figures[2]:.3f}\n"
    )
    return params, calibration


@dataclass(frozen=True)
class Outcome:
    """One labelled row read by the fold that never saw it."""

    question: Question
    source: str
    reading: Reading
    topics: tuple[str, ...]


def labelled_questions(paths: Sequence[Path] = TRAINING_FILES) -> list[tuple[Question, str]]:
    """The rows the engine learns from, with the name of their file."""
    return [(question, path.name) for path in paths for question in load_questions(path)]


def cross_validate(folds: int = FOLDS, stdout: TextIO | None = None) -> list[Outcome]:
    """Every labelled row (tuning, voices, off-topic) read by an index and a classifier built
    without its fold: the figures that choose the classifier's weights and margins. The
    held-out split is not read."""
    rows = labelled_questions()
    articles = load_articles()
    synonyms = load_synonyms()
    seen: Counter[str | None] = Counter()
    fold_of = []
    for question, _ in rows:
        fold_of.append(seen[question.topic] % folds)
        seen[question.topic] += 1
    outcomes: list[Outcome | None] = [None] * len(rows)
    for fold in range(folds):
        examples: dict[str, list[str]] = {}
        training: list[Labelled] = []
        for (question, _), row_fold in zip(rows, fold_of, strict=True):
            if row_fold == fold:
                continue
            training.append(Labelled(text=question.text, topic=question.topic))
            if question.topic is not None:
                examples.setdefault(question.topic, []).append(question.text)
        index = TopicIndex(articles, DEFAULT_PARAMS, synonyms, examples)
        use_model(index, TopicModel(index, training))
        topics = tuple(article.topic for article in index.articles)
        for position, ((question, source), row_fold) in enumerate(zip(rows, fold_of, strict=True)):
            if row_fold == fold:
                outcomes[position] = Outcome(
                    question=question,
                    source=source,
                    reading=read_message(index, clean(question.text)),
                    topics=topics,
                )
        if stdout is not None:
            stdout.write(f"fold {fold + 1}/{folds} read\n")
            stdout.flush()
    return [outcome for outcome in outcomes if outcome is not None]


def outcome_figures(outcomes: Sequence[Outcome], calibration: Calibration = CALIBRATION) -> dict[str, float]:
    """Top-1 (a declined question counts as wrong) overall, per language and per file, and the
    null-rate on the off-topic rows."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for outcome in outcomes:
        reason, _ = decide(outcome.reading, calibration)
        ranking = outcome.reading.ranking
        topic = outcome.topics[ranking.order[0]] if reason == "answered" and ranking is not None else None
        if outcome.question.topic is None:
            total["null"] += 1
            right["null"] += topic is None
            continue
        for key in ("top1", outcome.question.lang, outcome.source):
            total[key] += 1
            right[key] += topic == outcome.question.topic
    return {key: right[key] / total[key] for key in total}


if __name__ == "__main__":
    if sys.argv[1:] == ["cv"]:
        figures = outcome_figures(cross_validate(stdout=sys.stdout))
        sys.stdout.write(", ".join(f"{key} {value:.3f}" for key, value in sorted(figures.items())) + "\n")
    else:
        search()
