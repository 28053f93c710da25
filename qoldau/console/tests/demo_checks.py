"""The demo as its users meet it, checked on a demo database: every user in the README's
table signs in with the demo password, and the demo's pages in Kazakh show Kazakh (a crawl,
signed in as the users who see them, flags Latin-script words outside names, codes and the
allow-list in `language_crawl.py`). `test_demo.py` runs the checks on the demo it builds
(once for all); `test_demo_language.py` tests the rule and the README's table."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from qoldau.console.tests.language_crawl import crawl
from qoldau.core.demo_data import DEMO_PASSWORD

README = Path(settings.BASE_DIR) / "README.md"
# Whose pages the crawl reads, from the public's to the administrator's.
READERS = (
    None,
    "admin",
    "almaty.admin",
    "qorgan.staff",
    "akimat.almaty",
    "ministry",
    "contest.chair",
    "almaty.surveyor",
    "jobcoach.coach",
    "employer.staff",
    "jobseeker.citizen",
)
PAGES_PER_READER = 40


def readme_users() -> list[str]:
    """The sign-in names of the README's "Demo users" table: every `…` of its first column
    (a user name, or the phone a citizen signs in with)."""
    text = README.read_text(encoding="utf-8")
    table = text.split("## Demo users", 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0]
    names = []
    for line in table.splitlines()[2:]:
        first = line.split("|")[1]
        names.extend(re.findall(r"`([^`]+)`", first))
    return names


def signs_in(name: str) -> bool:
    client = Client()
    response = client.post(reverse("core:login"), {"username": name, "password": DEMO_PASSWORD})
    return response.status_code == 302 and "_auth_user_id" in client.session


def check_every_readme_user_signs_in() -> None:
    """Called by `test_demo.py` on the demo it builds (once for both)."""
    names = readme_users()
    assert "contest.almaty.member2" in names
    assert len(names) >= 20
    refused = [name for name in names if not signs_in(name)]
    assert not refused, f"demo users of the README who cannot sign in: {refused}"


def check_kazakh_pages() -> None:
    """Called by `test_demo.py` on the demo it builds: the crawl as each reader, in Kazakh."""
    names = readme_users()
    findings: list[str] = []
    for reader in READERS:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
        if reader is not None:
            # Signed in directly: the sign-in form (and its lockout) is the check above's.
            client.force_login(get_user_model().objects.get(username=reader))
        # Where "/" leads the reader (a citizen's start is their own page).
        landing = client.get("/", follow=True)
        start = landing.redirect_chain[-1][0] if landing.redirect_chain else "/"
        result = crawl(client, [start], limit=PAGES_PER_READER, names=names)
        assert result.pages >= 5, (reader, result.pages)
        findings.extend(f"{reader or 'public'} {f.url}: {', '.join(f.words)}" for f in result.findings)
    assert not findings, "Latin-script words on Kazakh pages:\n" + "\n".join(findings)
