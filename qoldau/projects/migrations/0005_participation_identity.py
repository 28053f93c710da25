"""Deliveries and attendance carry their person's identity, so that reach counts read it
without joining every row to `core_person`. Filled from the records in one statement per
table, then required."""

import django.db.models.deletion
from django.db import migrations, models


FILL = {
    "projects_servicedelivery": "UPDATE projects_servicedelivery SET identity_id = ("
    "SELECT identity_id FROM core_person WHERE core_person.id = projects_servicedelivery.person_id)",
    "projects_attendance": "UPDATE projects_attendance SET identity_id = ("
    "SELECT identity_id FROM core_person WHERE core_person.id = projects_attendance.person_id)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_role_job_coach_employer_staff"),
        ("projects", "0004_delivery_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicedelivery",
            name="identity",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="core.identity",
            ),
        ),
        migrations.AddField(
            model_name="attendance",
            name="identity",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="core.identity",
            ),
        ),
        *(migrations.RunSQL(sql, migrations.RunSQL.noop) for sql in FILL.values()),
        migrations.AlterField(
            model_name="servicedelivery",
            name="identity",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="core.identity",
            ),
        ),
        migrations.AlterField(
            model_name="attendance",
            name="identity",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="core.identity",
            ),
        ),
    ]
