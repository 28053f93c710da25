"""The public object page says why a place is not fully accessible, zone by zone, in the
reader's language, from its latest passport; a place accessible to everyone, or without a
passport, has no such section; a surveyor's comment never shows."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from qoldau.access.models import Passport, PassportItem
from qoldau.access.tests.factories import Objects


@pytest.fixture
def objects(db: None) -> Objects:
    return Objects()


def page(obj_pk: int, language: str = "en") -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("access:object_public", args=[obj_pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading: str) -> str:
    start = html.index(heading)
    return html[start : html.index('<p class="actions">', start)]


def test_a_place_without_a_ramp_says_which_zone_fails_whom_and_why(objects: Objects):
    html = page(objects.school.pk)
    found = section(html, "Why it is not fully accessible")
    # The ramp matters to К and О: the entrance is closed to them (the ramp is critical).
    assert "К: wheelchair users" in found
    assert "О: other mobility impairments" in found
    assert "С: vision impairments" not in found  # the ramp does not matter to С
    assert "<strong>Entrances</strong>: ВНД: temporarily not accessible" in found
    assert "A ramp or lift where the entrance has steps" in found
    assert "Sanitary rooms" not in found  # every other zone is fully accessible


@pytest.mark.parametrize(
    ("language", "heading", "zone"),
    [("kk", "Неге толық қолжетімді емес", "Кіреберістер"), ("ru", "Почему не полностью доступен", "Входы")],
)
def test_the_reasons_are_in_the_readers_language(objects: Objects, language: str, heading: str, zone: str):
    found = section(page(objects.shop.pk, language), heading)
    assert zone not in found  # the shop's shortfall is its signage, not its entrance
    assert "ДЧ" in found


def test_no_section_where_nothing_falls_short_or_nothing_was_surveyed(objects: Objects):
    assert "Why it is not fully accessible" not in page(objects.clinic.pk)
    assert "Why it is not fully accessible" not in page(objects.library.pk)


def test_a_surveyors_comment_is_not_shown(objects: Objects):
    passport = Passport.objects.filter(object=objects.school).latest("number")
    PassportItem.objects.filter(passport=passport, code="ramp").update(
        comment="Күзетші Иванов рұқсат бермеді"
    )
    assert "Иванов" not in page(objects.school.pk)
