"""The outbox page: a user reads their own notifications, written in their language, and
nobody else's; a system administrator sees everyone's; newest first, paginated."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qoldau.contests import services as contest_services
from qoldau.contests.models import ApplicantKind
from qoldau.contests.tests import factories as f
from qoldau.core.models import Notification
from qoldau.core.notifications import notify
from qoldau.core.services import user_set_language
from qoldau.core.tests.factories import ALMATY, region, user

pytestmark = pytest.mark.django_db


def client_for(account: User, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(account)
    return client


def test_outbox_shows_the_users_own_notifications_in_their_language_and_not_others() -> None:
    staff, org = f.applicant()
    other, _org = f.applicant()
    user_set_language(user=staff, language="ru")
    user_set_language(user=other, language="kk")
    notify(user=staff, kind="test", subject=_("Draft"), body=_("Sign out"))
    notify(user=other, kind="test", subject=_("Sign out"), body=_("Sign out"))
    contest = f.contest()
    draft = contest_services.application_start(
        actor=staff,
        contest=contest,
        data=contest_services.ApplicationInput(
            applicant_kind=ApplicantKind.NGO,
            region_id=region(ALMATY).pk,
            organisation_id=org.pk,
            applicant_name=org.name,
            title_kk="Жоба",
            description_kk="Сипаттама.",
            results="Нәтиже.",
        ),
    )
    contest_services.application_submit(actor=staff, application=draft)
    draft.refresh_from_db()

    html = client_for(staff, "en").get(reverse("core:outbox")).content.decode()

    assert "Черновик" in html  # "Draft" in Russian, the user's language
    assert "Выйти" in html
    assert "Шығу" not in html  # the other user's notification, in Kazakh
    with translation.override("ru"):
        received = str(_("Application %(number)s received")) % {"number": draft.number}
    assert received in html
    assert Notification.objects.get(user=staff, kind="application.received").language == "ru"
    # Newest first: the receipt comes before the earlier test notification.
    assert html.index(received) < html.index("Черновик")


def test_outbox_is_for_signed_in_users_only() -> None:
    response = Client().get(reverse("core:outbox"))
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


def test_system_administrator_sees_everyones_notifications_with_their_recipients() -> None:
    alice = User.objects.create_user("alice", password="x" * 12)
    bob = User.objects.create_user("bob", password="x" * 12)
    notify(user=alice, kind="test", subject="Alice's subject", body="One")
    notify(user=bob, kind="test", subject="Bob's subject", body="Two")
    admin = user("root.admin", "system_admin")
    html = client_for(admin).get(reverse("core:outbox")).content.decode()
    assert "Alice&#x27;s subject" in html
    assert "Bob&#x27;s subject" in html
    assert "Recipient" in html
    own = client_for(alice).get(reverse("core:outbox")).content.decode()
    assert "Alice&#x27;s subject" in own
    assert "Bob&#x27;s subject" not in own


def test_outbox_is_paginated_with_bounded_queries(django_assert_max_num_queries: Any) -> None:
    alice = User.objects.create_user("alice", password="x" * 12)
    for number in range(60):
        notify(user=alice, kind="test", subject=f"Subject {number:02d}", body="Body")
    client = client_for(alice)
    client.get(reverse("core:outbox"))
    with django_assert_max_num_queries(10):
        first = client.get(reverse("core:outbox"))
    html = first.content.decode()
    assert "Subject 59" in html
    assert "Subject 09" not in html
    assert "60 notifications" in html
    second = client.get(reverse("core:outbox") + "?page=2").content.decode()
    assert "Subject 09" in second
    assert "Subject 59" not in second
