"""Fixtures shared by every app's tests: settings for speed, the browser, translations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the live server's
# database calls from that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The test support modules (factories, the browser's machinery, scenes) assert as much as
# the tests do: rewrite their asserts too, so that a failure shows the values compared.
# This must come before they are first imported, below.
_TEST_PACKAGES = sorted(
    f"qoldau.{init.parent.parent.name}.tests" for init in Path(__file__).parent.glob("*/tests/__init__.py")
)
pytest.register_assert_rewrite(*_TEST_PACKAGES)

# The browser's fixtures, for every app's browser tests. `browser` and `context` are asked
# for by name; a module asks for the others with
# pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data").
from qoldau.core.tests.browser import axe_is_built, browser, context, reference_data  # noqa: E402, F401
from qoldau.core.tests.translations import compile_catalogues  # noqa: E402


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Argon2 is what production uses (settings.py); tests need thousands of logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _translations_compiled() -> None:
    # Tests read Kazakh and Russian text: compile the catalogues that are missing or older
    # than their .po, so that the session does not depend on `make messages` having run.
    from django.conf import settings
    from django.utils.translation.reloader import translation_file_changed

    written = [mo for folder in settings.LOCALE_PATHS for mo in compile_catalogues(Path(folder))]
    if written:
        # What Django's autoreloader does when a .mo changes: forget every catalogue loaded
        # so far (a test module may have translated something while it was imported).
        translation_file_changed(sender=None, file_path=written[0])


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_at_once() -> None:
    # Background jobs run inside the test (no worker), with their progress and result
    # recorded exactly as a worker records them.
    from qoldau.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _local_cache(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The local-memory cache outlives a test: flood limits' buckets (every test client
    # comes from 127.0.0.1) and jobs' heartbeats start afresh in each.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    # Uploads, photos and export files written by a test never land in the working folder's var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A test that activates a language (a job, a command) must not leak it into the next.
    from django.utils import translation

    translation.activate("kk")
    yield
    translation.activate("kk")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that runs axe-core checks the pages' markup, which the database does not
    # change: `-m "not axe"` leaves them out of the second run, on PostgreSQL (.ci/run).
    for item in items:
        if "axe_is_built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.axe)
