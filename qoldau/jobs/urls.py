"""Pages of the jobs app: the public vacancies, the job coach's caseload and cases, the
employer's vacancies and the seekers sent to them, the quota (the employer's staff
reports, the akimat's and the ministry's pages), the imports of vacancies and staff
reports, job fairs, and a citizen's own job search. Each page family keeps its routes
beside its views."""

from django.urls import URLPattern

from qoldau.jobs.views import coaching, employer, fairs, imports, public, quota, seeker

app_name = "jobs"

urlpatterns: list[URLPattern] = [
    *public.urlpatterns,
    *coaching.urlpatterns,
    *employer.urlpatterns,
    *quota.urlpatterns,
    *imports.urlpatterns,
    *fairs.urlpatterns,
    *seeker.urlpatterns,
]
