"""Accessibility in a real browser: every page, as the user who may see it, in Kazakh,
Russian and English, checked with axe-core against WCAG 2.1 A and AA; and one task done
from start to end with the keyboard alone.

The machinery (Chromium, the axe-core check, the keyboard) is ``browser.py``'s, which
every app's browser tests share; the pages' data and actions are ``pages.py``'s."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from qoldau.core.models import Person
from qoldau.core.tests import factories
from qoldau.core.tests.browser import (
    DESKTOP,
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    choose_option,
    first_tab_is_the_skip_link,
    focused,
    live_db,
    session_cookie,
    tab_to,
    tab_to_id,
    type_date,
    wait_for_path,
)
from qoldau.core.tests.pages import (
    Scene,
    ask_in_the_chat,
    export_xlsx,
    scene,
    search_by_name,
    submit_with_bad_iin,
)
from qoldau.projects.models import ServiceDelivery
from qoldau.projects.tests.factories import project, service

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


# The pages ------------------------------------------------------------------------------


def _submit_empty_project(page: Any, scene: Scene) -> None:
    page.fill("#id_title_kk", "")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


def _sign_in_wrongly(page: Any, scene: Scene) -> None:
    page.fill("#id_username", "almaty.staff")
    page.fill("#id_password", "not-the-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


@dataclass(frozen=True)
class PageCase:
    user: str | None  # an attribute of the World or the Scene; None is an anonymous visitor
    path: Callable[[Scene], str]
    then: Callable[[Any, Scene], None] | None = None


def _upload(page: Any, content: str) -> None:
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "deliveries.csv", "mimeType": "text/csv", "buffer": content.encode()}],
    )
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()


def _upload_bad_rows(page: Any, data: Scene) -> None:
    # A dry run with two bad rows: its job page lists them with their numbers and reasons.
    _upload(
        page, "ИИН,Услуга,Дата\n123456789012,legal_consultation,2025-03-01\n,legal_consultation,not a date\n"
    )
    page.wait_for_url(re.compile(r"/jobs/"))
    page.locator("table").first.wait_for()


def _upload_odd_headers(page: Any, data: Scene) -> None:
    _upload(page, "Who,What,When\n900517300019,legal_consultation,2025-03-01\n")
    page.wait_for_url(re.compile(r"/columns/"))


PAGES: dict[str, PageCase] = {
    "signin": PageCase(None, lambda s: "/signin/"),
    "signin-with-errors": PageCase(None, lambda s: "/signin/", _sign_in_wrongly),
    "welcome": PageCase(None, lambda s: "/"),
    "start": PageCase("almaty_staff", lambda s: "/"),
    "organisations": PageCase("ministry", lambda s: "/organisations/"),
    "organisation": PageCase("almaty_admin", lambda s: f"/organisations/{s.world.almaty_ngo.pk}/"),
    "organisation-new": PageCase("sysadmin", lambda s: "/organisations/new/"),
    "organisation-edit": PageCase("almaty_admin", lambda s: f"/organisations/{s.world.almaty_ngo.pk}/edit/"),
    "people": PageCase("almaty_staff", lambda s: "/people/"),
    "people-search-results": PageCase("almaty_staff", lambda s: "/people/", search_by_name),
    "person-new": PageCase("almaty_staff", lambda s: "/people/new/"),
    "person-new-with-errors": PageCase("almaty_staff", lambda s: "/people/new/", submit_with_bad_iin),
    "person": PageCase("almaty_staff", lambda s: f"/people/{s.person.pk}/"),
    "person-edit": PageCase("almaty_staff", lambda s: f"/people/{s.person.pk}/edit/"),
    "projects": PageCase("almaty_admin", lambda s: "/projects/"),
    "project-new": PageCase("almaty_admin", lambda s: "/projects/new/"),
    "project-new-with-errors": PageCase("almaty_admin", lambda s: "/projects/new/", _submit_empty_project),
    "project": PageCase("almaty_staff", lambda s: f"/projects/{s.project.pk}/"),
    "project-edit": PageCase("almaty_admin", lambda s: f"/projects/{s.project.pk}/edit/"),
    "delivery-new": PageCase("almaty_staff", lambda s: f"/projects/deliveries/new/?person={s.person.pk}"),
    "event-new": PageCase("almaty_staff", lambda s: "/projects/events/new/"),
    "event": PageCase("almaty_staff", lambda s: f"/projects/events/{s.project.events.get().pk}/"),
    "audit": PageCase("sysadmin", lambda s: "/audit/"),
    "dashboard": PageCase("ministry", lambda s: "/dashboard/?year=2025"),
    "dashboard-ngo": PageCase("almaty_admin", lambda s: "/dashboard/?year=2025"),
    "dashboard-public": PageCase(None, lambda s: "/dashboard/public/?year=2025"),
    "dashboard-export-job": PageCase("almaty_admin", lambda s: "/dashboard/?year=2025", export_xlsx),
    "imports": PageCase("almaty_staff", lambda s: "/imports/"),
    "import-deliveries": PageCase("almaty_staff", lambda s: "/imports/deliveries/new/"),
    "import-people": PageCase("almaty_staff", lambda s: "/imports/people/new/"),
    "import-dry-run-with-errors": PageCase(
        "almaty_staff", lambda s: "/imports/deliveries/new/", _upload_bad_rows
    ),
    "import-column-mapping": PageCase(
        "almaty_staff", lambda s: "/imports/deliveries/new/", _upload_odd_headers
    ),
    "consult-chat": PageCase(None, lambda s: "/consult/"),
    "consult-chat-answered": PageCase(None, lambda s: "/consult/", ask_in_the_chat),
    "consult-queue": PageCase("consultant", lambda s: "/consult/queue/"),
    "consult-conversation": PageCase("consultant", lambda s: f"/consult/conversations/{s.conversation.pk}/"),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_wcag_violations(context: Any, live_server: Any, name: str, language: str):
    case = PAGES[name]
    data = scene()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if case.user is not None:
        user = getattr(data.world, case.user, None) or getattr(data, case.user)
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}
        )
    context.add_cookies(cookies)
    page = context.new_page()

    response = page.goto(case.path(data))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    if case.user is not None:
        assert page.locator("form.signout").count() == 1, f"{name}: not signed in"
    if case.then is not None:
        case.then(page, data)

    assert page.evaluate("document.documentElement.lang") == language
    # WCAG 3.1.2: each language in the switch is named in itself and marked as such.
    switch = page.eval_on_selector_all(
        ".language-switch button", "buttons => buttons.map(b => [b.lang, b.textContent.trim()])"
    )
    assert switch == [[code, own_name] for code, own_name in settings.LANGUAGES]
    assert_no_serious_violations(page, name, language)


# The keyboard ---------------------------------------------------------------------------


@browser_test
@live_db
def test_ngo_staff_records_a_delivery_by_keyboard_alone(browser: Any, live_server: Any):
    w = factories.world()
    today = timezone.localdate()
    current = project(
        w.almaty_admin,
        w.almaty_ngo,
        title="Қолжетімді орта",
        starts_on=today - dt.timedelta(days=90),
        ends_on=today + dt.timedelta(days=90),
    )
    project(w.almaty_admin, w.almaty_ngo, title="Ескі жоба")  # so the project is really chosen
    legal = service("legal_consultation")
    iin = factories.valid_iin(dt.date(1987, 2, 14), "F")
    consent_on = today - dt.timedelta(days=3)

    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page = context.new_page()
    keys = page.keyboard
    try:
        # Sign in through the form.
        page.goto("/signin/")
        first_tab_is_the_skip_link(page)
        tab_to_id(page, "id_username")
        keys.type(w.almaty_staff.username)
        keys.press("Tab")
        assert focused(page)["id"] == "id_password"
        keys.type(factories.PASSWORD)
        keys.press("Enter")
        wait_for_path(page, "/")
        assert page.locator("form.signout").count() == 1

        # Through the main menu to the people, and on to "Register a person".
        first_tab_is_the_skip_link(page)
        tab_to(page, lambda i: i["tag"] == "a" and i["href"] == "/people/", "People in the main menu")
        keys.press("Enter")
        wait_for_path(page, "/people/")
        first_tab_is_the_skip_link(page)
        keys.press("Enter")
        assert focused(page)["id"] == "main", "the skip link does not move the focus to the main content"
        tab_to(page, lambda i: i["tag"] == "a" and i["href"] == "/people/new/", "Register a person")
        keys.press("Enter")
        wait_for_path(page, "/people/new/")

        # Register the person.
        first_tab_is_the_skip_link(page)
        keys.press("Enter")
        tab_to_id(page, "id_iin")
        keys.type(iin)
        tab_to_id(page, "id_last_name")
        keys.type("Жұмабаева")
        keys.press("Tab")
        assert focused(page)["id"] == "id_first_name"
        keys.type("Мәдина")
        tab_to_id(page, "id_consent_given_on")
        type_date(page, consent_on)
        assert page.evaluate("document.getElementById('id_consent_given_on').value") == consent_on.isoformat()
        tab_to(
            page, lambda i: i["tag"] == "button" and i["type"] == "submit" and "primary" in i["cls"], "Save"
        )
        keys.press("Enter")
        page.wait_for_url(lambda url: re.fullmatch(r"/people/\d+/", urlsplit(url).path) is not None)
        assert "The person is registered." in page.locator(".messages").inner_text()
        registered = Person.objects.get(pk=int(urlsplit(page.url).path.split("/")[2]))
        assert registered.iin == iin

        # From the person's page, record a delivery.
        first_tab_is_the_skip_link(page)
        keys.press("Enter")
        tab_to(
            page,
            lambda i: i["tag"] == "a" and i["href"] == f"/projects/deliveries/new/?person={registered.pk}",
            "Record a delivery on the person's page",
        )
        keys.press("Enter")
        wait_for_path(page, "/projects/deliveries/new/")
        first_tab_is_the_skip_link(page)
        keys.press("Enter")
        tab_to_id(page, "id_project")
        choose_option(page, "id_project", current.title_en)
        tab_to_id(page, "id_service")
        choose_option(page, "id_service", legal.name_en)
        keys.press("Tab")
        assert focused(page)["id"] == "id_delivered_on"
        assert page.evaluate("document.getElementById('id_delivered_on').value") == today.isoformat()
        tab_to_id(page, "id_quantity")  # past the date's month, day and year
        keys.press("Control+A")
        keys.type("2")
        tab_to(
            page, lambda i: i["tag"] == "button" and i["type"] == "submit" and "primary" in i["cls"], "Record"
        )
        keys.press("Space")
        wait_for_path(page, f"/projects/{current.pk}/")
        assert "The delivery is recorded." in page.locator(".messages").inner_text()
    finally:
        context.close()

    delivery = ServiceDelivery.objects.get(person=registered)
    assert delivery.project_id == current.pk
    assert delivery.service_id == legal.pk
    assert delivery.delivered_on == today
    assert delivery.quantity == 2
    assert delivery.recorded_by_id == w.almaty_staff.pk
