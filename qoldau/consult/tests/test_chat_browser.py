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
    TIMEOUT_MS,
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
