"""The organisation and identity of every person record are required, and an IIN is
once per organisation. Apart from 0008 because PostgreSQL refuses to alter a table in the
transaction that has just updated its rows (pending foreign-key trigger events)."""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_person_records_split"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="identity",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="records", to="core.identity"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="people",
                to="core.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                fields=("organisation", "iin_hash"), name="person_iin_once_per_organisation"
            ),
        ),
    ]
