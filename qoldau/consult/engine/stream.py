"""JSON lines in, JSON lines out: what `qoldau consult classify` does, as a plain function.

Each input line is an object {"text": "...", "lang": optional "kk"|"ru"|"en"}; each output line,
in the same order, is {"text": "...", "topic": id or null, "top3": [ids]}. A line that is not
such an object gets {"text": null, "topic": null, "top3": [], "error": "..."} and the stream
goes on. Blank lines are skipped. Every output line is flushed at once, so the command can sit
in a pipe.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

from qoldau.consult.engine.answer import classify


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


def _decode(line: str | bytes) -> str:
    if isinstance(line, bytes):
        return line.decode("utf-8", "replace")
    return line


def classify_line(line: str | bytes, lang: str | None = None) -> dict[str, Any] | None:
    """The output object for one input line (None for a blank line)."""
    raw = _decode(line).strip().lstrip("\ufeff")
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as error:
        return {"text": None, "topic": None, "top3": [], "error": f"invalid JSON: {error}"}
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return {"text": None, "topic": None, "top3": [], "error": 'expected an object with a "text" string'}
    text: str = data["text"]
    chosen = data.get("lang") if isinstance(data.get("lang"), str) else lang
    answer = classify(text, chosen)
    return {"text": text, "topic": answer.topic, "top3": answer.top3}


def classify_lines(lines: Iterable[str | bytes], out: Writer, lang: str | None = None) -> int:
    """Classify every JSON line of `lines`, writing one JSON line each to `out`; the number
    written."""
    written = 0
    for line in lines:
        result = classify_line(line, lang)
        if result is None:
            continue
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
        written += 1
    return written
