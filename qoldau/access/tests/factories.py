"""Objects, passports and surveys for the access tests, made through the real services
(and, for a submitted passport, through the surveyor's page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qoldau.access import checklist, services
from qoldau.access.forms_passports import item_field, zone_comment_field, zone_field
from qoldau.access.models import AccessObject, Passport, PeopleCategory, Zone
from qoldau.core.models import Organisation, Place
from qoldau.core.tests import factories

# Objects --------------------------------------------------------------------------------


def district(name_en: str) -> Place:
    return Place.objects.get(level=Place.Level.DISTRICT, name_en=name_en)


def make_object(
    actor: User,
    *,
    name: str = "Қалалық емхана №5",
    name_ru: str | None = None,
    name_en: str = "",
    district_name: str = "Almaly District",
    owner: Organisation | None = None,
    kind: str = "health",
    address: str = "Абай даңғылы, 10",
    latitude: float = 43.25,
    longitude: float = 76.9,
    external_id: str = "",
) -> AccessObject:
    """An object registered by `actor`; its Russian name is the Kazakh one marked "ru"
    unless given."""
    return services.object_create(
        actor=actor,
        data=services.ObjectInput(
            name_kk=name,
            name_ru=f"ru {name}" if name_ru is None else name_ru,
            name_en=name_en,
            address=address,
            district_id=district(district_name).pk,
            kind=kind,
            latitude=latitude,
            longitude=longitude,
            owner_id=owner.pk if owner else None,
            external_id=external_id,
        ),
    )


def passport(
    officer: User, surveyor: User, obj: AccessObject, not_met: frozenset[str] | set[str] = frozenset()
) -> None:
    """Survey an object through the services: the items in `not_met` fall short, every zone
    gets the status the checklist suggests, and the passport is submitted."""
    services.surveyor_assign(actor=officer, obj=obj, surveyor=surveyor)
    draft = services.passport_open(actor=surveyor, obj=obj)
    results = {
        item.code: checklist.NOT_MET if item.code in not_met else checklist.MET
        for item in checklist.CHECKLIST
    }
    zones = {
        (zone, category): services.ZoneAnswer(checklist.suggested_zone_status(results, zone, category).value)
        for zone in Zone.values
        for category in PeopleCategory.values
    }
    services.passport_save(
        actor=surveyor,
        passport=draft,
        expected_version=draft.version,
        data=services.PassportInput(
            items={code: services.ItemAnswer(result) for code, result in results.items()}, zones=zones
        ),
    )
    draft.refresh_from_db()
    services.passport_submit(actor=surveyor, passport=draft, expected_version=draft.version)


class Objects:
    """Four Almaty objects and one in Astana:
    clinic — accessible for everyone; school — no ramp: not accessible for К and О,
    accessible for С; shop — no Braille signs: partially accessible for С only;
    library — not surveyed; Astana clinic — outside Almaty's box."""

    def __init__(self) -> None:
        self.officer = factories.user("akimat.almaty", "akimat_officer", kato=factories.ALMATY)
        astana_officer = factories.user("akimat.astana", "akimat_officer", kato=factories.ASTANA)
        surveyor = factories.user("surveyor.map", "surveyor")
        self.clinic = make_object(self.officer, name="Қалалық емхана №5", name_en="City clinic No. 5")
        self.school = make_object(
            self.officer,
            name="Мектеп №12",
            kind="education",
            address="Достық даңғылы, 5",
            latitude=43.23,
            longitude=76.95,
            district_name="Medeu District",
        )
        self.shop = make_object(self.officer, name="Дүкен «Береке»", kind="trade_services", latitude=43.3)
        self.library = make_object(self.officer, name="Кітапхана", kind="culture", longitude=76.85)
        self.astana = make_object(
            astana_officer,
            name="Астана емханасы",
            latitude=51.13,
            longitude=71.43,
            district_name="Yesil District",
        )
        passport(self.officer, surveyor, self.clinic)
        passport(self.officer, surveyor, self.school, not_met={"ramp"})
        passport(self.officer, surveyor, self.shop, not_met={"braille_signage"})


# Surveys through the surveyor's page ----------------------------------------------------


@dataclass
class Survey:
    officer: User
    surveyor: User
    other_surveyor: User
    obj: AccessObject
    unassigned: AccessObject


def survey_scene() -> Survey:
    """An object assigned to two surveyors, and one assigned to nobody."""
    officer = factories.user("akimat.almaty", "akimat_officer", kato=factories.ALMATY)
    surveyor = factories.user("surveyor.one", "surveyor")
    other = factories.user("surveyor.two", "surveyor")
    obj = make_object(officer, name_ru="Городская поликлиника №5", name_en="City clinic No. 5")
    unassigned = make_object(
        officer, name="Мектеп №12", name_ru="Школа №12", name_en="School No. 12", latitude=43.3
    )
    services.surveyor_assign(actor=officer, obj=obj, surveyor=surveyor)
    services.surveyor_assign(actor=officer, obj=obj, surveyor=other)
    return Survey(officer, surveyor, other, obj, unassigned)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def answers(
    not_met: tuple[str, ...] = (), statuses: dict[tuple[str, str], str] | None = None
) -> dict[str, str]:
    """A whole passport as the form posts it: every item met except `not_met`, every zone's
    status the checklist's suggestion unless `statuses` says otherwise."""
    results = {item.code: ("not_met" if item.code in not_met else "met") for item in checklist.CHECKLIST}
    data = {item_field(code, "result"): result for code, result in results.items()}
    data[item_field("door_width", "measurement")] = "0,8" if "door_width" in not_met else "0.95"
    data[item_field("ramp_slope", "measurement")] = "8" if "ramp_slope" in not_met else "4"
    for zone in Zone.values:
        for category in PeopleCategory.values:
            status = (statuses or {}).get((zone, category)) or checklist.suggested_zone_status(
                results, zone, category
            )
            data[zone_field(zone, category)] = str(status)
            data[zone_comment_field(zone, category)] = ""
    data["surveyed_on"] = timezone.localdate().isoformat()
    data["comment"] = "Тексерілді"
    return data


def open_draft(client: Client, obj: AccessObject) -> Passport:
    response = client.get(reverse("access:passport_edit", args=[obj.pk]))
    assert response.status_code == 200
    return Passport.objects.get(object=obj, state=Passport.State.DRAFT)


def post_passport(
    client: Client,
    obj: AccessObject,
    passport: Passport,
    data: dict[str, Any],
    *,
    action: str = "save",
    extra: dict[str, Any] | None = None,
    confirmed: bool = True,
) -> Any:
    """The passport form sent. A submission is sent as confirmed (the confirmation step's
    own tests send it without: `confirmed=False`)."""
    payload = {
        **data,
        "version": passport.version,
        "passport": passport.pk,
        "action": action,
        **({"confirmed": "submit"} if action == "submit" and confirmed else {}),
        **(extra or {}),
    }
    return client.post(reverse("access:passport_edit", args=[obj.pk]), payload)


def submitted(scene: Survey, not_met: tuple[str, ...] = ("ramp", "induction_loop")) -> Passport:
    """The scene's object surveyed and submitted by its surveyor through the page."""
    client = signed_in(scene.surveyor)
    passport = open_draft(client, scene.obj)
    response = post_passport(client, scene.obj, passport, answers(not_met), action="submit")
    assert response.status_code == 302, response.content.decode()[:2000]
    passport.refresh_from_db()
    return passport
