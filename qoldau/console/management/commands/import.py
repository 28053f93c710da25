"""`qoldau import KIND FILE`: load a file into Qoldau.

Kinds: `kato` (the official KATO classifier), `occupations` (the classifier of occupations,
НК РК 01-2017), `people` (people an organisation serves),
`deliveries` (service deliveries of a project), `objects` (infrastructure objects of a
region, through `qoldau.access.imports`), `vacancies` (an employer's vacancies) and
`staff_reports` (employers' staff reports by BIN), both through `qoldau.jobs.imports`,
each from XLSX or CSV. Rows are
checked first; a bad row stops the whole import with its row number and nothing is
written. People and deliveries go through `qoldau.imports.services`, exactly as the
import page does; this command only parses its arguments and prints.

`qoldau import KIND FILE --template [--language kk|ru|en]` writes the kind's XLSX template
to FILE instead, the same file the import page gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from qoldau.access.imports import ObjectsImportReport, import_objects
from qoldau.core import selectors as core_selectors
from qoldau.core.audit import audit_context
from qoldau.core.errors import ApplicationError
from qoldau.core.models import Organisation
from qoldau.core.services import KatoRow, places_import_kato
from qoldau.imports import selectors as import_selectors
from qoldau.imports.models import ImportKind
from qoldau.imports.readers import FIELDS, cell_text, mapping_with_overrides, open_table, read_header
from qoldau.imports.services import (
    STAGE_LABELS,
    ImportRejected,
    ImportReport,
    ImportSource,
    import_deliveries,
    import_people,
)
from qoldau.imports.template import template_workbook
from qoldau.jobs import selectors as jobs_selectors
from qoldau.jobs.imports import (
    STAFF_REPORTS,
    VACANCIES,
    JobsImportReport,
    import_staff_reports,
    import_vacancies,
)
from qoldau.jobs.services import OccupationRow, occupations_import

# Header names seen in the official KATO files (stat.gov.kz) and in hand-made ones.
KATO_CODE_HEADERS = {"te", "code", "kato", "код", "като", "код като", "kato code"}
KATO_KK_HEADERS = {
    "kaz_name",
    "name_kaz",
    "namekaz",
    "наименование на казахском",
    "атауы",
    "name_kk",
}
KATO_RU_HEADERS = {
    "rus_name",
    "name_rus",
    "namerus",
    "наименование на русском",
    "наименование",
    "name_ru",
}


def read_kato(path: Path) -> list[KatoRow]:
    """The classifier's rows, read by the imports' reader (so within its limits)."""
    try:
        with open_table(path) as table:
            header = [h.strip().lower() for h in table.header]

            def find(names: set[str]) -> int:
                for index, name in enumerate(header):
                    if name in names:
                        return index
                raise CommandError(
                    _("The file has no column for %(column)s; its headers are: %(headers)s.")
                    % {"column": sorted(names)[0], "headers": ", ".join(header)}
                )

            code_at, kk_at, ru_at = find(KATO_CODE_HEADERS), find(KATO_KK_HEADERS), find(KATO_RU_HEADERS)

            def cell(row: Sequence[Any], at: int) -> str:
                return cell_text(row[at]) if at < len(row) else ""

            result = []
            for number, row in table.rows:
                code = cell(row, code_at)
                result.append(
                    KatoRow(
                        row_number=number,
                        code=code.zfill(9) if code.isdigit() else code,
                        name_kk=cell(row, kk_at),
                        name_ru=cell(row, ru_at),
                    )
                )
            return result
    except ApplicationError as exc:
        raise CommandError(exc.render()) from exc


# Header names of the classifier of occupations' columns.
OCCUPATION_CODE_HEADERS = {"code", "код", "коды", "код нкз", "occupation code"}
OCCUPATION_KK_HEADERS = {"name_kk", "атауы", "наименование на казахском", "kaz_name", "name_kaz"}
OCCUPATION_RU_HEADERS = {"name_ru", "наименование", "наименование на русском", "rus_name", "name_rus"}
OCCUPATION_EN_HEADERS = {"name_en", "name", "english", "eng_name"}


def read_occupations(path: Path) -> list[OccupationRow]:
    """The classifier's rows (code, Kazakh, Russian and, where the file has it, English
    names), read by the imports' reader (so within its limits)."""
    try:
        with open_table(path) as table:
            header = [h.strip().lower() for h in table.header]

            def find(names: set[str], required: bool = True) -> int | None:
                for index, name in enumerate(header):
                    if name in names:
                        return index
                if not required:
                    return None
                raise CommandError(
                    _("The file has no column for %(column)s; its headers are: %(headers)s.")
                    % {"column": sorted(names)[0], "headers": ", ".join(header)}
                )

            code_at = find(OCCUPATION_CODE_HEADERS)
            kk_at, ru_at = find(OCCUPATION_KK_HEADERS), find(OCCUPATION_RU_HEADERS)
            en_at = find(OCCUPATION_EN_HEADERS, required=False)

            def cell(row: Sequence[Any], at: int | None) -> str:
                return cell_text(row[at]) if at is not None and at < len(row) else ""

            return [
                OccupationRow(
                    row_number=number,
                    code=cell(row, code_at),
                    name_kk=cell(row, kk_at),
                    name_ru=cell(row, ru_at),
                    name_en=cell(row, en_at),
                )
                for number, row in table.rows
            ]
    except ApplicationError as exc:
        raise CommandError(exc.render()) from exc


