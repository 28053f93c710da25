"""The akimat officer's page for planned centres: linked from the network page, it records
a centre in a region the officer oversees (with its district, places, opening date and
stage), and refuses places out of bounds, a district of another region and a region not
overseen with a clear translated error, saving nothing. Others may not open it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from qoldau.core.models import AuditEntry, Place
from qoldau.core.tests import factories
from qoldau.services.models import PlannedCentre
from qoldau.services.tests import flow_factories as f

pytestmark = pytest.mark.django_db
PATH = "/services/flow/network/plan/"


def _client(user: object, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)  # type: ignore[arg-type]
    client.cookies["qoldau_language"] = language
    return client


def _almaty() -> tuple[Place, Place]:
    region = factories.region(factories.ALMATY)
    district = region.children.order_by("pk").first()
    assert district is not None
    return region, district


def _turkistan_district() -> Place:
    region = factories.region(factories.TURKISTAN)
    found = region.children.filter(level=Place.Level.DISTRICT).order_by("pk").first()
    return found or Place.objects.create(
        level=Place.Level.DISTRICT, parent=region, name_kk="Сайрам ауданы", name_ru="Сайрамский район"
    )


def _post(region: Place, district: Place | None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_kk": "Жаңа оңалту орталығы",
        "name_ru": "Новый реабилитационный центр",
        "name_en": "",
        "region": region.pk,
        "district": district.pk if district else "",
        "unit": "place",
        "places": 60,
        "opens_on": "2027-09-01",
        "stage": "under_construction",
    }
    data.update(changes)
    return data


def test_the_network_page_links_to_the_form_and_a_centre_is_recorded() -> None:
    s = f.flow()
    region, district = _almaty()
    officer = _client(s.akimat)
    network = officer.get("/services/flow/network/").content.decode()
    assert PATH in network
    assert officer.get(PATH).status_code == 200
    response = officer.post(PATH, _post(region, district))
    assert response.status_code == 302
    centre = PlannedCentre.objects.get()
    assert (centre.region, centre.district, centre.places) == (region, district, 60)
    assert centre.opens_on == dt.date(2027, 9, 1)
    assert centre.stage == "under_construction"
    assert AuditEntry.objects.filter(action="services.planned_centre_record", object_id=centre.pk).exists()
    after = officer.get(response["Location"]).content.decode()
    assert "The planned centre was recorded." in after
    listed = officer.get(f"{PATH}?region={region.pk}").content.decode()
    assert "Жаңа оңалту орталығы" in listed or "Новый реабилитационный центр" in listed
    assert "Under construction" in listed


@pytest.mark.parametrize(
    ("language", "places", "expected"),
    [
        ("en", 0, "The places must be between 1 and 100000."),
        ("en", 100_001, "The places must be between 1 and 100000."),
        ("ru", 0, "Число мест должно быть от 1 до 100000."),
        ("kk", -5, "Орын саны 1 мен 100000 аралығында болуы керек."),
    ],
)
def test_places_out_of_bounds_are_refused_and_nothing_is_saved(
    language: str, places: int, expected: str
) -> None:
    s = f.flow()
    region, district = _almaty()
    response = _client(s.akimat, language).post(PATH, _post(region, district, places=places))
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not PlannedCentre.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Choose a district of a region you oversee."),
        ("ru", "Выберите район области, которую вы курируете."),
        ("kk", "Өзіңіз қадағалайтын өңірдің ауданын таңдаңыз."),
    ],
)
def test_a_district_outside_the_officers_region_is_refused(language: str, expected: str) -> None:
    s = f.flow()
    region, _district = _almaty()
    elsewhere = _turkistan_district()
    response = _client(s.akimat, language).post(PATH, _post(region, elsewhere))
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not PlannedCentre.objects.exists()


def test_a_district_of_another_overseen_region_is_refused_by_the_rule() -> None:
    """The ministry oversees every region: the district is in the list, but not in the
    region chosen."""
    f.flow()
    ministry = factories.user("ministry.plan", "ministry_officer")
    region, _district = _almaty()
    elsewhere = _turkistan_district()
    response = _client(ministry).post(PATH, _post(region, elsewhere))
    assert response.status_code == 400
    assert "The district is not in the region." in response.content.decode()
    assert not PlannedCentre.objects.exists()


def test_a_region_not_overseen_and_strangers_are_refused() -> None:
    s = f.flow()
    turkistan = factories.region(factories.TURKISTAN)
    officer = _client(s.akimat)
    response = officer.post(PATH, _post(turkistan, None))
    assert response.status_code == 400
    assert not PlannedCentre.objects.exists()
    region, district = _almaty()
    assert _client(s.provider_staff).get(PATH).status_code == 403
    assert _client(s.provider_staff).post(PATH, _post(region, district)).status_code == 403
    assert Client().get(PATH).status_code == 302
    assert not PlannedCentre.objects.exists()
