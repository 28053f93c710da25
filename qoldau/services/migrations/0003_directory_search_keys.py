import django.db.models.deletion
from django.db import migrations, models

from qoldau.services.search_keys import service_keys

# The trigram indexes of migration 0002 served `LIKE '%word%'` on the names; the search
# reads the words' keys now, so they only slow the writes.
TRIGRAM_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS services_service_name_{lang}_trgm ON services_service "
    f"USING gin (lower(name_{lang}) gin_trgm_ops)"
    for lang in ("kk", "ru", "en")
]


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for lang in ("kk", "ru", "en"):
        schema_editor.execute(f"DROP INDEX IF EXISTS services_service_name_{lang}_trgm")


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in TRIGRAM_INDEXES:
        schema_editor.execute(sql)


def index_services(apps, schema_editor):
    """The keys of the public services already there (as the services' writes make them)."""
    Service = apps.get_model("services", "Service")
    DirectoryKey = apps.get_model("services", "DirectoryKey")
    rows = []
    services = Service.objects.filter(status="active").prefetch_related(
        "needs", "categories", "at_locations__location"
    )
    for service in services.iterator(chunk_size=2000):
        keys = service_keys(
            names={"kk": service.name_kk, "ru": service.name_ru, "en": service.name_en},
            term_ids=(service.setting_id, service.kind_id),
            need_ids=[term.pk for term in service.needs.all()],
            places=[
                (link.location.region_id, link.location.district_id) for link in service.at_locations.all()
            ],
            category_codes=[category.code for category in service.categories.all()],
        )
        rows.extend(DirectoryKey(service_id=service.pk, key=key) for key in sorted(keys))
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
        migrations.RunPython(trigram_indexes_drop, trigram_indexes),
    ]
