"""The topic index: the 52 knowledge-base articles in one bm25s index, and the message analysis
that turns what a person typed into the same tokens.

Each document is one topic: its title, summary, keywords and body in Kazakh, Russian and English
together, plus the labelled example questions of the topic from `questions/tuning.jsonl`, the
fields weighted by repetition (keywords count more than the body; word pairs of titles and
keywords are tokens too).
Two channels score a message against every topic:

- words: stems (Kazakh suffix stripping, Russian and English Snowball) of the folded words,
  with the colloquial → official synonyms of `synonyms.toml` added to the message;
- characters: 3- and 4-grams of the folded words, which still match through typos and
  endings the stemmers miss.

The two are fused by a weighted sum of their max-normalised scores. The index is built once per
process (`topic_index()`, cached) in well under a second.
"""

from __future__ import annotations

import json
import logging
import math
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import bm25s  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt

from qoldau.consult.engine.normalise import (
    CYRILLIC_STOPWORDS,
    ENGLISH_STOPWORDS,
    KAZAKH_LATIN_MARKS,
    KAZAKH_STOPWORDS,
    RUSSIAN_STOPWORDS,
    Lang,
    char_ngrams,
    clean,
    cyrillic_stems,
    fix_mixed_script,
    fold,
    has_kazakh_letters,
    latin_mode,
    latin_to_cyrillic,
    stem_english,
    tokenize,
    word_script,
)

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
ARTICLES_DIR = KNOWLEDGE_DIR / "articles"
QUESTIONS_DIR = KNOWLEDGE_DIR / "questions"
TUNING_FILE = QUESTIONS_DIR / "tuning.jsonl"
# Questions written later in the voices the first set lacked (elderly people, parents,
# complaints, long stories, terse typos, Latin Kazakh, mixed, officials): indexed and learnt
# from like the tuning set.
VOICES_FILE = QUESTIONS_DIR / "voices.jsonl"
# Written off-topic messages: the negatives of the classifier's "none" class, never indexed.
OFF_TOPIC_FILE = QUESTIONS_DIR / "off_topic.jsonl"
EXAMPLE_FILES: tuple[Path, ...] = (TUNING_FILE, VOICES_FILE)
SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.toml"
LANGS: tuple[Lang, ...] = ("kk", "ru", "en")

Scores = npt.NDArray[np.float64]

# bm25s sets its own logger to DEBUG and reports every index build.
logging.getLogger("bm25s").setLevel(logging.WARNING)


# ----------------------------------------------------------------------------------------------
# Articles


@dataclass(frozen=True)
class ArticleText:
    title: str
    summary: str
    body: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    titles: dict[Lang, str]
    reference: str
    url: str

    def title(self, lang: Lang) -> str:
        return self.titles.get(lang) or self.titles.get("kk") or self.reference


@dataclass(frozen=True)
class Article:
    topic: str
    last_reviewed: date
    uncertain: bool
    texts: dict[Lang, ArticleText]
    sources: tuple[Source, ...]

    def text(self, lang: Lang) -> ArticleText:
        """The article in `lang`, falling back to Kazakh, then Russian."""
        return self.texts.get(lang) or self.texts.get("kk") or self.texts["ru"]


def _load_article(path: Path) -> Article:
    with path.open("rb") as handle:
        return article_from_data(tomllib.load(handle))


def article_from_data(data: Mapping[str, Any]) -> Article:
    """An article from the shape of its file: topic, last_reviewed, uncertain, one table
    per language (title, summary, body, keywords) and a list of sources. The database's
    articles are read through the same function."""
    texts = {
        lang: ArticleText(
            title=data[lang]["title"],
            summary=data[lang]["summary"],
            body=data[lang]["body"].strip(),
            keywords=tuple(data[lang].get("keywords", ())),
        )
        for lang in LANGS
        if lang in data
    }
    reviewed = data.get("last_reviewed")
    sources = tuple(
        Source(
            titles={lang: source[f"title_{lang}"] for lang in LANGS if source.get(f"title_{lang}")},
            reference=source.get("reference", ""),
            url=source.get("url", ""),
        )
        for source in data.get("sources", ())
    )
    return Article(
        topic=data["topic"],
        last_reviewed=reviewed if isinstance(reviewed, date) else date.fromisoformat(str(reviewed)),
        uncertain=bool(data.get("uncertain", False)),
        texts=texts,
        sources=sources,
    )


