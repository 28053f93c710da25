"""The migration that gives deliveries and attendance their person's identity fills it
from the records already there."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The flush after a transactional test empties the reference data; load it again first.
pytestmark = pytest.mark.usefixtures("reference_data")

BEFORE = [("core", "0010_role_job_coach_employer_staff"), ("projects", "0004_delivery_indexes")]
AFTER = [("projects", "0005_participation_identity")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _every_app_migrated_again():
    """Going back to BEFORE unapplies the migrations that depend on projects' later ones:
    the tests after this one need them back."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_deliveries_and_attendance_get_their_records_identity():
    old = _migrate(BEFORE)
    place = old.get_model("core", "Place").objects.filter(level="region").first()
    organisation = old.get_model("core", "Organisation").objects.create(
        kind="initiative_group", name_kk="А", region=place
    )
    identity = old.get_model("core", "Identity")
    person = old.get_model("core", "Person")
    first = person.objects.create(
        organisation=organisation,
        identity=identity.objects.create(iin_hash="a" * 64),
        iin_hash="a" * 64,
        last_name="Ахметова",
        first_name="Айгүл",
    )
    second = person.objects.create(
        organisation=organisation,
        identity=identity.objects.create(iin_hash="b" * 64),
        iin_hash="b" * 64,
        last_name="Бейсенов",
        first_name="Ержан",
    )
    proj = old.get_model("projects", "Project").objects.create(
        organisation=organisation,
        title_kk="Жоба",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        funding_source="own_funds",
    )
    service = old.get_model("projects", "ServiceType").objects.first()
    delivery = old.get_model("projects", "ServiceDelivery")
    for p in (first, second):
        delivery.objects.create(project=proj, person=p, service=service, delivered_on=dt.date(2025, 3, 1))
    event = old.get_model("projects", "Event").objects.create(
        project=proj, kind="training", title_kk="Оқыту", held_on=dt.date(2025, 4, 1)
    )
    old.get_model("projects", "Attendance").objects.create(event=event, person=second)

    new = _migrate(AFTER)

    delivered = dict(
        new.get_model("projects", "ServiceDelivery").objects.values_list("person_id", "identity_id")
    )
    assert delivered == {first.pk: first.identity_id, second.pk: second.identity_id}
    attended = list(new.get_model("projects", "Attendance").objects.values_list("person_id", "identity_id"))
    assert attended == [(second.pk, second.identity_id)]
