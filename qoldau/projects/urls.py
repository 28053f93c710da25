from django.urls import path

from qoldau.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="projects"),
    path("new/", views.project_create, name="project_create"),
    path("<id:project_id>/", views.project_detail, name="project"),
    path("<id:project_id>/edit/", views.project_edit, name="project_edit"),
    path("deliveries/new/", views.delivery_record, name="delivery_record"),
    path("events/new/", views.event_record, name="event_record"),
    path("events/<id:event_id>/", views.event_detail, name="event"),
    path("<id:project_id>/indicators/", views.indicator_add, name="indicator_add"),
    path("<id:project_id>/indicators/periods/", views.indicator_period_set, name="indicator_period_set"),
]
