"""Sign-in with lockout, Argon2 passwords, API tokens, the language switch, health."""

import io

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from qoldau.core.models import ApiToken, UserPreference
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


def test_production_passwords_are_hashed_with_argon2():
    # settings.py's own list (the tests swap in a fast hasher for speed).
    from qoldau import settings as qoldau_settings

    assert qoldau_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sign_in_through_the_form():
    factories.user("qorgan.staff", "ngo_staff", org=factories.organisation())
    client = Client()
    response = client.post("/signin/", {"username": "qorgan.staff", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert "qorgan.staff" in client.get("/").content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password():
    factories.user("target", "ngo_staff", org=factories.organisation())
    client = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        response = client.post("/signin/", {"username": "target", "password": "wrong"})
    assert response.status_code in (200, 429)
    locked = client.post("/signin/", {"username": "target", "password": factories.PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_shows_an_error_and_does_not_sign_in():
    factories.user("someone", "ngo_staff", org=factories.organisation())
    client = Client()
    response = client.post("/signin/", {"username": "someone", "password": "nope"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_token_created_on_the_command_line_opens_the_api():
    w = factories.world()
    out = io.StringIO()
    call_command("token", "create", "almaty.staff", "--name", "excel sync", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("qld_")
    stored = ApiToken.objects.get(user=w.almaty_staff)
    assert token not in (stored.token_hash, stored.prefix)
    client = Client()
    ok = client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ok.status_code == 200
    assert ok.json()["count"] == 2
    bad = client.get("/api/v1/people", HTTP_AUTHORIZATION="Bearer qld_not-a-token")
    assert bad.status_code == 401
    assert bad.json()["code"] == "unauthorized"


def test_token_for_an_unknown_user_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_kazakh_is_the_default_whatever_the_browser_says():
    response = Client().get("/signin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="kk">' in response.content.decode()
    assert response["Content-Language"] == "kk"


def test_pages_stay_kazakh_when_the_browser_asks_for_russian():
    response = Client().get("/signin/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert '<html lang="kk">' in response.content.decode()
    assert response["Content-Language"] == "kk"
    assert "Accept-Language" not in response["Vary"]


def _unauthorised_in(language: str) -> str:
    with translation.override(language):
        return translation.gettext("Sign in or send a valid API token.")


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [
        ("ru", "ru"),
        ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        ("en-US,en;q=0.9", "en"),
        ("kk;q=0.3, en;q=0.8, ru;q=0.5", "en"),  # the highest q-value wins
        ("de, fr;q=0.9, ru;q=0.1", "ru"),  # the first one Qoldau speaks
        ("fr", "kk"),  # none fits: Kazakh
        ("fr, ru;q=0", "kk"),  # q=0 is "not this one"
        ("*", "kk"),
        ("", "kk"),
    ],
)
def test_api_errors_follow_accept_language(accept_language, language):
    response = Client().get("/api/v1/people", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 401
    assert response.json()["message"] == _unauthorised_in(language)
    assert response["Content-Language"] == language
    # Caches keep one answer per language.
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in response["Vary"].split(",")}


def test_the_three_api_error_messages_differ():
    # Otherwise the test above could pass with an untranslated catalogue.
    assert len({_unauthorised_in(language) for language in ("kk", "ru", "en")}) == 3


def test_api_without_accept_language_answers_kazakh_with_vary():
    response = Client().get("/api/v1/people")
    assert response.json()["message"] == _unauthorised_in("kk")
    assert "Accept-Language" in response["Vary"]


def test_api_token_clients_get_errors_in_their_language():
    factories.world()
    out = io.StringIO()
    call_command("token", "create", "almaty.staff", stdout=out)
    token = out.getvalue().strip()

    def ask(accept_language: str):
        return Client().get(
            "/api/v1/reports/impact",
            {"region": "999999999"},
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_ACCEPT_LANGUAGE=accept_language,
        )

    english, kazakh = ask("en-GB,en;q=0.9"), ask("")
    assert english.status_code == kazakh.status_code == 404
    assert english.json()["field"] == "region"
    assert (english["Content-Language"], kazakh["Content-Language"]) == ("en", "kk")
    assert english.json()["message"] != kazakh.json()["message"]
    assert english.json()["message"].isascii()


def test_the_language_cookie_wins_over_accept_language_on_the_api():
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/api/v1/people", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert response.json()["message"] == _unauthorised_in("en")


def test_the_accounts_language_wins_over_accept_language_on_the_api():
    user = factories.user("traveller", "ngo_staff", org=factories.organisation())
    client = Client()
    client.force_login(user)
    client.post("/language/", {"language": "ru", "next": "/"})
    client.cookies.pop(django_settings.LANGUAGE_COOKIE_NAME)
    response = client.get("/api/v1/reports/impact", {"region": "999999999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Language"] == "ru"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_language_switch_is_remembered_in_a_cookie(language):
    client = Client()
    response = client.post("/language/", {"language": language, "next": "/signin/"})
    assert response.status_code == 302
    assert response["Location"] == "/signin/"
    assert f'<html lang="{language}">' in client.get("/signin/").content.decode()


def test_language_is_remembered_on_the_account_for_other_devices():
    user = factories.user("traveller", "ngo_staff", org=factories.organisation())
    laptop = Client()
    laptop.force_login(user)
    laptop.post("/language/", {"language": "ru", "next": "/"})
    assert UserPreference.objects.get(user=user).language == "ru"
    phone = Client()
    phone.force_login(User.objects.get(pk=user.pk))
    assert '<html lang="ru">' in phone.get("/").content.decode()


def test_language_switch_ignores_unknown_languages_and_foreign_redirects():
    client = Client()
    response = client.post("/language/", {"language": "de", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "qoldau_language" not in response.cookies


def test_health_reports_the_database():
    response = Client().get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_openapi_document_and_docs_are_served():
    client = Client()
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Qoldau API"
    for path in ("/api/v1/people", "/api/v1/projects/{project_id}/deliveries", "/api/v1/organisations"):
        assert path in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize(
    ("language", "text"), [("kk", "Бет табылмады"), ("ru", "Страница не найдена"), ("en", "Page not found")]
)
def test_unknown_address_gets_a_translated_page(language, text):
    client = Client()
    client.cookies["qoldau_language"] = language
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_a_revoked_token_no_longer_opens_the_api():
    w = factories.world()
    out = io.StringIO()
    call_command("token", "create", "almaty.staff", stdout=out)
    token = out.getvalue().strip()
    admin = Client()
    admin.force_login(w.sysadmin)
    stored = ApiToken.objects.get(user=w.almaty_staff)
    admin.post("/admin/core/apitoken/", {"action": "revoke", "_selected_action": [stored.pk]})
    assert ApiToken.objects.get(pk=stored.pk).revoked_at is not None
    assert Client().get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    from qoldau.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="token.revoke", actor=w.sysadmin).exists()
