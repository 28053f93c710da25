"""Withdrawing consent on the person's page is a step of its own: the form leads to a page
that says what the withdrawal ends; only that page's form records it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from qoldau.core.models import Consent
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


def client_for(user, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def active(person, organisation) -> bool:
    return Consent.objects.filter(
        person=person, organisation=organisation, withdrawn_on__isnull=True
    ).exists()


@pytest.mark.parametrize(
    ("language", "heading", "undone"),
    [
        ("en", "What the withdrawal ends", "This cannot be undone."),
        ("kk", "Келісімді қайтарып алу нені тоқтатады", "Мұны кері қайтаруға болмайды."),
        ("ru", "Что прекращает отзыв согласия", "Это нельзя отменить."),
    ],
)
def test_the_withdrawal_asks_first_and_says_what_it_ends(language, heading, undone):
    w = factories.world()
    person = w.almaty_people[0]
    client = client_for(w.almaty_staff, language)
    url = reverse("core:consent_withdraw", args=[person.pk])
    form = {"organisation": w.almaty_ngo.pk, "withdrawn_on": "2025-06-01"}

    first = client.post(url, form)
    assert first.status_code == 200
    page = first.content.decode()
    assert heading in page
    assert undone in page
    assert person.last_name in page
    assert 'name="confirmed"' in page
    assert active(person, w.almaty_ngo)  # nothing is recorded yet

    # A confirmation other than the page's own records nothing either.
    assert client.post(url, {**form, "confirmed": "yes"}).status_code == 200
    assert active(person, w.almaty_ngo)

    done = client.post(url, {**form, "confirmed": "withdraw"})
    assert done.status_code == 302
    assert not active(person, w.almaty_ngo)


def test_a_bad_date_on_the_first_step_records_nothing_and_asks_nothing():
    w = factories.world()
    person = w.almaty_people[0]
    client = client_for(w.almaty_staff)
    url = reverse("core:consent_withdraw", args=[person.pk])
    response = client.post(
        url, {"organisation": w.almaty_ngo.pk, "withdrawn_on": "", "confirmed": "withdraw"}
    )
    assert response.status_code == 302  # back to the person's page with the error
    assert active(person, w.almaty_ngo)
