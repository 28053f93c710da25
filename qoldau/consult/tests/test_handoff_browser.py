"""A whole hand-off in Debian's Chromium, in two browser windows: a person asks, presses
"Talk to a consultant" and is told at once what happens next (the confirmation takes the
focus); a consultant signs in, sees the badge, takes the conversation and replies; the
person's chat shows who took it and the reply. The chat with the confirmation and the queue
are axe-clean in kk, ru and en at 1280, 360 and 320 px."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

from qoldau.consult.models import Conversation
from qoldau.consult.tests.factories import consultant
from qoldau.core.tests import factories
from qoldau.core.tests.browser import (
    AXE_RUN,
    BLOCKING,
    DESKTOP,
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

QUESTION = "Мүгедектік бойынша жәрдемақы қанша төленеді?"
REPLY = "Сәлеметсіз бе! Жәрдемақы туралы құжаттарды жіберемін."
PHONE = {"width": 360, "height": 780}


def window(browser: Any, live_server: Any, language: str, session: str | None = None) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    cookies = [{"name": "qoldau_language", "value": language, "url": live_server.url}]
    if session:
        cookies.append(
            {"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        )
    context.add_cookies(cookies)
    return context


def speak(page: Any, language: str) -> None:
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(page.url))
    page.context.add_cookies([{"name": "qoldau_language", "value": language, "url": origin}])


def axe_clean_in_every_language(page: Any, name: str) -> None:
    """At 1280 and 320 px (the shared check) and at 360 px, a phone's width."""
    for language in LANGUAGES:
        speak(page, language)
        page.reload()
        assert page.locator("html").get_attribute("lang") == language
        assert_no_serious_violations(page, name, language)
        page.set_viewport_size(PHONE)
        violations = [v for v in page.evaluate(AXE_RUN)["violations"] if v["impact"] in BLOCKING]
        assert not violations, f"{name} in {language} at 360 px: {[v['id'] for v in violations]}"
        page.set_viewport_size(DESKTOP)


@browser_test
@live_db
def test_a_whole_hand_off_between_a_person_and_a_consultant(browser: Any, live_server: Any):
    organisation = factories.organisation(name="Алматы қоры", kato=factories.ALMATY)
    aigerim = consultant("aigerim.k", organisation)
    aigerim.first_name = "Aigerim"
    aigerim.save()
    almaty = factories.region(factories.ALMATY)

    person = window(browser, live_server, "en")
    staff = window(browser, live_server, "en", session_cookie(aigerim))
    try:
        chat = person.new_page()
        chat.goto("/consult/")
        chat.get_by_label("Your question").fill(QUESTION)
        chat.get_by_role("button", name="Send").click()
        chat.locator("#chat-log .message-bot").wait_for()

        chat.get_by_label("Your region (optional)").select_option(str(almaty.pk))
        chat.get_by_role("button", name="Talk to a consultant").click()
        # At once, in place: the confirmation, with the focus on it; the button is gone.
        confirmation = chat.locator("#handoff-confirmation")
        confirmation.wait_for(timeout=5_000)
        assert "A consultant of en Алматы қоры will read your conversation" in confirmation.inner_text()
        assert "Too few requests have been answered yet" in confirmation.inner_text()
        chat.wait_for_function(
            "document.activeElement && document.activeElement.id === 'handoff-confirmation'"
        )
        assert chat.get_by_role("button", name="Talk to a consultant").count() == 0
        conversation = Conversation.objects.get()
        assert (conversation.status, conversation.organisation_id, conversation.region_id) == (
            "waiting",
            organisation.pk,
            almaty.pk,
        )

        queue = staff.new_page()
        queue.goto("/consult/queue/")
        assert queue.locator("#consultations-waiting").inner_text() == "1 waiting"
        axe_clean_in_every_language(queue, "the consultations queue")
        speak(queue, "en")
        queue.reload()
        queue.get_by_role("button", name=f"Take conversation {conversation.pk}").click()
        queue.wait_for_url(f"**/consult/conversations/{conversation.pk}/")
        queue.get_by_label("Your reply").fill(REPLY)
        queue.get_by_role("button", name="Send the reply").click()
        queue.locator("#conversation-log .message-consultant").wait_for()
        assert queue.locator("#consultations-waiting").count() == 0  # nothing waits now

        # The person's chat asks every 5 seconds: who took it, then the reply.
        taken = chat.locator("#handoff-taken")
        taken.wait_for(timeout=20_000)
        assert taken.inner_text() == "Consultant Aigerim has taken your conversation and answers you here."
        assert "aigerim.k" not in chat.content()
        chat.locator("#chat-log .message-consultant", has_text=REPLY).wait_for(timeout=20_000)
    finally:
        person.close()
        staff.close()


@browser_test
@live_db
def test_the_chat_with_the_confirmation_is_axe_clean(browser: Any, live_server: Any):
    consultant("almaty.c", factories.organisation(name="Алматы қоры", kato=factories.ALMATY))
    person = window(browser, live_server, "en")
    try:
        chat = person.new_page()
        chat.goto("/consult/")
        chat.get_by_label("Your question").fill(QUESTION)
        chat.get_by_role("button", name="Send").click()
        chat.locator("#chat-log .message-bot").wait_for()
        axe_clean_in_every_language(chat, "the chat before the hand-off")
        chat.locator("#handoff button[type=submit]").click()
        chat.locator("#handoff-confirmation").wait_for(timeout=5_000)
        axe_clean_in_every_language(chat, "the chat with the hand-off's confirmation")
        speak(chat, "en")
        chat.reload()
        assert chat.locator("#handoff-confirmation").count() == 1
    finally:
        person.close()
