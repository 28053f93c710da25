"""Measure the assistant on the independent question sets
(`qoldau/consult/knowledge/questions/independent/`) through `qoldau consult classify`, as an
outside tester does: top-1 overall, by language, by voice, on- and off-topic (off-topic is
right when answered with null).

    python scripts/measure_independent_questions.py [ROOT]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path


def main(root: Path) -> None:
    folder = root / "qoldau" / "consult" / "knowledge" / "questions" / "independent"
    rows = [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    messages = "\n".join(json.dumps({"text": row["text"]}, ensure_ascii=False) for row in rows)
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own command)
        [str(root / ".venv" / "bin" / "qoldau"), "consult", "classify"],
        input=messages,
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    )
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(answers) != len(rows):
        raise SystemExit(f"{len(answers)} answers for {len(rows)} messages")
    right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, answer in zip(rows, answers, strict=True):
        hit = int(answer.get("topic") == row["topic"])
        for key in (
            "all",
            f"lang {row['lang']}",
            f"voice {row['voice']}",
            "on-topic" if row["topic"] else "off-topic",
        ):
            right[key][0] += hit
            right[key][1] += 1
    lines = [f"{len(rows)} messages in {time.perf_counter() - started:.1f} s"]
    lines += [
        f"{key:20} {hits}/{total} = {100 * hits / total:.1f} %"
        for key, (hits, total) in sorted(right.items())
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve())
