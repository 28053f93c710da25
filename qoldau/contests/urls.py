"""Pages of contests and grants: public pages (contests, results, archive, calls), set-up
(contests, commissions, calls), applications and grantees, commissions' work, and the
operators' awards. Each page family keeps its routes beside its views."""

from django.urls import URLPattern

from qoldau.contests.views import applications, commissions, grants, public, setup

app_name = "contests"

urlpatterns: list[URLPattern] = [
    *public.urlpatterns,
    *setup.urlpatterns,
    *applications.urlpatterns,
    *commissions.urlpatterns,
    *grants.urlpatterns,
]
