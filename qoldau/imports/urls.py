from django.urls import path

from qoldau.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_home, name="start"),
    path("<str:kind>/new/", views.import_upload, name="upload"),
    path("<str:kind>/template.xlsx", views.import_template, name="template"),
    path("uploads/<str:token>/columns/", views.import_columns, name="columns"),
    path("jobs/<uuid:job_id>/write/", views.import_write_start, name="write"),
    path("jobs/<uuid:job_id>/cancel/", views.import_cancel, name="cancel"),
]
