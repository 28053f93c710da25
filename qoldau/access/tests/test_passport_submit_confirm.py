"""Submitting a passport is a step of its own: "Submit" saves the draft and shows what
submitting freezes, with the statuses the public will see; only that page's form submits."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from qoldau.access.models import AccessObject, Passport
from qoldau.access.tests.factories import answers, open_draft, post_passport, signed_in, survey_scene

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "not_accessible"),
    [
        ("en", "What submitting freezes", "Not accessible"),
        ("kk", "Тапсыру нені бекітеді", "Қолжетімсіз"),
        ("ru", "Что закрепляет сдача паспорта", "Недоступно"),
    ],
)
def test_submit_asks_first_and_says_what_is_frozen(language, heading, not_accessible):
    scene = survey_scene()
    client = signed_in(scene.surveyor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    passport = open_draft(client, scene.obj)
    asked = post_passport(client, scene.obj, passport, answers(("ramp",)), action="submit", confirmed=False)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert heading in page
    assert not_accessible in page  # no ramp: not accessible for wheelchair users
    passport.refresh_from_db()
    assert passport.state == Passport.State.DRAFT  # saved, not submitted
    assert passport.items.get(code="ramp").result == "not_met"

    submit_url = reverse("access:passport_submit", args=[passport.pk])
    # Without the page's confirmation, or with a stale version, nothing is submitted.
    assert client.post(submit_url, {"version": passport.version}).status_code == 302
    assert (
        client.post(submit_url, {"version": passport.version - 1, "confirmed": "submit"}).status_code == 302
    )
    passport.refresh_from_db()
    assert passport.state == Passport.State.DRAFT

    done = client.post(submit_url, {"version": passport.version, "confirmed": "submit"})
    assert done.status_code == 302
    assert done["Location"] == reverse("access:passport", args=[passport.pk])
    passport.refresh_from_db()
    assert passport.state == Passport.State.SUBMITTED
    assert AccessObject.objects.get(pk=scene.obj.pk).passported_on is not None


def test_another_surveyor_cannot_submit_the_draft():
    scene = survey_scene()
    client = signed_in(scene.surveyor)
    passport = open_draft(client, scene.obj)
    post_passport(client, scene.obj, passport, answers(), action="submit", confirmed=False)
    passport.refresh_from_db()
    stranger = signed_in(scene.officer)
    response = stranger.post(
        reverse("access:passport_submit", args=[passport.pk]),
        {"version": passport.version, "confirmed": "submit"},
    )
    assert response.status_code in (403, 404)
    passport.refresh_from_db()
    assert passport.state == Passport.State.DRAFT
