"""The scene the staff object pages are tested in (officers of two cities, a surveyor,
owners' staff, objects in Almaty and Astana) and a small PNG, shared by the object pages'
tests and the access policy's."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from PIL import Image

from qoldau.access import services
from qoldau.access.models import AccessObject
from qoldau.access.tests.factories import make_object
from qoldau.core.tests import factories


@dataclass
class Scene:
    w: factories.World
    akimat_astana: User
    surveyor: User
    ngo_object: AccessObject  # Almaty, owned by the Almaty NGO
    city_object: AccessObject  # Almaty, no owner
    astana_object: AccessObject
    turkistan_ngo_object: AccessObject  # Almaty, owned by the Turkistan NGO


def scene() -> Scene:
    w = factories.world()
    akimat_astana = factories.user("akimat.astana", "akimat_officer", kato=factories.ASTANA)
    surveyor = factories.user("surveyor.one", "surveyor")
    ngo_object = make_object(
        w.akimat_almaty, name="«Жарқын» оңалту орталығы", owner=w.almaty_ngo, kind="social_protection"
    )
    city_object = make_object(
        w.akimat_almaty,
        name="Мектеп №12",
        district_name="Medeu District",
        kind="education",
        address="Достық, 5",
    )
    astana_object = make_object(
        akimat_astana, name="Астана емханасы", district_name="Yesil District", latitude=51.13, longitude=71.43
    )
    turkistan_ngo_object = make_object(
        w.akimat_almaty, name="Дәріхана", owner=w.turkistan_ngo, kind="trade_services"
    )
    services.surveyor_assign(actor=w.akimat_almaty, obj=city_object, surveyor=surveyor)
    return Scene(w, akimat_astana, surveyor, ngo_object, city_object, astana_object, turkistan_ngo_object)


def client_for(user: User) -> Client:
    """A signed-in client reading English, so that the messages checked stay the same
    once the Kazakh and Russian catalogues translate them."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def listed(response: Any) -> set[int]:
    return {obj.pk for obj, _status in response.context["rows"]}


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()
