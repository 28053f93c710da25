"""Pages of social services under /services/: the public directory and the pages provider
staff keep their entry with (`directory`), and referrals, places, wait lists and the akimat's
network (`flow`), and the workforce (`workforce`). Each area's routes sit beside its views."""

from django.urls import URLPattern

from qoldau.services.views import directory, flow, workforce

app_name = "services"

urlpatterns: list[URLPattern] = [
    *directory.urlpatterns,
    *flow.urlpatterns,
    *workforce.urlpatterns,
]
