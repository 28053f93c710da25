"""Importing service deliveries through the real service: every row is checked, bad rows
come back with their number and reason, and the write is all or nothing and idempotent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import PermissionDenied
from qoldau.core.models import AuditEntry, Consent, Person
from qoldau.core.tests import factories
from qoldau.imports.models import ImportRun
from qoldau.imports.readers import ImportFileError
from qoldau.imports.services import ImportRejected, ImportSource, import_deliveries
from qoldau.imports.tests.files import (
    EN,
    KK,
    RU,
    delivery,
    iin_with_impossible_date,
    iin_with_wrong_check_digit,
    write_file,
)
from qoldau.projects.models import ReachStale, ServiceDelivery

pytestmark = pytest.mark.django_db


def run(world, path, *, dry_run=False, actor=None, mapping=None, name=None):
    return import_deliveries(
        actor=actor or world.almaty_staff,
        project=world.project,
        source=ImportSource(path, name or path.name, tuple(mapping) if mapping else None),
        dry_run=dry_run,
    )


def errors_of(report):
    return [(e.row, e.column, e.code) for e in report.errors]


def nothing_written():
    return (
        ServiceDelivery.objects.count() == 0
        and not ImportRun.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="imports.").exists()
    )


@pytest.mark.parametrize("header", [EN, RU, KK], ids=["en", "ru", "kk"])
def test_headers_in_english_russian_and_kazakh_are_recognised(world, tmp_path, header):
    path = write_file(tmp_path, [delivery(factories.valid_iin())], header=header)
    report = run(world, path, dry_run=True)
    assert report.errors == []
    assert report.columns_ignored == []
    assert report.deliveries_written == 1


def test_headers_match_whatever_the_case_spaces_and_punctuation(world, tmp_path):
    header = [" iin ", "LAST-NAME", "first_name", "Әкесінің  аты", "услуга.", "ДАТА", "Кол-во", "№"]
    path = write_file(tmp_path, [[*delivery(factories.valid_iin())[:7], "1"]], header=header)
    report = run(world, path, dry_run=True)
    assert report.errors == []
    assert report.columns_ignored == ["№"]


def test_dry_run_writes_nothing(world, tmp_path):
    people_before = Person.objects.count()
    path = write_file(tmp_path, [delivery(factories.valid_iin()), delivery(world.almaty_people[0].iin)])
    report = run(world, path, dry_run=True)
    assert (report.total, report.deliveries_written, report.people_created) == (2, 2, 1)
    assert Person.objects.count() == people_before
    assert nothing_written()


def test_import_registers_new_people_and_records_deliveries(world, tmp_path):
    new_iin = factories.valid_iin(dt.date(2001, 2, 3), "F")
    served = world.almaty_people[0]
    elsewhere = world.turkistan_people[0]  # registered, but by another organisation
    rows = [
        delivery(new_iin, day="2025-04-02", names=("Сейітова", "Әсел", "Маратқызы")),
        delivery(new_iin, service="Юридическая консультация", day="2025-03-15", names=("", "", "")),
        delivery(
            served.iin, service="Social consultation", day="01.05.2025", quantity="2,5", names=("", "", "")
        ),
        delivery(elsewhere.iin, service="Заң кеңесі", day="2025-06-01", names=("Омарова", "Дана", "")),
    ]
    path = write_file(tmp_path, rows)
    report = run(world, path)

    assert (report.total, report.deliveries_written, report.unchanged) == (4, 4, 0)
    # Another organisation's person is new here: a record of this organisation's own.
    assert (report.people_created, report.people_linked) == (2, 0)
    own = Person.objects.get(organisation=world.almaty_ngo, iin_hash=elsewhere.iin_hash)
    assert (own.last_name, own.first_name, own.identity_id) == ("Омарова", "Дана", elsewhere.identity_id)
    elsewhere.refresh_from_db()
    assert elsewhere.last_name == "Омаров"
    assert not Consent.objects.filter(person=elsewhere, organisation=world.almaty_ngo).exists()
    person = Person.objects.get(iin_hash=keyed_hash(new_iin))
    assert (person.last_name, person.first_name, person.patronymic) == ("Сейітова", "Әсел", "Маратқызы")
    assert (person.birth_date, person.sex) == (dt.date(2001, 2, 3), "F")
    # The consent of a new person is dated their first delivery in the file.
    consent = Consent.objects.get(person=person, organisation=world.almaty_ngo)
    assert consent.given_on == dt.date(2025, 3, 15)
    assert consent.recorded_by == world.almaty_staff
    assert ServiceDelivery.objects.get(person=served).quantity == Decimal("2.50")
    # Each delivery counts in the person's region, else the project's only region.
    assert set(ServiceDelivery.objects.values_list("region_id", flat=True)) == {world.almaty_ngo.region_id}
    assert ReachStale.objects.filter(year=2025, region_key=world.almaty_ngo.region_id).exists()
    run_row = ImportRun.objects.get()
    assert (run_row.project, run_row.user, run_row.deliveries_written) == (
        world.project,
        world.almaty_staff,
        4,
    )
    entry = AuditEntry.objects.get(action="imports.deliveries")
    assert entry.details["deliveries_written"] == 4
    assert entry.channel == "system"
    assert new_iin not in str(entry.details)


def test_a_person_only_another_organisation_serves_is_unknown_exactly_like_a_new_iin(world, tmp_path):
    elsewhere = world.turkistan_people[0]
    never_seen = factories.valid_iin(dt.date(1990, 4, 4), "M")
    rows = [
        delivery(elsewhere.iin, names=("", "", "")),
        delivery(never_seen, names=("", "", "")),
    ]
    report = run(world, write_file(tmp_path, rows), dry_run=True)
    assert errors_of(report) == [(2, "Last name", "person_unknown"), (3, "Last name", "person_unknown")]
    assert report.errors[0].reason == report.errors[1].reason
    assert report.people_created == report.people_linked == 0


@pytest.mark.parametrize(
    ("bad_row", "column", "code"),
    [
        (delivery(iin_with_wrong_check_digit()), "IIN", "iin_check_digit"),
        (delivery(iin_with_impossible_date()), "IIN", "iin_birth_date"),
        (delivery("12345"), "IIN", "iin_format"),
        (delivery(""), "IIN", "required"),
        (delivery("IIN", service=""), "Service", "required"),
        (delivery("IIN", service="massage"), "Service", "unknown_service"),
        (delivery("IIN", day="soon"), "Date", "invalid_date"),
        (delivery("IIN", day="31.02.2025"), "Date", "invalid_date"),
        (delivery("IIN", day="2024-12-31"), "Date", "outside_project_period"),
        (delivery("IIN", quantity="0"), "Quantity", "invalid_quantity"),
        (delivery("IIN", quantity="-2"), "Quantity", "invalid_quantity"),
        (delivery("IIN", quantity="many"), "Quantity", "invalid_quantity"),
        (delivery("IIN", quantity="1.255"), "Quantity", "invalid_quantity"),
        (delivery("IIN", names=("", "", "")), "Last name", "person_unknown"),
        (delivery("IIN", names=("Иванов", "", "")), "Last name", "person_unknown"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_bad_row_is_reported_with_its_row_number_and_reason(world, tmp_path, bad_row, column, code):
    if bad_row[0] == "IIN":
        bad_row[0] = factories.valid_iin()
    good = delivery(factories.valid_iin())
    path = write_file(tmp_path, [good, bad_row, [*good[:4], "social_consultation", "2025-03-02", "", ""]])
    report = run(world, path, dry_run=True)
    assert errors_of(report) == [(3, column, code)]
    assert report.error_rows == 1
    assert report.valid == 2
    with translation.override("en"):
        assert report.errors[0].reason.endswith(".")
        assert not bad_row[0] or bad_row[0] not in report.errors[0].reason  # no IIN in reasons


def test_a_repeated_row_is_reported_against_the_first(world, tmp_path):
    iin = factories.valid_iin()
    path = write_file(tmp_path, [delivery(iin), delivery(factories.valid_iin()), delivery(iin, quantity="3")])
    report = run(world, path, dry_run=True)
    assert errors_of(report) == [(4, "Date", "duplicate_delivery")]
    assert report.errors[0].params == {"first_row": 2}


def test_a_long_note_is_refused(world, tmp_path):
    row = delivery(factories.valid_iin())
    row[7] = "x" * 301
    report = run(world, write_file(tmp_path, [row]), dry_run=True)
    assert errors_of(report) == [(2, "Note", "too_long")]


def test_every_row_of_an_unknown_person_without_names_is_bad(world, tmp_path):
    iin = factories.valid_iin()
    nameless = ("", "", "")
    rows = [delivery(iin, names=nameless), delivery(iin, day="2025-03-02", names=nameless)]
    report = run(world, write_file(tmp_path, rows), dry_run=True)
    assert errors_of(report) == [(2, "Last name", "person_unknown"), (3, "Last name", "person_unknown")]


def test_one_bad_row_writes_nothing(world, tmp_path):
    people_before = Person.objects.count()
    rows = [delivery(factories.valid_iin()) for _ in range(5)] + [delivery(factories.valid_iin(), day="x")]
    path = write_file(tmp_path, rows)
    with pytest.raises(ImportRejected) as caught:
        run(world, path)
    assert errors_of(caught.value.report) == [(7, "Date", "invalid_date")]
    assert Person.objects.count() == people_before
    assert nothing_written()


def test_importing_the_same_file_twice_changes_nothing(world, tmp_path):
    path = write_file(tmp_path, [delivery(factories.valid_iin()), delivery(world.almaty_people[1].iin)])
    first = run(world, path)
    assert first.deliveries_written == 2
    counts = (Person.objects.count(), Consent.objects.count(), ServiceDelivery.objects.count())

    again = run(world, path)
    assert again.already_imported_on == ImportRun.objects.get().created_at
    assert (again.deliveries_written, again.people_created, again.unchanged) == (0, 0, 2)
    assert (Person.objects.count(), Consent.objects.count(), ServiceDelivery.objects.count()) == counts
    assert ImportRun.objects.count() == 1
    # A dry run of it says so too, and finds every delivery already recorded.
    dry = run(world, path, dry_run=True)
    assert dry.already_imported_on is not None
    assert (dry.deliveries_written, dry.unchanged) == (0, 2)


def test_a_file_overlapping_an_earlier_one_records_only_what_is_new(world, tmp_path):
    rows = [delivery(factories.valid_iin()), delivery(world.almaty_people[0].iin)]
    run(world, write_file(tmp_path, rows, name="march.csv"))
    newer = [rows[1], delivery(factories.valid_iin(), day="2025-03-05"), rows[0]]
    report = run(world, write_file(tmp_path, newer, name="march-and-more.csv"))
    assert (report.deliveries_written, report.unchanged, report.people_created) == (1, 2, 1)
    assert ServiceDelivery.objects.count() == 3


def test_xlsx_with_iins_and_dates_typed_as_numbers_and_dates(world, tmp_path):
    iin = factories.valid_iin(dt.date(2005, 1, 2), "M")  # starts with 0: Excel drops it
    assert iin.startswith("0")
    excel_day = dt.datetime(2025, 3, 1)  # noqa: DTZ001 - Excel cells carry no time zone
    rows = [[int(iin), "Омаров", "Ерлан", "", "legal_consultation", excel_day, 2, "үйде"]]
    report = run(world, write_file(tmp_path, rows, fmt="xlsx"))
    assert report.errors == []
    delivery_row = ServiceDelivery.objects.get()
    assert delivery_row.person.iin == iin
    assert (delivery_row.delivered_on, delivery_row.quantity, delivery_row.note) == (
        dt.date(2025, 3, 1),
        Decimal(2),
        "үйде",
    )


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("cp1251", ";"), ("utf-8-sig", ","), ("utf-8", "\t"), ("utf-8", ";")]
)
def test_csv_in_each_encoding_and_delimiter(world, tmp_path, encoding, delimiter):
    rows = [delivery(factories.valid_iin(), service="Социальная консультация", names=("Ёлкина", "Анна", ""))]
    path = write_file(tmp_path, rows, header=RU, encoding=encoding, delimiter=delimiter)
    report = run(world, path)
    assert report.errors == []
    assert ServiceDelivery.objects.get().person.last_name == "Ёлкина"


def test_columns_mapped_by_hand_when_headers_are_not_recognised(world, tmp_path):
    header = ["Number", "Who", "What", "When"]
    path = write_file(
        tmp_path, [["1", world.almaty_people[0].iin, "legal_consultation", "2025-03-01"]], header=header
    )
    with pytest.raises(ImportFileError) as caught:
        run(world, path, dry_run=True)
    assert caught.value.code == "missing_columns"
    report = run(world, path, mapping=["", "iin", "service", "date"])
    assert (report.deliveries_written, report.columns_ignored) == (1, ["Number"])


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("deliveries.csv", b"", "file_empty"),
        ("deliveries.csv", ",".join(EN).encode() + b"\n", "file_empty"),
        ("deliveries.txt", b"IIN\n1\n", "file_type"),
        ("deliveries.xls", b"IIN\n1\n", "file_type"),
        ("deliveries.xlsx", b"not a zip file", "file_unreadable"),
        ("deliveries.csv", b"IIN,Service\n1,2\n", "missing_columns"),
        ("deliveries.csv", b"IIN,Service,Date,Date\n1,a,b,c\n", "repeated_columns"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_whole(world, tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        run(world, path)
    assert caught.value.code == code
    assert nothing_written()


def test_a_file_larger_than_the_limit_is_refused(world, tmp_path, settings):
    settings.QOLDAU_IMPORT_MAX_MB = 1
    path = write_file(tmp_path, [delivery(factories.valid_iin())] * 40_000)
    assert path.stat().st_size > 1024 * 1024
    with pytest.raises(ImportFileError) as caught:
        run(world, path, dry_run=True)
    assert caught.value.code == "file_too_large"


def test_only_the_staff_of_the_projects_organisation_may_import(world, tmp_path):
    path = write_file(tmp_path, [delivery(factories.valid_iin())])
    for outsider in (world.turkistan_staff, world.akimat_almaty, world.ministry):
        with pytest.raises(PermissionDenied):
            run(world, path, actor=outsider, dry_run=True)
    assert run(world, path, actor=world.sysadmin).deliveries_written == 1


def test_every_imported_delivery_carries_its_persons_identity(world, tmp_path):
    # One person the organisation has already, one the import registers, one registered
    # before by another organisation only (a record of its own, the identity shared).
    known = world.almaty_people[0]
    other = world.turkistan_people[0]
    new_iin = factories.valid_iin(dt.date(2001, 2, 3))
    path = write_file(
        tmp_path,
        [delivery(known.iin), delivery(new_iin), delivery(other.iin), delivery(known.iin, day="2025-03-02")],
    )
    report = run(world, path)
    assert report.deliveries_written == 4
    rows = list(ServiceDelivery.objects.values_list("person_id", "person__identity_id", "identity_id"))
    assert len(rows) == 4
    assert all(identity == own for _person, own, identity in rows)
    # Almaty's new record of the Turkistan person counts as the same identity.
    almaty_record = Person.objects.get(organisation=world.almaty_ngo, iin_hash=keyed_hash(other.iin))
    assert almaty_record.pk != other.pk
    assert ServiceDelivery.objects.filter(person=almaty_record).get().identity_id == other.identity_id
