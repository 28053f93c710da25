from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

from qoldau.services.search_keys import keys_of_service

# The trigram indexes of migration 0002 served `LIKE '%word%'` on the names; the search
# reads the words' keys now, so they only slow the writes. Going back makes them again.
_0002 = import_module("qoldau.services.migrations.0002_directory_catalogue")


def index_services(apps, schema_editor):
    """The keys of the public services already there (as the services' writes make them)."""
    Service = apps.get_model("services", "Service")
    DirectoryKey = apps.get_model("services", "DirectoryKey")
    rows = []
    services = Service.objects.filter(status="active").prefetch_related(
        "needs", "categories", "at_locations__location"
    )
    for service in services.iterator(chunk_size=2000):
        rows.extend(DirectoryKey(service_id=service.pk, key=key) for key in sorted(keys_of_service(service)))
        if len(rows) >= 5000:
            DirectoryKey.objects.bulk_create(rows)
            rows = []
    DirectoryKey.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0002_directory_catalogue"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=120)),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="services.service"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("key", "service"),
                        name="services_directory_key_unique",
                        opclasses=["varchar_pattern_ops", "int8_ops"],
                    )
                ],
            },
        ),
        migrations.RunPython(index_services, migrations.RunPython.noop),
        migrations.RunPython(_0002.trigram_indexes_drop, _0002.trigram_indexes),
    ]
