from django.urls import path

from qoldau.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("design/", views.design, name="design"),
    path("organisations/<id:organisation_id>/", views.organisation_detail, name="organisation"),
    path("people/<id:person_id>/", views.person_detail, name="person"),
]
