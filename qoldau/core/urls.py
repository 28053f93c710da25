from django.contrib.auth import views as auth_views
from django.urls import path

from qoldau.core import views, views_citizens, views_outbox

app_name = "core"

urlpatterns = [
    path("signin/", views.LoginView.as_view(), name="login"),
    path("signup/", views_citizens.citizen_sign_up, name="sign_up"),
    path("people/<id:person_id>/confirm-iin/", views.person_iin_confirm, name="person_iin_confirm"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.switch_language, name="language"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path(
        "organisations/<id:organisation_id>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("people/", views.people_search, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<id:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<id:person_id>/categories/", views.person_category_add, name="person_category_add"),
    path(
        "people/<id:person_id>/categories/<id:membership_id>/end/",
        views.person_category_end,
        name="person_category_end",
    ),
    path("people/<id:person_id>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("audit/", views.audit_log, name="audit"),
    path("outbox/", views_outbox.outbox, name="outbox"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job_download"),
    path("jobs/<uuid:job_id>/again/", views.job_again, name="job_again"),
]
