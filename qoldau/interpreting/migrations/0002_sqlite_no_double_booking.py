"""On SQLite, triggers refuse a booking that overlaps another of the same interpreter (on
PostgreSQL the exclusion constraint of 0001 does), and the catalogue gains the service every
session is delivered as, counted in minutes."""

from django.db import migrations

# julianday() compares the stored text times as numbers, fractions of a second included.
_OVERLAP = """
    WHEN NEW.status = 'booked' AND EXISTS (
        SELECT 1 FROM interpreting_booking AS other
        WHERE other.interpreter_id = NEW.interpreter_id
          AND other.status = 'booked'
          AND other.id IS NOT NEW.id
          AND julianday(other.starts_at) < julianday(NEW.ends_at)
          AND julianday(other.ends_at) > julianday(NEW.starts_at)
    )
    BEGIN SELECT RAISE(ABORT, 'booking_no_double_booking'); END
"""
TRIGGERS = {
    "interpreting_booking_no_overlap_insert": "BEFORE INSERT ON interpreting_booking",
    "interpreting_booking_no_overlap_update": "BEFORE UPDATE ON interpreting_booking",
}


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, when in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW {_OVERLAP}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def add_service(apps, schema_editor):
    ServiceType = apps.get_model("projects", "ServiceType")
    ServiceType.objects.update_or_create(
        code="sign_language_interpreting",
        defaults={
            "name_kk": "Ымдау тілі аудармашысының қызметі",
            "name_ru": "Услуги сурдопереводчика",
            "name_en": "Sign-language interpreting",
            "unit_kk": "минут",
            "unit_ru": "минут",
            "unit_en": "minutes",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("interpreting", "0001_interpreting")]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(add_service, migrations.RunPython.noop),
    ]
