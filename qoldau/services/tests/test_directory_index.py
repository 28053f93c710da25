"""The public directory's search index (`DirectoryKey`): every filter finds and counts what
a plain reading of the services finds, in every reader's language; every write that
changes what a service is found by rebuilds its keys; a word is found by its beginning;
the migration indexes the services already there as the writes do."""

from __future__ import annotations

import importlib
import itertools
import re
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from qoldau.core.models import Place, VulnerabilityCategory
from qoldau.services import selectors, services
from qoldau.services.models import DirectoryKey, Service
from qoldau.services.tests import directory_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s() -> f.Scene:
    scene = f.scene()
    category = VulnerabilityCategory.objects.order_by("pk").first()
    assert category is not None
    # A third service: two locations in two regions, for one category, with a name in which
    # "балалар" begins two words (counted once), and a fourth that is not given now.
    far = services.location_add(
        actor=scene["almaty.staff"],
        provider=scene.almaty,
        data=services.LocationInput(
            name_kk="Шымкент", region_id=scene.home.region_id, address="Тәуке хан, 5"
        ),
    )
    services.service_add(
        actor=scene["almaty.staff"],
        provider=scene.almaty,
        data=f.service_input(
            name_kk="Балалар мен балаларға арналған психолог",
            name_ru="Психолог для детей",
            name_en="",
            setting_code="at_home",
            kind_code="psychological",
            need_codes=("psychological_help",),
            category_codes=(category.code,),
            minimum_age=None,
            maximum_age=None,
            location_ids=(scene.centre.pk, far.pk),
        ),
    )
    paused = services.service_add(
        actor=scene["almaty.staff"],
        provider=scene.almaty,
        data=f.service_input(name_kk="Уақытша психолог", name_ru="Временный психолог", location_ids=()),
    )
    services.service_set_status(actor=scene["almaty.staff"], service=paused, status="inactive")
    return scene


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def found_plainly(flt: selectors.DirectoryFilter, language: str) -> set[str]:
    """What the filter means, read off every service in Python: the oracle the index is
    checked against."""
    found = set()
    for service in Service.objects.prefetch_related("needs", "categories", "locations"):
        names = [service.name_en, service.name_kk, service.name_ru] if language == "en" else []
        names = names or [getattr(service, f"name_{language}")]
        words = [word for name in names for word in _words(name)]
        terms = {service.setting_id, service.kind_id, *(t.pk for t in service.needs.all())}
        categories = {c.code for c in service.categories.all()}
        locations = list(service.locations.all())
        if service.status != "active":
            continue
        if flt.need and not any(t.code == flt.need for t in service.needs.all()):
            continue
        if flt.setting and service.setting.code != flt.setting:
            continue
        if flt.kind and service.kind.code != flt.kind:
            continue
        if flt.term_public_id and not any(
            t.public_id == flt.term_public_id for t in (service.setting, service.kind, *service.needs.all())
        ):
            continue
        if flt.taxonomy == "need" and not service.needs.exists():
            continue
        if flt.region_id and flt.region_id not in {loc.region_id for loc in locations}:
            continue
        if flt.district_id and flt.district_id not in {loc.district_id for loc in locations}:
            continue
        if flt.category and categories and flt.category not in categories:
            continue
        if flt.age is not None and not (
            (service.minimum_age is None or service.minimum_age <= flt.age)
            and (service.maximum_age is None or service.maximum_age >= flt.age)
        ):
            continue
        if flt.provider_id and service.provider_id != flt.provider_id:
            continue
        if not all(any(w.startswith(asked) for w in words) for asked in _words(flt.text)):
            continue
        assert terms  # every service has a setting and a type
        found.add(service.name_kk)
    return found


def filters(s: f.Scene) -> list[selectors.DirectoryFilter]:
    category = VulnerabilityCategory.objects.order_by("pk")
    needs = s.day_care.needs.order_by("pk")
    return [
        selectors.DirectoryFilter(),
        selectors.DirectoryFilter(need="rehabilitation"),
        selectors.DirectoryFilter(need="psychological_help", region_id=s.home.region_id),
        selectors.DirectoryFilter(need="no_such_need"),
        selectors.DirectoryFilter(district_id=s.centre.district_id),
        selectors.DirectoryFilter(region_id=s.centre.region_id, age=10),
        selectors.DirectoryFilter(region_id=s.home.region_id),
        selectors.DirectoryFilter(category=category[0].code),
        selectors.DirectoryFilter(category=category[1].code, text="балалар"),
        selectors.DirectoryFilter(text="балалар"),
        selectors.DirectoryFilter(text="бала псих"),
        selectors.DirectoryFilter(text="оңалт"),
        selectors.DirectoryFilter(text="уход"),
        selectors.DirectoryFilter(text="психолог", provider_id=s.almaty.pk),
        selectors.DirectoryFilter(text="centre"),
        selectors.DirectoryFilter(setting="at_home"),
        selectors.DirectoryFilter(kind="psychological", text="психолог"),
        selectors.DirectoryFilter(setting="no_such_setting"),
        selectors.DirectoryFilter(term_public_id=needs[0].public_id),
        selectors.DirectoryFilter(taxonomy="need"),
        selectors.DirectoryFilter(taxonomy="need", age=2),
    ]


