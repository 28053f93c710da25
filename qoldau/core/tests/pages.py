"""The main pages' data and what a person does in them, for the browser tests that open
them: the accessibility sweep (`test_accessibility.py`) and the Content-Security-Policy
test (`test_csp_browser.py`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from qoldau.consult import services as consult_services
from qoldau.consult.models import Conversation
from qoldau.core.models import Person, VulnerabilityCategory
from qoldau.core.services import person_category_add
from qoldau.core.tests import factories
from qoldau.core.tests.browser import TIMEOUT_MS
from qoldau.projects import services as project_services
from qoldau.projects.models import Project
from qoldau.projects.tests.factories import project, service

# The data -------------------------------------------------------------------------------


@dataclass
class Scene:
    world: factories.World
    project: Project
    person: Person
    consultant: User
    conversation: Conversation


def scene() -> Scene:
    """The world, plus a project of the Almaty NGO with an indicator, an event and a
    delivery, and a person with a category, so that every table on the pages has rows."""
    w = factories.world()
    proj = project(w.almaty_admin, w.almaty_ngo)
    person = w.almaty_people[0]
    indicator = project_services.indicator_add(
        actor=w.almaty_admin, project=proj, name_kk="Қамтылған адамдар", name_en="People reached", unit="адам"
    )
    project_services.indicator_period_set(
        actor=w.almaty_admin,
        indicator=indicator,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 6, 30),
        target=50,
        actual=12,
    )
    project_services.delivery_record(
        actor=w.almaty_staff,
        project=proj,
        person_id=person.pk,
        service=service(),
        delivered_on=dt.date(2025, 3, 4),
    )
    project_services.event_record(
        actor=w.almaty_staff,
        project=proj,
        data=project_services.EventInput(
            kind="training",
            title_kk="Жұмысқа дайындық",
            held_on=dt.date(2025, 4, 5),
            anonymous_participants=7,
            attendee_ids=[person.pk],
        ),
    )
    person_category_add(
        actor=w.almaty_staff,
        person=person,
        category=VulnerabilityCategory.objects.order_by("sort_order")[0],
        since=dt.date(2024, 1, 1),
    )
    # A consultant of the Almaty NGO (the web chat's), one conversation waiting for them and
    # one they answer.
    consultant = factories.user("almaty.consultant", "consultant", org=w.almaty_ngo)
    waiting = consult_services.conversation_for(channel="telegram", channel_key="1001", language="ru")
    consult_services.conversation_ask(conversation=waiting, text="Хочу поговорить с оператором", lang="ru")
    held = consult_services.conversation_for(channel="telegram", channel_key="1002", language="kk")
    consult_services.conversation_ask(
        conversation=held, text="Мүгедектік бойынша жәрдемақы қанша төленеді?", lang="kk"
    )
    consult_services.conversation_request_human(conversation=held)
    consult_services.conversation_take(actor=consultant, conversation=held)
    consult_services.conversation_reply(actor=consultant, conversation=held, text="Сәлеметсіз бе!")
    return Scene(world=w, project=proj, person=person, consultant=consultant, conversation=held)


# What is done in the pages --------------------------------------------------------------


def submit_with_bad_iin(page: Any, scene: Scene) -> None:
    page.fill("#id_iin", "123456789012")
    page.fill("#id_last_name", "Сейтқали")
    page.fill("#id_first_name", "Дана")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


def search_by_name(page: Any, scene: Scene) -> None:
    """Type into the search box and wait for htmx to swap in the results."""
    page.wait_for_function("() => window.htmx !== undefined", timeout=TIMEOUT_MS)
    with page.expect_response(
        lambda response: "/people/?" in response.url and response.request.headers.get("hx-request") == "true",
        timeout=TIMEOUT_MS,
    ):
        page.locator("#id_q").press_sequentially("Ахмет", delay=20)
    page.wait_for_function(
        "() => document.querySelectorAll('#people-results tbody a').length === 1"
        " && !document.querySelector('#people-results.htmx-swapping, #people-results.htmx-settling')",
        timeout=TIMEOUT_MS,
    )


def ask_in_the_chat(page: Any, scene: Scene) -> None:
    """Type a question, send it and wait for the assistant's answer in the log."""
    page.wait_for_function("() => window.htmx !== undefined", timeout=TIMEOUT_MS)
    page.fill("#id_text", "Мүгедектік бойынша жәрдемақы қанша төленеді?")
    page.get_by_role("button", name=re.compile(".")).and_(page.locator(".chat-form button")).click()
    page.wait_for_function(
        "() => document.querySelectorAll('#chat-log .conversation-log > li').length === 2"
        " && !document.querySelector('#chat-log.htmx-swapping, #chat-log.htmx-settling')",
        timeout=TIMEOUT_MS,
    )


def export_xlsx(page: Any, scene: Scene | None = None) -> None:
    """Start the dashboard's XLSX export and wait on its job page for the download link."""
    page.get_by_role("button", name=re.compile("XLSX")).click()
    page.wait_for_url(re.compile(r"/jobs/"))
    page.locator("a[href$='/download/']").wait_for()
