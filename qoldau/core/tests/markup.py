"""What a page's HTML would run or style inline: the things the Content-Security-Policy
refuses. Read with the standard library's HTML parser, which ends a script element at the
first `</script` as a browser does, so text that breaks out of a script shows up here as
the extra element a browser would run."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

# Script elements of these types are data, never run.
DATA_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}
# What the XSS tests type into names: if it ever runs, window.pwned is set.
INJECTED = "</script><script>window.pwned=1</script>"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inline: list[str] = []
        self.data: dict[str, str] = {}
        self._script: tuple[dict[str, str | None], list[str]] | None = None
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}={value!r}>")
            elif name == "style":
                self.inline.append(f"<{tag} style={value!r}>")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script = (dict(attrs), [])
        elif tag == "style":
            self._style = True

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)
        elif self._style and data.strip():
            self.inline.append(f"<style>{data.strip()[:80]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False
        if tag != "script" or self._script is None:
            return
        attributes, parts = self._script
        self._script = None
        text = "".join(parts)
        if (attributes.get("type") or "").strip().lower() in DATA_TYPES:
            self.data[attributes.get("id") or ""] = text
        elif "src" not in attributes:
            self.inline.append(f"<script>{text.strip()[:80]}")


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def inline_code(html: str) -> list[str]:
    """Every inline script, style element or attribute, event handler and javascript: URL
    in the page; an empty list is what the policy lets through."""
    return _parsed(html).inline


def json_data(html: str, element_id: str) -> Any:
    """The parsed content of the page's JSON script element with this id."""
    return json.loads(_parsed(html).data[element_id])
