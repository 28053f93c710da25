"""The workforce's pages: the provider's staff keep workers and trainings through them
(errors shown beside the field, nothing written), nobody else reaches them, and the
progress page shows counts only, hidden and rounded for the public."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from qoldau.services.models import Training, Worker
from qoldau.services.tests.workforce_factories import Scene, scene, workers

pytestmark = pytest.mark.django_db


@pytest.fixture
def s() -> Scene:
    return scene()


def signed_in(user: object | None, language: str = "kk") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def test_staff_add_a_worker_record_a_course_and_a_leaving(s: Scene) -> None:
    client = signed_in(s.staff)
    # The only provider opens at once.
    assert client.get("/services/workforce/")["Location"] == f"/services/workforce/providers/{s.provider.pk}/"
    page = f"/services/workforce/providers/{s.provider.pk}/"
    response = client.post(
        page, {"full_name": "Серікова Айгүл", "position": "social_worker", "hired_on": "2021-02-01"}
    )
    assert response.status_code == 302
    worker = Worker.objects.get()
    assert "Серікова Айгүл" in client.get(page).content.decode()
    response = client.post(
        f"/services/workforce/workers/{worker.pk}/trainings/",
        {"course": "Ерте араласу", "hours": "72", "completed_on": "2025-04-01", "certificate": "A-1"},
    )
    assert response.status_code == 302
    assert "Ерте араласу" in client.get(f"/services/workforce/workers/{worker.pk}/").content.decode()
    response = client.post(f"/services/workforce/workers/{worker.pk}/leave/", {"left_on": "2025-05-01"})
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.left_on == dt.date(2025, 5, 1)


def test_a_refused_form_shows_the_error_in_the_language_and_writes_nothing(s: Scene) -> None:
    client = signed_in(s.staff)
    worker = Worker.objects.create(
        provider=s.provider, full_name="X", position="nurse", hired_on=dt.date(2024, 1, 1)
    )
    worker.left_on = dt.date(2024, 6, 1)
    worker.save()
    response = client.post(
        f"/services/workforce/workers/{worker.pk}/trainings/",
        {"course": "Кеш", "hours": "10", "completed_on": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "2024-06-01" in response.content.decode()
    assert not Training.objects.exists()
    response = client.post(
        f"/services/workforce/providers/{s.provider.pk}/",
        {"full_name": "Y", "position": "astronaut", "hired_on": "2021-02-01"},
    )
    assert response.status_code == 400
    assert Worker.objects.count() == 1


@pytest.mark.parametrize("who", ["other_staff", "officer"])
def test_nobody_else_reaches_a_providers_workers(s: Scene, who: str) -> None:
    worker = Worker.objects.create(
        provider=s.provider, full_name="Құпия Адам", position="nurse", hired_on=dt.date(2024, 1, 1)
    )
    client = signed_in(getattr(s, who))
    for path in (
        f"/services/workforce/providers/{s.provider.pk}/",
        f"/services/workforce/workers/{worker.pk}/",
    ):
        assert client.get(path).status_code == 404
    assert (
        client.post(f"/services/workforce/workers/{worker.pk}/leave/", {"left_on": "2025-01-01"}).status_code
        == 404
    )
    worker.refresh_from_db()
    assert worker.left_on is None
    # Anonymous: to the sign-in page.
    assert Client().get(f"/services/workforce/workers/{worker.pk}/").status_code == 302


def test_progress_shows_counts_and_no_name(s: Scene) -> None:
    workers(s.staff, s.provider, 30, trained=12)
    workers(s.other_staff, s.other, 8, trained=3, position="nurse")
    public = signed_in(None, "en").get("/services/workforce/progress/")
    text = public.content.decode()
    assert public.status_code == 200
    assert "Worker 1" not in text
    assert "fewer than 5" in text
    assert s.provider.organisation.name_en in text
    officer = signed_in(s.officer, "en").get("/services/workforce/progress/")
    assert "fewer than 5" not in officer.content.decode()
    assert "Worker 1" not in officer.content.decode()
