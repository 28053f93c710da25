"""The HSDS 3.0 read API (Open Referral): organizations, services, service_at_locations,
taxonomies and taxonomy terms, with HSDS's pagination envelope, filters combined with AND,
names in the language asked, public UUIDs (never database keys), bounded page sizes,
active services only; and the public summary of a region, whose small counts of people are
hidden."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from qoldau.core.tests import factories
from qoldau.services import services
from qoldau.services.api.hsds import taxonomy_id
from qoldau.services.models import Capacity, CatalogueTerm, Enrolment, Service, WaitListEntry
from qoldau.services.tests import directory_factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/hsds"
ENVELOPE = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture
def s() -> f.Scene:
    return f.scene()


def get(path: str, **params: Any) -> Any:
    response = Client().get(path, params)
    assert response.status_code == 200, response.content[:400]
    return response.json()


def test_services_come_in_the_hsds_envelope_in_full(s):
    page = get(f"{API}/services")
    assert set(page) == ENVELOPE
    assert (page["total_items"], page["total_pages"], page["page_number"], page["size"]) == (2, 1, 1, 2)
    assert page["first_page"]
    assert page["last_page"]
    assert not page["empty"]
    day = next(x for x in page["contents"] if x["id"] == str(s.day_care.public_id))
    assert day["organization_id"] == str(s.almaty.public_id)
    assert day["organization"]["id"] == str(s.almaty.public_id)
    assert day["status"] == "active"
    assert (day["minimum_age"], day["maximum_age"]) == (3, 18)
    assert [d["document"] for d in day["required_documents"]] == ["Жеке куәлік"]
    assert [lang["code"] for lang in day["languages"]] == ["kk", "ru", "sgn"]
    assert day["interpretation_services"]
    assert day["cost_options"][0]["currency"] == "KZT"
    assert day["cost_options"][0]["amount"] == 0
    assert day["schedules"][0]["description"] == "Дс–Жм 9:00–18:00"
    [link] = day["service_at_locations"]
    assert link["location"]["id"] == str(s.centre.public_id)
    assert link["location"]["location_type"] == "physical"
    assert link["location"]["addresses"][0]["address_1"] == "Абай даңғылы, 10"
    [access] = link["location"]["accessibility"]
    assert access["location_id"] == str(s.centre.public_id)
    assert access["details"]
    codes = {a["taxonomy_term"]["code"] for a in day["attributes"]}
    assert codes == {"semi_residential", "medical", "rehabilitation", "day_care"}
    # Every id is a UUID, none a database key.
    for value in (day["id"], link["id"], day["schedules"][0]["id"], day["cost_options"][0]["id"]):
        uuid.UUID(value)


def test_names_come_in_the_language_asked(s):
    ru = get(f"{API}/services/{s.day_care.public_id}", lang="ru")
    assert ru["name"] == "Дневной реабилитационный центр"
    assert ru["eligibility_description"] == "Дети с инвалидностью"
    en = Client().get(f"{API}/services/{s.day_care.public_id}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["name"] == "Day rehabilitation centre"
    # No English name given: the Kazakh one.
    assert get(f"{API}/services/{s.home_care.public_id}", lang="en")["name"] == "Үйде күтім"


def test_filters_combine_with_and(s):
    term = CatalogueTerm.objects.get(code="rehabilitation")
    assert [x["id"] for x in get(f"{API}/services", taxonomy_term_id=str(term.public_id))["contents"]] == [
        str(s.day_care.public_id)
    ]
    both = get(
        f"{API}/services", taxonomy_term_id=str(term.public_id), organization_id=str(s.turkistan.public_id)
    )
    assert both["empty"]
    assert both["total_items"] == 0
    assert both["contents"] == []
    assert get(f"{API}/services", region=factories.TURKISTAN)["total_items"] == 1
    almaly = f.district()
    assert get(f"{API}/services", district=almaly.kato)["total_items"] == 1 if almaly.kato else True
    assert get(f"{API}/services", search="оңалту")["total_items"] == 1
    assert get(f"{API}/services", search="оңалту", region=factories.TURKISTAN)["total_items"] == 0
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert get(f"{API}/services", modified_after=later)["total_items"] == 0
    assert get(f"{API}/services", taxonomy_id=taxonomy_id("need"))["total_items"] == 2


def test_pages_are_bounded_and_numbered(s):
    first = get(f"{API}/services", per_page=1)
    second = get(f"{API}/services", per_page=1, page=2)
    assert (first["total_pages"], first["size"], first["first_page"], first["last_page"]) == (
        2,
        1,
        True,
        False,
    )
    assert (second["page_number"], second["last_page"]) == (2, True)
    assert first["contents"][0]["id"] != second["contents"][0]["id"]
    beyond = get(f"{API}/services", per_page=1, page=9)
    assert beyond["contents"] == []
    assert beyond["size"] == 0
    assert not beyond["empty"]
    assert Client().get(f"{API}/services", {"per_page": 51}).status_code == 422
    assert Client().get(f"{API}/services", {"page": 0}).status_code == 422


def test_unknown_ids_and_inactive_services_are_not_found(s):
    services.service_set_status(actor=s["almaty.staff"], service=s.day_care, status="inactive")
    assert Client().get(f"{API}/services/{s.day_care.public_id}").status_code == 404
    assert Client().get(f"{API}/services/{s.day_care.pk}").status_code == 404
    assert Client().get(f"{API}/services/not-a-uuid").status_code == 404
    assert Client().get(f"{API}/organizations/{s.almaty.public_id}").status_code == 404
    assert [x["id"] for x in get(f"{API}/services")["contents"]] == [str(s.home_care.public_id)]
    assert get(f"{API}/service_at_locations")["total_items"] == 1


def test_organizations_with_their_services(s):
    page = get(f"{API}/organizations", full_service="true")
    assert {o["id"] for o in page["contents"]} == {str(s.almaty.public_id), str(s.turkistan.public_id)}
    almaty = next(o for o in page["contents"] if o["id"] == str(s.almaty.public_id))
    assert [x["id"] for x in almaty["services"]] == [str(s.day_care.public_id)]
    one = get(f"{API}/organizations/{s.almaty.public_id}", lang="ru")
    assert one["description"] == "Реабилитация детей"
    assert [loc["id"] for loc in one["locations"]] == [str(s.centre.public_id)]
    assert get(f"{API}/organizations", search="Түркістан")["total_items"] == 1


def test_taxonomies_and_their_terms(s):
    taxonomies = get(f"{API}/taxonomies")
    assert taxonomies["total_items"] == 3
    assert {t["id"] for t in taxonomies["contents"]} == {taxonomy_id(t) for t in ("setting", "type", "need")}
    types = get(f"{API}/taxonomy_terms", taxonomy_id=taxonomy_id("type"), per_page=50, lang="ru")
    assert types["total_items"] == 8
    assert {t["name"] for t in types["contents"]} >= {"Социально-правовые", "Социально-бытовые"}
    assert all(t["taxonomy_id"] == taxonomy_id("type") for t in types["contents"])


def test_the_openapi_document_lists_the_hsds_operations():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/hsds/services",
        "/api/v1/hsds/services/{service_id}",
        "/api/v1/hsds/organizations",
        "/api/v1/hsds/service_at_locations",
        "/api/v1/hsds/taxonomies",
        "/api/v1/hsds/taxonomy_terms",
        "/api/v1/services/summary",
    ):
        assert path in paths


# The public summary ------------------------------------------------------------------------


def _enrol(s: f.Scene, service: Service, count: int, *, waiting: int = 0) -> None:
    staff = s["almaty.staff"] if service.provider_id == s.almaty.pk else s["turkistan.staff"]
    org = s.almaty_org if service.provider_id == s.almaty.pk else s.turkistan_org
    today = timezone.localdate()
    for i in range(count + waiting):
        person = factories.person(staff, org, birth=dt.date(2015, 1, 1 + i % 28))
        if i < count:
            Enrolment.objects.create(
                service=service,
                person=person,
                identity=person.identity,
                starts_on=today - dt.timedelta(days=3),
            )
        else:
            WaitListEntry.objects.create(
                service=service,
                person=person,
                identity=person.identity,
                reference=f"W{i:05d}",
                joined_at=timezone.now(),
            )


def test_the_summary_counts_providers_places_and_hides_small_counts_of_people(s):
    today = timezone.localdate()
    Capacity.objects.create(
        service=s.day_care, unit="day_place", places=40, since=today - dt.timedelta(days=30)
    )
    _enrol(s, s.day_care, 3, waiting=2)
    body = get("/api/v1/services/summary", region=factories.ALMATY)
    assert body["providers"] == {
        "medical_social_institution": 0,
        "ngo": 1,
        "home_care_unit": 0,
        "state_centre": 0,
        "private": 0,
    }
    assert body["places"] == 40
    # 3 enrolled and 2 waiting are fewer than 5 people: hidden, and so are the free places
    # (the places less them would give the 3 away).
    assert (body["recipients_year"], body["waiting"], body["free_places"]) == (None, None, None)
    assert body["suppressed_below"] == 5
    _enrol(s, s.day_care, 9)
    body = get("/api/v1/services/summary", region=factories.ALMATY)
    # 12 enrolled, shown rounded to 10; the free places are the places less the shown.
    assert body["recipients_year"] == 10
    assert body["free_places"] == 30
    assert get("/api/v1/services/summary", region=factories.TURKISTAN)["providers"]["home_care_unit"] == 1
    assert Client().get("/api/v1/services/summary", {"region": "123"}).status_code == 404


def test_recipients_of_the_year_are_distinct_people(s):
    from qoldau.services import selectors

    _enrol(s, s.day_care, 6)
    enrolment = Enrolment.objects.first()
    assert enrolment is not None
    # The same person enrolled again (ended and started again) counts once.
    Enrolment.objects.filter(pk=enrolment.pk).update(
        ends_on=timezone.localdate() - dt.timedelta(days=1),
        starts_on=timezone.localdate() - dt.timedelta(days=2),
    )
    Enrolment.objects.create(
        service=s.day_care,
        person=enrolment.person,
        identity=enrolment.identity,
        starts_on=timezone.localdate(),
    )
    figures = selectors.services_summary(factories.region(factories.ALMATY))
    assert figures.recipients_year == 6
    assert figures.enrolled_today == 6
