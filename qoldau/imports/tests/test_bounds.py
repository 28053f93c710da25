"""Imports check each cell by the same bounds as the forms and the API (core.bounds): a
name longer than a form takes, a control character, a quantity or a date beyond its range
is a bad row with its reason, and nothing is written."""

import pytest

from qoldau.core import bounds
from qoldau.core.models import Person
from qoldau.core.tests import factories
from qoldau.imports.services import ImportRejected, ImportSource, import_deliveries, import_people
from qoldau.imports.tests.files import PEOPLE_EN as PEOPLE
from qoldau.imports.tests.files import delivery, person_row, write_file
from qoldau.imports.validation import ErrorList
from qoldau.projects.models import ServiceDelivery

pytestmark = pytest.mark.django_db

NAME_LIMIT = bounds.max_length(bounds.PersonName)


def deliveries(world, path, *, dry_run=True):
    return import_deliveries(
        actor=world.almaty_staff, project=world.project, source=ImportSource(path, path.name), dry_run=dry_run
    )


def people(world, path, *, dry_run=True):
    return import_people(
        actor=world.almaty_staff,
        organisation=world.almaty_ngo,
        source=ImportSource(path, path.name),
        dry_run=dry_run,
    )


def codes(report):
    return [(e.row, e.column, e.code, e.params) for e in report.errors]


@pytest.mark.parametrize(
    ("row", "column", "code", "params"),
    [
        (delivery("", quantity="1e308"), "Quantity", "invalid_quantity", {}),
        (delivery("", quantity="100000000"), "Quantity", "invalid_quantity", {}),
        (
            delivery("", names=("И" * (NAME_LIMIT + 1), "Иван", "")),
            "Last name",
            "too_long",
            {"limit": NAME_LIMIT},
        ),
        (delivery("", names=("Иванов", "Ив\x07ан", "")), "First name", "invalid_text", {}),
        ([*delivery("")[:7], "n" * 301], "Note", "too_long", {"limit": 300}),
        ([*delivery("")[:7], "бір\x1bекі"], "Note", "invalid_text", {}),
    ],
)
def test_a_deliveries_cell_outside_the_bounds_is_a_bad_row(world, tmp_path, row, column, code, params):
    row[0] = factories.valid_iin()
    path = write_file(tmp_path, [row])
    report = deliveries(world, path)
    assert codes(report) == [(2, column, code, params)]
    with pytest.raises(ImportRejected):
        deliveries(world, path, dry_run=False)
    assert not ServiceDelivery.objects.exists()


@pytest.mark.parametrize(
    ("values", "column", "code"),
    [
        ({"last": "Ж" * (NAME_LIMIT + 1)}, "Last name", "too_long"),
        ({"first": "Гүл\tнар"}, "First name", "invalid_text"),
        ({"phone": "7" * 41}, "Phone", "too_long"),
        ({"consent": "1999-12-31"}, "Consent date", "date_out_of_range"),
    ],
)
def test_a_people_cell_outside_the_bounds_is_a_bad_row(world, tmp_path, values, column, code):
    before = Person.objects.count()
    path = write_file(
        tmp_path, [person_row(factories.valid_iin(), **values)], header=PEOPLE, name="people.csv"
    )
    report = people(world, path)
    assert [(e.column, e.code) for e in report.errors] == [(column, code)]
    with pytest.raises(ImportRejected):
        people(world, path, dry_run=False)
    assert Person.objects.count() == before


def test_a_birth_date_before_1900_is_a_bad_row(world, tmp_path):
    row = person_row("", reason="other", birth="1850-05-01", sex="F")
    path = write_file(tmp_path, [row], header=PEOPLE, name="people.csv")
    report = people(world, path)
    assert codes(report) == [
        (
            2,
            "Birth date",
            "date_out_of_range",
            {"date": "1850-05-01", "low": "1900-01-01", "high": report.errors[0].params["high"]},
        )
    ]


def test_a_name_at_its_limit_is_imported(world, tmp_path):
    path = write_file(
        tmp_path, [person_row(factories.valid_iin(), last="Ж" * NAME_LIMIT)], header=PEOPLE, name="people.csv"
    )
    report = people(world, path, dry_run=False)
    assert report.people_created == 1


def test_a_reason_never_shows_a_nul_or_a_broken_character():
    errors = ErrorList()
    errors.add(2, "Ser\x00vice", "unknown_service", {"value": "a\x00b\ud800"})
    assert (errors.kept[0].column, errors.kept[0].params) == ("Ser\ufffdvice", {"value": "a\ufffdb\ufffd"})
