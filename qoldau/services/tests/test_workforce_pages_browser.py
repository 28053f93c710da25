"""The workforce's pages in Debian's Chromium: no serious WCAG 2.1 AA violation (axe-core)
at 1280 and 320 px, in Kazakh, Russian and English: the provider's workers with the form
to add one, a worker with their courses and forms, and the progress towards the training
target, public and for an akimat officer. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings

from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.services.models import Worker
from qoldau.services.services import workforce as services
from qoldau.services.tests.workforce_factories import Scene, scene, workers

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


def _scene() -> Scene:
    s = scene()
    workers(s.staff, s.provider, 12, trained=7)
    workers(s.other_staff, s.other, 3, trained=1, position="nurse")
    first = Worker.objects.filter(provider=s.provider).order_by("pk").first()
    assert first is not None
    services.worker_leave(actor=s.staff, worker=first, left_on=dt.date(2025, 9, 1))
    return s


def _last_worker(s: Scene) -> int:
    worker = Worker.objects.filter(provider=s.provider).order_by("pk").last()
    assert worker is not None
    return worker.pk


PAGES: dict[str, tuple[str | None, Callable[[Scene], str]]] = {
    "workers": ("staff", lambda s: f"/services/workforce/providers/{s.provider.pk}/"),
    "worker": ("staff", lambda s: f"/services/workforce/workers/{_last_worker(s)}/"),
    "progress-public": (None, lambda s: "/services/workforce/progress/"),
    "progress-officer": ("officer", lambda s: "/services/workforce/progress/"),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_workforce_page_has_no_serious_wcag_violations(
    context: Any, live_server: Any, name: str, language: str
) -> None:
    s = _scene()
    who, path = PAGES[name]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if who is not None:
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(getattr(s, who)),
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    page = context.new_page()
    response = page.goto(path(s))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, name, language)
