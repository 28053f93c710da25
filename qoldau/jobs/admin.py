"""Django admin for employment. The catalogues (occupations, working conditions,
impairments, limitations and accommodations) and the dated values (minimum wages, quota
bands, subsidised programmes) are data an administrator keeps here; seekers, vacancies,
cases and the quota's records are shown only: they change through the app's services,
which check the rules and audit every write."""

from __future__ import annotations

from django.contrib import admin

from qoldau.core.admin import ReadOnlyAdmin
from qoldau.jobs.models import (
    Accommodation,
    CoachingCase,
    FairEmployer,
    Impairment,
    JobFair,
    Limitation,
    MinimumWage,
    Occupation,
    Placement,
    QuotaBand,
    QuotaExemption,
    QuotaSanction,
    StaffReport,
    SubsidisedProgramme,
    Vacancy,
    WorkingCondition,
)


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin[Occupation]):
    list_display = ("code", "name_kk", "name_ru", "level", "isco_code", "active")
    list_filter = ("level", "active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    raw_id_fields = ("parent",)


@admin.register(WorkingCondition)
class WorkingConditionAdmin(admin.ModelAdmin[WorkingCondition]):
    list_display = ("code", "name_kk", "name_ru", "kind", "sort_order", "active")
    list_filter = ("kind", "active")


class LimitationInline(admin.TabularInline[Limitation, Impairment]):
    model = Limitation
    extra = 0


@admin.register(Impairment)
class ImpairmentAdmin(admin.ModelAdmin[Impairment]):
    list_display = ("code", "name_kk", "name_ru", "sort_order")
    inlines = [LimitationInline]


class AccommodationInline(admin.TabularInline[Accommodation, Limitation]):
    model = Accommodation
    extra = 0


@admin.register(Limitation)
class LimitationAdmin(admin.ModelAdmin[Limitation]):
    list_display = ("code", "name_kk", "impairment", "sort_order")
    list_filter = ("impairment",)
    inlines = [AccommodationInline]


@admin.register(Accommodation)
class AccommodationAdmin(admin.ModelAdmin[Accommodation]):
    list_display = ("code", "name_kk", "limitation", "covers_categories", "active")
    list_filter = ("limitation__impairment", "active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin[MinimumWage]):
    list_display = ("valid_from", "amount", "source")


@admin.register(QuotaBand)
class QuotaBandAdmin(admin.ModelAdmin[QuotaBand]):
    list_display = ("valid_from", "min_headcount", "max_headcount", "rate_percent", "source")


@admin.register(SubsidisedProgramme)
class SubsidisedProgrammeAdmin(admin.ModelAdmin[SubsidisedProgramme]):
    list_display = ("code", "name_kk", "kind", "valid_from", "valid_until")
    list_filter = ("kind",)


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = ("title_kk", "employer", "occupation", "status", "quota", "opens_on")
    list_filter = ("status", "quota", "remote", "region")
    raw_id_fields = ("employer", "occupation")


@admin.register(StaffReport)
class StaffReportAdmin(ReadOnlyAdmin):
    list_display = ("employer", "as_of", "headcount", "hazardous_jobs", "employees_with_disabilities")
    raw_id_fields = ("employer",)


@admin.register(CoachingCase)
class CoachingCaseAdmin(ReadOnlyAdmin):
    # Who the person is stays on the pages, which audit every read.
    list_display = ("pk", "coach", "stage", "opened_on", "closed_on")
    list_filter = ("stage",)
    fields = ("coach", "stage", "opened_on", "closed_on", "close_reason")


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("pk", "employer", "start_date", "contract_kind", "quota", "ended_on")
    fields = (
        "employer",
        "vacancy",
        "start_date",
        "contract_kind",
        "programme",
        "quota",
        "ended_on",
        "end_reason",
    )


@admin.register(QuotaExemption)
class QuotaExemptionAdmin(ReadOnlyAdmin):
    list_display = ("employer", "year", "reason")


@admin.register(QuotaSanction)
class QuotaSanctionAdmin(ReadOnlyAdmin):
    list_display = ("employer", "year", "kind", "issued_on", "fine_mci", "fine_amount")


@admin.register(JobFair)
class JobFairAdmin(ReadOnlyAdmin):
    list_display = ("pk", "event", "created_at")
    fields = ("event", "created_at")


@admin.register(FairEmployer)
class FairEmployerAdmin(ReadOnlyAdmin):
    # Who registered for a fair stays on the pages, which audit every read.
    list_display = ("fair", "employer", "registered_on", "attended")
    fields = ("fair", "employer", "registered_on", "attended")
