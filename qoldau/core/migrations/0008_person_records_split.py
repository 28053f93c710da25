"""Existing people split into one record per organisation (see 0007), in a migration of
its own: PostgreSQL refuses to build an index or alter a table in the transaction that has
just updated its rows (pending foreign-key trigger events)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def split_people(apps: Any, schema_editor: Any) -> None:
    person_model = apps.get_model("core", "Person")
    identity_model = apps.get_model("core", "Identity")
    consent_model = apps.get_model("core", "Consent")
    category_model = apps.get_model("core", "PersonCategory")
    delivery_model = apps.get_model("projects", "ServiceDelivery")
    attendance_model = apps.get_model("projects", "Attendance")

    # The record belongs to the organisation that registered the person first.
    first_consent: dict[int, int] = {}
    for person_id, organisation_id in consent_model.objects.order_by("given_on", "pk").values_list(
        "person_id", "organisation_id"
    ):
        first_consent.setdefault(person_id, organisation_id)
    first_delivery: dict[int, int] = {}
    for person_id, organisation_id in delivery_model.objects.order_by("pk").values_list(
        "person_id", "project__organisation_id"
    ):
        first_delivery.setdefault(person_id, organisation_id)

    people = list(person_model.objects.values_list("pk", "iin_hash"))
    identities: dict[str, int] = {}
    for pk, iin_hash in people:
        if iin_hash is not None and iin_hash in identities:
            identity_id = identities[iin_hash]
        else:
            identity_id = identity_model.objects.create(iin_hash=iin_hash).pk
            if iin_hash is not None:
                identities[iin_hash] = identity_id
        organisation_id = first_consent.get(pk) or first_delivery.get(pk)
        if organisation_id is None:
            # Nobody ever served this person: no consent, no delivery, nothing to keep.
            person_model.objects.filter(pk=pk).delete()
            continue
        person_model.objects.filter(pk=pk).update(identity_id=identity_id, organisation_id=organisation_id)

    others = (
        consent_model.objects.exclude(organisation_id=models.F("person__organisation_id"))
        .values_list("person_id", "organisation_id")
        .distinct()
    )
    for person_id, organisation_id in sorted(set(others)):
        original = person_model.objects.get(pk=person_id)
        categories = list(category_model.objects.filter(person_id=person_id))
        copy = original
        copy.pk = None
        copy.organisation_id = organisation_id
        copy.save()
        category_model.objects.bulk_create(
            [
                category_model(
                    person_id=copy.pk, category_id=c.category_id, since=c.since, until=c.until, details=c.details
                )
                for c in categories
            ]
        )
        consent_model.objects.filter(person_id=person_id, organisation_id=organisation_id).update(
            person_id=copy.pk
        )
        delivery_model.objects.filter(person_id=person_id, project__organisation_id=organisation_id).update(
            person_id=copy.pk
        )
        attendance_model.objects.filter(
            person_id=person_id, event__project__organisation_id=organisation_id
        ).update(person_id=copy.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_person_identity"),
        ("projects", "0004_delivery_indexes"),
    ]

    operations = [
        migrations.RunPython(split_people, migrations.RunPython.noop),
    ]
