"""Django admin for system administrators: classifiers, organisations, roles, audit log.

People are not edited here: their encrypted data and the audit of every read go through
the pages and the API."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import ApplicationError
from qoldau.core.models import (
    ApiToken,
    AuditEntry,
    Notification,
    Organisation,
    Place,
    RoleAssignment,
    VulnerabilityCategory,
)
from qoldau.core.services import (
    api_token_revoke,
    role_assign_in_transaction,
    role_check_scope,
    role_revoke,
    role_revoke_in_transaction,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Records that change only through their app's services (which check and audit every
    write): the admin shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    list_display = ("kato", "name_kk", "name_ru", "name_en", "level", "parent")
    list_filter = ("level",)
    search_fields = ("kato", "name_kk", "name_ru", "name_en")
    raw_id_fields = ("parent",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    """View only: organisations are registered and edited on the pages (or the API), where
    the BIN is checked and every change is audited."""

    list_display = ("name_kk", "bin", "kind", "region")
    list_filter = ("kind", "region")
    search_fields = ("name_kk", "name_ru", "name_en", "bin")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False


class RoleAssignmentForm(forms.ModelForm[RoleAssignment]):
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "organisation", "region")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            role_check_scope(
                role=data.get("role", ""), organisation=data.get("organisation"), region=data.get("region")
            )
        except ApplicationError as exc:
            raise ValidationError(exc.render()) from exc
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    """Roles are given and taken through the services, so that each is checked and audited."""

    list_display = ("user", "role", "organisation", "region")
    list_filter = ("role",)
    raw_id_fields = ("user", "organisation", "region")

    def has_change_permission(self, request: HttpRequest, obj: RoleAssignment | None = None) -> bool:
        return False  # take the role away and give the new one: both are audited

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool) -> None:
        # The admin holds the request's save (and delete) in a transaction of its own.
        try:
            saved = role_assign_in_transaction(
                actor=request.user,
                user=obj.user,
                role=obj.role,
                organisation=obj.organisation,
                region=obj.region,
            )
        except ApplicationError as exc:
            raise ValidationError(exc.render()) from exc
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        role_revoke_in_transaction(actor=request.user, assignment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for assignment in queryset:
            role_revoke(actor=request.user, assignment=assignment)


@admin.register(VulnerabilityCategory)
class VulnerabilityCategoryAdmin(admin.ModelAdmin[VulnerabilityCategory]):
    list_display = ("code", "name_kk", "name_ru", "name_en", "is_disability", "sort_order")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are issued with `qoldau token create` (shown once) and revoked here."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "token_hash", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(actor=request.user, token=token)


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


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "email", "language", "subject", "sent_at")
    list_filter = ("kind", "language")
    search_fields = ("email", "subject")
