"""A crawl of the demo's pages in one language, signed in as one user, that finds the words
a Kazakh reader would not read as Kazakh: Latin-script words outside names, codes and an
allow-list. Used by `test_demo_language.py`; kept apart so that it can be run on a demo
database by hand (`qoldau shell`) while fixing what it finds."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client

# Latin words a Kazakh page may show: the service's name, standards and formats that have
# no Kazakh name, units and abbreviations written in Latin letters in Kazakh too.
ALLOWED = frozenset(
    {
        "qoldau",  # the service's name
        "api",
        "json",
        "csv",
        "xlsx",
        "pdf",
        "excel",
        "telegram",
        "whatsapp",
        "openstreetmap",
        "openapi",
        "swagger",
        "redoc",
        "email",
        "e-mail",
        "id",
        "url",
        "wcag",
        "jobcoach",  # an organisation's own name, written so in Kazakh
        "leaflet",
        "mapbox",
        "pmtiles",
        "protomaps",
        "gps",
        "sms",
        "ngo",
    }
)

# Pages not worth crawling in a language test: files, the API, sign-out, the admin (Django's
# own), the language switch, the design system's page (it names CSS classes and templates,
# which are code in any language), and the same list paged or filtered again and again.
SKIPPED = re.compile(
    r"^/(admin|api|static|media|signout|logout|i18n|setlang|design)/|/export|\.(xlsx|csv|pdf|json|png|jpg|svg|pmtiles)$"
    r"|/download|/photo|/file"
)


class _Text(HTMLParser):
    """The text a reader sees (and hears: alt texts, labels, titles), and the page's links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "code", "kbd", "samp", "template"):
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("alt", "title", "aria-label", "placeholder"):
            if values.get(name):
                self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "kbd", "samp", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


# A word of Latin letters; a token with digits, @, /, _ or dots inside (a code, an address,
# a number like "A-12", a file name, a user name) is not a word.
_TOKEN = re.compile(r"[^\s«»\"“”()\[\]{},;:!?·—–|]+")
_LATIN_WORD = re.compile(r"^(?:[a-z]+|[A-Z][a-z]+)(?:[-'][A-Za-z][a-z]+)*\.?$")


def latin_words(text: str, names: Iterable[str] = ()) -> list[str]:
    """The Latin-script words of `text` outside the allow-list and outside `names` (the
    demo's user names and other proper names the caller knows)."""
    known = {name.lower() for name in names}
    found = []
    for token in _TOKEN.findall(text):
        word = token.strip(".'’")
        if not _LATIN_WORD.match(word):
            continue  # a code, a number, an address, a name in capitals, Cyrillic
        if word.lower() in ALLOWED or word.lower() in known:
            continue
        if word[0].isupper() and len(word) > 1 and word.lower() not in _COMMON:
            # A capitalised Latin word alone is a name (a street, a person, a brand) unless it
            # is one of the ordinary English words that leak from untranslated text.
            continue
        found.append(word)
    return found


# Ordinary English words: capitalised, they start an untranslated sentence, not a name.
_COMMON = frozenset(
    """the a an and or of to in on for with by from at is are was be this that these those it
    its not no yes all any each every show hide back next previous save send submit cancel
    delete edit add new open close closed search find filter page pages list map home sign
    name date time status type kind region district project projects object objects report
    reports budget services service people person user users organisation organisations
    total figures size results result file files import export download upload help about
    contact more less none other source note notes log audit action actions details""".split()
)


@dataclass
class Finding:
    url: str
    words: list[str]


@dataclass
class Crawl:
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)


def crawl(client: Client, start: Iterable[str], *, limit: int, names: Iterable[str] = ()) -> Crawl:
    """Visit up to `limit` pages reachable from `start` by the links on them (one page per
    path: a list's other pages and filters are the same words), and note each page's
    Latin-script words."""
    names = list(names)
    queue: deque[str] = deque(start)
    seen_paths: set[str] = set()
    result = Crawl()
    while queue and result.pages < limit:
        url = urldefrag(queue.popleft()).url
        path = urlsplit(url).path
        if path in seen_paths or SKIPPED.search(path):
            continue
        seen_paths.add(path)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        result.pages += 1
        parser = _Text()
        parser.feed(response.content.decode())
        words = latin_words(" ".join(parser.parts), names)
        if words:
            result.findings.append(Finding(url, sorted(set(words))))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            queue.append(link)
    return result
