"""A person's identity apart from what each organisation records about them.

Until now one `Person` row was shared by every organisation holding the person's consent,
so one organisation could read (and edit) what another had recorded. Each organisation
now has its own record, and records made from the same IIN share an `Identity` (the IIN's
keyed hash) that only the reach counts use. Existing data is split: a person served by
several organisations becomes one record per organisation (the first to register them
keeps the row; the others get a copy with their own consents, deliveries, attendance and
a copy of the categories, which nobody can tell apart now).
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_notification"),
        ("projects", "0004_delivery_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Identity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("iin_hash", models.CharField(editable=False, max_length=64, null=True, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.AddField(
            model_name="person",
            name="identity",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="core.identity",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="people",
                to="core.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="iin_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
    ]
