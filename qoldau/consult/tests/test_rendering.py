"""Answers people can read (issue 17, item 2): real structure in the chat and in Telegram,
sources once, amounts that name their year."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from qoldau.consult.engine.answer import amounts_day, article_answer, classify, year_asked
from qoldau.consult.engine.index import topic_index
from qoldau.consult.rendering import TELEGRAM_LIMIT, answer_html, answer_telegram, telegram_blocks

ARTICLE = """**Что это.** Ранняя помощь для детей до трёх лет.

**Что делать:**
1. Сходите к педиатру.
2. Запишитесь в ПМПК.

**Документы:**
- удостоверение личности;
- свидетельство о рождении <b>ребёнка</b>;
"""

# The tags Telegram's parse mode HTML accepts (core.telegram.org/bots/api#html-style).
TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-spoiler",
    "span",
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)
        self.seen.add(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()


def _balanced(html: str) -> set[str]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert parser.open == [], f"left open: {parser.open}"
    return parser.seen


def test_page_answer_has_headings_ordered_steps_and_lists() -> None:
    html = str(answer_html(ARTICLE))
    assert "<h4>Что это</h4>" in html
    assert "<p>Ранняя помощь для детей до трёх лет.</p>" in html
    assert re.search(r"<h4>Что делать</h4>\s*<ol>\s*<li>Сходите к педиатру.</li>", html)
    assert re.search(r"<h4>Документы</h4>\s*<ul>\s*<li>удостоверение личности;</li>", html)
    assert "**" not in html
    _balanced(html)


def test_typed_html_and_script_links_are_never_markup() -> None:
    html = str(answer_html("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>"))
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_telegram_answer_is_valid_telegram_html() -> None:
    message = answer_telegram(
        "Ранняя помощь", ARTICLE, [("Закон", "https://adilet.zan.kz/rus/docs/K2300000224")], "Источники"
    )
    assert message.startswith("<b>Ранняя помощь</b>\n\n<b>Что это</b>\n\nРанняя помощь")
    assert "\n1. Сходите к педиатру.\n2. Запишитесь в ПМПК." in message
    assert "\n• удостоверение личности;\n• свидетельство о рождении &lt;b&gt;ребёнка&lt;/b&gt;;" in message
    assert message.endswith(
        '<b>Источники</b>\n• <a href="https://adilet.zan.kz/rus/docs/K2300000224">Закон</a>'
    )
    assert "**" not in message
    assert _balanced(message) <= TELEGRAM_TAGS


def test_long_telegram_answer_is_cut_between_blocks_and_keeps_its_sources() -> None:
    long_text = "\n\n".join(f"**Раздел {n}.** " + "слово " * 60 for n in range(60))
    message = answer_telegram("Заголовок", long_text, [("Источник", "https://egov.kz/")], "Источники")
    assert len(message) <= TELEGRAM_LIMIT
    assert "\n…\n\n<b>Источники</b>" in message
    _balanced(message)


def test_every_article_renders_in_every_language_within_telegram_limits() -> None:
    for article in topic_index().articles:
        for lang in ("kk", "ru", "en"):
            title, text, sources = article_answer(article, lang, date(2026, 3, 1))
            assert "**" not in str(answer_html(text)), article.topic
            message = answer_telegram(title, text, [(s.title, s.url) for s in sources], "Sources")
            assert len(message) <= TELEGRAM_LIMIT
            assert _balanced(message) <= TELEGRAM_TAGS, article.topic
            assert telegram_blocks(text), article.topic


def test_sources_are_not_inside_the_text() -> None:
    article = topic_index().by_topic["benefit.carer"]
    _, text, sources = article_answer(article, "kk", date(2026, 3, 1))
    assert sources
    assert "http" not in text
    assert all(source.url not in text for source in sources)


@pytest.mark.parametrize(
    ("message", "year"),
    [
        ("пособие в 2025 году", 2025),
        ("2024 жылы жәрдемақы қанша", 2024),
        ("allowance 2025 or 2026", None),
        ("сколько МРП", None),
    ],
)
def test_year_asked(message: str, year: int | None) -> None:
    assert year_asked(message) == year


def test_amounts_day_follows_the_year_asked_when_the_data_has_it() -> None:
    today = date(2026, 12, 7)
    assert amounts_day(None, today) == today
    assert amounts_day(2026, today) == today
    assert amounts_day(2025, today) == date(2025, 12, 31)
    # Before the first dated figure and after the last known year: today's figures.
    assert amounts_day(2019, today) == today
    assert amounts_day(2031, today) == today


def test_answer_about_2025_quotes_2025s_amount_and_names_the_year() -> None:
    on = date(2026, 12, 7)
    now = classify("размер пособия на ребенка-инвалида", "ru", on=on)
    then = classify("размер пособия на ребенка-инвалида в 2025 году", "ru", on=on)
    assert now.topic == then.topic is not None
    assert "Суммы указаны на 2026 год." in now.text
    assert "Суммы указаны на 2025 год." in then.text
    assert now.text != then.text


def test_answer_about_a_year_without_figures_says_so() -> None:
    result = classify("размер пособия на ребенка-инвалида в 2019 году", "ru", on=date(2026, 12, 7))
    assert "Сумм на 2019 год у нас нет; суммы указаны на 2026 год." in result.text
