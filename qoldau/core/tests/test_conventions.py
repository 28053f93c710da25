"""Checks behind CONTRIBUTING.md's dangerous constructs that a linter does not catch."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "qoldau").rglob("templates/**/*.html"))
EXTERNAL_ASSET = re.compile(r"<(script|link|img)\b[^>]*\b(src|href)=\"(https?:)?//", re.IGNORECASE)


def test_templates_load_nothing_from_another_host():
    assert TEMPLATES
    offenders = [str(t) for t in TEMPLATES if EXTERNAL_ASSET.search(t.read_text(encoding="utf-8"))]
    assert offenders == [], "assets come from static/ (npm at install time), never from a CDN"


@pytest.mark.django_db
def test_the_api_docs_page_loads_nothing_from_another_host(client):
    """The API docs (linked in every footer) are django-ninja's template, not ours: the
    check above does not read it, so the page itself is read. Its Swagger UI comes from
    ninja's static files (pinned with ninja in requirements.lock), never from a CDN."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL_ASSET.search(html), "the API docs load an asset from another host"
    assets = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)
    assert any("swagger-ui" in url for url in assets), assets
    assert all(url.startswith(settings.STATIC_URL) for url in assets), assets
    # Swagger UI's default validator would load its badge from swagger.io.
    assert '"validatorUrl": null' in html


# Templates and modules whose `|safe`, `{% autoescape off %}` or `mark_safe` has been
# reviewed (path from the project's folder: the reason).
# Data for scripts goes through `json_script`, never `|safe` inside a <script> element.
SAFE_ALLOWED: dict[str, str] = {
    "qoldau/core/json_ld.py": "JSON-LD escaped as json_script escapes (<, > and & as \\u escapes) first",
    "qoldau/consult/rendering.py": "markdown-it's output with raw HTML off: it escapes every text "
    "and keeps only http(s) and mailto links (tested in consult/tests/test_rendering.py)",
}
UNESCAPED = re.compile(r"\|\s*safe\b|{%\s*autoescape\s+off\s*%}")
SCRIPTS = sorted(Path(settings.BASE_DIR, "qoldau").rglob("static/**/*.js"))
# What the Content-Security-Policy (style-src and script-src 'self') refuses in markup.
INLINE_CODE = {
    "an inline <script> (only <script src> and json_script are allowed)": re.compile(
        r"<script\b(?![^>]*\bsrc=)", re.IGNORECASE
    ),
    "an inline <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "a style attribute": re.compile(r"<[a-zA-Z][^<>]*?\sstyle\s*=", re.IGNORECASE),
    "an event handler attribute (onclick=...)": re.compile(r"<[a-zA-Z][^<>]*?\son[a-z]+\s*=", re.IGNORECASE),
    "an htmx hx-on attribute (evaluated code)": re.compile(r"\shx-on[:-]", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
# What script-src 'self' refuses in our JavaScript (no 'unsafe-eval'), and markup it would
# build with style attributes (refused too; set element.style instead).
EVALUATED = re.compile(
    r"\beval\s*\(|\bnew\s+Function\b|set(?:Timeout|Interval)\s*\(\s*[\"'`]"
    r"|setAttribute\(\s*[\"']style|\sstyle=",
)


TEMPLATE_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)


def _template_code(template: Path) -> str:
    """The template without its comments (which may name what they avoid)."""
    return TEMPLATE_COMMENT.sub("", template.read_text(encoding="utf-8"))


def test_templates_print_nothing_unescaped_outside_the_allow_list():
    offenders = [
        str(t.relative_to(settings.BASE_DIR))
        for t in TEMPLATES
        if UNESCAPED.search(_template_code(t)) and str(t.relative_to(settings.BASE_DIR)) not in SAFE_ALLOWED
    ]
    assert offenders == [], "use json_script for script data, escape the rest (CONTRIBUTING.md)"


def test_code_marks_nothing_safe_outside_the_allow_list():
    offenders = [
        str(m.relative_to(settings.BASE_DIR))
        for m in Path(settings.BASE_DIR, "qoldau").rglob("*.py")
        if "tests" not in m.parts
        and re.search(r"\b(mark_safe|SafeString)\b", m.read_text(encoding="utf-8"))
        and str(m.relative_to(settings.BASE_DIR)) not in SAFE_ALLOWED
    ]
    assert offenders == [], "format_html escapes its arguments; mark_safe does not (CONTRIBUTING.md)"


def test_templates_have_no_inline_code_the_policy_would_refuse():
    offenders = [
        f"{t.relative_to(settings.BASE_DIR)}: {what}"
        for t in TEMPLATES
        for what, pattern in INLINE_CODE.items()
        if pattern.search(_template_code(t))
    ]
    assert offenders == [], "move code to static files and styles to CSS classes (CONTRIBUTING.md)"


def test_scripts_evaluate_no_strings():
    assert SCRIPTS
    offenders = [str(s) for s in SCRIPTS if EVALUATED.search(s.read_text(encoding="utf-8"))]
    assert offenders == []


def test_api_modules_keep_real_annotations():
    # django-ninja reads parameter types at import time; postponed annotations break it.
    for module in Path(settings.BASE_DIR, "qoldau").rglob("api.py"):
        assert "from __future__ import annotations" not in module.read_text(encoding="utf-8"), module


def test_every_type_ignore_names_its_code():
    bare = []
    for module in Path(settings.BASE_DIR, "qoldau").rglob("*.py"):
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"#\s*type:\s*ignore(?!\[)", line):
                bare.append(f"{module}:{number}")
    assert bare == []


