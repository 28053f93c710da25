from django.db import migrations, models

from qoldau.services.catalogue import CATALOGUE


def load(apps, schema_editor):
    Term = apps.get_model("services", "CatalogueTerm")
    for taxonomy, rows in CATALOGUE.items():
        for order, (code, kk, ru, en) in enumerate(rows):
            Term.objects.update_or_create(
                taxonomy=taxonomy,
                code=code,
                defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "sort_order": (order + 1) * 10},
            )


# The public search's free text (a name in the reader's language, any part of it): on
# PostgreSQL a trigram index on each language's lower-cased name serves `LIKE '%word%'`;
# SQLite has none and scans (its databases are small).
TRIGRAM_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS services_service_name_{lang}_trgm ON services_service "
    f"USING gin (lower(name_{lang}) gin_trgm_ops)"
    for lang in ("kk", "ru", "en")
]


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in TRIGRAM_INDEXES:
        schema_editor.execute(sql)


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for lang in ("kk", "ru", "en"):
        schema_editor.execute(f"DROP INDEX IF EXISTS services_service_name_{lang}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_directory_capacity_referrals_wait_lists_workforce"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, trigram_indexes_drop),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["status", "name_kk", "id"], name="services_service_by_name_kk"),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["status", "name_ru", "id"], name="services_service_by_name_ru"),
        ),
    ]
