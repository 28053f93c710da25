from django.contrib import admin

from qoldau.projects.models import Event, Project, ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin[ServiceType]):
    list_display = ("code", "name_kk", "name_ru", "name_en")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin[Project]):
    list_display = ("title_kk", "organisation", "starts_on", "ends_on", "funding_source")
    list_filter = ("funding_source",)
    search_fields = ("title_kk", "title_ru", "title_en")
    raw_id_fields = ("organisation",)
    filter_horizontal = ("regions", "target_categories")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ("title_kk", "project", "kind", "held_on", "anonymous_participants")
    list_filter = ("kind",)
    raw_id_fields = ("project", "place")
