"""The migration that splits a person shared by several organisations into one record per
organisation, on data as it was before it: each organisation keeps its consent, its
deliveries and attendance, and a copy of the categories; the identity is shared."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The flush after a transactional test empties the reference data; load it again first.
pytestmark = pytest.mark.usefixtures("reference_data")

BEFORE = [("core", "0006_notification"), ("projects", "0004_delivery_indexes")]
AFTER = [("core", "0009_person_identity_required")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _every_app_migrated_again():
    """Going back to BEFORE unapplies every migration that depends on core's later ones
    (the jobs app's tables go with them): the tests after this one need them back."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_person_shared_by_two_organisations_becomes_two_records_with_one_identity():
    old = _migrate(BEFORE)
    place = old.get_model("core", "Place").objects.filter(level="region").first()
    organisation = old.get_model("core", "Organisation")
    almaty = organisation.objects.create(kind="initiative_group", name_kk="А", region=place)
    turkistan = organisation.objects.create(kind="initiative_group", name_kk="Т", region=place)
    person = old.get_model("core", "Person").objects.create(
        iin="900517300016", iin_hash="h" * 64, last_name="Ахметова", first_name="Айгүл"
    )
    loner = old.get_model("core", "Person").objects.create(
        no_iin_reason="other", last_name="Бейсенов", first_name="Ержан"
    )
    consent = old.get_model("core", "Consent")
    consent.objects.create(person=person, organisation=almaty, given_on=dt.date(2024, 1, 1))
    consent.objects.create(person=person, organisation=turkistan, given_on=dt.date(2025, 1, 1))
    consent.objects.create(person=loner, organisation=turkistan, given_on=dt.date(2025, 1, 1))
    category = old.get_model("core", "VulnerabilityCategory").objects.first()
    old.get_model("core", "PersonCategory").objects.create(
        person=person, category=category, since=dt.date(2020, 1, 1), details="МСЭ"
    )
    project = old.get_model("projects", "Project")
    service = old.get_model("projects", "ServiceType").objects.first()
    delivery = old.get_model("projects", "ServiceDelivery")
    for org in (almaty, turkistan):
        p = project.objects.create(
            organisation=org,
            title_kk=org.name_kk,
            starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2025, 12, 31),
            funding_source="own_funds",
        )
        delivery.objects.create(project=p, person=person, service=service, delivered_on=dt.date(2025, 3, 1))

    new = _migrate(AFTER)
    records = new.get_model("core", "Person").objects.filter(iin_hash="h" * 64).order_by("pk")
    first, second = list(records)
    assert (first.pk, first.organisation_id) == (person.pk, almaty.pk)
    assert second.organisation_id == turkistan.pk
    assert first.identity_id == second.identity_id
    assert (second.last_name, second.first_name) == ("Ахметова", "Айгүл")
    new_consent = new.get_model("core", "Consent")
    assert list(new_consent.objects.filter(person=first).values_list("organisation_id", flat=True)) == [
        almaty.pk
    ]
    assert list(new_consent.objects.filter(person=second).values_list("organisation_id", flat=True)) == [
        turkistan.pk
    ]
    new_delivery = new.get_model("projects", "ServiceDelivery")
    for record, org in ((first, almaty), (second, turkistan)):
        assert set(
            new_delivery.objects.filter(person=record).values_list("project__organisation_id", flat=True)
        ) == {org.pk}
    categories = new.get_model("core", "PersonCategory")
    # details is encrypted: compared after reading, never in a filter.
    assert [c.details for c in categories.objects.filter(person=second)] == ["МСЭ"]
    lone = new.get_model("core", "Person").objects.get(pk=loner.pk)
    assert lone.organisation_id == turkistan.pk
    assert lone.identity_id not in {first.identity_id}