def load_articles(directory: Path = ARTICLES_DIR) -> tuple[Article, ...]:
    """Every article of the knowledge base, ordered by topic id."""
    return tuple(sorted((_load_article(path) for path in directory.glob("*.toml")), key=lambda a: a.topic))


@dataclass(frozen=True)
class Synonym:
    """Colloquial words (`words`) and the official wording the articles use (`means`)."""

    words: tuple[str, ...]
    means: tuple[str, ...]


def load_synonyms(path: Path = SYNONYMS_FILE) -> tuple[Synonym, ...]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(
        Synonym(words=tuple(entry["words"]), means=tuple(entry["means"])) for entry in data.get("synonym", ())
    )


def load_examples(paths: Path | Sequence[Path] = EXAMPLE_FILES) -> dict[str, list[str]]:
    """Labelled example questions by topic (the tuning part of the question set and the
    written voices; off-topic rows and the held-out part are never indexed)."""
    examples: dict[str, list[str]] = {}
    for path in [paths] if isinstance(paths, Path) else paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                row = json.loads(line)
                if row.get("topic"):
                    examples.setdefault(row["topic"], []).append(row["text"])
    return examples


# ----------------------------------------------------------------------------------------------
# Index parameters — chosen by `tuning.search()` on questions/tuning.jsonl only (never heldout).


@dataclass(frozen=True)
class IndexParams:
    """Field weights (repetitions of a field's tokens in its topic's document), BM25 and fusion
    parameters. The defaults came from `tuning.search()` (5-fold cross-validation on the tuning
    questions only; the held-out part was never read while choosing them)."""

    title_weight: int = 1
    keywords_weight: int = 2
    summary_weight: int = 3
    body_weight: int = 1
    k1: float = 3.0
    b: float = 0.75
    # bm25s scoring variant: lucene, robertson, atire, bm25l or bm25+.
    method: str = "lucene"
    # Share of the character channel in the fused score (the word channel has the rest).
    char_weight: float = 0.6
    # Whether the article body also feeds the character channel (titles, keywords, summaries
    # and example questions always do).
    char_body: bool = False
    # How much a pair of adjacent words of a title or keyword counts (0: pairs not used).
    bigram_weight: int = 1
    # How much each labelled example question of a topic counts in its document (0: not used),
    # in the word channel and in the character channel.
    examples_weight: int = 1
    examples_char_weight: int = 1


# The last search (2026-11-22, 926 tuning questions) was stopped after the summary step of its
# first round for time; a full run may still move the later parameters.
DEFAULT_PARAMS = IndexParams()


# ----------------------------------------------------------------------------------------------
# Analysis


def _field_words(text: str) -> tuple[list[list[str]], list[str]]:
    """Matching tokens of each word of an article field, and its folded surface words."""
    groups: list[list[str]] = []
    surface: list[str] = []
    for raw in tokenize(text):
        token = fix_mixed_script(raw)
        script = word_script(token)
        if script == "cyrillic":
            folded = fold(token)
            if folded in CYRILLIC_STOPWORDS or len(folded) < 2:
                continue
            groups.append(cyrillic_stems(token))
            surface.append(folded)
        elif script == "latin":
            if token in ENGLISH_STOPWORDS or len(token) < 2:
                continue
            groups.append([stem_english(token)])
            surface.append(token)
        elif token.isdigit():
            groups.append([token])
    return groups, surface


def _document_words(text: str) -> tuple[list[str], list[str]]:
    """Matching tokens and folded surface words of an article field."""
    groups, surface = _field_words(text)
    return [word for group in groups for word in group], surface


def text_tokens(text: str) -> list[str]:
    """Matching tokens of a text read as article text (Cyrillic stems, English stems, digits)."""
    return _document_words(text)[0]


