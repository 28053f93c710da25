"""Registering and editing organisations; roles given and taken in the admin, audited."""

import pytest
from django.test import Client

from qoldau.core.models import AuditEntry, Organisation, RoleAssignment
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def form(**overrides):
    data = {
        "bin": factories.valid_bin(),
        "kind": "public_foundation",
        "name_kk": "«Мейірім» қоғамдық қоры",
        "region": factories.region(factories.ASTANA).pk,
        "address": "Астана, Мәңгілік Ел 8",
        "email": "info@meirim.kz",
    }
    data.update(overrides)
    return data


def test_system_administrator_registers_an_organisation():
    admin = factories.user("root", "system_admin")
    data = form()
    response = client_for(admin).post("/organisations/new/", data)
    assert response.status_code == 302
    organisation = Organisation.objects.get(bin=data["bin"])
    assert AuditEntry.objects.filter(action="organisation.create", organisation_id=organisation.pk).exists()


@pytest.mark.parametrize(
    ("overrides", "message_field"),
    [
        ({"bin": "150640012342"}, "bin"),  # wrong check digit
        ({"bin": ""}, "bin"),  # only an initiative group may have none
        ({"email": "not-an-address"}, "email"),
        ({"region": "999999"}, "region"),
    ],
)
def test_bad_organisation_is_refused_and_nothing_is_saved(overrides, message_field):
    admin = factories.user("root", "system_admin")
    before = Organisation.objects.count()
    response = client_for(admin).post("/organisations/new/", form(**overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert "error-summary" in body
    assert f'href="#id_{message_field}"' in body
    assert Organisation.objects.count() == before


def test_initiative_group_may_register_without_a_bin():
    admin = factories.user("root", "system_admin")
    response = client_for(admin).post("/organisations/new/", form(bin="", kind="initiative_group"))
    assert response.status_code == 302
    assert Organisation.objects.filter(kind="initiative_group", bin=None).exists()


def test_a_bin_is_registered_once():
    admin = factories.user("root", "system_admin")
    data = form()
    client_for(admin).post("/organisations/new/", data)
    again = client_for(admin).post("/organisations/new/", form(bin=data["bin"], name_kk="Басқа"))
    assert "error-summary" in again.content.decode()
    assert Organisation.objects.filter(bin=data["bin"]).count() == 1


def test_only_system_administrators_register_organisations():
    w = factories.world()
    assert client_for(w.almaty_admin).get("/organisations/new/").status_code == 403
    assert client_for(w.ministry).post("/organisations/new/", form()).status_code == 403


def test_ngo_admin_edits_the_profile_and_a_stale_form_is_refused():
    w = factories.world()
    org = w.almaty_ngo
    url = f"/organisations/{org.pk}/edit/"
    data = {
        "kind": org.kind,
        "name_kk": org.name_kk,
        "region": org.region_id,
        "phone": "+7 727 000 0000",
        "version": org.version,
    }
    assert client_for(w.almaty_admin).post(url, data).status_code == 302
    stale = client_for(w.almaty_admin).post(url, dict(data, phone="+7 727 111 1111"))
    assert "error-summary" in stale.content.decode()
    assert Organisation.objects.get(pk=org.pk).phone == "+7 727 000 0000"
    assert client_for(w.almaty_staff).get(url).status_code == 403


def test_roles_given_and_taken_in_the_admin_are_checked_and_audited():
    w = factories.world()
    admin = client_for(w.sysadmin)
    newcomer = factories.user("newcomer", "ministry_officer")
    refused = admin.post(
        "/admin/core/roleassignment/add/",
        {"user": newcomer.pk, "role": "ngo_staff", "organisation": "", "region": ""},
    )
    assert refused.status_code == 200
    assert not RoleAssignment.objects.filter(user=newcomer, role="ngo_staff").exists()
    added = admin.post(
        "/admin/core/roleassignment/add/",
        {"user": newcomer.pk, "role": "ngo_staff", "organisation": w.almaty_ngo.pk, "region": ""},
    )
    assert added.status_code == 302
    assignment = RoleAssignment.objects.get(user=newcomer, role="ngo_staff")
    assert AuditEntry.objects.filter(
        action="role.assign", object_id=str(newcomer.pk), actor=w.sysadmin
    ).exists()
    admin.post(f"/admin/core/roleassignment/{assignment.pk}/delete/", {"post": "yes"})
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="role.revoke", object_id=str(newcomer.pk)).exists()


def test_organisations_cannot_be_changed_behind_the_services_in_the_admin():
    w = factories.world()
    admin = client_for(w.sysadmin)
    assert admin.get("/admin/core/organisation/add/").status_code == 403
    assert admin.get(f"/admin/core/organisation/{w.almaty_ngo.pk}/change/").status_code == 200  # view only
    admin.post(f"/admin/core/organisation/{w.almaty_ngo.pk}/change/", {"bin": "000000000000"})
    assert Organisation.objects.get(pk=w.almaty_ngo.pk).bin == w.almaty_ngo.bin
