"""Accessibility in a real browser: every page, as the user who may see it, in Kazakh,
Russian and English, checked with axe-core against WCAG 2.1 A and AA; and one task done
from start to end with the keyboard alone.

Debian's Chromium runs through Playwright (the session's ``browser`` fixture); axe-core
comes from node_modules (``make assets``)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from qoldau.consult import services as consult_services
from qoldau.consult.models import Conversation
from qoldau.core.models import Person, Place, VulnerabilityCategory
from qoldau.core.services import person_category_add
from qoldau.core.tests import factories
from qoldau.projects import services as project_services
from qoldau.projects.models import Project, ServiceDelivery
from qoldau.projects.tests.factories import project, service

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("kk", "ru", "en")
BLOCKING = ("serious", "critical")
AXE_RUN = """async () => await axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations'],
})"""
TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 900}
# WCAG 1.4.10 (reflow): 320 CSS pixels wide, what 1280 pixels are at 400 % zoom.
NARROW = {"width": 320, "height": 720}

browser_test = pytest.mark.browser
# The live server reads the database from another thread, so each test commits.
live_db = pytest.mark.django_db(transaction=True)
REFERENCE_DATA = (
    "qoldau.core.migrations.0002_reference_data",
    "qoldau.projects.migrations.0002_service_catalogue",
    # The monthly calculation index (grant sizes) and the contest's archive.
    "qoldau.contests.migrations.0002_reference_data",
)


@pytest.fixture(autouse=True)
def _axe_is_built() -> None:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run 'make assets' (npm ci).")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: None) -> None:
    """The flush after each transactional test empties the regions, categories and
    services that the migrations load; load them again with the migrations' own code.

    (serialized_rollback cannot do this here: once Playwright runs, an event loop runs in
    this thread, and Django then hands out another connection object, without the
    serialized contents.)"""
    if not Place.objects.exists():
        for module in REFERENCE_DATA:
            import_module(module).load(django_apps, None)


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


# The pages ------------------------------------------------------------------------------


def _submit_with_bad_iin(page: Any, scene: Scene) -> None:
    page.fill("#id_iin", "123456789012")
    page.fill("#id_last_name", "Сейтқали")
    page.fill("#id_first_name", "Дана")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


def _submit_empty_project(page: Any, scene: Scene) -> None:
    page.fill("#id_title_kk", "")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


def _sign_in_wrongly(page: Any, scene: Scene) -> None:
    page.fill("#id_username", "almaty.staff")
    page.fill("#id_password", "not-the-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


def _search_by_name(page: Any, scene: Scene) -> None:
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


def _ask_in_the_chat(page: Any, scene: Scene) -> None:
    """Type a question, send it and wait for the assistant's answer in the log."""
    page.wait_for_function("() => window.htmx !== undefined", timeout=TIMEOUT_MS)
    page.fill("#id_text", "Мүгедектік бойынша жәрдемақы қанша төленеді?")
    page.get_by_role("button", name=re.compile(".")).and_(page.locator(".chat-form button")).click()
    page.wait_for_function(
        "() => document.querySelectorAll('#chat-log .conversation-log > li').length === 2"
        " && !document.querySelector('#chat-log.htmx-swapping, #chat-log.htmx-settling')",
        timeout=TIMEOUT_MS,
    )


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


def _export_xlsx(page: Any, data: Scene) -> None:
    page.get_by_role("button", name=re.compile("XLSX")).click()
    page.wait_for_url(re.compile(r"/jobs/"))
    page.locator("a[href$='/download/']").wait_for()


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
    "people-search-results": PageCase("almaty_staff", lambda s: "/people/", _search_by_name),
    "person-new": PageCase("almaty_staff", lambda s: "/people/new/"),
    "person-new-with-errors": PageCase("almaty_staff", lambda s: "/people/new/", _submit_with_bad_iin),
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
    "dashboard-export-job": PageCase("almaty_admin", lambda s: "/dashboard/?year=2025", _export_xlsx),
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
    "consult-chat-answered": PageCase(None, lambda s: "/consult/", _ask_in_the_chat),
    "consult-queue": PageCase("consultant", lambda s: "/consult/queue/"),
    "consult-conversation": PageCase("consultant", lambda s: f"/consult/conversations/{s.conversation.pk}/"),
}


