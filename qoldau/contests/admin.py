"""Django admin for contests and grants. The monthly calculation index and the contest's
published archive are data an administrator keeps up to date here; everything else changes
only through the app's pages and services, which check the rules and audit every write."""

from __future__ import annotations

from django.contrib import admin

from qoldau.contests.models import (
    Application,
    ArchivedLaureate,
    ArchivePeriod,
    Commission,
    Contest,
    GrantAward,
    GrantCall,
    MonthlyCalculationIndex,
    Score,
)
from qoldau.core.admin import ReadOnlyAdmin


@admin.register(MonthlyCalculationIndex)
class MonthlyCalculationIndexAdmin(admin.ModelAdmin[MonthlyCalculationIndex]):
    list_display = ("valid_from", "amount", "source")


@admin.register(ArchivePeriod)
class ArchivePeriodAdmin(admin.ModelAdmin[ArchivePeriod]):
    list_display = ("from_year", "to_year", "projects_taken_part", "regional_winners")


@admin.register(ArchivedLaureate)
class ArchivedLaureateAdmin(admin.ModelAdmin[ArchivedLaureate]):
    list_display = ("year", "place", "title_kk", "leader")
    list_filter = ("year",)


@admin.register(Contest)
class ContestAdmin(ReadOnlyAdmin):
    list_display = ("year", "title_kk", "places_awarded", "advance_per_region")


@admin.register(Commission)
class CommissionAdmin(ReadOnlyAdmin):
    list_display = ("level", "contest", "call", "region", "approved_at")
    list_filter = ("level", "approved_at")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "title_kk", "applicant_name", "region", "status", "submitted_at")
    list_filter = ("status", "contest", "call", "region")
    search_fields = ("number", "title_kk", "title_ru", "title_en", "applicant_name")


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ("commission", "application", "member", "criterion", "value", "scored_at")
    list_filter = ("commission",)


@admin.register(GrantCall)
class GrantCallAdmin(ReadOnlyAdmin):
    list_display = ("title_kk", "operator", "budget", "opens_at", "deadline")


@admin.register(GrantAward)
class GrantAwardAdmin(ReadOnlyAdmin):
    list_display = ("application", "call", "amount", "awarded_at")
