#!/usr/bin/env python3
"""Fail when a module of one Qoldau app imports a private name (`_name`) from another app.

Apps talk through each other's public services, selectors and policies (CONTRIBUTING.md,
"Layers"); a private name is a module's own business and may change without notice. Tests
and migrations are exempt. Run by `make lint`; `qoldau/core/tests/test_conventions.py`
runs it too."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "qoldau"


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def private_imports_across_apps(root: Path = ROOT) -> Iterator[str]:
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        importer = _app_of(".".join(relative.with_suffix("").parts))
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                not isinstance(node, ast.ImportFrom)
                or not node.module
                or not node.module.startswith("qoldau.")
            ):
                continue
            if _app_of(node.module) == importer:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield f"{relative}:{node.lineno}: {alias.name} is private to {node.module}"
            if node.module.rsplit(".", 1)[-1].startswith("_"):
                yield f"{relative}:{node.lineno}: {node.module} is a private module"


def main() -> int:
    found = list(private_imports_across_apps())
    sys.stdout.write("".join(f"{line}\n" for line in found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
