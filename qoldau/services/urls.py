"""Pages of social services under /services/: the public directory and the pages provider
staff keep their entry with. Each area's routes sit beside its views."""

from django.urls import URLPattern

from qoldau.services.views import directory

app_name = "services"

urlpatterns: list[URLPattern] = [
    *directory.urlpatterns,
]
