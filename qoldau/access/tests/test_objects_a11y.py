"""The officers' and owners' pages of objects in a real browser: no serious WCAG 2.1 AA
violation (axe-core) at 1280 and 320 px, nothing wider than the window at 320 px, in
Kazakh, Russian and English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qoldau.access import services
from qoldau.access.models import AccessObject, BarrierReport
from qoldau.access.tests.factories import district, make_object
from qoldau.core.tests import factories
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
    w: factories.World
    obj: AccessObject
    report: BarrierReport


def data() -> Data:
    w = factories.world()
    surveyor = factories.user("surveyor.one", "surveyor")
    obj = make_object(w.akimat_almaty, name="«Жарқын» оңалту орталығы", owner=w.almaty_ngo, external_id="A-1")
    make_object(w.akimat_almaty, name="Мектеп №12", kind="education", district_name="Medeu District")
    services.surveyor_assign(actor=w.akimat_almaty, obj=obj, surveyor=surveyor)
    image = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 120, 120)).save(image, format="PNG")
    services.photo_add(
        actor=w.akimat_almaty,
        obj=obj,
        upload=SimpleUploadedFile("ramp.png", image.getvalue(), content_type="image/png"),
        caption="Кіреберіс",
    )
    report = services.barrier_report_submit(
        actor=None,
        object_id=obj.pk,
        description="Кіреберісте пандус жоқ, баспалдақ биік.",
        category="К",
        zone="entrance",
        photo=SimpleUploadedFile("stairs.png", image.getvalue(), content_type="image/png"),
        contact="+7 701 000 0000",
    )
    return Data(w, obj, report)


def _submit_outside_kazakhstan(page: Any, d: Data) -> None:
    page.fill("#id_name_kk", "Орталық кітапхана")
    page.fill("#id_address", "Әл-Фараби даңғылы, 1")
    page.select_option("#id_district", value=str(district("Bostandyq District").pk))
    page.fill("#id_latitude", "76.9190")
    page.fill("#id_longitude", "43.2220")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


def _upload_bad_rows(page: Any, d: Data) -> None:
    content = (
        "Номер в реестре;Атауы;Адрес;Район;Вид объекта;Широта;Долгота\n"
        "B-1;Емхана;Абай, 1;Алмалы;health;43.2;76.9\n"
        "B-2;Кітапхана;Абай, 2;Жоқ аудан;culture;43.2;76.9\n"
        "B-3;Музей;Абай, 3;Алмалы;culture;76.9;43.2\n"
    )
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "objects.csv", "mimeType": "text/csv", "buffer": content.encode()}],
    )
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/jobs/"))
    page.locator("table").first.wait_for()


@dataclass(frozen=True)
class Case:
    user: str
    path: Callable[[Data], str]
    then: Callable[[Any, Data], None] | None = None


PAGES: dict[str, Case] = {
    "objects": Case("akimat_almaty", lambda d: "/access/manage/objects/"),
    "objects-filtered": Case("akimat_almaty", lambda d: "/access/manage/objects/?kind=education&category=С"),
    "object": Case("akimat_almaty", lambda d: f"/access/manage/objects/{d.obj.pk}/"),
    "object-new-with-errors": Case(
        "akimat_almaty", lambda d: "/access/manage/objects/new/", _submit_outside_kazakhstan
    ),
    "object-edit": Case("almaty_staff", lambda d: f"/access/manage/objects/{d.obj.pk}/edit/"),
    "objects-import": Case("akimat_almaty", lambda d: "/access/manage/objects/import/"),
    "objects-import-dry-run-with-errors": Case(
        "akimat_almaty", lambda d: "/access/manage/objects/import/", _upload_bad_rows
    ),
    "barrier-reports": Case("almaty_staff", lambda d: "/access/manage/barriers/"),
    "barrier-report": Case("akimat_almaty", lambda d: f"/access/manage/barriers/{d.report.pk}/"),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_objects_page_has_no_serious_wcag_violations(
    context: Any,
    live_server: Any,
    name: str,
    language: str,
):
    case = PAGES[name]
    d = data()
    user = getattr(d.w, case.user)
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url},
        ]
    )
    page = context.new_page()
    response = page.goto(case.path(d))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    if case.then is not None:
        case.then(page, d)
    assert page.evaluate("document.documentElement.lang") == language
    if name == "object":
        # The photo is served to the object's officer, and shown.
        # (scrolled to first: the photo loads lazily, and below the fold in longer languages)
        page.locator("main img").first.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('main img').complete")
        assert page.evaluate("document.querySelector('main img').naturalWidth") == 64
    assert_no_serious_violations(page, name, language)
