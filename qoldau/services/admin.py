"""Django admin for social services. The catalogue (settings, types of service and the
needs people search by) is data a system administrator keeps here, with its changes
audited; providers, permits, locations and services are shown only: they change through
the app's services, which check the rules and audit every write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qoldau.core.admin import ReadOnlyAdmin
from qoldau.core.audit import audit_record
from qoldau.services import policy
from qoldau.services.models import CatalogueTerm, Location, Permit, Provider, Service


@admin.register(CatalogueTerm)
class CatalogueTermAdmin(admin.ModelAdmin[CatalogueTerm]):
    list_display = ("taxonomy", "code", "name_kk", "name_ru", "name_en", "sort_order", "active")
    list_filter = ("taxonomy", "active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    raw_id_fields = ("parent",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return policy.may_keep_catalogue(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.may_keep_catalogue(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A term services use is protected by the database; one no longer in use is set
        # "not in use" instead, so old links keep their meaning.
        return False

    def save_model(self, request: HttpRequest, obj: CatalogueTerm, form: Any, change: bool) -> None:
        policy.check_may_keep_catalogue(request.user)
        super().save_model(request, obj, form, change)
        audit_record(
            request.user,
            "services.catalogue.change" if change else "services.catalogue.add",
            object_type="catalogue_term",
            object_id=obj.pk,
            details={"taxonomy": obj.taxonomy, "code": obj.code, "active": obj.active},
        )


for model in (Provider, Permit, Location, Service):
    admin.site.register(model, ReadOnlyAdmin)