def test_every_filter_finds_and_counts_what_the_services_plainly_say(s):
    checked = 0
    for flt, language in itertools.product(filters(s), ("kk", "ru", "en")):
        expected = found_plainly(flt, language)
        found = selectors.services_search(flt, language=language)
        assert {service.name_kk for service in found} == expected, (flt, language)
        assert found.count() == len(expected), (flt, language)
        assert selectors.services_count(flt, language=language) == len(expected), (flt, language)
        checked += bool(expected)
    # The oracle is not vacuous: most of the filters find something.
    assert checked > 40


def test_a_word_is_found_by_its_beginning_not_by_its_middle(s):
    def kk(text: str) -> set[str]:
        return {
            x.name_kk for x in selectors.services_search(selectors.DirectoryFilter(text=text), language="kk")
        }

    assert kk("оңалт") == {"Күндізгі оңалту орталығы"}
    assert kk("ОҢАЛТУ, орталығы!") == {"Күндізгі оңалту орталығы"}
    assert kk("налту") == set()
    # "балалар" begins two words of one name: the service is found and counted once.
    assert kk("балалар") == {"Балалар мен балаларға арналған психолог"}
    assert selectors.services_count(selectors.DirectoryFilter(text="балалар"), language="kk") == 1
    # A paused service keeps no keys, whatever its name.
    assert kk("уақытша") == set()


def keys_of(service: Service) -> set[str]:
    return set(DirectoryKey.objects.filter(service=service).values_list("key", flat=True))


def test_the_index_follows_every_write_that_changes_what_a_service_is_found_by(s):
    staff = s["almaty.staff"]
    by = selectors.DirectoryFilter

    def found(flt: selectors.DirectoryFilter) -> set[str]:
        return {x.name_kk for x in selectors.services_search(flt, language="kk")}

    # Renamed, with other needs: found by the new words and needs only.
    service = Service.objects.get(pk=s.day_care.pk)
    services.service_update(
        actor=staff,
        service=service,
        expected_version=service.version,
        data=f.service_input(name_kk="Жаңа орталық", need_codes=("legal_help",), location_ids=(s.centre.pk,)),
    )
    assert found(by(text="оңалту")) == set()
    assert found(by(text="жаңа")) == {"Жаңа орталық"}
    assert found(by(need="rehabilitation")) == set()
    assert found(by(need="legal_help")) == {"Жаңа орталық"}
    # Its location moved to another district: found there, not where it was.
    old_district = s.centre.district_id
    new_district = (
        Place.objects.filter(level=Place.Level.DISTRICT, parent_id=s.centre.region_id)
        .exclude(pk=old_district)
        .first()
    )
    assert new_district is not None
    services.location_update(
        actor=staff,
        location=s.centre,
        data=services.LocationInput(
            name_kk=s.centre.name_kk,
            region_id=s.centre.region_id,
            district_id=new_district.pk,
            address=s.centre.address,
        ),
    )
    assert "Жаңа орталық" not in found(by(district_id=old_district))
    assert "Жаңа орталық" in found(by(district_id=new_district.pk))
    # Paused: no keys and not counted; given again: its keys are back.
    before = keys_of(service)
    services.service_set_status(actor=staff, service=service, status="inactive")
    assert keys_of(service) == set()
    assert selectors.services_count(by(text="жаңа"), language="kk") == 0
    services.service_set_status(actor=staff, service=service, status="active")
    assert keys_of(service) == before


def test_the_migration_indexes_the_services_there_as_the_writes_do(s):
    written = {(key.service_id, key.key) for key in DirectoryKey.objects.all()}
    assert written
    DirectoryKey.objects.all().delete()
    migration: Any = importlib.import_module("qoldau.services.migrations.0003_directory_search_keys")
    migration.index_services(apps, None)
    assert {(key.service_id, key.key) for key in DirectoryKey.objects.all()} == written
    # And rebuilding changes nothing.
    services.directory_reindex_in_transaction(Service.objects.values_list("pk", flat=True))
    assert {(key.service_id, key.key) for key in DirectoryKey.objects.all()} == written


def test_the_command_rebuilds_an_index_that_writes_with_the_models_left_behind(s):
    # A data fix in the shell: a service paused and another renamed with the models.
    Service.objects.filter(pk=s.home_care.pk).update(status="inactive")
    Service.objects.filter(pk=s.day_care.pk).update(name_kk="Түзетілген атау")
    out = StringIO()
    call_command("directory", "reindex", stdout=out)
    assert "The directory's search index holds" in out.getvalue()
    assert keys_of(s.home_care) == set()
    found = selectors.services_search(selectors.DirectoryFilter(text="түзетілген"), language="kk")
    assert [x.pk for x in found] == [s.day_care.pk]
    assert selectors.services_count(selectors.DirectoryFilter(text="оңалту"), language="kk") == 0