def test_no_app_imports_a_private_name_of_another_app():
    """What `make lint` checks too (scripts/check_private_imports.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "check_private_imports", Path(settings.BASE_DIR) / "scripts" / "check_private_imports.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert list(module.private_imports_across_apps()) == []


def _lint_imports(root: Path | None = None) -> subprocess.CompletedProcess[str]:
    """lint-imports over the project at `root` (its `qoldau` package and `.importlinter`)."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    folder = root or Path(settings.BASE_DIR)
    return subprocess.run(  # noqa: S603 - our own tool on our own code
        [str(lint_imports), "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(folder)},
    )


def test_the_layer_contracts_are_kept():
    """import-linter's contracts (.importlinter): no upward import, none between capability
    apps but through their public modules. `make lint` runs the same."""
    result = _lint_imports()
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("core", "from qoldau.projects import selectors  # noqa: F401"),  # upward
        ("imports", "from qoldau.access import services  # noqa: F401"),  # between apps
        ("access", "from qoldau.contests import services  # noqa: F401"),  # between apps
    ],
)
def test_an_upward_or_sideways_import_breaks_the_contracts(module, line, tmp_path):
    """The check above can fail: a module importing a higher layer, or another capability
    app's private module, breaks a contract."""
    # On a copy of the package's modules: a probe written into the working tree would break
    # the test above, and every test that reads the modules, running at the same moment in
    # another worker (pytest-xdist).
    base = Path(settings.BASE_DIR)
    shutil.copytree(
        base / "qoldau",
        tmp_path / "qoldau",
        ignore=lambda folder, names: [
            n for n in names if (not n.endswith(".py") and not Path(folder, n).is_dir()) or n == "__pycache__"
        ],
    )
    shutil.copy(base / ".importlinter", tmp_path / ".importlinter")
    (tmp_path / "qoldau" / module / "zz_layer_probe.py").write_text(line + "\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "zz_layer_probe" in result.stdout


def test_a_private_name_from_another_app_is_caught(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "check_private_imports", Path(settings.BASE_DIR) / "scripts" / "check_private_imports.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = tmp_path / "qoldau" / "projects"
    app.mkdir(parents=True)
    (app / "services.py").write_text("from qoldau.core.services import _person_fields\n", encoding="utf-8")
    (app / "views.py").write_text("from qoldau.projects.services import _own_helper\n", encoding="utf-8")
    found = list(module.private_imports_across_apps(tmp_path / "qoldau"))
    assert len(found) == 1
    assert "_person_fields" in found[0]


# A test module's helpers live in a support module with public names (`factories.py`,
# `browser.py`, `harness.py`, ...): a test module imported by another ties the two by its
# private names, and whatever tests and autouse fixtures it brings run there too.
TEST_MODULE_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?:qoldau(?:\.\w+)*\.|\.+)test_\w+[ \t]+import\b"
    r"|from[ \t]+(?:qoldau(?:\.\w+)*\.tests|\.+)[ \t]+import[ \t]+(?:\([^)]*|[^\n]*)\btest_\w+"
    r"|import[ \t]+qoldau(?:\.\w+)*\.test_\w+)",
    re.MULTILINE,
)


def test_no_module_imports_a_test_module():
    for caught in (
        "from qoldau.core.tests.test_accessibility import (  # noqa\n    DESKTOP,\n)",
        "    from qoldau.access.tests.test_map_api import make_object",
        "from qoldau.bot.tests import recording, test_handlers",
        "from qoldau.bot.tests import (\n    test_handlers,\n)",
        "from .test_pages import signed_in",
        "import qoldau.imports.tests.test_pages",
    ):
        assert TEST_MODULE_IMPORT.search(caught), caught
    assert not TEST_MODULE_IMPORT.search("from qoldau.core.tests import factories")
    offenders = []
    for module in Path(settings.BASE_DIR, "qoldau").rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        offenders += [f"{module}: {m.group(0).strip()}" for m in TEST_MODULE_IMPORT.finditer(text)]
    assert offenders == [], "move what the test modules share into a support module with public names"
