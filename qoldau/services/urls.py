"""Pages of the services app. Each page family keeps its routes beside its views."""

from django.urls import URLPattern

from qoldau.services.views import workforce

app_name = "services"

urlpatterns: list[URLPattern] = [
    *workforce.urlpatterns,
]
