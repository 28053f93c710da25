"""The delivery form offers the chosen project's own services and a date inside its period;
a project's page says "budget not published" where its budget is unknown (0)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from qoldau.core.tests import factories
from qoldau.projects import services
from qoldau.projects.models import Project, ServiceDelivery, ServiceType
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = factories.world()
    # An ended project: its period lies wholly in the past.
    w.project = project_factories.project(w.almaty_admin, w.almaty_ngo)
    return w


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["qoldau_language"] = "en"
    return client


def offered_services(html: str) -> set[str]:
    select = re.search(r'<select name="service".*?</select>', html, re.S)
    assert select is not None
    return {value for value in re.findall(r'<option value="(\d+)"', select.group(0))}


def date_value(html: str) -> str:
    field = re.search(r'<input[^>]*name="delivered_on"[^>]*>', html)
    assert field is not None, html
    found = re.search(r'value="([^"]*)"', field.group(0))
    assert found is not None, field.group(0)
    return found.group(1)


def test_form_offers_the_projects_own_services_and_the_whole_catalogue_on_request(world):
    person = world.almaty_people[0]
    repair = project_factories.service("wheelchair_repair")
    legal = project_factories.service("legal_consultation")
    for kind in (repair, legal):
        services.delivery_record(
            actor=world.almaty_staff,
            project=world.project,
            person_id=person.pk,
            service=kind,
            delivered_on=dt.date(2025, 3, 4),
        )
    client = client_for(world.almaty_staff)
    page = client.get(f"/projects/deliveries/new/?project={world.project.pk}").content.decode()
    assert offered_services(page) == {str(repair.pk), str(legal.pk)}
    assert "services=all" in page  # the way to the whole catalogue
    everything = client.get(f"/projects/deliveries/new/?project={world.project.pk}&services=all")
    catalogue = {str(pk) for pk in ServiceType.objects.values_list("pk", flat=True)}
    assert offered_services(everything.content.decode()) == catalogue

    # A service the project has not delivered, sent to the narrowed form, is refused and
    # nothing is written; from the whole catalogue it is recorded.
    other = ServiceType.objects.exclude(pk__in=[repair.pk, legal.pk]).first()
    payload = {
        "project": world.project.pk,
        "iin": world.almaty_people[1].iin,
        "service": other.pk,
        "delivered_on": "2025-05-05",
        "quantity": "1",
    }
    refused = client.post(f"/projects/deliveries/new/?project={world.project.pk}", payload)
    assert refused.status_code == 200
    assert "error-summary" in refused.content.decode()
    assert not ServiceDelivery.objects.filter(service=other).exists()
    accepted = client.post(f"/projects/deliveries/new/?project={world.project.pk}&services=all", payload)
    assert accepted.status_code == 302
    assert ServiceDelivery.objects.filter(service=other, project=world.project).exists()


def test_a_project_without_deliveries_offers_the_catalogue(world):
    page = client_for(world.almaty_staff).get(f"/projects/deliveries/new/?project={world.project.pk}")
    html = page.content.decode()
    assert len(offered_services(html)) == ServiceType.objects.count()
    assert "services=all" in html


def test_the_default_date_lies_inside_the_projects_period(world):
    client = client_for(world.almaty_staff)
    today = timezone.localdate()
    assert world.project.ends_on < today  # the project has ended
    page = client.get(f"/projects/deliveries/new/?project={world.project.pk}").content.decode()
    assert date_value(page) == "2025-12-31"  # its last day, not today
    assert "from 2025-01-01 to 2025-12-31" in page  # the period is said (en: ISO dates)
    future = project_factories.project(
        world.almaty_admin,
        world.almaty_ngo,
        title="Болашақ",
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=90),
    )
    page = client.get(f"/projects/deliveries/new/?project={future.pk}").content.decode()
    assert date_value(page) == (today + dt.timedelta(days=30)).isoformat()
    running = project_factories.project(
        world.almaty_admin,
        world.almaty_ngo,
        title="Қазір",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
    )
    page = client.get(f"/projects/deliveries/new/?project={running.pk}").content.decode()
    assert date_value(page) == today.isoformat()


@pytest.mark.parametrize(
    ("language", "unknown", "known"),
    [
        ("kk", "Бюджеті жарияланбаған", "1\u202f500\u202f000,00"),
        ("ru", "Бюджет не опубликован", "1\u202f500\u202f000,00"),
        ("en", "Budget not published", "1,500,000.00"),
    ],
)
def test_an_unknown_budget_reads_not_published(world, language, unknown, known):
    client = client_for(world.almaty_admin)
    client.cookies["qoldau_language"] = language
    page = client.get(f"/projects/{world.project.pk}/").content.decode()
    assert known in page
    assert unknown not in page
    Project.objects.filter(pk=world.project.pk).update(budget=0)
    page = client.get(f"/projects/{world.project.pk}/").content.decode()
    assert unknown in page
    assert not re.search(r"<dd>0[,.]00</dd>", page)
