"""A commission's pages in a real browser: no serious WCAG 2.1 AA violation (axe-core) at
1280 and 320 px, nothing wider than the window at 320 px, in Kazakh, Russian and English;
and a member fills and sends a score sheet with the keyboard alone. The machinery is
`core/tests/browser.py`'s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from qoldau.contests import selectors
from qoldau.contests.models import Score
from qoldau.contests.tests.commission_scene import HalfScored, half_scored
from qoldau.core.tests.browser import (
    DESKTOP,
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    first_tab_is_the_skip_link,
    focused,
    live_db,
    session_cookie,
    tab_to,
    tab_to_id,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


def _submit_outside_the_scale(page: Any, d: HalfScored) -> None:
    inputs = page.locator("main input[inputmode=decimal]")
    for index in range(inputs.count()):
        inputs.nth(index).fill("11" if index == 1 else "5")
    page.locator("main form button.primary").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


@dataclass(frozen=True)
class Case:
    who: str  # chair, member, secretary
    path: Callable[[HalfScored], str]
    then: Callable[[Any, HalfScored], None] | None = None
    approved: bool = False


def _member(d: HalfScored) -> Any:
    return d.panel.members[0]


PAGES: dict[str, Case] = {
    "my-commissions": Case("member", lambda d: reverse("contests:my_commissions")),
    "worklist": Case("member", lambda d: reverse("contests:commission", args=[d.c])),
    "score-sheet": Case(
        "member",
        lambda d: reverse("contests:score", kwargs={"commission_id": d.c, "application_id": d.second.pk}),
    ),
    "score-sheet-with-error": Case(
        "member",
        lambda d: reverse("contests:score", kwargs={"commission_id": d.c, "application_id": d.second.pk}),
        _submit_outside_the_scale,
    ),
    "ranking": Case("chair", lambda d: reverse("contests:ranking", args=[d.c])),
    "ranking-approved": Case("chair", lambda d: reverse("contests:ranking", args=[d.c]), approved=True),
    "score-sheet-approved": Case(
        "member",
        lambda d: reverse("contests:score", kwargs={"commission_id": d.c, "application_id": d.first.pk}),
        approved=True,
    ),
    "eligibility": Case("secretary", lambda d: reverse("contests:eligibility", args=[d.c])),
    "log": Case("secretary", lambda d: reverse("contests:score_log", args=[d.c])),
}


def _user(d: HalfScored, who: str) -> Any:
    return {"chair": d.panel.chair, "member": _member(d), "secretary": d.panel.secretary}[who]


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_commission_page_has_no_serious_wcag_violations(
    context: Any,
    live_server: Any,
    name: str,
    language: str,
):
    case = PAGES[name]
    d = half_scored(approved=case.approved)
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(_user(d, case.who)),
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


@browser_test
@live_db
def test_member_fills_a_score_sheet_by_keyboard_alone(browser: Any, live_server: Any):
    d = half_scored()
    member = _member(d)
    criteria = selectors.criteria_of(d.panel.commission)
    ctx = browser.new_context(base_url=live_server.url, locale="en-US", viewport=DESKTOP)
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(member), "url": live_server.url},
        ]
    )
    page = ctx.new_page()
    keys = page.keyboard
    try:
        page.goto(reverse("contests:score", kwargs={"commission_id": d.c, "application_id": d.second.pk}))
        first_tab_is_the_skip_link(page)
        keys.press("Enter")
        assert focused(page)["id"] == "main"
        for criterion, value in zip(criteria, ["9", "7,5", "8"], strict=True):
            tab_to_id(page, f"id_criterion_{criterion.pk}")
            keys.type(value)
            keys.press("Tab")
            assert focused(page)["id"] == f"id_comment_{criterion.pk}"
            keys.type("Жақсы жоба")
        tab_to(
            page,
            lambda i: i["tag"] == "button" and i["type"] == "submit" and "primary" in i["cls"],
            "Save the scores",
        )
        keys.press("Enter")
        # Every application is now scored by this member: back to the list.
        page.wait_for_url(
            lambda url: urlsplit(url).path == reverse("contests:commission", args=[d.c]), timeout=TIMEOUT_MS
        )
        assert "are saved" in page.locator(".messages").inner_text()
    finally:
        ctx.close()
    stored = {
        s.criterion_id: (s.value, s.comment)
        for s in Score.objects.filter(member=member, application=d.second)
    }
    assert stored == {
        criteria[0].pk: (Decimal("9"), "Жақсы жоба"),
        criteria[1].pk: (Decimal("7.5"), "Жақсы жоба"),
        criteria[2].pk: (Decimal("8"), "Жақсы жоба"),
    }
