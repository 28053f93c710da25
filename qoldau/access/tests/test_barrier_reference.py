"""A barrier report's reference number: shown once on the "thank you" page, it finds the
report's state on a public page and nothing else; a reference this site did not give finds
nothing and counts against the address like a report."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from qoldau.access import services
from qoldau.access.models import BarrierReport
from qoldau.access.references import reference_of, report_id_of
from qoldau.access.tests.factories import Objects


@pytest.fixture
def objects(db: None) -> Objects:
    return Objects()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def client_in(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def send_report(client: Client, obj_pk: int) -> Any:
    data = {
        "description": "Кіреберісте пандус жоқ.",
        "category": "",
        "zone": "",
        "contact": "+7 701 111 22 33",
    }
    return client.post(reverse("access:object_report", args=[obj_pk]), data, follow=True)


def status_page(client: Client, reference: str) -> Any:
    return client.get(reverse("access:barrier_status"), {"reference": reference})


def test_a_reference_is_the_number_and_a_check_only_this_site_gives():
    reference = reference_of(1234)
    number, check = reference.split("-")
    assert number == "1234"
    assert re.fullmatch(r"[A-Z2-7]{6}", check)
    assert report_id_of(reference) == 1234
    assert report_id_of(reference.lower()) == 1234  # typed in any case
    assert report_id_of(f"1234 {check}") == 1234
    assert report_id_of(f"1235-{check}") is None  # another number with this check
    assert report_id_of("1234") is None
    assert report_id_of(f"1234-{check[:5]}A" if check[5] != "A" else f"1234-{check[:5]}B") is None
    assert report_id_of("") is None


@pytest.mark.parametrize(
    ("language", "heading", "state"),
    [
        ("kk", "Сіздің анықтама нөміріңіз", "Жаңа"),
        ("ru", "Ваш номер обращения", "Новое"),
        ("en", "Your reference number", "New"),
    ],
)
def test_the_thank_you_page_gives_the_reference_and_it_finds_the_state(
    objects: Objects, language, heading, state
):
    client = client_in(language)
    thanks = send_report(client, objects.clinic.pk)
    assert thanks.status_code == 200
    report = BarrierReport.objects.get()
    html = thanks.content.decode()
    assert heading in html
    assert report.reference in html
    # Shown once: the page opened again does not repeat it.
    again = client.get(reverse("access:object_report_thanks", args=[objects.clinic.pk])).content.decode()
    assert report.reference not in again

    # Anyone holding the reference sees the state, and nothing else of the report.
    page = status_page(client_in(language), report.reference)
    assert page.status_code == 200
    text = page.content.decode()
    assert state.format(reference=report.reference) in text
    for private in ("Кіреберісте пандус жоқ.", "+7 701 111 22 33", "701", str(objects.clinic.name)):
        assert private not in text


def test_the_page_follows_the_reports_state(objects: Objects):
    report = services.barrier_report_submit(
        actor=None, object_id=objects.clinic.pk, description="Пандус жоқ."
    )
    services.barrier_report_handle(actor=objects.officer, report=report, state="in_progress")
    assert "In progress." in status_page(client_in(), report.reference).content.decode()
    services.barrier_report_handle(
        actor=objects.officer, report=report, state="resolved", resolution="Пандус салынды."
    )
    text = status_page(client_in(), report.reference).content.decode()
    assert "Resolved." in text
    assert "Пандус салынды." not in text  # what was done is the officers' record, not the public's


def test_a_wrong_reference_finds_nothing_and_guessing_is_limited(objects: Objects, settings: Any):
    settings.QOLDAU_RATE_LIMITS = {**settings.QOLDAU_RATE_LIMITS, "barrier_report_address": (20 / 3600, 3)}
    report = services.barrier_report_submit(
        actor=None, object_id=objects.clinic.pk, description="Пандус жоқ."
    )
    client = client_in()
    guesses = [f"{report.pk}-AAAAAA", f"{report.pk + 1}-{report.reference.split('-')[1]}", "not a reference"]
    for guess in guesses:
        answer = status_page(client, guess)
        assert answer.status_code == 404
        assert "No report has this reference number." in answer.content.decode()
        assert "New." not in answer.content.decode()
    refused = status_page(client, f"{report.pk}-BBBBBB")
    assert refused.status_code == 429
    assert "Too many reports were sent from your connection." in refused.content.decode()
    # The right reference is never refused for the guesses before it.
    assert status_page(client, report.reference).status_code == 200
    # A report no longer kept answers as a wrong reference does.
    reference = report.reference
    report.delete()
    cache.clear()
    assert status_page(client_in(), reference).status_code == 404


def test_the_status_page_without_a_reference_is_a_form(objects: Objects):
    page = client_in("kk").get(reverse("access:barrier_status"))
    assert page.status_code == 200
    assert 'name="reference"' in page.content.decode()
