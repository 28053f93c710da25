"""The shape of the contests app: one module per area, none too long, each rule in the
policy, reads that never import writes, and API modules django-ninja can read."""

from __future__ import annotations

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent
CODE = [p for p in APP.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def test_no_module_of_the_app_passes_800_lines():
    long = {
        str(p.relative_to(APP)): n
        for p in CODE
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    }
    assert long == {}


def test_only_the_policy_asks_for_a_users_scope():
    callers = [str(p.relative_to(APP)) for p in CODE if "user_scope(" in p.read_text(encoding="utf-8")]
    assert callers == ["policy.py"]


def test_selectors_and_the_policy_import_no_service():
    readers = [*(APP / "selectors").glob("*.py"), APP / "policy.py", APP / "rules.py"]
    offenders = []
    for path in readers:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            if any(re.match(r"qoldau\.contests\.services\b", m) for m in modules):
                offenders.append(str(path.relative_to(APP)))
    assert offenders == []


def test_api_modules_keep_real_annotations():
    # django-ninja reads parameter types at import time; postponed annotations break it.
    # (core's convention test looks for files named api.py; the contests API is a package.)
    modules = list((APP / "api").glob("*.py"))
    assert modules
    assert [
        m.name for m in modules if "from __future__ import annotations" in m.read_text(encoding="utf-8")
    ] == []
