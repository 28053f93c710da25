"""The set-up and the operator's grant pages in a real browser: no serious WCAG 2.1 AA
violation (axe-core) at 1280 and 320 px, nothing wider than the window at 320 px, in Kazakh,
Russian and English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from qoldau.contests.models import Commission, Contest
from qoldau.contests.tests import factories as f
from qoldau.contests.tests.factories import Granted, granted
from qoldau.core.tests.browser import (
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


@dataclass
class Data:
    minister: User
    contest: Contest
    commission: Commission
    g: Granted


def data() -> Data:
    g = granted()
    contest = f.contest(actor=g.minister)
    board = f.regional_panel(contest, actor=g.minister)
    return Data(g.minister, contest, board.commission, g)


def _add_unknown_member(page: Any, d: Data) -> None:
    page.fill("#member_username", "nobody.here")
    page.locator("main form:has(#member_username) button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


def _call_with_bad_dates(page: Any, d: Data) -> None:
    page.fill("#id_title_kk", "Шағын гранттар")
    page.fill("#id_budget", "1000000")
    page.fill("#id_opens_on", "2026-04-01")
    page.fill("#id_deadline_on", "2026-03-01")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


@dataclass(frozen=True)
class Case:
    path: Callable[[Data], str]
    then: Callable[[Any, Data], None] | None = None


PAGES: dict[str, Case] = {
    "contest-new": Case(lambda d: "/contests/new/"),
    "contest-edit": Case(lambda d: f"/contests/{d.contest.pk}/edit/"),
    "stages": Case(lambda d: f"/contests/{d.contest.pk}/stages/"),
    "criteria": Case(lambda d: f"/contests/{d.contest.pk}/criteria/"),
    "commissions": Case(lambda d: f"/contests/{d.contest.pk}/commissions/"),
    "commission-setup": Case(lambda d: f"/contests/commissions/{d.commission.pk}/setup/"),
    "commission-setup-with-errors": Case(
        lambda d: f"/contests/commissions/{d.commission.pk}/setup/", _add_unknown_member
    ),
    "call-new-with-errors": Case(lambda d: "/contests/grants/new/", _call_with_bad_dates),
    "call-edit": Case(lambda d: f"/contests/grants/{d.g.award.call_id}/edit/"),
    "call-manage": Case(lambda d: f"/contests/grants/{d.g.award.call_id}/manage/"),
    "award-manage": Case(lambda d: f"/contests/awards/{d.g.award.pk}/manage/"),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_setup_page_has_no_serious_wcag_violations(
    context: Any,
    live_server: Any,
    name: str,
    language: str,
) -> None:
    case = PAGES[name]
    d = data()
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(d.minister),
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    response = page.goto(case.path(d))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    if case.then is not None:
        case.then(page, d)
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, name, language)
