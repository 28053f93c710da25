"""Passports and remediation: the status rule, the passport's life from draft to
re-survey through the pages, conflicts between surveyors, bad input, and measures."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from qoldau.access import checklist, services
from qoldau.access.forms_passports import item_field, zone_field
from qoldau.access.models import (
    AccessObject,
    Measure,
    ObjectPhoto,
    Passport,
    PassportItem,
    PassportZoneStatus,
    PeopleCategory,
    PublicStatus,
    SurveyAssignment,
    Zone,
    ZoneStatus,
)
from qoldau.access.tests.factories import (
    answers,
    make_object,
    open_draft,
    post_passport,
    signed_in,
    submitted,
    survey_scene,
)
from qoldau.core.tests import factories
from qoldau.core.tests.images import png_declaring

CONFLICT = "Someone else saved this record after you opened it."


# The data -------------------------------------------------------------------------------


def png(size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("entrance.png", buffer.getvalue(), content_type="image/png")


# The rule -------------------------------------------------------------------------------


def _zones(status: str = ZoneStatus.FULL, **overrides: str) -> dict[str, str]:
    return {zone: overrides.get(zone, status) for zone in Zone.values}


def test_public_status_is_accessible_only_when_every_zone_is_fully_accessible():
    assert checklist.public_status(_zones()) == PublicStatus.ACCESSIBLE
    assert checklist.public_status(_zones(sanitary=ZoneStatus.PARTIAL)) == PublicStatus.PARTIAL


@pytest.mark.parametrize("zone", [z.value for z in checklist.ESSENTIAL_ZONES])
def test_an_essential_zone_not_accessible_makes_the_object_not_accessible(zone: str):
    assert checklist.public_status(_zones(**{zone: ZoneStatus.NONE})) == PublicStatus.NOT_ACCESSIBLE


@pytest.mark.parametrize("zone", ["sanitary", "information", "transport_route"])
def test_only_a_secondary_zone_not_accessible_makes_it_partially_accessible(zone: str):
    assert checklist.public_status(_zones(**{zone: ZoneStatus.NONE})) == PublicStatus.PARTIAL


@pytest.mark.parametrize("status", [ZoneStatus.PARTIAL, ZoneStatus.CONDITIONAL])
def test_partial_or_conditional_zones_make_it_partially_accessible(status: str):
    assert checklist.public_status(_zones(entrance=status)) == PublicStatus.PARTIAL
    assert checklist.public_status(_zones(status)) == PublicStatus.PARTIAL


def test_a_missing_zone_leaves_the_public_status_unknown():
    zones = _zones()
    del zones["paths"]
    assert checklist.public_status(zones) == PublicStatus.UNKNOWN


def test_zone_status_must_be_backed_by_the_checklist():
    results = {item.code: "met" for item in checklist.CHECKLIST}
    results["ramp"] = "not_met"  # critical, matters to К and О
    assert checklist.suggested_zone_status(results, "entrance", "К") == ZoneStatus.NONE
    assert checklist.zone_status_problem(results, "entrance", "К", ZoneStatus.FULL)
    assert checklist.zone_status_problem(results, "entrance", "К", ZoneStatus.CONDITIONAL) is None
    # The ramp does not matter to hearing: ДП is right for Г, anything else is not backed.
    assert checklist.suggested_zone_status(results, "entrance", "Г") == ZoneStatus.FULL
    assert checklist.zone_status_problem(results, "entrance", "Г", ZoneStatus.PARTIAL)
    results["ramp"] = "met"
    results["call_button"] = "not_met"  # not critical
    assert checklist.suggested_zone_status(results, "entrance", "С") == ZoneStatus.PARTIAL
    results["call_button"] = "not_applicable"
    assert checklist.zone_status_problem(results, "entrance", "С", ZoneStatus.FULL) is None


# The lifecycle --------------------------------------------------------------------------


@pytest.mark.django_db
def test_surveyor_fills_saves_and_submits_a_passport_and_the_object_follows_the_rule():
    scene = survey_scene()
    client = signed_in(scene.surveyor)
    worklist = client.get(reverse("access:survey"))
    assert scene.obj.name_kk in worklist.content.decode()
    assert scene.unassigned.name_kk not in worklist.content.decode()

    passport = open_draft(client, scene.obj)
    assert passport.number == 1
    data = answers(not_met=("ramp", "induction_loop"))
    response = post_passport(client, scene.obj, passport, data)
    assert response.status_code == 302
    passport.refresh_from_db()
    assert passport.version == 2
    assert passport.items.count() == len(checklist.CHECKLIST)
    assert passport.items.get(code="door_width").measurement == Decimal("0.95")

    response = post_passport(client, scene.obj, passport, data, action="submit")
    assert response.status_code == 302
    assert response["Location"] == reverse("access:passport", args=[passport.pk])
    passport.refresh_from_db()
    assert passport.state == Passport.State.SUBMITTED
    obj = AccessObject.objects.get(pk=scene.obj.pk)
    # The ramp is critical at the entrance for К and О; the loop is not, for Г.
    assert (obj.status_k, obj.status_o) == (PublicStatus.NOT_ACCESSIBLE, PublicStatus.NOT_ACCESSIBLE)
    assert obj.status_g == PublicStatus.PARTIAL
    assert (obj.status_s, obj.status_u) == (PublicStatus.ACCESSIBLE, PublicStatus.ACCESSIBLE)
    assert sorted(Measure.objects.filter(passport=passport).values_list("item_code", flat=True)) == [
        "induction_loop",
        "ramp",
    ]
    assert not SurveyAssignment.objects.filter(object=obj, active=True).exists()
    assert scene.obj.name_kk not in client.get(reverse("access:survey")).content.decode()

    page = client.get(reverse("access:passport", args=[passport.pk])).content.decode()
    assert str(PublicStatus.NOT_ACCESSIBLE.label) in page or "Not accessible" in page


@pytest.mark.django_db
def test_a_re_survey_is_a_new_passport_and_the_previous_one_stays_unchanged():
    scene = survey_scene()
    first = submitted(scene)
    first_items = list(first.items.order_by("code").values_list("code", "result"))
    first_statuses = list(first.zone_statuses.order_by("zone", "category").values_list("status", flat=True))
    officer = signed_in(scene.officer)
    ramp = Measure.objects.get(passport=first, item_code="ramp")
    response = officer.post(
        reverse("access:measure", args=[ramp.pk]),
        {
            "action": "plan",
            "kind": "repair",
            "responsible_name": "Емхана әкімшілігі",
            "deadline": "2026-06-30",
            "cost": "1 500 000",
            "version": ramp.version,
        },
    )
    assert response.status_code == 302
    ramp.refresh_from_db()
    response = officer.post(
        reverse("access:measure", args=[ramp.pk]),
        {
            "action": "complete",
            "completed_on": timezone.localdate().isoformat(),
            "resurvey_by": scene.other_surveyor.pk,
            "version": ramp.version,
        },
    )
    assert response.status_code == 302
    assert Measure.objects.get(pk=ramp.pk).state == Measure.State.DONE

    client = signed_in(scene.other_surveyor)
    worklist = client.get(reverse("access:survey")).content.decode()
    assert scene.obj.name_kk in worklist
    # The reason is kept in the language of the officer who completed the measure (Kazakh here).
    with translation.override("kk"):
        assert translation.gettext("Re-survey after a completed measure") in worklist

    second = open_draft(client, scene.obj)
    assert second.number == 2
    assert second.items.get(code="ramp").result == "not_met"  # started from the previous answers
    response = post_passport(client, scene.obj, second, answers(not_met=("induction_loop",)), action="submit")
    assert response.status_code == 302

    first.refresh_from_db()
    assert first.state == Passport.State.SUBMITTED
    assert list(first.items.order_by("code").values_list("code", "result")) == first_items
    assert (
        list(first.zone_statuses.order_by("zone", "category").values_list("status", flat=True))
        == first_statuses
    )
    obj = AccessObject.objects.get(pk=scene.obj.pk)
    assert obj.status_k == PublicStatus.ACCESSIBLE
    page = client.get(reverse("access:passport", args=[second.pk])).content.decode()
    assert reverse("access:passport", args=[first.pk]) in page  # the earlier version is linked
    assert "changes-caption" in page  # what changed between the two
    assert page.count("<tr><td>") >= 2  # the entrance for К and О went from ВНД to ДП


@pytest.mark.django_db
def test_an_incomplete_passport_is_refused_with_every_problem_and_nothing_changes():
    scene = survey_scene()
    client = signed_in(scene.surveyor)
    passport = open_draft(client, scene.obj)
    data = answers(not_met=("ramp",))
    # Leave out two items and a whole zone's statuses, and claim ДП against the checklist.
    for code in ("lift", "braille_signage"):
        del data[item_field(code, "result")]
    for category in PeopleCategory.values:
        data[zone_field("sanitary", category)] = ""
    data[zone_field("entrance", "К")] = "ДП"
    response = post_passport(client, scene.obj, passport, data, action="submit")
    assert response.status_code == 400
    page = response.content.decode()
    # Every problem the service finds is listed: two missing items, one zone, one contradiction.
    assert (
        page.count(
            "<li>", page.index('class="problems"'), page.index("</ul>", page.index('class="problems"'))
        )
        == 3
    )
    assert "Lift" in page or "lift" in page.lower() or "көтергіш" in page.lower()
    passport.refresh_from_db()
    assert passport.state == Passport.State.DRAFT
    assert passport.version == 1
    assert not PassportItem.objects.filter(passport=passport).exists()
    assert not PassportZoneStatus.objects.filter(passport=passport).exists()
    assert AccessObject.objects.get(pk=scene.obj.pk).status_k == PublicStatus.UNKNOWN
    assert not Measure.objects.exists()
    # The surveyor's input is still on the page.
    assert 'value="0.95"' in page


@pytest.mark.django_db
def test_a_measurement_contradicting_the_result_is_refused_and_nothing_is_saved():
    scene = survey_scene()
    client = signed_in(scene.surveyor)
    passport = open_draft(client, scene.obj)
    data = answers()
    data[item_field("door_width", "measurement")] = "0.7"  # narrower than 0.9 m, yet "met"
    response = post_passport(client, scene.obj, passport, data)
    assert response.status_code == 400
    assert "contradicts the result" in response.content.decode() or "0.7" in response.content.decode()
    assert 'id="id_item-door_width-result-error"' in response.content.decode()
    passport.refresh_from_db()
    assert passport.version == 1
    assert not passport.items.exists()


@pytest.mark.django_db
def test_two_surveyors_editing_one_draft_never_overwrite_each_other():
    scene = survey_scene()
    first, second = signed_in(scene.surveyor), signed_in(scene.other_surveyor)
    second.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    draft = open_draft(first, scene.obj)
    assert open_draft(second, scene.obj).pk == draft.pk  # one draft, shared
    opened_version = draft.version

    assert post_passport(first, scene.obj, draft, answers(not_met=("ramp",))).status_code == 302
    theirs = answers(not_met=("lift",))
    theirs["comment"] = "Менің ескертпем"
    response = second.post(
        reverse("access:passport_edit", args=[scene.obj.pk]),
        {**theirs, "version": opened_version, "passport": draft.pk, "action": "save"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert CONFLICT in page
    assert "Менің ескертпем" in page  # their input is kept to redo
    draft.refresh_from_db()
    assert draft.comment == "Тексерілді"
    assert draft.items.get(code="lift").result == "met"
    assert draft.items.get(code="ramp").result == "not_met"
    assert draft.version == opened_version + 1


@pytest.mark.django_db
def test_a_surveyor_cannot_open_an_object_not_assigned_to_them():
    scene = survey_scene()
    client = signed_in(scene.surveyor)
    assert client.get(reverse("access:passport_edit", args=[scene.unassigned.pk])).status_code == 404
    # The officer manages the object but is no surveyor of it.
    officer = signed_in(scene.officer)
    assert officer.get(reverse("access:passport_edit", args=[scene.obj.pk])).status_code == 403
    assert not Passport.objects.exists()
    # A draft of another object cannot be reached by posting its id either.
    draft = open_draft(client, scene.obj)
    response = client.post(
        reverse("access:passport_edit", args=[scene.unassigned.pk]),
        {**answers(), "version": draft.version, "passport": draft.pk, "action": "save"},
    )
    assert response.status_code == 404
    assert not draft.items.exists()


@pytest.mark.django_db
def test_a_draft_is_hidden_from_other_surveyors_and_the_public(client: Client):
    scene = survey_scene()
    draft = open_draft(signed_in(scene.surveyor), scene.obj)
    stranger = factories.user("surveyor.three", "surveyor")
    assert signed_in(stranger).get(reverse("access:passport", args=[draft.pk])).status_code == 404
    assert client.get(reverse("access:passport", args=[draft.pk])).status_code == 302  # to sign in


@pytest.mark.django_db
def test_a_zone_photo_is_kept_and_a_file_that_is_not_a_photo_refuses_the_whole_save(
    settings: Any, tmp_path: Any
):
    settings.MEDIA_ROOT = tmp_path
    scene = survey_scene()
    client = signed_in(scene.surveyor)
    client.cookies["qoldau_language"] = "en"  # the refusals are read in English below
    draft = open_draft(client, scene.obj)
    bad = SimpleUploadedFile("entrance.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = post_passport(client, scene.obj, draft, answers(), extra={"photo-entrance": bad})
    assert response.status_code == 400
    assert (
        "not a photo" in response.content.decode()
        or 'id="id_photo-entrance-error"' in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.version == 1
    assert not draft.items.exists()
    assert not ObjectPhoto.objects.exists()

    # 144 megapixels declared in a few dozen bytes: refused from its header.
    huge = SimpleUploadedFile("entrance.png", png_declaring(12_000, 12_000), content_type="image/png")
    response = post_passport(client, scene.obj, draft, answers(), extra={"photo-entrance": huge})
    assert response.status_code == 400
    assert "The image is larger than 50 megapixels; send a smaller one." in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 1
    assert not ObjectPhoto.objects.exists()

    settings.QOLDAU_ACCESS_PHOTO_MAX_MB = 0  # every photo is now too large
    response = post_passport(client, scene.obj, draft, answers(), extra={"photo-entrance": png()})
    assert response.status_code == 400
    assert not ObjectPhoto.objects.exists()

    settings.QOLDAU_ACCESS_PHOTO_MAX_MB = 8
    response = post_passport(
        client,
        scene.obj,
        draft,
        answers(),
        extra={"photo-entrance": png(), "photo-entrance-caption": "Пандус"},
    )
    assert response.status_code == 302
    photo = ObjectPhoto.objects.get()
    assert (photo.passport_id, photo.zone, photo.caption) == (draft.pk, "entrance", "Пандус")
    served = client.get(reverse("access:passport_photo", args=[photo.pk]))
    assert served.status_code == 200
    assert served.getvalue().startswith(b"\x89PNG")


# Measures -------------------------------------------------------------------------------


def _plan(client: Client, measure: Measure, **fields: Any) -> Any:
    measure.refresh_from_db()
    payload = {"action": "plan", "version": measure.version, **fields}
    return client.post(reverse("access:measure", args=[measure.pk]), payload)


@pytest.mark.django_db
def test_planning_a_measure_needs_deadline_cost_and_responsible_unless_none_is_needed():
    scene = survey_scene()
    passport = submitted(scene)
    officer = signed_in(scene.officer)
    ramp = Measure.objects.get(passport=passport, item_code="ramp")
    loop = Measure.objects.get(passport=passport, item_code="induction_loop")

    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for fields, message in (
        ({"kind": "repair", "cost": "100", "responsible_name": "Иесі"}, "Set a deadline."),
        ({"kind": "repair", "deadline": "2026-01-01", "responsible_name": "Иесі"}, "Set the cost"),
        ({"kind": "repair", "deadline": "2026-01-01", "cost": "100"}, "Name who is responsible."),
        (
            {"kind": "repair", "deadline": "2026-01-01", "cost": "-5", "responsible_name": "Иесі"},
            "zero or more",
        ),
        (
            {"kind": "", "deadline": "2026-01-01", "cost": "5", "responsible_name": "Иесі"},
            "Choose a measure.",
        ),
    ):
        response = _plan(officer, ramp, **fields)
        assert response.status_code == 400, fields
        assert message in response.content.decode(), fields
        ramp.refresh_from_db()
        assert (ramp.state, ramp.version, ramp.kind) == (Measure.State.UNPLANNED, 1, ""), fields
    assert _plan(officer, loop, kind="none_needed").status_code == 302
    loop.refresh_from_db()
    assert (loop.state, loop.kind, loop.deadline, loop.cost) == (
        Measure.State.PLANNED,
        "none_needed",
        None,
        None,
    )

    response = _plan(
        officer, ramp, kind="repair", deadline="2026-01-01", cost="2 500 000,50", responsible_name="Емхана"
    )
    assert response.status_code == 302
    ramp.refresh_from_db()
    assert (ramp.state, str(ramp.cost), ramp.responsible_name) == ("planned", "2500000.50", "Емхана")


@pytest.mark.django_db
def test_a_done_measure_cannot_be_planned_again_and_a_stale_plan_is_a_conflict():
    scene = survey_scene()
    passport = submitted(scene)
    officer = signed_in(scene.officer)
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ramp = Measure.objects.get(passport=passport, item_code="ramp")
    stale_version = ramp.version
    assert (
        _plan(
            officer,
            ramp,
            kind="alternative_service",
            deadline="2026-01-01",
            cost="0",
            responsible_name="Иесі",
        ).status_code
        == 302
    )
    response = officer.post(
        reverse("access:measure", args=[ramp.pk]),
        {
            "action": "plan",
            "version": stale_version,
            "kind": "repair",
            "deadline": "2027-01-01",
            "cost": "9",
            "responsible_name": "Басқа",
        },
    )
    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    ramp.refresh_from_db()
    assert (ramp.kind, ramp.responsible_name) == ("alternative_service", "Иесі")

    response = officer.post(
        reverse("access:measure", args=[ramp.pk]),
        {"action": "complete", "completed_on": timezone.localdate().isoformat(), "version": ramp.version},
    )
    assert response.status_code == 302
    ramp.refresh_from_db()
    done_version = ramp.version
    response = _plan(officer, ramp, kind="repair", deadline="2027-01-01", cost="9", responsible_name="Басқа")
    assert response.status_code == 400
    assert "This measure is already done." in response.content.decode()
    ramp.refresh_from_db()
    assert (ramp.state, ramp.kind, ramp.version) == (Measure.State.DONE, "alternative_service", done_version)
    # No re-survey was asked for: nobody's worklist has the object.
    assert not SurveyAssignment.objects.filter(object=scene.obj, active=True).exists()


@pytest.mark.django_db
def test_officers_see_overdue_measures_with_days_overdue(django_assert_max_num_queries: Any):
    scene = survey_scene()
    passport = submitted(scene)
    officer = signed_in(scene.officer)
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ramp = Measure.objects.get(passport=passport, item_code="ramp")
    loop = Measure.objects.get(passport=passport, item_code="induction_loop")
    late = timezone.localdate() - dt.timedelta(days=12)
    _plan(officer, ramp, kind="repair", deadline=late.isoformat(), cost="10", responsible_name="Иесі")
    _plan(officer, loop, kind="repair", deadline="2099-01-01", cost="10", responsible_name="Иесі")

    with django_assert_max_num_queries(12):
        response = officer.get(reverse("access:measures"), {"overdue": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("access:measure", args=[ramp.pk]) in page
    assert reverse("access:measure", args=[loop.pk]) not in page
    assert '<td class="number overdue-days">12</td>' in page

    with django_assert_max_num_queries(12):
        everything = officer.get(
            reverse("access:measures"), {"kind": "repair", "state": "planned"}
        ).content.decode()
    assert reverse("access:measure", args=[loop.pk]) in everything
    detail = officer.get(reverse("access:measure", args=[ramp.pk])).content.decode()
    assert "overdue by 12 days" in detail


@pytest.mark.django_db
def test_surveyors_and_other_regions_see_no_measures():
    scene = survey_scene()
    passport = submitted(scene)
    measure = Measure.objects.filter(passport=passport).first()
    assert measure is not None
    other_officer = factories.user("akimat.turkistan", "akimat_officer", kato=factories.TURKISTAN)
    for user in (scene.surveyor, other_officer):
        client = signed_in(user)
        assert (
            reverse("access:measure", args=[measure.pk])
            not in client.get(reverse("access:measures")).content.decode()
        )
        assert client.get(reverse("access:measure", args=[measure.pk])).status_code == 404
        response = client.post(
            reverse("access:measure", args=[measure.pk]),
            {"action": "plan", "kind": "none_needed", "version": 1},
        )
        assert response.status_code == 404
    measure.refresh_from_db()
    assert measure.state == Measure.State.UNPLANNED


@pytest.mark.django_db
def test_the_worklist_shows_each_object_once_with_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
):
    scene = survey_scene()
    for number in range(5):
        obj = make_object(scene.officer, name=f"Дүкен {number}", latitude=43.1 + number / 100)
        services.surveyor_assign(
            actor=scene.officer, obj=obj, surveyor=scene.surveyor, reason="Шағым бойынша"
        )
    client = signed_in(scene.surveyor)
    # Session, user, language, roles, count, page, and the session's first save: 9 at most.
    with django_assert_max_num_queries(9):
        page = client.get(reverse("access:survey")).content.decode()
    assert page.count("Шағым бойынша") == 5
    assert page.count(reverse("access:passport_edit", args=[scene.obj.pk])) == 2  # title and button