class TerminalProgress:
    """Progress of an import in the terminal: a line naming each stage as it starts (so
    a log shows how far it got) and a tqdm bar for the stage (drawn on a terminal only)."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command
        self.stage = ""
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.command.stdout.write(str(STAGE_LABELS.get(stage, stage)))
            self.command.stdout.flush()
            self.bar = tqdm(total=total, unit=" rows", disable=None, leave=False)
        if self.bar is not None:
            self.bar.total = total
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Import a file. Kinds: kato (the KATO classifier), occupations (НК РК 01-2017), "
        "people (--organisation ID or BIN), "
        "deliveries (--project ID), objects (--region KATO), vacancies (--employer ID or BIN), "
        "staff_reports; .xlsx or .csv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=[
                "kato",
                "occupations",
                ImportKind.PEOPLE.value,
                ImportKind.DELIVERIES.value,
                ImportKind.OBJECTS.value,
                VACANCIES,
                STAFF_REPORTS,
            ],
        )
        parser.add_argument("file", type=Path)
        parser.add_argument("--project", type=int, help="deliveries: the project's id")
        parser.add_argument("--organisation", help="people: the organisation's id or BIN")
        parser.add_argument("--region", help="objects: the region's (city's) KATO code")
        parser.add_argument("--employer", help="vacancies: the employer's id or BIN")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--user", help="the acting user's name (default: the first system administrator)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="say which field a column holds (FIELD empty: leave the column out); repeatable",
        )
        parser.add_argument(
            "--sheet",
            help="the sheet of the workbook to read (default: the one whose header names the columns)",
        )
        parser.add_argument(
            "--template",
            action="store_true",
            help="write the kind's XLSX template to FILE instead of importing it",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the template's language",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if options["template"]:
            self._write_template(options["kind"], path, options["language"])
            return
        if not path.exists():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        if options["kind"] == "kato":
            self._import_kato(path)
            return
        if options["kind"] == "occupations":
            self._import_occupations(path)
            return
        with audit_context("cli"):
            try:
                report = self._import_records(path, options)
            except ImportRejected as exc:
                self._print_report(exc.report)
                raise CommandError(exc.render()) from exc
            except ApplicationError as exc:
                raise CommandError(exc.render()) from exc
        self._print_report(report)
        if report.errors_total:
            raise CommandError(
                _("Nothing was written. Rows with errors: %(rows)s.") % {"rows": report.error_rows}
            )

    def _write_template(self, kind: str, path: Path, language: str) -> None:
        if kind not in FIELDS:
            raise CommandError(
                _("A classifier (kato, occupations) has no template: import its official file.")
            )
        if path.exists():
            raise CommandError(
                _("There is a file %(path)s already; the template is not written over it.") % {"path": path}
            )
        with translation.override(language):
            content = template_workbook(kind)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("The template cannot be written to %(path)s: %(reason)s")
                % {"path": path, "reason": exc.strerror}
            ) from exc
        self.stdout.write(_("The template is written to %(path)s.") % {"path": path})

    def _import_kato(self, path: Path) -> None:
        rows = list(tqdm(read_kato(path), desc=_("Reading"), unit=" rows", disable=None))
        with audit_context("cli"):
            try:
                result = places_import_kato(actor=None, rows=rows)
            except ApplicationError as exc:
                raise CommandError(
                    _("Nothing was imported.\n%(reasons)s") % {"reasons": exc.render()}
                ) from exc
        self.stdout.write(
            _("KATO: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )

    def _import_occupations(self, path: Path) -> None:
        rows = list(tqdm(read_occupations(path), desc=_("Reading"), unit=" rows", disable=None))
        with audit_context("cli"):
            try:
                result = occupations_import(actor=None, rows=rows)
            except ApplicationError as exc:
                raise CommandError(
                    _("Nothing was imported.\n%(reasons)s") % {"reasons": exc.render()}
                ) from exc
        self.stdout.write(
            _("Occupations: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )

    def _acting_user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(_("There is no active user %(name)s.") % {"name": username})
            return user
        admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if admin is None:
            raise CommandError(
                _(
                    "No system administrator exists: create one (qoldau createsuperuser) "
                    "or name a user with --user."
                )
            )
        return admin

    def _import_records(self, path: Path, options: dict[str, Any]) -> ImportReport:
        kind = options["kind"]
        user = self._acting_user(options["user"])
        mapping = None
        if options["map"]:
            overrides = {}
            for item in options["map"]:
                header, sep, name = str(item).partition("=")
                if not sep:
                    raise CommandError(_("Write --map as HEADER=FIELD, not %(value)s.") % {"value": item})
                overrides[header] = name.strip()
            columns = read_header(path, kind=kind, sheet=options["sheet"])
            mapping = tuple(mapping_with_overrides(kind, columns, overrides))
        source = ImportSource(path=path, name=path.name, mapping=mapping, sheet=options["sheet"])
        progress = TerminalProgress(self)
        try:
            if kind == ImportKind.OBJECTS:
                if not options["region"]:
                    raise CommandError(_("Name the region: --region KATO."))
                return import_objects(
                    actor=user,
                    region=core_selectors.region_by_kato(options["region"]),
                    source=source,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
            if kind == VACANCIES:
                if not options["employer"]:
                    raise CommandError(_("Name the employer: --employer ID or BIN."))
                return import_vacancies(
                    actor=user,
                    employer=self._employer(user, options["employer"]),
                    source=source,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
            if kind == STAFF_REPORTS:
                return import_staff_reports(
                    actor=user, source=source, dry_run=options["dry_run"], progress=progress
                )
            if kind == ImportKind.DELIVERIES:
                if options["project"] is None:
                    raise CommandError(_("Name the project: --project ID."))
                project = import_selectors.project_for_import(user, options["project"])
                return import_deliveries(
                    actor=user, project=project, source=source, dry_run=options["dry_run"], progress=progress
                )
            if not options["organisation"]:
                raise CommandError(_("Name the organisation: --organisation ID or BIN."))
            organisation = import_selectors.organisation_for_import(user, options["organisation"])
            return import_people(
                actor=user,
                organisation=organisation,
                source=source,
                dry_run=options["dry_run"],
                progress=progress,
            )
        finally:
            progress.close()

    def _employer(self, user: User, value: str) -> Organisation:
        """The employer whose vacancies the user posts, by id or BIN."""
        text = value.strip()
        found = (
            Organisation.objects.filter(bin=text).values_list("pk", flat=True).first()
            if len(text) == 12
            else None
        )
        employer_id = found if found is not None else (int(text) if text.isdigit() and len(text) < 12 else 0)
        return jobs_selectors.employer_get_for_staff(user, employer_id)

    def _print_report(self, report: ImportReport) -> None:
        if report.header_row:
            self.stdout.write(
                _("The header was taken from row %(row)s of the sheet “%(sheet)s”.")
                % {"row": report.header_row, "sheet": report.sheet}
                if report.sheet
                else _("The header was taken from row %(row)s.") % {"row": report.header_row}
            )
        for note in report.notes:
            self.stdout.write(note.text)
        if report.notes.more:
            self.stdout.write(
                _("… and %(more)s more rows skipped the same way.") % {"more": report.notes.more}
            )
        for error in report.errors:
            self.stdout.write(
                _("Row %(row)s, column “%(column)s”: %(reason)s")
                % {"row": error.row, "column": error.column, "reason": error.reason}
            )
        if report.errors_total > len(report.errors):
            self.stdout.write(
                _("… and %(more)s more errors.") % {"more": report.errors_total - len(report.errors)}
            )
        if report.columns_ignored:
            self.stdout.write(
                _("Columns left out: %(columns)s.") % {"columns": ", ".join(report.columns_ignored)}
            )
        if report.already_imported_on is not None:
            self.stdout.write(
                _("This file was already imported on %(date)s; nothing changed.")
                % {"date": report.already_imported_on.strftime("%Y-%m-%d %H:%M")}
                if not report.dry_run
                else _("This file was already imported on %(date)s; writing it again would change nothing.")
                % {"date": report.already_imported_on.strftime("%Y-%m-%d %H:%M")}
            )
        counts = {
            "rows": report.total,
            "created": report.people_created,
            "linked": report.people_linked,
            "written": report.deliveries_written,
            "unchanged": report.unchanged,
        }
        if isinstance(report, JobsImportReport):
            counts = {"rows": report.total, "written": report.written, "unchanged": report.unchanged}
            if report.kind == VACANCIES:
                line = (
                    _(
                        "Dry run, nothing written. Rows: %(rows)s. Vacancies to post: %(written)s; "
                        "already posted: %(unchanged)s."
                    )
                    if report.dry_run
                    else _("Rows: %(rows)s. Vacancies posted: %(written)s; already posted: %(unchanged)s.")
                )
            else:
                line = (
                    _(
                        "Dry run, nothing written. Rows: %(rows)s. Staff reports to record: %(written)s; "
                        "already recorded: %(unchanged)s."
                    )
                    if report.dry_run
                    else _(
                        "Rows: %(rows)s. Staff reports recorded: %(written)s; "
                        "already recorded: %(unchanged)s."
                    )
                )
        elif isinstance(report, ObjectsImportReport):
            counts = {
                "rows": report.total,
                "created": report.objects_created,
                "updated": report.objects_updated,
                "unchanged": report.unchanged,
            }
            line = (
                _(
                    "Dry run, nothing written. Rows: %(rows)s. Objects to register: %(created)s; "
                    "to update: %(updated)s; unchanged: %(unchanged)s."
                )
                if report.dry_run
                else _(
                    "Rows: %(rows)s. Objects registered: %(created)s; updated: %(updated)s; "
                    "unchanged: %(unchanged)s."
                )
            )
        elif report.kind == ImportKind.DELIVERIES:
            line = (
                _(
                    "Dry run, nothing written. Rows: %(rows)s. Deliveries to record: %(written)s; "
                    "already recorded: %(unchanged)s. People to register: %(created)s; "
                    "to link to the organisation: %(linked)s."
                )
                if report.dry_run
                else _(
                    "Rows: %(rows)s. Deliveries recorded: %(written)s; already recorded: %(unchanged)s. "
                    "People registered: %(created)s; linked to the organisation: %(linked)s."
                )
            )
        else:
            line = (
                _(
                    "Dry run, nothing written. Rows: %(rows)s. People to register: %(created)s; "
                    "to link to the organisation: %(linked)s; already among its people: %(unchanged)s."
                )
                if report.dry_run
                else _(
                    "Rows: %(rows)s. People registered: %(created)s; linked to the organisation: "
                    "%(linked)s; already among its people: %(unchanged)s."
                )
            )
        self.stdout.write(line % counts)
