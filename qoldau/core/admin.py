"""Django admin for system administrators: classifiers, organisations, roles, audit log.

People are not edited here: their encrypted data and the audit of every read go through
the pages and the API."""

from django.contrib import admin
from django.http import HttpRequest

from qoldau.core.models import (
    ApiToken,
    AuditEntry,
    Organisation,
    Place,
    RoleAssignment,
    VulnerabilityCategory,
)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    list_display = ("kato", "name_kk", "name_ru", "name_en", "level", "parent")
    list_filter = ("level",)
    search_fields = ("kato", "name_kk", "name_ru", "name_en")
    raw_id_fields = ("parent",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name_kk", "bin", "kind", "region")
    list_filter = ("kind", "region")
    search_fields = ("name_kk", "name_ru", "name_en", "bin")
    raw_id_fields = ("region", "district")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ("user", "role", "organisation", "region")
    list_filter = ("role",)
    raw_id_fields = ("user", "organisation", "region")


@admin.register(VulnerabilityCategory)
class VulnerabilityCategoryAdmin(admin.ModelAdmin[VulnerabilityCategory]):
    list_display = ("code", "name_kk", "name_ru", "name_en", "is_disability", "sort_order")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "token_hash", "created_at", "last_used_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "actor_username", "action", "object_type", "object_id", "channel")
    list_filter = ("action", "channel")
    search_fields = ("actor_username", "action", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
