"""Pages of the access app: the public map (no sign-in), objects and barrier reports,
passports and measures, and progress to the target year. Each page family keeps its routes
beside its views."""

from django.urls import URLPattern

from qoldau.access.views import objects, passports, progress, public

app_name = "access"

urlpatterns: list[URLPattern] = [
    *public.urlpatterns,
    *objects.urlpatterns,
    *passports.urlpatterns,
    *progress.urlpatterns,
]
