"""Passports and measures in real Chromium: a surveyor fills a whole passport on a phone
with the keyboard alone, and every page of the area passes axe-core (WCAG 2.1 A and AA) in
Kazakh, Russian and English, at desktop width and at 320 px."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from qoldau.access import checklist, services
from qoldau.access.models import AccessObject, Measure, Passport, PublicStatus, Zone
from qoldau.access.tests.factories import Survey, submitted, survey_scene
from qoldau.core.tests.browser import (
    DESKTOP,
    LANGUAGES,
    TIMEOUT_MS,
    WIDER_THAN_THE_WINDOW,
    assert_no_serious_violations,
    browser_test,
    focused,
    live_db,
    session_cookie,
    tab_to,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

PHONE = {"width": 360, "height": 740}


@dataclass
class Scene:
    survey: Survey
    passport: Passport
    measure: Measure


def scene() -> Scene:
    """A submitted passport with measures (one planned and overdue), and a second object
    assigned to the surveyor, so every page has rows."""
    survey = survey_scene()
    passport = submitted(survey)
    services.surveyor_assign(
        actor=survey.officer, obj=survey.unassigned, surveyor=survey.surveyor, reason="Қайта тексеру"
    )
    measure = Measure.objects.get(passport=passport, item_code="ramp")
    services.measure_plan(
        actor=survey.officer,
        measure=measure,
        expected_version=measure.version,
        plan=services.MeasurePlan(
            kind="repair",
            deadline=timezone.localdate() - dt.timedelta(days=3),
            cost="1500000",
            responsible_name="Емхана әкімшілігі",
        ),
    )
    return Scene(survey=survey, passport=passport, measure=measure)


def _submit_incomplete(page: Any, data: Scene) -> None:
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_selector(".error-summary .problems", timeout=TIMEOUT_MS)


def _plan_without_deadline(page: Any, data: Scene) -> None:
    page.fill("#plan_deadline", "")
    page.locator("form:has(input[value=plan]) button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


@dataclass(frozen=True)
class PageCase:
    user: str  # an attribute of the Survey
    path: Callable[[Scene], str]
    then: Callable[[Any, Scene], None] | None = None


PAGES: dict[str, PageCase] = {
    "worklist": PageCase("surveyor", lambda s: reverse("access:survey")),
    "passport-form": PageCase(
        "surveyor", lambda s: reverse("access:passport_edit", args=[s.survey.unassigned.pk])
    ),
    "passport-form-with-errors": PageCase(
        "surveyor",
        lambda s: reverse("access:passport_edit", args=[s.survey.unassigned.pk]),
        _submit_incomplete,
    ),
    "passport": PageCase("officer", lambda s: reverse("access:passport", args=[s.passport.pk])),
    "measures": PageCase("officer", lambda s: reverse("access:measures")),
    "measures-overdue": PageCase("officer", lambda s: reverse("access:measures") + "?overdue=on"),
    "measure": PageCase("officer", lambda s: reverse("access:measure", args=[s.measure.pk])),
    "measure-with-errors": PageCase(
        "officer", lambda s: reverse("access:measure", args=[s.measure.pk]), _plan_without_deadline
    ),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_passport_pages_have_no_serious_wcag_violations(
    browser: Any, live_server: Any, name: str, language: str
):
    case = PAGES[name]
    data = scene()
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(getattr(data.survey, case.user)),
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    try:
        response = page.goto(case.path(data))
        assert response is not None
        assert response.status == 200, f"{name}: {response.status} {response.url}"
        if case.then is not None:
            case.then(page, data)
        assert page.evaluate("document.documentElement.lang") == language
        assert_no_serious_violations(page, name, language)
    finally:
        context.close()


def _has(key: str, value: str) -> Callable[[dict[str, Any]], bool]:
    """Whether the focused element's `key` (id, name) is `value`."""
    return lambda info: bool(info[key] == value)


@browser_test
@live_db
def test_a_surveyor_fills_a_whole_passport_on_a_phone_with_the_keyboard(browser: Any, live_server: Any):
    survey = survey_scene()
    obj = survey.obj
    edit_path = reverse("access:passport_edit", args=[obj.pk])
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-US", has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(survey.surveyor),
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    keys = page.keyboard
    try:
        page.goto(reverse("access:survey"))
        tab_to(page, lambda i: i["tag"] == "a" and i["href"] == edit_path, "the object in the worklist")
        keys.press("Enter")
        page.wait_for_url(lambda url: urlsplit(url).path == edit_path)
        page.wait_for_load_state("domcontentloaded")
        assert not page.evaluate(WIDER_THAN_THE_WINDOW), "the passport form does not fit a phone"

        for zone in Zone.values:
            tab_to(page, _has("id", f"zone-{zone}-summary"), f"the summary of {zone}")
            if not page.evaluate("(z) => document.getElementById('zone-' + z).open", zone):
                keys.press("Enter")
            for item in checklist.items_of_zone(zone):
                tab_to(page, _has("name", f"item-{item.code}-result"), f"the answers of {item.code}")
                keys.press("Space")  # the first answer: meets the norm
                if item.unit:
                    tab_to(page, _has("name", f"item-{item.code}-measurement"), "the measurement")
                    keys.type({"door_width": "0.95", "ramp_slope": "4"}[item.code])
            # With every item answered, the checklist's suggestion fills the statuses.
            for category in ("К", "Г"):
                assert page.locator(f"select[name='zone-{zone}-{category}']").input_value() == "ДП"
        tab_to(
            page,
            lambda i: i["tag"] == "button" and i["name"] == "action" and "primary" in i["cls"],
            "Submit the passport",
            limit=120,
        )
        target = focused(page)
        assert target["text"] == "Submit the passport"
        keys.press("Enter")
        # The second step says what submitting freezes; its own button submits.
        page.wait_for_selector("main form[action$='/submit/']")
        assert not page.evaluate(WIDER_THAN_THE_WINDOW), "the confirmation does not fit a phone"
        tab_to(
            page,
            lambda i: i["tag"] == "button" and "primary" in i["cls"],
            "Submit the passport, confirmed",
        )
        keys.press("Enter")
        page.wait_for_url(re.compile(r"/access/passports/\d+/$"))
        assert "The passport is submitted." in page.locator(".messages").inner_text()
    finally:
        context.close()

    passport = Passport.objects.get(object=obj)
    assert passport.state == Passport.State.SUBMITTED
    refreshed = AccessObject.objects.get(pk=obj.pk)
    assert {refreshed.public_status(c) for c in ("К", "О", "С", "Г", "У")} == {PublicStatus.ACCESSIBLE}
    assert str(passport.items.get(code="door_width").measurement) == "0.95"
