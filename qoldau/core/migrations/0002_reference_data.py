from django.db import migrations

from qoldau.core.reference_data import CATEGORIES, DISTRICTS, REGIONS


def load(apps, schema_editor):
    Place = apps.get_model("core", "Place")
    Category = apps.get_model("core", "VulnerabilityCategory")
    regions = {}
    for kato, kk, ru, en in REGIONS:
        regions[kato], _ = Place.objects.update_or_create(
            kato=kato, defaults={"level": "region", "name_kk": kk, "name_ru": ru, "name_en": en}
        )
    for region_kato, kk, ru, en in DISTRICTS:
        Place.objects.update_or_create(
            parent=regions[region_kato],
            name_kk=kk,
            defaults={"level": "district", "name_ru": ru, "name_en": en},
        )
    for order, (code, kk, ru, en, is_disability) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code,
            defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "is_disability": is_disability, "sort_order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
