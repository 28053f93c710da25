"""`qoldau import people|deliveries FILE`: the same service as the page, audited as the
acting user on the "cli" channel; bad rows are printed and the exit is non-zero."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from qoldau.core.models import AuditEntry, Consent
from qoldau.core.tests import factories
from qoldau.imports.models import ImportRun
from qoldau.imports.tests.files import delivery, write_csv, write_file
from qoldau.projects.models import ServiceDelivery

pytestmark = pytest.mark.django_db


def qoldau_import(*args):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_deliveries_are_imported_as_the_first_system_administrator(world, tmp_path):
    path = write_file(tmp_path, [delivery(factories.valid_iin()), delivery(world.almaty_people[0].iin)])
    output = qoldau_import("deliveries", path, "--project", world.project.pk)
    assert "Deliveries recorded: 2;" in output
    assert "Writing" in output
    entry = AuditEntry.objects.get(action="imports.deliveries")
    assert (entry.actor, entry.channel) == (world.sysadmin, "cli")
    assert ImportRun.objects.get().user == world.sysadmin

    output = qoldau_import("deliveries", path, "--project", world.project.pk)
    assert "already imported" in output
    assert ServiceDelivery.objects.count() == 2


def test_dry_run_prints_every_bad_row_and_exits_non_zero(world, tmp_path):
    rows = [delivery(factories.valid_iin()), delivery(factories.valid_iin(), day="2030-01-01"), delivery("1")]
    path = write_file(tmp_path, rows)
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="Rows with errors: 2"):
        call_command(
            "import", "deliveries", str(path), "--project", str(world.project.pk), "--dry-run", stdout=out
        )
    printed = out.getvalue()
    assert "Row 3, column “Date”: The date 2030-01-01 is outside the project's period" in printed
    assert "Row 4, column “IIN”: An IIN has exactly 12 digits." in printed
    assert not ServiceDelivery.objects.exists()


def test_a_write_with_bad_rows_prints_them_and_writes_nothing(world, tmp_path):
    path = write_file(
        tmp_path, [delivery(factories.valid_iin()), delivery(factories.valid_iin(), quantity="0")]
    )
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", "deliveries", str(path), "--project", str(world.project.pk), stdout=out)
    assert "Row 3, column “Quantity”" in out.getvalue()
    assert not ServiceDelivery.objects.exists()


def test_acting_user_is_named_and_must_work_for_the_organisation(world, tmp_path):
    path = write_file(tmp_path, [delivery(factories.valid_iin())])
    qoldau_import("deliveries", path, "--project", world.project.pk, "--user", "almaty.staff", "--dry-run")
    with pytest.raises(CommandError, match="no such project"):
        qoldau_import("deliveries", path, "--project", world.project.pk, "--user", "turkistan.staff")
    with pytest.raises(CommandError, match="no active user"):
        qoldau_import("deliveries", path, "--project", world.project.pk, "--user", "nobody")
    assert not ServiceDelivery.objects.exists()


def test_people_are_imported_into_an_organisation_named_by_its_bin(world, tmp_path):
    header = ["ИИН", "Фамилия", "Имя"]
    path = write_csv(tmp_path / "people.csv", header, [[factories.valid_iin(), "Ким", "Ирина"]])
    output = qoldau_import("people", path, "--organisation", world.almaty_ngo.bin)
    assert "People registered: 1;" in output
    assert Consent.objects.filter(organisation=world.almaty_ngo).count() == 3


def test_columns_are_mapped_with_map(world, tmp_path):
    path = write_csv(
        tmp_path / "odd.csv",
        ["Who", "What", "When", "Comment"],
        [[world.almaty_people[0].iin, "legal_consultation", "2025-05-05", "x"]],
    )
    with pytest.raises(CommandError, match="no column for"):
        qoldau_import("deliveries", path, "--project", world.project.pk)
    output = qoldau_import(
        "deliveries",
        path,
        "--project",
        world.project.pk,
        "--map",
        "Who=iin",
        "--map",
        "What=service",
        "--map",
        "When=date",
    )
    assert "Deliveries recorded: 1;" in output
    assert "Columns left out: Comment" not in output  # "Comment" is a known header: the note
    assert ServiceDelivery.objects.get().note == "x"


def test_without_any_system_administrator_a_user_must_be_named(world, tmp_path):
    world.sysadmin.is_superuser = False
    world.sysadmin.save()
    path = write_file(tmp_path, [delivery(factories.valid_iin())])
    with pytest.raises(CommandError, match="No system administrator"):
        qoldau_import("deliveries", path, "--project", world.project.pk)


def test_kato_still_imports(tmp_path):
    path = write_csv(
        tmp_path / "kato.csv", ["te", "kaz_name", "rus_name"], [["750000000", "Алматы қаласы", "г.Алматы"]]
    )
    assert "unchanged" in qoldau_import("kato", path)
