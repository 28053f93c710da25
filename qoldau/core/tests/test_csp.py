"""The Content-Security-Policy: the same strict policy on every kind of answer (pages, htmx
fragments, API, API docs, admin, static files, 403, 404, 500), no page markup the policy
would refuse, and the settings that extend it (tile server, report address)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from qoldau.core.tests import factories
from qoldau.core.tests.markup import inline_code
from qoldau.urls import urlpatterns as qoldau_urlpatterns

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:", "blob:"},
    "connect-src": {"'self'"},
    "font-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def _broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


# Qoldau's addresses plus one that fails, for the server-error page (see the urls marks).
urlpatterns = [path("test-only/broken/", _broken_view), *qoldau_urlpatterns]


def policy(response: HttpResponse) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.get('Content-Type')}"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


PUBLIC = [
    ("/", 200),
    ("/signin/", 200),
    ("/signup/", 200),
    ("/dashboard/public/", 200),
    ("/access/map/", 200),
    ("/access/map/list/", 200),
    ("/access/progress/public/", 200),
    ("/consult/", 200),
    ("/contests/", 200),
    ("/health", 200),
    ("/api/v1/docs", 200),
    ("/api/v1/openapi.json", 200),
    ("/api/v1/people", 401),
    ("/api/v1/reports/impact?year=2025", 200),
    ("/no/such/page/", 404),
    ("/api/v1/no-such-endpoint", 404),
    ("/static/qoldau/site.css", 200),
    ("/dashboard/", 302),  # sign in first
]

SIGNED_IN = [
    ("/", 200),
    ("/dashboard/?year=2025", 200),
    ("/people/", 200),
    ("/people/new/", 200),
    ("/projects/", 200),
    ("/organisations/", 200),
    ("/access/manage/objects/", 200),
    ("/access/progress/", 200),
    ("/audit/", 200),
    ("/contests/", 200),
    ("/outbox/", 200),
    ("/admin/", 200),
    ("/admin/core/vulnerabilitycategory/", 200),
    ("/admin/core/vulnerabilitycategory/add/", 200),
    ("/admin/auth/user/add/", 200),
    ("/api/v1/people", 200),
    ("/organisations/999999/", 404),
]


@pytest.mark.parametrize(("url", "status"), PUBLIC)
def test_every_public_answer_carries_the_strict_policy(url, status):
    response = Client().get(url)
    assert response.status_code == status, url
    assert policy(response) == STRICT, url
    if response.get("Content-Type", "").startswith("text/html"):
        assert inline_code(response.content.decode()) == [], url


def test_every_signed_in_answer_carries_the_strict_policy():
    w = factories.world()
    client = Client()
    client.force_login(w.sysadmin)
    for url, status in SIGNED_IN:
        response = client.get(url)
        assert response.status_code == status, url
        assert policy(response) == STRICT, url
        if response.get("Content-Type", "").startswith("text/html"):
            assert inline_code(response.content.decode()) == [], url


def test_htmx_fragments_carry_the_policy():
    w = factories.world()
    client = Client()
    client.force_login(w.almaty_staff)
    response = client.get("/people/", {"q": "Ахмет"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # a fragment, not the page
    assert policy(response) == STRICT
    chat = Client().post("/consult/ask/", {"text": "Сәлем"}, HTTP_HX_REQUEST="true")
    assert chat.status_code == 200
    assert policy(chat) == STRICT
    assert inline_code(chat.content.decode()) == []


def test_a_refused_form_gets_the_sites_page_under_the_policy():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/signin/", {"username": "nobody", "password": "x"})
    assert response.status_code == 403
    assert policy(response) == STRICT
    html = response.content.decode()
    assert inline_code(html) == []  # Django's own page has an inline <style>
    assert '<html lang="kk">' in html


@pytest.mark.urls(__name__)
def test_the_server_error_page_carries_the_policy():
    response = Client(raise_request_exception=False).get("/test-only/broken/")
    assert response.status_code == 500
    assert policy(response) == STRICT
    html = response.content.decode()
    assert "Something went wrong" in html
    assert inline_code(html) == []


def test_the_api_docs_are_served_from_this_site():
    html = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
    # The online validator's badge would load an image from swagger.io.
    assert '"validatorUrl": null' in html


def _settings_in_a_new_process(**environment: str) -> dict[str, object]:
    """settings.CONTENT_SECURITY_POLICY as a fresh process reads it from the environment."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qoldau.settings", **environment}
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stderr
    directives: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return directives


def test_the_tile_server_and_the_report_address_extend_the_policy():
    plain = _settings_in_a_new_process(QOLDAU_MAP_TILE_URL="", QOLDAU_CSP_REPORT_URI="")
    assert plain["img-src"] == ["'self'", "data:", "blob:"]
    assert plain["report-uri"] is None
    extended = _settings_in_a_new_process(
        QOLDAU_MAP_TILE_URL="https://{s}.tile.example.org/{z}/{x}/{y}.png",
        QOLDAU_CSP_REPORT_URI="https://qoldau.example.kz/csp-reports",
    )
    assert extended["img-src"] == ["'self'", "data:", "blob:", "https://*.tile.example.org"]
    assert extended["report-uri"] == "https://qoldau.example.kz/csp-reports"
    # Only the images may come from the tile server.
    assert extended["script-src"] == extended["connect-src"] == ["'self'"]


def test_a_report_address_reaches_the_header(settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "report-uri": "https://qoldau.example.kz/csp-reports",
        }
    }
    directives = policy(Client().get("/signin/"))
    assert directives.pop("report-uri") == {"https://qoldau.example.kz/csp-reports"}
    assert directives == STRICT


def test_a_tile_template_with_a_placeholder_inside_the_host_is_refused():
    failed = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "qoldau.settings",
            "QOLDAU_MAP_TILE_URL": "https://tiles.{s}.example.org/{z}/{x}/{y}.png",
        },
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )
    assert failed.returncode != 0
    assert "QOLDAU_MAP_TILE_URL may have a placeholder only in the first label" in failed.stderr