def bigrams(groups: Sequence[Sequence[str]]) -> list[str]:
    """Tokens for two words side by side («социальное такси»), every stem of one with every
    stem of the next."""
    return [f"{a}_{b}" for first, second in pairwise(groups) for a in first for b in second]


@dataclass
class Analysed:
    """A message reduced to what the index compares."""

    words: list[str]
    grams: list[str]
    # Folded surface forms of the content words (no stopwords), for small-talk detection.
    content: list[str]
    lang: Lang
    # Share of the content words that the articles' vocabulary knows.
    coverage: float
    # The matching tokens of each content word (a word may have a Kazakh and a Russian stem).
    groups: list[list[str]] = field(default_factory=list)
    synonyms_used: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Ranking:
    """Scores of every topic for one message, best first."""

    order: tuple[int, ...]
    fused: Scores
    word: Scores
    char: Scores

    def top(self, count: int) -> list[int]:
        return list(self.order[:count])


class TopicIndex:
    """Articles, their bm25s indexes (words and characters) and the vocabulary that decides how
    a message's words are read."""

    def __init__(
        self,
        articles: Sequence[Article],
        params: IndexParams = DEFAULT_PARAMS,
        synonyms: Sequence[Synonym] = (),
        examples: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.articles = tuple(articles)
        self.params = params
        self.by_topic = {article.topic: article for article in self.articles}

        word_docs: list[list[str]] = []
        char_docs: list[list[str]] = []
        surfaces: dict[Lang, set[str]] = {lang: set() for lang in LANGS}
        english_vocab: set[str] = set(ENGLISH_STOPWORDS)
        for article in self.articles:
            word_doc: list[str] = []
            char_doc: list[str] = []
            for lang in LANGS:
                text = article.text(lang)
                fields = (
                    (text.title, params.title_weight, 1),
                    (" ; ".join(text.keywords), params.keywords_weight, 1),
                    (text.summary, params.summary_weight, 1),
                    (text.body, params.body_weight, 1 if params.char_body else 0),
                )
                for value, weight, char_weight in fields:
                    words, surface = _document_words(value)
                    word_doc.extend(words * weight)
                    grams = [gram for word in surface for gram in char_ngrams(word)]
                    char_doc.extend(grams * (weight * char_weight))
                    surfaces[lang].update(surface)
                    if lang == "en":
                        english_vocab.update(token for token in tokenize(value) if token.isascii())
                if params.bigram_weight:
                    for phrase in (text.title, *text.keywords):
                        word_doc.extend(bigrams(_field_words(phrase)[0]) * params.bigram_weight)
            word_docs.append(word_doc)
            char_docs.append(char_doc)

        self.english_vocab = frozenset(english_vocab)
        kazakh_surface = {fold(word) for word in surfaces["kk"]}
        russian_surface = {fold(word) for word in surfaces["ru"]}
        # Words that say "this is Kazakh" (or Russian) when no letter does.
        self.kazakh_words = frozenset((kazakh_surface - russian_surface) | KAZAKH_STOPWORDS)
        self.russian_words = (
            frozenset((russian_surface - kazakh_surface) | RUSSIAN_STOPWORDS) - KAZAKH_STOPWORDS
        )
        self.synonyms = tuple(
            (tuple(self._term_tokens(word) for word in synonym.words), self._means_tokens(synonym))
            for synonym in synonyms
        )
        self.word_vocab: dict[str, int] = {}
        self.char_vocab: dict[str, int] = {}

        # Labelled example questions of a topic, read the way a message is read.
        for position, article in enumerate(self.articles):
            for example in (examples or {}).get(article.topic, ()):
                analysed = self.analyse(example)
                word_docs[position].extend(analysed.words * params.examples_weight)
                char_docs[position].extend(analysed.grams * params.examples_char_weight)

        self.word_bm25 = bm25s.BM25(k1=params.k1, b=params.b, method=params.method)
        self.word_bm25.index(word_docs, show_progress=False)
        self.char_bm25 = bm25s.BM25(k1=params.k1, b=params.b, method=params.method)
        self.char_bm25.index(char_docs, show_progress=False)
        self.word_vocab = self.word_bm25.vocab_dict
        self.char_vocab = self.char_bm25.vocab_dict
        # For the confidence: the character n-grams each topic has.
        self.doc_grams = tuple(frozenset(doc) for doc in char_docs)

    # -- synonyms -------------------------------------------------------------------------------

    def _term_tokens(self, term: str) -> frozenset[str]:
        words, _ = _document_words(term)
        return frozenset(words)

    def _means_tokens(self, synonym: Synonym) -> list[str]:
        tokens: list[str] = []
        for term in synonym.means:
            words, _ = _document_words(term)
            tokens.extend(words)
        return tokens

    # -- language ------------------------------------------------------------------------------

    def detect_language(self, tokens: Iterable[str]) -> Lang:
        """kk, ru or en, by letters only Kazakh has and by words only one language uses; Kazakh in
        Latin letters counts as Kazakh, and Russian words in a Kazakh sentence do not outvote it."""
        votes: dict[Lang, float] = {"kk": 0.0, "ru": 0.0, "en": 0.0}
        latin_seen = cyrillic_seen = False
        for raw in tokens:
            token = fix_mixed_script(raw)
            script = word_script(token)
            if script == "cyrillic":
                cyrillic_seen = True
                folded = fold(token)
                if has_kazakh_letters(token):
                    votes["kk"] += 2
                elif folded in self.kazakh_words:
                    votes["kk"] += 1.5
                elif folded in self.russian_words:
                    votes["ru"] += 1
            elif script == "latin":
                latin_seen = True
                if any(char in KAZAKH_LATIN_MARKS for char in token) or "q" in token:
                    votes["kk"] += 2
                elif token in self.english_vocab:
                    votes["en"] += 1
                else:
                    folded = fold(latin_to_cyrillic(token, "informal"))
                    if folded in self.kazakh_words:
                        votes["kk"] += 1.5
                    elif folded in self.russian_words:
                        votes["ru"] += 1
        best = max(votes.values())
        if best == 0:
            if cyrillic_seen:
                return "ru"
            return "en" if latin_seen else "kk"
        for lang in ("kk", "ru", "en"):
            if votes[lang] == best:
                return lang
        return "kk"  # pragma: no cover - one of the three holds the maximum

    # -- analysis ------------------------------------------------------------------------------

    def analyse(self, text: str) -> Analysed:
        tokens = tokenize(clean(text))
        lang = self.detect_language(tokens)
        mode = latin_mode(text)
        # Words English does not know are read as Kazakh in Latin letters, unless the message is
        # plainly English (then they are names and typos).
        english_message = lang == "en" and any(token in self.english_vocab for token in tokens)
        words: list[str] = []
        grams: list[str] = []
        content: list[str] = []
        groups: list[list[str]] = []
        known = 0
        for raw in tokens:
            token = fix_mixed_script(raw)
            script = word_script(token)
            token_words: list[str] = []
            surfaces: list[str] = []
            if script == "cyrillic":
                folded = fold(token)
                if folded in CYRILLIC_STOPWORDS:
                    continue
                token_words = cyrillic_stems(token)
                surfaces = [folded]
            elif script == "latin":
                english = token in self.english_vocab
                if english and token in ENGLISH_STOPWORDS and lang == "en":
                    continue
                if english or lang == "en":
                    if token not in ENGLISH_STOPWORDS:
                        token_words.append(stem_english(token))
                        surfaces.append(token)
                if (not english and not english_message) or lang == "kk":
                    cyrillic = latin_to_cyrillic(token, mode)
                    folded = fold(cyrillic)
                    if folded not in CYRILLIC_STOPWORDS:
                        token_words.extend(cyrillic_stems(cyrillic))
                        surfaces.append(folded)
                if not token_words:
                    continue
            elif token.isdigit():
                words.append(token)
                groups.append([token])
                continue
            else:
                continue
            groups.append(token_words)
            content.append(surfaces[0])
            if any(word in self.word_vocab for word in token_words):
                known += 1
            words.extend(token_words)
            for surface in surfaces:
                grams.extend(char_ngrams(surface))
        if self.params.bigram_weight:
            words.extend(bigrams(groups))
        used: list[str] = []
        present = set(words)
        for alternatives, means in self.synonyms:
            if any(term and term <= present for term in alternatives):
                words.extend(means)
                used.extend(means)
        coverage = known / len(content) if content else 0.0
        return Analysed(
            words=words,
            grams=grams,
            content=content,
            lang=lang,
            coverage=coverage,
            groups=[group for group in groups if not group[0].isdigit()],
            synonyms_used=used,
        )

    # -- scoring -------------------------------------------------------------------------------

    @staticmethod
    def _scores(model: bm25s.BM25, vocab: dict[str, int], tokens: list[str], size: int) -> Scores:
        ids = [vocab[token] for token in tokens if token in vocab and token != ""]
        if not ids:
            return np.zeros(size, dtype=np.float64)
        return np.asarray(model.get_scores_from_ids(ids), dtype=np.float64)

    def rank(self, analysed: Analysed) -> Ranking:
        size = len(self.articles)
        word = self._scores(self.word_bm25, self.word_vocab, analysed.words, size)
        char = self._scores(self.char_bm25, self.char_vocab, analysed.grams, size)
        weight = self.params.char_weight
        fused = np.zeros(size, dtype=np.float64)
        for scores, share in (
            (word, 1 - weight),
            (char, weight),
        ):
            top = float(scores.max(initial=0.0))
            if top > 0 and share:
                fused += share * scores / top
        order = tuple(int(i) for i in np.argsort(-fused, kind="stable"))
        return Ranking(order=order, fused=fused, word=word, char=char)


@dataclass(frozen=True)
class Features:
    """What the confidence is computed from."""

    # log(1 + word score) of the best topic, and of the runner-up: a message in the knowledge
    # base's scope matches its topic and usually its neighbours; an off-topic one matches one
    # word somewhere, by chance.
    best: float
    second: float
    # Share of the message's character n-grams that the best topic has.
    gram_share: float
    # log(1 + number of content words of the message).
    words: float
    # (fused top-1 − fused top-2) / fused top-1: how clearly the best topic wins.
    margin: float

    def scope(self) -> tuple[float, float, float, float]:
        return (self.best, self.second, self.gram_share, self.words)


def confidence_features(index: TopicIndex, analysed: Analysed, ranking: Ranking) -> Features:
    first, second = ranking.order[0], ranking.order[1]
    fused_first = float(ranking.fused[first])
    grams = set(analysed.grams)
    return Features(
        best=math.log1p(float(ranking.word[first])),
        second=math.log1p(float(ranking.word[second])),
        gram_share=len(grams & index.doc_grams[first]) / len(grams) if grams else 0.0,
        words=math.log1p(len(analysed.groups)),
        margin=(fused_first - float(ranking.fused[second])) / fused_first if fused_first > 0 else 0.0,
    )


# Where the articles come from. By default the files; the Django app registers the
# database (where consultants edit them) with `use_articles`. The engine itself stays free
# of Django, so it can be measured and used on its own.
_articles_version: Callable[[], str] | None = None
_articles_loader: Callable[[], Sequence[Article]] | None = None


def use_articles(version: Callable[[], str], loader: Callable[[], Sequence[Article]]) -> None:
    """Read the articles through `loader`; the index is rebuilt whenever `version()` changes
    (an empty version means "none there": the files are used)."""
    global _articles_version, _articles_loader
    _articles_version, _articles_loader = version, loader
    _index_of_version.cache_clear()


def topic_index() -> TopicIndex:
    """The process-wide index over the knowledge base (built on first use, then reused until
    an article changes)."""
    version = _articles_version() if _articles_version is not None else ""
    return _index_of_version(version) if version else _file_index()


def clear_index_cache() -> None:
    """Forget the built indexes (the benchmark measures a cold build)."""
    _file_index.cache_clear()
    _index_of_version.cache_clear()


@cache
def _file_index() -> TopicIndex:
    return TopicIndex(load_articles(), DEFAULT_PARAMS, load_synonyms(), load_examples())


@lru_cache(maxsize=2)
def _index_of_version(version: str) -> TopicIndex:
    articles = _articles_loader() if _articles_loader is not None else load_articles()
    return TopicIndex(articles, DEFAULT_PARAMS, load_synonyms(), load_examples())
