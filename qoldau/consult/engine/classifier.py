"""The supervised half of the engine: a linear classifier over the labelled questions and the
articles, beside the bm25s retrieval of `index`.

Retrieval scores a message by the words it shares with a topic's document; the story around a
buried question, an elderly person's courtesies or an angry complaint add words that pull it
towards the wrong topic. A discriminative model learns which words tell the topics apart and
which say nothing, and it learns a 53rd class, "none", from written off-topic messages
(weather, recipes, football, phone tariffs, visas, a car loan, a taxi ride, greetings, …), so
that "not about social support" is a trained decision rather than a score threshold.

Features are the engine's own reading of a text (`TopicIndex.analyse`: Kazakh, Russian and
English stems after folding and transliteration, word pairs, synonyms; character 3- and
4-grams of the folded words), TF-IDF weighted; the model is a linear support vector machine
(scikit-learn's LinearSVC, one against the rest). It is trained on first use from files in the
repository: `questions/tuning.jsonl`, `questions/voices.jsonl`, `questions/off_topic.jsonl`
and every article's title, keywords and summary in the three languages (never
`heldout.jsonl`). Training takes a few seconds once per process; scoring a message well under a
millisecond.

A long message is also scored sentence by sentence: a question buried in a story usually sits
in one sentence, and the best sentence's scores are averaged with the whole message's.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

from qoldau.consult.engine.index import (
    LANGS,
    OFF_TOPIC_FILE,
    TUNING_FILE,
    VOICES_FILE,
    Analysed,
    Scores,
    TopicIndex,
)

Matrix = npt.NDArray[np.float64]
# The labelled files the model learns from (the held-out split is never among them).
TRAINING_FILES: tuple[Path, ...] = (TUNING_FILE, VOICES_FILE, OFF_TOPIC_FILE)

NONE = "none"
# Regularisation of the SVM (chosen by `tuning.cross_validate`, out-of-fold).
SVM_C = 0.5
# A message is read sentence by sentence when it has at least this many sentences with at
# least MIN_SENTENCE_WORDS content words each.
MIN_SENTENCES = 2
MIN_SENTENCE_WORDS = 2
# Share of the best sentence in a long message's scores (the whole message has the rest).
SENTENCE_SHARE = 0.5

_SENTENCE_END = re.compile(r"(?<=[.!?…;\n])\s+|\s*[\n]+\s*")


def _identity(tokens: list[str]) -> list[str]:
    return tokens


@dataclass(frozen=True)
class Labelled:
    text: str
    topic: str | None


def load_labelled(paths: Iterable[Path] = TRAINING_FILES) -> list[Labelled]:
    """Every labelled row of `paths` (topic null = off-topic); missing files are skipped."""
    rows: list[Labelled] = []
    for path in paths:
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    rows.append(Labelled(text=row["text"], topic=row.get("topic")))
    return rows


def sentences(text: str) -> list[str]:
    """The sentences of a message (split after . ! ? … ; and at line breaks)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


@dataclass(frozen=True)
class ModelScores:
    """The classifier's view of one message."""

    # Decision value of every topic, in the index's article order (higher: more likely).
    topics: Scores
    # Decision value of "none" (not about social support).
    none: float

    @property
    def none_margin(self) -> float:
        """How far "none" beats the best topic (negative: some topic beats it)."""
        return self.none - float(self.topics.max(initial=-np.inf))

    @property
    def best(self) -> int:
        return int(np.argmax(self.topics))


