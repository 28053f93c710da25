"""One format for dates, times and numbers per language (qoldau/formats): kk and ru write
07.12.2026 09:37 and 1 500 000,00 (grouped with a narrow no-break space), en writes ISO
dates, a 24-hour clock and 1,500,000.00. A page of each kind is rendered in each language
and its visible text checked: the ranking, a score sheet, the import history, the map's
list, the dashboard and a project's page with an amount; and a notification's date and
amount."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from qoldau.access.models import AccessObject
from qoldau.access.tests.factories import Objects
from qoldau.contests import services as contest_services
from qoldau.contests.tests import factories as contest_factories
from qoldau.contests.tests.commission_scene import scene, score_url
from qoldau.core.models import Notification
from qoldau.core.notifications import notify
from qoldau.core.tests import factories
from qoldau.imports.services import ImportSource, import_deliveries
from qoldau.imports.tests.files import delivery, write_file
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"
MOMENT_IN_ALMATY = dt.datetime(2026, 12, 7, 9, 37, tzinfo=ZoneInfo("Asia/Almaty"))
LANGUAGES = ("kk", "ru", "en")
# What each language's day and moment look like, and what none of them may show.
DAY = {"kk": r"\d{2}\.\d{2}\.\d{4}", "ru": r"\d{2}\.\d{2}\.\d{4}", "en": r"\d{4}-\d{2}-\d{2}"}
MOMENT = {lang: DAY[lang] + r" \d{2}:\d{2}" for lang in LANGUAGES}
NEVER = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\b[ap]\.m\.|Т\.Ж\.|Т\.Қ\.|\d{4}-\d{2}-\d{2}T")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(response) -> str:
    assert response.status_code == 200, response.status_code
    parser = _Visible()
    parser.feed(response.content.decode())
    # Only ASCII white space is squeezed: the narrow no-break space is part of a number.
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parser.parts))


def check_formats(text: str, language: str, *, moment: bool = False, day: bool = True) -> None:
    """The page's dates are the language's, and no other order or clock shows."""
    assert not NEVER.search(text), NEVER.search(text)
    if language != "en":
        assert not ISO_DAY.search(text), ISO_DAY.search(text)
    if day:
        assert re.search(DAY[language], text), text[:2000]
    if moment:
        assert re.search(MOMENT[language], text), text[:2000]


def client_in(language: str, user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


# The formats themselves ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "moment", "amount", "share"),
    [
        ("kk", "07.12.2026 09:37", f"1{NNBSP}500{NNBSP}000,50", "12,5"),
        ("ru", "07.12.2026 09:37", f"1{NNBSP}500{NNBSP}000,50", "12,5"),
        ("en", "2026-12-07 09:37", "1,500,000.50", "12.5"),
    ],
)
def test_each_language_has_one_format(language, moment, amount, share):
    when = MOMENT_IN_ALMATY
    with translation.override(language), timezone.override("Asia/Almaty"):
        when = timezone.localtime(when)
        assert formats.date_format(when, "SHORT_DATETIME_FORMAT") == moment
        assert formats.date_format(when, "DATETIME_FORMAT") == moment
        assert formats.date_format(when.date(), "SHORT_DATE_FORMAT") == moment.split(" ")[0]
        assert formats.time_format(when.time(), "TIME_FORMAT") == "09:37"
        assert formats.number_format(Decimal("1500000.5"), 2, force_grouping=True) == amount
        assert formats.number_format(Decimal("12.5"), 1) == share


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", f"07.12.2026 09:37 · 286{NNBSP}000,00"),
        ("ru", f"07.12.2026 09:37 · 286{NNBSP}000,00"),
        ("en", "2026-12-07 09:37 · 286,000.00"),
    ],
)
def test_a_notification_writes_dates_and_amounts_in_the_recipients_language(language, expected):
    user = User.objects.create_user(f"reader.{language}", email="reader@example.kz")
    note = notify(
        user=user,
        kind="test",
        subject="%(amount)s",
        body="%(when)s · %(amount)s",
        params={"when": MOMENT_IN_ALMATY, "amount": Decimal("286000.00")},
        language=language,
    )
    assert Notification.objects.get(pk=note.pk).body == expected


# Pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_project_page_with_an_amount(language):
    w = factories.world()
    project = project_factories.project(w.almaty_admin, w.almaty_ngo)
    text = visible(client_in(language, w.almaty_admin).get(reverse("projects:project", args=[project.pk])))
    check_formats(text, language)
    amount = {"en": "1,500,000.00"}.get(language, f"1{NNBSP}500{NNBSP}000,00")
    assert amount in text
    period = {"en": "2025-01-01 – 2025-12-31"}.get(language, "01.01.2025 – 31.12.2025")
    assert period in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ranking_and_a_score_sheet(language):
    s = scene()
    contest_factories.score_all(s.almaty, s.first, [8, 7, 6])
    contest_factories.score_all(s.almaty, s.second, [9, 8, 8])
    chair = client_in(language, s.almaty.chair)
    sheet = visible(chair.get(score_url(s, s.first)))
    check_formats(sheet, language, moment=True)  # submitted on …
    contest_services.commission_approve(actor=s.almaty.chair, commission=s.commission)
    ranking = visible(chair.get(reverse("contests:ranking", args=[s.commission.pk])))
    check_formats(ranking, language, moment=True)  # approved on …
    decimal = "." if language == "en" else ","
    assert re.search(rf"\b\d{{1,3}}\{decimal}\d\b", ranking)  # a score, 70,0 or 70.0
    other = "," if language == "en" else "."
    assert not re.search(rf"\b\d{{1,3}}\{other}\d\b(?!\d)", ranking.replace(f"{other} ", " "))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_import_history(language, tmp_path):
    w = factories.world()
    project = project_factories.project(w.almaty_admin, w.almaty_ngo)
    path = write_file(tmp_path, [delivery(factories.valid_iin())])
    import_deliveries(actor=w.almaty_staff, project=project, source=ImportSource(path, "almaty.csv"))
    text = visible(client_in(language, w.almaty_staff).get("/imports/"))
    check_formats(text, language, moment=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map_list_groups_its_count(language):
    objects = Objects()
    template = AccessObject.objects.get(pk=objects.clinic.pk)
    copies = []
    for index in range(1000):
        copy = AccessObject.objects.get(pk=template.pk)
        copy.pk = None
        copy.external_id = f"copy-{index}"
        copies.append(copy)
    AccessObject.objects.bulk_create(copies)
    total = AccessObject.objects.filter(region=objects.clinic.region).count()
    assert total > 1000
    text = visible(
        client_in(language).get(reverse("access:map_list"), {"region": objects.clinic.region.kato})
    )
    grouped = f"{total // 1000}{',' if language == 'en' else NNBSP}{total % 1000:03d}"
    assert grouped in text
    assert str(total) not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_dashboard(language):
    w = factories.world()
    project_factories.project(w.almaty_admin, w.almaty_ngo)
    text = visible(client_in(language, w.akimat_almaty).get(reverse("dashboard:public"), {"year": 2025}))
    check_formats(text, language)
    period = {"en": "from 2025-01-01 to 2025-12-31"}.get(language)
    if period:
        assert period in text
    else:
        assert "01.01.2025" in text
        assert "31.12.2025" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_amount_as_the_pages_write_it_is_read_back(language):
    from qoldau.core import bounds

    with translation.override(language):
        written = formats.number_format(Decimal("2500000.50"), 2, force_grouping=True)
    if language == "en":
        written = written.replace(",", "")  # English grouping commas are not typed back
    assert bounds.parse(bounds.Money, written) == Decimal("2500000.50")
