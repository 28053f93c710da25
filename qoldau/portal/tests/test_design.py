"""The design system's page (/design/): system administrators only; it shows every
component with its class names."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_system_administrator_sees_every_component_with_its_classes() -> None:
    world = factories.world()
    response = _client(world.sysadmin).get("/design/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for cls in (
        'class="button"',
        'class="button secondary"',
        'class="button warning"',
        'class="link-button"',
        'class="tag tag-success"',
        'class="summary-list"',
        'class="reflow"',
        'class="pagination"',
        'class="notice notice-error"',
        'class="field has-error"',
        'id="menu-toggle"',
    ):
        assert cls in html, cls
    # One primary button on the page (the header's and the specimens' others are not).
    assert html.count('class="button"') == 1
    # The menu links here for the administrator.
    assert 'href="/design/"' in html


def test_staff_and_officers_are_told_the_page_is_not_there() -> None:
    world = factories.world()
    for user in (world.almaty_staff, world.almaty_admin, world.ministry, world.akimat_almaty):
        assert _client(user).get("/design/").status_code == 404, user.username
        assert b'href="/design/"' not in _client(user).get("/").content


def test_anonymous_visitor_is_sent_to_sign_in() -> None:
    response = _client(None).get("/design/")
    assert response.status_code == 302
    assert "/signin/" in response["Location"]
