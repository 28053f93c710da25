from django.contrib import admin
from django.urls import include, path

from qoldau.api import api
from qoldau.core.views import health

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("projects/", include("qoldau.projects.urls")),
    path("imports/", include("qoldau.imports.urls")),
    path("dashboard/", include("qoldau.dashboard.urls")),
    path("consult/", include("qoldau.consult.urls")),
    path("access/", include("qoldau.access.urls")),
    path("contests/", include("qoldau.contests.urls")),
    path("employment/", include("qoldau.jobs.urls")),
    path("services/", include("qoldau.services.urls")),
    path("", include("qoldau.portal.urls")),
    path("", include("qoldau.core.urls")),
]
