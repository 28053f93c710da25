from django.urls import path

from qoldau.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.internal, name="internal"),
    path("public/", views.public, name="public"),
    path("export/", views.export, name="export"),
]
