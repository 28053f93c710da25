"""An answer's text as people read it: real HTML in the web chat (headings, ordered steps,
lists of documents, so a screen reader can move through them) and Telegram's HTML in the bot.

Articles are written in a small Markdown: a line that begins with a bold phrase
(`**Documents:**`) opens a section, `1.` lines are steps and `- ` lines are lists. The text
is parsed by markdown-it (CommonMark) with raw HTML turned off, so anything an editor or a
person types is escaped, never interpreted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache

from django.utils.safestring import SafeString
from markdown_it import MarkdownIt
from markdown_it.token import Token

from qoldau.consult.models import Message

# Telegram refuses longer messages.
TELEGRAM_LIMIT = 4096

# A line opening with a bold phrase: the phrase is the section's heading, the rest (if any)
# its first paragraph.
_SECTION = re.compile(r"^\*\*(?P<heading>[^*\n]{1,120}?)\*\*[ \t]*(?P<rest>.*)$", re.MULTILINE)


def _sections(text: str, level: int) -> str:
    """The article's bold-phrase lines as Markdown headings of `level`."""

    def heading(match: re.Match[str]) -> str:
        title = match["heading"].strip().rstrip(".:").strip()
        rest = match["rest"].strip()
        return f"\n{'#' * level} {title}\n\n{rest}\n" if rest else f"\n{'#' * level} {title}\n\n"

    return _SECTION.sub(heading, text)


@cache
def _parser() -> MarkdownIt:
    # CommonMark without raw HTML, images or tables: what the articles use and nothing else.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
        ["image", "html_inline", "html_block"]
    )


def answer_html(text: str, *, heading_level: int = 4) -> SafeString:
    """The answer as HTML for a page, its sections as headings of `heading_level` (below the
    page's own headings)."""
    rendered: str = _parser().render(_sections(text, heading_level))
    # Safe: markdown-it escapes all text and raw HTML is turned off; only http(s) and mailto
    # links survive its link validation.
    return SafeString(rendered.replace("<a href=", '<a rel="noopener" href='))


def _inline(children: list[Token]) -> str:
    """Telegram HTML of a paragraph's or heading's inline content."""
    out: list[str] = []
    # Only web links become links; the text of any other stays as text.
    link_open = False
    for token in children:
        if token.type == "text":
            out.append(html.escape(token.content, quote=False))
        elif token.type == "code_inline":
            out.append(f"<code>{html.escape(token.content, quote=False)}</code>")
        elif token.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif token.type == "strong_open":
            out.append("<b>")
        elif token.type == "strong_close":
            out.append("</b>")
        elif token.type == "em_open":
            out.append("<i>")
        elif token.type == "em_close":
            out.append("</i>")
        elif token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            link_open = href.startswith(("https://", "http://"))
            if link_open:
                out.append(f'<a href="{html.escape(href)}">')
        elif token.type == "link_close" and link_open:
            out.append("</a>")
            link_open = False
    return "".join(out)


def telegram_blocks(text: str) -> list[tuple[str, bool]]:
    """The answer as Telegram HTML blocks (a heading, a paragraph, a list item), each with its
    tags closed, so a long answer can be cut between blocks; with each, whether it follows
    the previous block on the next line (a list's items) rather than after a blank line."""
    blocks: list[tuple[str, bool]] = []
    # The next number of each open list (None for a bulleted one).
    lists: list[int | None] = []
    in_item = in_heading = False
    for token in _parser().parse(_sections(text, 3)):
        if token.type == "ordered_list_open":
            lists.append(int(str(token.attrs.get("start", 1))))
        elif token.type == "bullet_list_open":
            lists.append(None)
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            in_item = True
        elif token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline":
            content = _inline(token.children or [])
            if in_item and lists:
                number = lists[-1]
                marker = "•" if number is None else f"{number}."
                if number is not None:
                    lists[-1] = number + 1
                blocks.append((f"{'   ' * (len(lists) - 1)}{marker} {content}", bool(blocks)))
                in_item = False
            elif in_heading:
                blocks.append((f"<b>{content}</b>", False))
            else:
                blocks.append((content, False))
    return blocks


def answer_telegram(
    title: str,
    text: str,
    sources: Sequence[tuple[str, str]] = (),
    sources_heading: str = "",
    limit: int = TELEGRAM_LIMIT,
) -> str:
    """The answer as one Telegram message in parse mode HTML: its title in bold, its blocks,
    then its sources (title, web address) as links under `sources_heading`; cut between two
    blocks (never inside a tag) to stay within Telegram's limit, the sources kept."""
    tail: list[tuple[str, bool]] = []
    if sources:
        tail.append((f"<b>{html.escape(sources_heading, quote=False)}</b>", False))
        for name, url in sources:
            name = html.escape(name, quote=False)
            link = (
                f'<a href="{html.escape(url)}">{name}</a>'
                if url.startswith(("https://", "http://"))
                else name
            )
            tail.append((f"• {link}", True))
    tail_text = _joined("", tail)
    message = f"<b>{html.escape(title, quote=False)}</b>" if title else ""
    for block, tight in telegram_blocks(text):
        candidate = _joined(message, [(block, tight)])
        if len(candidate) + len(tail_text) + 4 > limit:
            message += "\n…"
            break
        message = candidate
    return _joined(message, tail)[:limit]


def _joined(message: str, blocks: Sequence[tuple[str, bool]]) -> str:
    for block, tight in blocks:
        message += (("\n" if tight else "\n\n") if message else "") + block
    return message


def message_parts(message: Message) -> tuple[str, str]:
    """An assistant's message as its title (the article's, kept with the answer) and the rest."""
    title = str(message.extra.get("title", "")) if isinstance(message.extra, dict) else ""
    text = message.text or ""
    if title and text.startswith(title):
        return title, text[len(title) :].lstrip()
    return "", text