class TopicModel:
    """TF-IDF of the engine's word and character tokens, and a linear SVM over 52 topics and
    "none"."""

    def __init__(self, index: TopicIndex, rows: Sequence[Labelled], c: float = SVM_C) -> None:
        readings: list[Analysed] = []
        labels: list[str] = []
        for row in rows:
            readings.append(index.analyse(row.text))
            labels.append(row.topic or NONE)
        for article in index.articles:
            for lang in LANGS:
                text = article.text(lang)
                for field in (f"{text.title} ; {' ; '.join(text.keywords)}", text.summary):
                    readings.append(index.analyse(field))
                    labels.append(article.topic)
        self.words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        self.grams = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        features = sparse.hstack(
            [
                self.words.fit_transform([reading.words for reading in readings]),
                self.grams.fit_transform([reading.grams for reading in readings]),
            ]
        ).tocsr()
        self.svm = LinearSVC(C=c)
        self.svm.fit(features, labels)
        classes = [str(name) for name in self.svm.classes_]
        position = {name: column for column, name in enumerate(classes)}
        # Topics with no labelled row and no article text cannot be learnt; they score lowest.
        self._columns = np.array([position.get(article.topic, -1) for article in index.articles])
        self._none = position.get(NONE, -1)
        self._index = weakref.ref(index)
        # Scoring one message through scikit-learn's transform and decision_function costs
        # milliseconds of input checks; the same arithmetic on the fitted vocabularies, idf
        # weights and coefficients costs microseconds (`test_classifier` holds the two equal).
        self._word_columns: dict[str, int] = {str(k): int(v) for k, v in self.words.vocabulary_.items()}
        self._gram_columns: dict[str, int] = {str(k): int(v) for k, v in self.grams.vocabulary_.items()}
        self._word_idf = np.asarray(self.words.idf_, dtype=np.float64)
        self._gram_idf = np.asarray(self.grams.idf_, dtype=np.float64)
        self._coef = np.ascontiguousarray(np.asarray(self.svm.coef_, dtype=np.float64).T)
        self._intercept = np.asarray(self.svm.intercept_, dtype=np.float64)

    @staticmethod
    def _weights(tokens: Sequence[str], columns: dict[str, int], idf: Scores) -> tuple[list[int], Scores]:
        """Columns and l2-normalised sublinear TF-IDF weights of one text's tokens."""
        counts = [(columns[token], count) for token, count in Counter(tokens).items() if token in columns]
        if not counts:
            return [], np.zeros(0)
        ids = [column for column, _ in counts]
        tf = np.fromiter((count for _, count in counts), dtype=np.float64, count=len(counts))
        weights = (1.0 + np.log(tf)) * idf[ids]
        return ids, weights / np.linalg.norm(weights)

    def decision(self, reading: Analysed) -> Scores:
        """The SVM's decision value of every class for one analysed text."""
        word_ids, word_weights = self._weights(reading.words, self._word_columns, self._word_idf)
        gram_ids, gram_weights = self._weights(reading.grams, self._gram_columns, self._gram_idf)
        ids = word_ids + [len(self._word_columns) + column for column in gram_ids]
        if not ids:
            return self._intercept.copy()
        weights = np.concatenate([word_weights, gram_weights])
        return np.asarray(weights @ self._coef[ids], dtype=np.float64) + self._intercept

    def library_decision(self, reading: Analysed) -> Scores:
        """The same through scikit-learn (slow; for the test that holds `decision` to it)."""
        features = sparse.hstack(
            [self.words.transform([reading.words]), self.grams.transform([reading.grams])]
        ).tocsr()
        return np.asarray(self.svm.decision_function(features), dtype=np.float64).reshape(-1)

    def _decision(self, readings: Sequence[Analysed]) -> Matrix:
        return np.vstack([self.decision(reading) for reading in readings])

    def _split(self, values: Matrix) -> tuple[Matrix, Matrix]:
        topics = np.where(self._columns >= 0, values[:, np.maximum(self._columns, 0)], -10.0)
        none = values[:, self._none] if self._none >= 0 else np.full(values.shape[0], -10.0)
        return topics, none

    def score(self, analysed: Analysed, text: str = "") -> ModelScores:
        """Scores of a message already analysed; `text` (the cleaned message) lets a long one
        be read sentence by sentence too."""
        readings = [analysed]
        index = self._index()
        parts = sentences(text) if text and index is not None else []
        if len(parts) >= MIN_SENTENCES and index is not None:
            sentence_readings = [index.analyse(part) for part in parts]
            sentence_readings = [
                reading for reading in sentence_readings if len(reading.groups) >= MIN_SENTENCE_WORDS
            ]
            if len(sentence_readings) >= MIN_SENTENCES:
                readings.extend(sentence_readings)
        topics, none = self._split(self._decision(readings))
        if len(readings) == 1:
            return ModelScores(topics=topics[0], none=float(none[0]))
        # The sentence that most looks like a question of some topic.
        best = 1 + int(np.argmax(topics[1:].max(axis=1)))
        mixed = (1 - SENTENCE_SHARE) * topics[0] + SENTENCE_SHARE * topics[best]
        none_mixed = (1 - SENTENCE_SHARE) * none[0] + SENTENCE_SHARE * none[best]
        return ModelScores(topics=mixed, none=float(none_mixed))


_models: weakref.WeakKeyDictionary[TopicIndex, TopicModel] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def topic_model(index: TopicIndex) -> TopicModel:
    """The model of `index`, trained on first use from the labelled files and the index's
    articles (the database's, when the app uses them), then kept as long as the index."""
    model = _models.get(index)
    if model is None:
        with _lock:
            model = _models.get(index)
            if model is None:
                model = TopicModel(index, load_labelled())
                _models[index] = model
    return model


def use_model(index: TopicIndex, model: TopicModel) -> None:
    """Give `index` a model trained elsewhere (cross-validation trains one per fold)."""
    _models[index] = model
