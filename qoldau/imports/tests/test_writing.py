"""The write of a deliveries import when another writer gets there first, and the
encryption of many new people in worker processes.

On PostgreSQL the import copies people and deliveries straight into their tables after
looking up what exists; a person or a delivery recorded by somebody else in between makes
that COPY fail, and the import then takes its slower path that skips them. The other
writer is played by the progress callback, which runs inside the import's transaction
between the look-ups and the writes."""

import datetime as dt

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from qoldau.core.bulk_encryption import POOL_FROM, BackgroundEncryption
from qoldau.core.crypto import decrypt_text, encrypt_in_background, keyed_hash
from qoldau.core.identifiers import make_iin
from qoldau.core.models import Consent, Identity, Person
from qoldau.imports.services import STAGE_PEOPLE, STAGE_WRITING, ImportSource, import_deliveries
from qoldau.imports.tests.files import delivery, write_file
from qoldau.projects.models import ReachStale, ServiceDelivery, ServiceType
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db


def new_iins(count, first_serial=3000):
    found, serial = [], first_serial
    while len(found) < count:
        serial += 1
        iin = make_iin(dt.date(1970, 1, 1) + dt.timedelta(days=serial % 15000), "MF"[serial % 2], serial)
        if iin:
            found.append(iin)
    return found


def test_a_person_registered_while_the_import_runs_is_not_registered_twice(world, tmp_path):
    first, second = new_iins(2)
    rows = [
        delivery(first, day="2025-03-01", names=("Омаров", "Ерлан", "")),
        delivery(first, day="2025-03-02", names=("Омаров", "Ерлан", "")),
        delivery(second, day="2025-03-01", names=("Ким", "Дина", "")),
    ]
    meanwhile = []

    def another_writer(stage, done, total):
        # The import has looked its people up: now somebody registers one of them.
        if stage == STAGE_PEOPLE and not meanwhile:
            identity, _made = Identity.objects.get_or_create(iin_hash=keyed_hash(first))
            meanwhile.append(
                Person.objects.create(
                    organisation=world.almaty_ngo,
                    identity=identity,
                    iin=first,
                    iin_hash=keyed_hash(first),
                    last_name="Омаров",
                    first_name="Ерлан",
                )
            )

    report = import_deliveries(
        actor=world.almaty_staff,
        project=world.project,
        source=ImportSource(write_file(tmp_path, rows), "deliveries.csv"),
        progress=another_writer,
    )

    assert (report.deliveries_written, report.unchanged, report.people_created) == (3, 0, 1)
    records = Person.objects.filter(organisation=world.almaty_ngo, iin_hash=keyed_hash(first))
    assert list(records) == meanwhile
    assert ServiceDelivery.objects.filter(person=meanwhile[0]).count() == 2
    assert Consent.objects.filter(person=meanwhile[0], organisation=world.almaty_ngo).count() == 1
    created = Person.objects.get(organisation=world.almaty_ngo, iin_hash=keyed_hash(second))
    assert (created.last_name, created.first_name) == ("Ким", "Дина")
    assert ServiceDelivery.objects.filter(person=created).count() == 1


def test_a_delivery_recorded_while_the_import_runs_is_left_as_it_is(world, tmp_path):
    served = world.almaty_people[0]
    rows = [delivery(served.iin, day="2025-03-01"), delivery(served.iin, day="2025-03-02")]
    service = ServiceType.objects.get(code="legal_consultation")

    def another_writer(stage, done, total):
        # The import has checked what the project recorded: now somebody records a row.
        if stage == STAGE_WRITING and done == 0:
            ServiceDelivery.objects.get_or_create(
                project=world.project,
                person=served,
                service=service,
                delivered_on=dt.date(2025, 3, 2),
                defaults={"note": "recorded by hand", "identity_id": served.identity_id},
            )

    report = import_deliveries(
        actor=world.almaty_staff,
        project=world.project,
        source=ImportSource(write_file(tmp_path, rows), "deliveries.csv"),
        progress=another_writer,
    )

    assert (report.deliveries_written, report.unchanged) == (1, 1)
    assert sorted(ServiceDelivery.objects.filter(person=served).values_list("delivered_on", "note")) == [
        (dt.date(2025, 3, 1), ""),
        (dt.date(2025, 3, 2), "recorded by hand"),
    ]


def test_many_new_people_are_encrypted_in_worker_processes_and_read_back(world, tmp_path):
    # Enough people that their IINs and names pass the threshold of the worker processes.
    count = POOL_FROM // 3 + 1
    iins = new_iins(count)
    rows = [delivery(iin, names=(f"Тегі{i}", f"Аты{i}", "")) for i, iin in enumerate(iins)]
    report = import_deliveries(
        actor=world.almaty_staff,
        project=world.project,
        source=ImportSource(write_file(tmp_path, rows), "deliveries.csv"),
    )
    assert (report.people_created, report.deliveries_written) == (count, count)
    for i in (0, count // 2, count - 1):
        person = Person.objects.get(organisation=world.almaty_ngo, iin_hash=keyed_hash(iins[i]))
        assert (person.iin, person.last_name, person.first_name) == (iins[i], f"Тегі{i}", f"Аты{i}")
        assert ServiceDelivery.objects.filter(person=person).count() == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT iin, last_name FROM core_person WHERE organisation_id = %s", [world.almaty_ngo.pk]
        )
        stored = cursor.fetchall()
    assert not any(iin in iins or name.startswith("Тегі") for iin, name in stored)


def test_background_encryption_gives_the_tokens_decryption_reads():
    values = [f"Әсел {i}" for i in range(POOL_FROM)]
    seen = []
    with encrypt_in_background(values, lambda done, total: seen.append((done, total))) as job:
        tokens = job.result()
    assert [decrypt_text(token) for token in tokens] == values
    assert len(set(tokens)) == len(values)
    assert seen[-1] == (len(values), len(values))


def test_background_encryption_of_a_few_values_stays_in_the_process():
    key = Fernet.generate_key().decode()
    with BackgroundEncryption(key, ["Ерлан", ""], workers=2) as job:
        tokens = job.result()
    assert [Fernet(key).decrypt(token.encode()).decode() for token in tokens] == ["Ерлан", ""]


def test_notes_keep_their_backslashes_and_a_project_over_two_years_marks_both(world, tmp_path):
    project = project_factories.project(
        world.almaty_admin, world.almaty_ngo, starts_on=dt.date(2024, 7, 1), ends_on=dt.date(2025, 6, 30)
    )
    first, second = new_iins(2)
    note = "C:\\Users\\ана\\N кеш"
    rows = [
        [*delivery(first, day="2024-12-30")[:-1], note],
        delivery(second, day="2025-01-02"),
    ]
    ReachStale.objects.all().delete()
    report = import_deliveries(
        actor=world.almaty_staff,
        project=project,
        source=ImportSource(write_file(tmp_path, rows), "deliveries.csv"),
    )
    assert report.deliveries_written == 2
    assert ServiceDelivery.objects.get(delivered_on=dt.date(2024, 12, 30)).note == note
    assert ServiceDelivery.objects.get(delivered_on=dt.date(2025, 1, 2)).note == ""
    region = world.almaty_ngo.region_id
    assert set(ReachStale.objects.values_list("year", "region_key")) == {
        (2024, region),
        (2024, 0),
        (2025, region),
        (2025, 0),
    }
