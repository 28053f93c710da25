from django.db import migrations

from qoldau.core.reference_data import SERVICE_TYPES


def load(apps, schema_editor):
    ServiceType = apps.get_model("projects", "ServiceType")
    for code, kk, ru, en, unit_kk, unit_ru, unit_en in SERVICE_TYPES:
        ServiceType.objects.update_or_create(
            code=code,
            defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "unit_kk": unit_kk, "unit_ru": unit_ru, "unit_en": unit_en},
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
