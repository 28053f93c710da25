"""Objects for officers and owners' staff: who sees which objects, registering and editing
them (bad districts, coordinates, edit conflicts), photos, surveyors, and barrier reports
handled as tasks. Everything through the pages, against the real database."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qoldau.access import policy, selectors, services
from qoldau.access.models import AccessObject, BarrierReport, ObjectPhoto, SurveyAssignment
from qoldau.access.tests.factories import district, make_object
from qoldau.access.tests.objects_scene import client_for, listed, png, scene
from qoldau.core.models import AuditEntry, Place
from qoldau.core.tests import factories
from qoldau.core.tests.images import png_declaring

CONFLICT = "Someone else saved this record after you opened it."


# The data -------------------------------------------------------------------------------


# Who sees what ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_public_is_sent_to_sign_in_from_every_objects_page():
    s = scene()
    report = services.barrier_report_submit(
        actor=None, object_id=s.city_object.pk, description="Баспалдақ бар"
    )
    client = Client()
    for url in (
        reverse("access:objects"),
        reverse("access:object", args=[s.city_object.pk]),
        reverse("access:object_create"),
        reverse("access:object_edit", args=[s.city_object.pk]),
        reverse("access:objects_import"),
        reverse("access:barrier_reports"),
        reverse("access:barrier_report", args=[report.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/signin/" in response["Location"], url


@pytest.mark.django_db
def test_ngo_staff_sees_only_their_organisations_objects():
    s = scene()
    client = client_for(s.w.almaty_staff)
    assert listed(client.get(reverse("access:objects"))) == {s.ngo_object.pk}
    assert client.get(reverse("access:object", args=[s.ngo_object.pk])).status_code == 200
    for other in (s.city_object, s.turkistan_ngo_object, s.astana_object):
        assert client.get(reverse("access:object", args=[other.pk])).status_code == 404
        assert client.get(reverse("access:object_edit", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_akimat_officer_sees_only_their_regions_objects():
    s = scene()
    almaty = client_for(s.w.akimat_almaty)
    assert listed(almaty.get(reverse("access:objects"))) == {
        s.ngo_object.pk,
        s.city_object.pk,
        s.turkistan_ngo_object.pk,
    }
    assert almaty.get(reverse("access:object", args=[s.astana_object.pk])).status_code == 404
    astana = client_for(s.akimat_astana)
    assert listed(astana.get(reverse("access:objects"))) == {s.astana_object.pk}
    assert astana.get(reverse("access:object", args=[s.city_object.pk])).status_code == 404


@pytest.mark.django_db
def test_surveyor_sees_only_assigned_objects_and_cannot_edit_them():
    s = scene()
    client = client_for(s.surveyor)
    assert listed(client.get(reverse("access:objects"))) == {s.city_object.pk}
    page = client.get(reverse("access:object", args=[s.city_object.pk]))
    assert page.status_code == 200
    assert page.context["may_manage"] is False
    assert client.get(reverse("access:object", args=[s.ngo_object.pk])).status_code == 404
    assert client.get(reverse("access:object_edit", args=[s.city_object.pk])).status_code == 403
    assert client.get(reverse("access:object_create")).status_code == 403


@pytest.mark.django_db
def test_ministry_reads_every_object_but_changes_none():
    s = scene()
    client = client_for(s.w.ministry)
    assert len(listed(client.get(reverse("access:objects")))) == 4
    assert client.get(reverse("access:object_edit", args=[s.city_object.pk])).status_code == 403


@pytest.mark.django_db
def test_a_citizen_account_without_a_role_is_refused():
    scene()
    nobody = User.objects.create_user("citizen", password=factories.PASSWORD)
    assert client_for(nobody).get(reverse("access:objects")).status_code == 403


@pytest.mark.django_db
def test_object_list_filters_in_the_database_with_a_fixed_number_of_queries():
    s = scene()
    for number in range(30):
        make_object(
            s.w.akimat_almaty, name=f"Дүкен {number}", kind="trade_services", external_id=f"T-{number}"
        )
    client = client_for(s.w.akimat_almaty)
    url = reverse("access:objects")
    client.get(url)  # the session and the scope, read once
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, {"kind": "trade_services"})
    assert response.context["page"].paginator.count == 31
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few) <= 12

    assert listed(client.get(url, {"district": district("Medeu District").pk})) == {s.city_object.pk}
    assert listed(client.get(url, {"q": "Достық"})) == {s.city_object.pk}
    assert listed(client.get(url, {"q": "T-7"})) == {AccessObject.objects.get(external_id="T-7").pk}
    assert listed(client.get(url, {"passported": "yes"})) == set()
    assert client.get(url, {"passported": "no"}).context["page"].paginator.count == 33
    assert listed(client.get(url, {"category": "С", "status": "accessible"})) == set()
    assert client.get(url, {"category": "С", "status": "unknown"}).context["page"].paginator.count == 33
    # The list is paged in the database: 50 on a page.
    assert len(client.get(url).context["rows"]) == 33
    assert client.get(url, {"status": "no-such-status"}).status_code == 400


# Registering and editing --------------------------------------------------------------------


def object_form(**changes: Any) -> dict[str, Any]:
    almaty = Place.objects.get(kato=factories.ALMATY)
    data = {
        "name_kk": "Орталық кітапхана",
        "name_ru": "Центральная библиотека",
        "name_en": "Central library",
        "kind": "culture",
        "region": almaty.pk,
        "district": district("Bostandyq District").pk,
        "address": "Әл-Фараби даңғылы, 1",
        "latitude": "43,2220",
        "longitude": "76.9190",
        "owner_bin": "",
        "owner_name": "Алматы қаласының мәдениет басқармасы",
        "external_id": "LIB-1",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_officer_registers_an_object_with_a_comma_in_the_coordinates():
    s = scene()
    response = client_for(s.w.akimat_almaty).post(reverse("access:object_create"), object_form())
    obj = AccessObject.objects.get(external_id="LIB-1")
    assert response.status_code == 302
    assert response["Location"] == reverse("access:object", args=[obj.pk])
    assert (obj.latitude, obj.longitude, obj.district.name_en) == (43.222, 76.919, "Bostandyq District")
    assert AuditEntry.objects.filter(action="access.object_create", object_id=str(obj.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"latitude": "10.5"}, "latitude", "is outside Kazakhstan"),
        ({"latitude": "76.9190", "longitude": "43.2220"}, "latitude", "not swapped"),
        ({"latitude": "сорок три"}, "latitude", "as numbers"),
        ({"district": "999999"}, "district", "Select a valid choice"),
        ({"name_kk": ""}, "name_kk", "required"),
        ({"owner_bin": "12345"}, "owner_bin", "12 digits"),
        ({"owner_bin": "111111111111"}, "owner_bin", "No organisation with this BIN"),
    ],
)
@pytest.mark.django_db
def test_bad_object_input_gets_a_clear_error_and_registers_nothing(
    changes: dict[str, Any], field: str, message: str
):
    s = scene()
    before = AccessObject.objects.count()
    response = client_for(s.w.akimat_almaty).post(reverse("access:object_create"), object_form(**changes))
    assert response.status_code == 400
    assert any(message in str(error) for error in response.context["form"].errors[field]), response.context[
        "form"
    ].errors
    assert message in response.content.decode()
    assert AccessObject.objects.count() == before


@pytest.mark.django_db
def test_a_district_of_another_region_is_refused():
    s = scene()
    before = AccessObject.objects.count()
    response = client_for(s.w.sysadmin).post(
        reverse("access:object_create"), object_form(district=district("Yesil District").pk)
    )
    assert response.status_code == 400
    assert "The district is not in the chosen region." in response.context["form"].errors["district"]
    assert AccessObject.objects.count() == before


@pytest.mark.django_db
def test_an_officer_cannot_register_an_object_in_another_region():
    s = scene()
    astana = Place.objects.get(kato=factories.ASTANA)
    response = client_for(s.w.akimat_almaty).post(
        reverse("access:object_create"), object_form(region=astana.pk, district=district("Yesil District").pk)
    )
    # Astana is not among the Almaty officer's regions: not even a choice.
    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert not AccessObject.objects.filter(external_id="LIB-1").exists()


@pytest.mark.django_db
def test_ngo_staff_register_their_own_organisations_object():
    s = scene()
    client = client_for(s.w.almaty_staff)
    form = client.get(reverse("access:object_create")).context["form"]
    assert form.initial["owner_bin"] == s.w.almaty_ngo.bin
    response = client.post(
        reverse("access:object_create"), object_form(owner_bin=s.w.almaty_ngo.bin, owner_name="")
    )
    assert response.status_code == 302
    assert AccessObject.objects.get(external_id="LIB-1").owner == s.w.almaty_ngo
    # Another owner's object is not theirs to register.
    response = client.post(
        reverse("access:object_create"), object_form(owner_bin=s.w.turkistan_ngo.bin, external_id="LIB-2")
    )
    assert response.status_code == 403
    assert not AccessObject.objects.filter(external_id="LIB-2").exists()


@pytest.mark.django_db
def test_edit_saves_and_a_second_editor_gets_a_conflict_not_an_overwrite():
    s = scene()
    url = reverse("access:object_edit", args=[s.city_object.pk])
    first, second = client_for(s.w.akimat_almaty), client_for(s.w.sysadmin)
    initial = first.get(url).context["form"].initial
    data = {k: ("" if v is None else v) for k, v in initial.items()}
    second_data = dict(data)

    data["address"] = "Достық даңғылы, 7"
    assert first.post(url, data).status_code == 302
    second_data["name_kk"] = "Мектеп-гимназия №12"
    response = second.post(url, second_data)
    assert response.status_code == 400
    assert CONFLICT in response.content.decode()
    s.city_object.refresh_from_db()
    assert (s.city_object.address, s.city_object.name_kk) == ("Достық даңғылы, 7", "Мектеп №12")
    assert s.city_object.version == 2


@pytest.mark.django_db
def test_edit_refuses_a_point_outside_kazakhstan_and_keeps_the_object():
    s = scene()
    url = reverse("access:object_edit", args=[s.city_object.pk])
    client = client_for(s.w.akimat_almaty)
    data = {k: ("" if v is None else v) for k, v in client.get(url).context["form"].initial.items()}
    data["longitude"] = "100.5"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "outside Kazakhstan" in response.content.decode()
    s.city_object.refresh_from_db()
    assert (s.city_object.longitude, s.city_object.version) == (76.9, 1)


# Photos ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_photo_is_added_and_served_only_to_those_who_see_the_object():
    s = scene()
    client = client_for(s.w.almaty_staff)
    response = client.post(
        reverse("access:object_photo_add", args=[s.ngo_object.pk]),
        {"photo": SimpleUploadedFile("ramp.png", png(), content_type="image/png"), "caption": "Пандус"},
    )
    assert response.status_code == 302
    photo = ObjectPhoto.objects.get(object=s.ngo_object)
    served = client.get(reverse("access:object_photo", args=[photo.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert (
        client_for(s.w.turkistan_staff).get(reverse("access:object_photo", args=[photo.pk])).status_code
        == 404
    )
    assert Client().get(reverse("access:object_photo", args=[photo.pk])).status_code == 302


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_with_a_clear_message(settings: Any):
    s = scene()
    client = client_for(s.w.akimat_almaty)
    response = client.post(
        reverse("access:object_photo_add", args=[s.city_object.pk]),
        {"photo": SimpleUploadedFile("ramp.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")},
    )
    assert response.status_code == 400
    assert "The file is not a photo. Send a JPEG, PNG or WebP image." in response.content.decode()
    assert not ObjectPhoto.objects.exists()


@pytest.mark.django_db
def test_a_photo_too_large_is_refused_with_a_clear_message(settings: Any):
    settings.QOLDAU_ACCESS_PHOTO_MAX_MB = 1
    s = scene()
    big = png() + b"\0" * (1024 * 1024)
    response = client_for(s.w.akimat_almaty).post(
        reverse("access:object_photo_add", args=[s.city_object.pk]),
        {"photo": SimpleUploadedFile("ramp.png", big, content_type="image/png")},
    )
    assert response.status_code == 400
    assert "The photo is larger than 1 MB. Send a smaller one." in response.content.decode()
    assert not ObjectPhoto.objects.exists()


@pytest.mark.django_db
def test_an_object_photo_declaring_too_many_pixels_is_refused_with_a_clear_message():
    s = scene()
    response = client_for(s.w.akimat_almaty).post(
        reverse("access:object_photo_add", args=[s.city_object.pk]),
        {"photo": SimpleUploadedFile("ramp.png", png_declaring(12_000, 12_000), content_type="image/png")},
    )
    assert response.status_code == 400
    assert "The image is larger than 50 megapixels; send a smaller one." in response.content.decode()
    assert not ObjectPhoto.objects.exists()


# Surveyors ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_assigns_and_unassigns_a_surveyor():
    s = scene()
    client = client_for(s.w.akimat_almaty)
    url = reverse("access:object_surveyor_assign", args=[s.ngo_object.pk])
    assert client.post(url, {"surveyor": s.surveyor.pk}).status_code == 302
    assignment = SurveyAssignment.objects.get(object=s.ngo_object, active=True)
    assert assignment.surveyor == s.surveyor
    # The surveyor now sees the object.
    assert client_for(s.surveyor).get(reverse("access:object", args=[s.ngo_object.pk])).status_code == 200

    # A user who is not a surveyor is not a choice.
    response = client.post(url, {"surveyor": s.w.almaty_staff.pk})
    assert response.status_code == 400
    assert SurveyAssignment.objects.filter(object=s.ngo_object, active=True).count() == 1

    end = reverse("access:object_surveyor_unassign", args=[s.ngo_object.pk, assignment.pk])
    # The surveyor sees the object but may not end their own assignment.
    assert client_for(s.surveyor).post(end).status_code == 403
    assert SurveyAssignment.objects.filter(pk=assignment.pk, active=True).exists()
    assert client.post(end).status_code == 302
    assert not SurveyAssignment.objects.filter(object=s.ngo_object, active=True).exists()
    assert client_for(s.surveyor).get(reverse("access:object", args=[s.ngo_object.pk])).status_code == 404


# Barrier reports ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_barrier_reports_are_tasks_of_the_owner_and_the_regions_officers():
    s = scene()
    report = services.barrier_report_submit(
        actor=None,
        object_id=s.ngo_object.pk,
        description="Кіреберісте пандус жоқ",
        category="К",
        zone="entrance",
        photo=SimpleUploadedFile("stairs.png", png(), content_type="image/png"),
        contact="+7 701 000 0000",
    )
    other = services.barrier_report_submit(
        actor=None, object_id=s.astana_object.pk, description="Лифт істемейді"
    )
    for user in (s.w.almaty_staff, s.w.akimat_almaty):
        client = client_for(user)
        page = client.get(reverse("access:barrier_reports"))
        assert [r.pk for r in page.context["page"]] == [report.pk]
        detail = client.get(reverse("access:barrier_report", args=[report.pk]))
        assert detail.status_code == 200
        assert "+7 701 000 0000" in detail.content.decode()
        photo = client.get(reverse("access:barrier_report_photo", args=[report.pk]))
        assert photo.status_code == 200
        assert client.get(reverse("access:barrier_report", args=[other.pk])).status_code == 404
    outsider = client_for(s.w.turkistan_staff)
    assert outsider.get(reverse("access:barrier_report", args=[report.pk])).status_code == 404
    assert outsider.get(reverse("access:barrier_report_photo", args=[report.pk])).status_code == 404
    assert list(outsider.get(reverse("access:barrier_reports")).context["page"]) == []
    # Reading the contact (personal data) is audited.
    assert (
        AuditEntry.objects.filter(
            action="access.barrier_report_contact_view", object_id=str(report.pk)
        ).count()
        == 2
    )


@pytest.mark.django_db
def test_barrier_report_is_handled_and_leaves_the_open_list():
    s = scene()
    report = services.barrier_report_submit(actor=None, object_id=s.city_object.pk, description="Есік тар")
    client = client_for(s.w.akimat_almaty)
    url = reverse("access:barrier_report", args=[report.pk])

    response = client.post(url, {"state": "resolved", "resolution": ""})
    assert response.status_code == 400
    assert "Say what was done or found." in response.content.decode()
    report.refresh_from_db()
    assert report.state == BarrierReport.State.NEW

    assert client.post(url, {"state": "in_progress"}).status_code == 302
    report.refresh_from_db()
    assert report.state == BarrierReport.State.IN_PROGRESS
    assert client.post(url, {"state": "resolved", "resolution": "Есік кеңейтілді, 90 см."}).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.resolution, report.handled_by) == (
        BarrierReport.State.RESOLVED,
        "Есік кеңейтілді, 90 см.",
        s.w.akimat_almaty,
    )
    assert report.resolved_at is not None
    assert list(client.get(reverse("access:barrier_reports")).context["page"]) == []
    assert [
        r.pk for r in client.get(reverse("access:barrier_reports"), {"state": "resolved"}).context["page"]
    ] == [report.pk]


@pytest.mark.django_db
def test_ministry_reads_a_barrier_report_but_cannot_handle_it():
    s = scene()
    report = services.barrier_report_submit(actor=None, object_id=s.city_object.pk, description="Есік тар")
    client = client_for(s.w.ministry)
    page = client.get(reverse("access:barrier_report", args=[report.pk]))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert (
        client.post(
            reverse("access:barrier_report", args=[report.pk]), {"state": "rejected", "resolution": "x"}
        ).status_code
        == 403
    )
    report.refresh_from_db()
    assert report.state == BarrierReport.State.NEW


CONTACT = "+7 701 555 12 34, aigul.reporter@example.kz"


@pytest.mark.django_db
def test_the_ministry_never_reads_a_reporters_contact():
    s = scene()
    report = services.barrier_report_submit(
        actor=None, object_id=s.ngo_object.pk, description="Пандус жоқ", contact=CONTACT
    )
    client = client_for(s.w.ministry)
    pages = [
        client.get(reverse("access:barrier_report", args=[report.pk])),
        client.get(reverse("access:barrier_reports")),
        client.get(reverse("access:barrier_reports"), {"state": ""}),
        client.get(reverse("access:object", args=[s.ngo_object.pk])),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    for page in pages:
        html = page.content.decode()
        assert "+7 701 555" not in html
        assert "aigul.reporter" not in html
        assert "Contact of the person who reported" not in html
    assert pages[0].context["contact"] is None
    # The rule itself: the ministry reads the report, never who sent it.
    assert selectors.barrier_report_contact(s.w.ministry, report) is None
    assert report in selectors.barrier_reports_visible(s.w.ministry)
    assert not policy.barrier_reports_with_contact(s.w.ministry).exists()
    assert not AuditEntry.objects.filter(action="access.barrier_report_contact_view").exists()


@pytest.mark.django_db
def test_those_who_handle_a_report_read_the_contact_and_each_read_is_audited():
    s = scene()
    report = services.barrier_report_submit(
        actor=None, object_id=s.ngo_object.pk, description="Пандус жоқ", contact=CONTACT
    )
    quiet = services.barrier_report_submit(actor=None, object_id=s.ngo_object.pk, description="Есік тар")
    for user in (s.w.almaty_staff, s.w.akimat_almaty, s.w.sysadmin):
        client = client_for(user)
        page = client.get(reverse("access:barrier_report", args=[report.pk]))
        assert CONTACT in page.content.decode()
        # A report without a contact says so, and there is nothing to audit.
        assert client.get(reverse("access:barrier_report", args=[quiet.pk])).context["contact"] == ""
    rows = AuditEntry.objects.filter(action="access.barrier_report_contact_view")
    readers = sorted(rows.values_list("actor_username", flat=True))
    assert readers == ["akimat.almaty", "almaty.staff", "sysadmin"]
    assert set(rows.values_list("object_id", flat=True)) == {str(report.pk)}
    assert all(CONTACT not in str(row.details) for row in rows)
    # The staff of an organisation that does not own the object do not handle it.
    assert selectors.barrier_report_contact(s.w.turkistan_staff, report) is None


@pytest.mark.django_db
def test_barrier_list_reads_a_fixed_number_of_queries():
    s = scene()
    client = client_for(s.w.akimat_almaty)
    url = reverse("access:barrier_reports")
    services.barrier_report_submit(actor=None, object_id=s.city_object.pk, description="Есік тар")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(10):
        services.barrier_report_submit(actor=None, object_id=s.ngo_object.pk, description=f"Кедергі {number}")
    with CaptureQueriesContext(connection) as eleven:
        response = client.get(url)
    assert response.context["page"].paginator.count == 11
    assert len(eleven) == len(one)