# The browser ----------------------------------------------------------------------------


@pytest.fixture
def context(browser: Any, live_server: Any) -> Iterator[Any]:
    """One fresh browser context (cookies, storage) per test."""
    ctx = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


def _session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:3]:
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}: {summary}")
        if len(v["nodes"]) > 3:
            lines.append(f"    … and {len(v['nodes']) - 3} more")
    return "\n".join(lines)


# Elements sticking out of the window, other than inside the scrollable table regions
# (tables may scroll in two dimensions) and the hidden skip link and labels.
_WIDER_THAN_THE_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > width + 1)
    // Tables scroll in their own region; a map is two-dimensional content, which WCAG 1.4.10
    // exempts from reflow (Leaflet's panes are wider than the window by design, clipped).
    .filter(el => !el.closest('.table-wrap, .visually-hidden, .skip-link, .leaflet-container'))
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className ? '.' + el.className : ''));
}"""


def _serious_violations(page: Any) -> list[dict[str, Any]]:
    result = page.evaluate(AXE_RUN)
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def assert_no_serious_violations(page: Any, name: str, language: str) -> None:
    """The page open in `page` has no serious or critical WCAG 2.1 AA violation (axe-core)
    at 1280 and at 320 px, and nothing in it is wider than the window at 320 px (1.4.10).
    Every app's page sweep calls this, so the check is one and the same everywhere."""
    # Evaluated through the DevTools protocol: an added <script> element would be inline
    # code, which the pages' Content-Security-Policy refuses.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    for width, viewport in (("1280 px", DESKTOP), ("320 px", NARROW)):
        page.set_viewport_size(viewport)
        violations = _serious_violations(page)
        assert not violations, (
            f"{name} in {language} at {width} ({page.url}) has serious or critical WCAG 2.1 AA "
            "violations:\n" + _describe(violations)
        )
    overflow = page.evaluate(_WIDER_THAN_THE_WINDOW)
    assert not overflow, f"{name} in {language}: at 320 px these do not reflow (WCAG 1.4.10): {overflow}"


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
            {"name": settings.SESSION_COOKIE_NAME, "value": _session_cookie(user), "url": live_server.url}
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

Focus = dict[str, Any]  # what _FOCUSED tells about the focused element

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute('name'),
    type: el.getAttribute('type'),
    href: el.getAttribute('href'),
    cls: el.className,
    text: (el.innerText || el.value || '').trim(),
    outline: style.outlineStyle === 'none' || style.outlineWidth === '0px' ? 'none' : style.outlineStyle,
    shadow: style.boxShadow,
  };
}"""


def _focused(page: Any) -> Focus:
    info: Focus | None = page.evaluate(_FOCUSED)
    assert info is not None, "nothing has the focus"
    return info


def _focus_is_visible(info: Focus) -> bool:
    return info["outline"] != "none" or info["shadow"] not in ("none", "")


def _tab_to(page: Any, matches: Callable[[Focus], bool], what: str, limit: int = 60) -> Focus:
    """Press Tab until the focused element matches; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = _focused(page)
        assert _focus_is_visible(info), f"focus is not visible on {info}"
        if matches(info):
            return info
    raise AssertionError(f"Tab never reached {what}")


def _tab_to_id(page: Any, element_id: str) -> Focus:
    return _tab_to(page, lambda info: info["id"] == element_id, f"#{element_id}")


def _first_tab_is_the_skip_link(page: Any) -> None:
    page.keyboard.press("Tab")
    info = _focused(page)
    assert "skip-link" in info["cls"], f"the first Tab focused {info}"
    assert info["href"] == "#main", f"the first Tab focused {info}"
    assert _focus_is_visible(info), f"the skip link's focus is not visible: {info}"


def _choose_option(page: Any, select_id: str, label: str) -> None:
    """With the select focused, move through its options with the arrow keys."""
    assert _focused(page)["id"] == select_id
    texts = page.evaluate(
        "(id) => Array.from(document.getElementById(id).options).map(o => o.text.trim())", select_id
    )
    assert label in texts, f"{label!r} is not among the options of #{select_id}: {texts}"
    page.keyboard.press("Home")
    for _ in range(texts.index(label)):
        page.keyboard.press("ArrowDown")
    chosen = page.evaluate(
        "(id) => { const s = document.getElementById(id); return s.options[s.selectedIndex].text.trim(); }",
        select_id,
    )
    assert chosen == label


