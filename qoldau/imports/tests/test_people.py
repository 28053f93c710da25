"""Importing people through the real service: new people are registered with consent,
people already on the platform are linked, those already served are left as they are."""

import datetime as dt

import pytest

from qoldau.core.crypto import keyed_hash
from qoldau.core.models import AuditEntry, Consent, Person, PersonCategory, Place
from qoldau.core.tests import factories
from qoldau.imports.models import ImportRun
from qoldau.imports.services import ImportRejected, ImportSource, import_people
from qoldau.imports.tests.files import PEOPLE_EN as EN
from qoldau.imports.tests.files import PEOPLE_KK as KK
from qoldau.imports.tests.files import PEOPLE_RU as RU
from qoldau.imports.tests.files import person_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(world, path, *, dry_run=False, actor=None):
    return import_people(
        actor=actor or world.almaty_staff,
        organisation=world.almaty_ngo,
        source=ImportSource(path, path.name),
        dry_run=dry_run,
    )


@pytest.mark.parametrize("header", [EN, RU, KK], ids=["en", "ru", "kk"])
def test_people_headers_in_each_language(world, tmp_path, header):
    path = write_csv(tmp_path / "people.csv", header, [person_row(factories.valid_iin())])
    report = run(world, path, dry_run=True)
    assert (report.errors, report.columns_ignored, report.people_created) == ([], [], 1)


def test_people_are_registered_or_left_as_they_are(world, tmp_path):
    new_iin = factories.valid_iin(dt.date(1985, 7, 9), "M")
    alatau = Place.objects.get(name_kk="Алатау ауданы")
    rows = [
        person_row(new_iin, district="Алатауский район", category="disability_group_2; Пенсионер"),
        person_row(reason="foreign_citizen", birth="12.03.1979", sex="ж", region="", category="Large family"),
        person_row(world.turkistan_people[0].iin, last="Другой"),  # registered by another NGO
        person_row(world.almaty_people[0].iin),  # already served
    ]
    path = write_csv(tmp_path / "people.csv", EN, rows)
    report = run(world, path)
    # Another NGO's person is registered as new here, exactly as a never-seen IIN would be.
    assert (report.people_created, report.people_linked, report.people_unchanged) == (3, 0, 1)

    person = Person.objects.get(iin_hash=keyed_hash(new_iin))
    assert (person.birth_date, person.sex, person.phone) == (dt.date(1985, 7, 9), "M", "+7 701 000 0000")
    assert (person.region.kato, person.district) == ("750000000", alatau)
    assert sorted(PersonCategory.objects.filter(person=person).values_list("category__code", flat=True)) == [
        "disability_group_2",
        "pensioner",
    ]
    assert Consent.objects.get(person=person).given_on == dt.date(2025, 2, 1)
    foreigner = Person.objects.get(no_iin_reason="foreign_citizen")
    assert (foreigner.birth_date, foreigner.sex, foreigner.iin_hash) == (dt.date(1979, 3, 12), "F", None)
    # The other NGO's record is untouched; this organisation has its own, sharing the identity.
    theirs = world.turkistan_people[0]
    theirs.refresh_from_db()
    assert theirs.last_name == "Омаров"
    assert not Consent.objects.filter(person=theirs, organisation=world.almaty_ngo).exists()
    ours = Person.objects.get(organisation=world.almaty_ngo, iin_hash=theirs.iin_hash)
    assert (ours.last_name, ours.identity_id) == ("Другой", theirs.identity_id)
    assert Consent.objects.filter(person=world.almaty_people[0], organisation=world.almaty_ngo).count() == 1
    entry = AuditEntry.objects.get(action="imports.people")
    assert entry.details["people_created"] == 3


@pytest.mark.parametrize(
    ("values", "column", "code"),
    [
        ({"iin": factories.valid_iin()[:11] + "x"}, "IIN", "iin_format"),
        ({}, "IIN", "iin_or_reason"),
        ({"reason": "lost it"}, "No IIN reason", "no_iin_reason"),
        ({"reason": "stateless", "sex": "X"}, "Sex", "invalid_sex"),
        ({"reason": "stateless", "birth": "2999-01-01"}, "Birth date", "future_date"),
        ({"reason": "stateless", "birth": "yesterday"}, "Birth date", "invalid_date"),
        ({"iin": "valid", "last": ""}, "Last name", "required"),
        ({"iin": "valid", "phone": "call me"}, "Phone", "invalid_phone"),
        ({"iin": "valid", "region": "123"}, "Region (KATO)", "unknown_region"),
        (
            {"iin": "valid", "region": "100000000", "district": "Алатау ауданы"},
            "District",
            "unknown_district",
        ),
        ({"iin": "valid", "category": "astronaut"}, "Category", "unknown_category"),
        ({"iin": "valid", "consent": "2999-01-01"}, "Consent date", "future_date"),
    ],
)
def test_each_bad_person_row_is_reported(world, tmp_path, values, column, code):
    iin = values.pop("iin", "")
    if iin == "valid":
        iin = factories.valid_iin()
    rows = [person_row(factories.valid_iin()), person_row(iin, **values)]
    report = run(world, write_csv(tmp_path / "people.csv", EN, rows), dry_run=True)
    assert [(e.row, e.column, e.code) for e in report.errors] == [(3, column, code)]


def test_the_same_iin_twice_in_a_file_is_refused(world, tmp_path):
    iin = factories.valid_iin()
    report = run(
        world, write_csv(tmp_path / "people.csv", EN, [person_row(iin), person_row(iin)]), dry_run=True
    )
    assert [(e.row, e.code, e.params) for e in report.errors] == [(3, "duplicate_person", {"first_row": 2})]


def test_one_bad_person_row_writes_nothing(world, tmp_path):
    before = Person.objects.count()
    rows = [person_row(factories.valid_iin()), person_row(factories.valid_iin(), region="1")]
    with pytest.raises(ImportRejected):
        run(world, write_csv(tmp_path / "people.csv", EN, rows))
    assert Person.objects.count() == before
    assert not ImportRun.objects.exists()


def test_the_same_people_file_twice_changes_nothing(world, tmp_path):
    rows = [person_row(factories.valid_iin()), person_row(reason="no_documents")]
    path = write_xlsx(tmp_path / "people.xlsx", RU, rows)
    assert run(world, path).people_created == 2
    before = (Person.objects.count(), Consent.objects.count())
    again = run(world, path)
    assert again.already_imported_on is not None
    assert again.people_created == 0
    assert (Person.objects.count(), Consent.objects.count()) == before
