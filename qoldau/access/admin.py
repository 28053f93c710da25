"""Django admin: objects, passports, measures and barrier reports are viewed here; they are
changed only through the app's pages and services, which check and audit every write."""

from __future__ import annotations

from django.contrib import admin

from qoldau.access.models import AccessObject, BarrierReport, Measure, Passport
from qoldau.core.admin import ReadOnlyAdmin


@admin.register(AccessObject)
class AccessObjectAdmin(ReadOnlyAdmin):
    list_display = ("name_kk", "kind", "district", "status_k", "passported_on")
    list_filter = ("kind", "status_k", "region")
    search_fields = ("name_kk", "name_ru", "name_en", "address", "external_id")


@admin.register(Passport)
class PassportAdmin(ReadOnlyAdmin):
    list_display = ("object", "number", "state", "surveyed_on", "surveyor")
    list_filter = ("state",)
    raw_id_fields = ("object",)


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ("object", "item_code", "kind", "state", "deadline", "cost")
    list_filter = ("state", "kind")
    raw_id_fields = ("object", "passport")


@admin.register(BarrierReport)
class BarrierReportAdmin(ReadOnlyAdmin):
    list_display = ("object", "category", "state", "channel", "created_at")
    list_filter = ("state", "channel", "category")
    raw_id_fields = ("object",)
    exclude = ("contact",)