def _type_date(page: Any, day: dt.date) -> None:
    """Chromium's date input takes the digits of its segments in the locale's order; the
    browser here runs in en-US, so month, day, year."""
    page.keyboard.type(day.strftime("%m%d%Y"))


def _wait_for_path(page: Any, path: str) -> None:
    page.wait_for_url(lambda url: urlsplit(url).path == path, timeout=TIMEOUT_MS)
    page.wait_for_load_state("domcontentloaded")


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
        _first_tab_is_the_skip_link(page)
        _tab_to_id(page, "id_username")
        keys.type(w.almaty_staff.username)
        keys.press("Tab")
        assert _focused(page)["id"] == "id_password"
        keys.type(factories.PASSWORD)
        keys.press("Enter")
        _wait_for_path(page, "/")
        assert page.locator("form.signout").count() == 1

        # Through the main menu to the people, and on to "Register a person".
        _first_tab_is_the_skip_link(page)
        _tab_to(page, lambda i: i["tag"] == "a" and i["href"] == "/people/", "People in the main menu")
        keys.press("Enter")
        _wait_for_path(page, "/people/")
        _first_tab_is_the_skip_link(page)
        keys.press("Enter")
        assert _focused(page)["id"] == "main", "the skip link does not move the focus to the main content"
        _tab_to(page, lambda i: i["tag"] == "a" and i["href"] == "/people/new/", "Register a person")
        keys.press("Enter")
        _wait_for_path(page, "/people/new/")

        # Register the person.
        _first_tab_is_the_skip_link(page)
        keys.press("Enter")
        _tab_to_id(page, "id_iin")
        keys.type(iin)
        _tab_to_id(page, "id_last_name")
        keys.type("Жұмабаева")
        keys.press("Tab")
        assert _focused(page)["id"] == "id_first_name"
        keys.type("Мәдина")
        _tab_to_id(page, "id_consent_given_on")
        _type_date(page, consent_on)
        assert page.evaluate("document.getElementById('id_consent_given_on').value") == consent_on.isoformat()
        _tab_to(
            page, lambda i: i["tag"] == "button" and i["type"] == "submit" and "primary" in i["cls"], "Save"
        )
        keys.press("Enter")
        page.wait_for_url(lambda url: re.fullmatch(r"/people/\d+/", urlsplit(url).path) is not None)
        assert "The person is registered." in page.locator(".messages").inner_text()
        registered = Person.objects.get(pk=int(urlsplit(page.url).path.split("/")[2]))
        assert registered.iin == iin

        # From the person's page, record a delivery.
        _first_tab_is_the_skip_link(page)
        keys.press("Enter")
        _tab_to(
            page,
            lambda i: i["tag"] == "a" and i["href"] == f"/projects/deliveries/new/?person={registered.pk}",
            "Record a delivery on the person's page",
        )
        keys.press("Enter")
        _wait_for_path(page, "/projects/deliveries/new/")
        _first_tab_is_the_skip_link(page)
        keys.press("Enter")
        _tab_to_id(page, "id_project")
        _choose_option(page, "id_project", current.title_en)
        _tab_to_id(page, "id_service")
        _choose_option(page, "id_service", legal.name_en)
        keys.press("Tab")
        assert _focused(page)["id"] == "id_delivered_on"
        assert page.evaluate("document.getElementById('id_delivered_on').value") == today.isoformat()
        _tab_to_id(page, "id_quantity")  # past the date's month, day and year
        keys.press("Control+A")
        keys.type("2")
        _tab_to(
            page, lambda i: i["tag"] == "button" and i["type"] == "submit" and "primary" in i["cls"], "Record"
        )
        keys.press("Space")
        _wait_for_path(page, f"/projects/{current.pk}/")
        assert "The delivery is recorded." in page.locator(".messages").inner_text()
    finally:
        context.close()

    delivery = ServiceDelivery.objects.get(person=registered)
    assert delivery.project_id == current.pk
    assert delivery.service_id == legal.pk
    assert delivery.delivered_on == today
    assert delivery.quantity == 2
    assert delivery.recorded_by_id == w.almaty_staff.pk
