"""Django admin: the list of imported files, read only (imports are made on the pages or
with `qoldau import`, where every row is checked and the write is audited)."""

from django.contrib import admin
from django.http import HttpRequest

from qoldau.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = (
        "created_at",
        "kind",
        "file_name",
        "organisation",
        "project",
        "user",
        "rows",
        "people_created",
        "people_linked",
        "deliveries_written",
        "unchanged",
    )
    list_filter = ("kind",)
    search_fields = ("file_name", "file_sha256")
    list_select_related = ("organisation", "project", "user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False
