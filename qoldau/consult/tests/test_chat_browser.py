"""The web chat in Debian's Chromium: a message refused by the flood limit (429) shows its
reason in the conversation, and the text typed stays in the box to send again."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings

from qoldau.consult.models import Message
from qoldau.core.tests import factories
from qoldau.core.tests.browser import (
    DESKTOP,
    NARROW,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    live_db,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

TOO_QUICK = "You are sending messages too quickly. Wait a little, then send your question again."


@browser_test
@live_db
def test_a_message_over_the_limit_shows_why_and_keeps_the_text(browser: Any, live_server: Any, settings: Any):
    settings.QOLDAU_RATE_LIMITS = {**django_settings.QOLDAU_RATE_LIMITS, "chat": (1 / 3600, 1)}
    factories.user("consultant", "consultant", org=factories.organisation())
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "qoldau_language", "value": "en", "url": live_server.url}])
    try:
        page = context.new_page()
        page.goto("/consult/")
        box = page.get_by_label("Your question")
        box.fill("Мүгедектік бойынша жәрдемақы қанша төленеді?")
        page.get_by_role("button", name="Send").click()
        page.locator("#chat-log .message-bot").wait_for()
        assert box.input_value() == ""  # sent: the box is emptied

        box.fill("Зейнетақы қашан төленеді?")
        page.get_by_role("button", name="Send").click()
        alert = page.locator("#chat-log [role=alert]")
        alert.wait_for()
        assert alert.inner_text() == TOO_QUICK
        assert box.input_value() == "Зейнетақы қашан төленеді?"
        # The first question and its answer are still shown; the refused one was not kept.
        assert page.locator("#chat-log .message-person").count() == 1
        assert Message.objects.count() == 2
    finally:
        context.close()


@browser_test
@live_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_an_answer_is_structured_focused_and_fits_a_phone(
    browser: Any, live_server: Any, language: str
) -> None:
    """An answer has its title and sections as headings, its steps as an ordered list, its
    sources once, in the page's language, as links; after sending, the focus and the view
    are on the answer (a screen reader reads it, not the whole log); nothing in it makes a
    320 px page scroll sideways, and the page stays axe-clean."""
    context = browser.new_context(base_url=live_server.url, viewport=NARROW)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "qoldau_language", "value": language, "url": live_server.url}])
    try:
        page = context.new_page()
        page.goto("/consult/")
        assert page.locator("#chat-log[aria-live]").count() == 0
        page.locator("#id_text").fill("мүгедектігі бар баланы күтуге жәрдемақы қалай алуға болады")
        page.locator(".chat-form button[type=submit]").click()
        answer = page.locator("#chat-log .message-bot").last
        answer.wait_for()
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.classList.contains('message-bot')"
        )
        assert answer.locator("h3.answer-title").count() == 1
        assert answer.locator(".answer h4").count() >= 3
        assert answer.locator(".answer ol > li").count() >= 2
        assert answer.locator(".answer ul > li").count() >= 2
        assert "**" not in answer.inner_text()
        # The sources: one list of links, titled in the page's language, not repeated in the text.
        links = answer.locator(".sources a")
        assert links.count() >= 1
        assert answer.locator(".sources").count() == 1
        assert "http" not in answer.locator(".answer").inner_text()
        if language != "en":
            sources_text = answer.locator(".sources").inner_text()
            assert not any(word in sources_text for word in ("Code", "Law", "news"))
        # Its beginning is in the window (scrolled to its start, give or take a pixel).
        top = answer.evaluate("el => el.getBoundingClientRect().top")
        assert -2 <= top < NARROW["height"] / 2, f"the answer is not in view ({top})"
        assert_no_serious_violations(page, "the chat with an answer", language)
    finally:
        context.close()
