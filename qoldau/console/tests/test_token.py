"""`qoldau token list [USERNAME]` and `qoldau token revoke PREFIX_OR_ID`: tokens are listed
without the token itself, and a revoked token no longer opens the API; revoking is
audited on the "cli" channel."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from qoldau.core.models import ApiToken, AuditEntry
from qoldau.core.services import api_token_create
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


def token(*args):
    out = io.StringIO()
    with translation.override("en"):
        call_command("token", *args, stdout=out)
    return out.getvalue()


def opens_the_api(plain):
    return Client().get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200


@pytest.fixture
def tokens():
    w = factories.world()
    staff, staff_plain = api_token_create(actor=None, user=w.almaty_staff, name="excel sync")
    admin, admin_plain = api_token_create(actor=None, user=w.almaty_admin, name="")
    return w, (staff, staff_plain), (admin, admin_plain)


def test_list_shows_prefix_name_user_and_dates_never_the_token(tokens):
    w, (staff, staff_plain), (_admin, admin_plain) = tokens
    assert opens_the_api(staff_plain)
    listed = token("list")
    lines = listed.splitlines()
    assert lines[0].split() == ["id", "prefix", "name", "user", "created", "last", "used", "revoked"]
    assert len(lines) == 3
    assert f"{staff.prefix}…" in listed
    assert "excel sync" in listed
    assert "almaty.staff" in listed
    assert "almaty.admin" in listed
    for plain in (staff_plain, admin_plain):
        assert plain not in listed
        assert plain[: len(staff.prefix) + 1] not in listed
    for stored in ApiToken.objects.all():
        assert stored.token_hash not in listed
    # The staff token was used: its line has two dates and no revocation.
    staff_line = next(line for line in lines if "almaty.staff" in line)
    assert staff_line.count("-") >= 4
    assert staff_line.rstrip().endswith("—")

    one = token("list", "almaty.admin")
    assert "almaty.admin" in one
    assert "almaty.staff" not in one
    assert token("list", w.turkistan_staff.username).strip() == "No API tokens."
    with pytest.raises(CommandError, match="There is no user nobody"):
        token("list", "nobody")


def test_revoke_by_prefix_closes_the_api_and_is_audited(tokens):
    _w, (staff, staff_plain), (_admin, admin_plain) = tokens
    output = token("revoke", staff.prefix)
    assert f"The token {staff.prefix}… of almaty.staff is revoked." in output
    assert not opens_the_api(staff_plain)
    assert opens_the_api(admin_plain)
    entry = AuditEntry.objects.get(action="token.revoke")
    assert (entry.channel, entry.object_id, entry.actor) == ("cli", str(staff.user_id), None)
    revoked_line = next(line for line in token("list").splitlines() if "almaty.staff" in line)
    assert not revoked_line.rstrip().endswith("—")

    with pytest.raises(CommandError, match="already revoked"):
        token("revoke", staff.prefix)
    assert AuditEntry.objects.filter(action="token.revoke").count() == 1


def test_revoke_by_id_and_by_the_whole_token(tokens):
    _w, (staff, _staff_plain), (_admin, admin_plain) = tokens
    token("revoke", str(staff.pk))
    token("revoke", admin_plain)
    assert not opens_the_api(admin_plain)
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0


def test_revoke_of_an_unknown_or_ambiguous_prefix_changes_nothing(tokens):
    with pytest.raises(CommandError, match="There is no token qld_nothing"):
        token("revoke", "qld_nothing")
    with pytest.raises(CommandError, match="There is no token 999999"):
        token("revoke", "999999")
    # "qld_" begins every token: it names none of them in particular.
    with pytest.raises(CommandError, match="More than one token begins with qld_"):
        token("revoke", "qld_")
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 2
    assert not AuditEntry.objects.filter(action="token.revoke").exists()
