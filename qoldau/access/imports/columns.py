"""The columns of an objects file (their names in kk, ru and en as a header may write
them) and the reasons a cell of one is refused with."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.access.models import ObjectKind
from qoldau.imports.readers import DISTRICT, Field

REGISTER_NUMBER = Field(
    "register_number",
    _("Register number"),
    (
        "Register number",
        "Register No",
        "Registry number",
        "External id",
        "Номер в реестре",
        "Реестровый номер",
        "№ в реестре",
        "Номер объекта",
        "Тізілімдегі нөмірі",
        "Тізілім нөмірі",
        "Нысан нөмірі",
    ),
    required=True,
    # Not a number a register uses: a template's example row is told by it.
    example="EXAMPLE-0001",
    help=_("The object's number in the region's register; the same number updates the same object."),
)
NAME_KK = Field(
    "name_kk",
    _("Name in Kazakh"),
    (
        "Name in Kazakh",
        "Name (Kazakh)",
        "Name kk",
        "Наименование на казахском",
        "Название на казахском",
        "Атауы",
        "Атауы (қазақша)",
        "Қазақша атауы",
    ),
    required=True,
    example="№ 5 емхана",
    help=_("The name in Kazakh."),
)
NAME_RU = Field(
    "name_ru",
    _("Name in Russian"),
    (
        "Name in Russian",
        "Name (Russian)",
        "Name ru",
        "Наименование",
        "Наименование на русском",
        "Название",
        "Название на русском",
        "Атауы (орысша)",
        "Орысша атауы",
    ),
    example="Поликлиника № 5",
    help=_("The name in Russian, when there is one."),
)
NAME_EN = Field(
    "name_en",
    _("Name in English"),
    (
        "Name in English",
        "Name (English)",
        "Name en",
        "Наименование на английском",
        "Название на английском",
        "Атауы (ағылшынша)",
        "Ағылшынша атауы",
    ),
    example="Polyclinic No. 5",
    help=_("The name in English, when there is one."),
)
ADDRESS = Field(
    "address",
    _("Address"),
    ("Address", "Адрес", "Мекенжай", "Мекенжайы", "Мекен-жайы"),
    required=True,
    example="Абай даңғылы, 10",
    help=_("Street and building."),
)
OBJECT_DISTRICT = Field(
    DISTRICT.name,
    DISTRICT.label,
    DISTRICT.aliases,
    required=True,
    example="Алмалы ауданы",
    help=_("A district of the region: its KATO code, or its name in any language."),
)
KIND = Field(
    "kind",
    _("Kind of object"),
    (
        "Kind",
        "Kind of object",
        "Type",
        "Type of object",
        "Sector",
        "Вид",
        "Вид объекта",
        "Тип объекта",
        "Сфера",
        "Түрі",
        "Нысан түрі",
        "Нысанның түрі",
        "Сала",
    ),
    required=True,
    example=lambda: str(ObjectKind.HEALTH.label),
    help=_("The kind of object, by its name in any language or its code."),
    choices=lambda: [str(label) for _code, label in ObjectKind.choices],
)
OWNER = Field(
    "owner",
    _("Owner (BIN or name)"),
    (
        "Owner",
        "Owner BIN",
        "Owner organisation",
        "Balance holder",
        "Собственник",
        "БИН собственника",
        "Владелец",
        "Балансодержатель",
        "Меншік иесі",
        "Иесі",
        "Иесінің БСН",
        "Теңгерім ұстаушы",
    ),
    help=_("The BIN (12 digits) of a registered organisation, or the owner's name."),
    as_text=True,
)
LATITUDE = Field(
    "latitude",
    _("Latitude"),
    ("Latitude", "Lat", "Широта", "Ендік"),
    required=True,
    example=43.2389,
    help=_("Degrees north, for example 43.2389."),
)
LONGITUDE = Field(
    "longitude",
    _("Longitude"),
    ("Longitude", "Lon", "Lng", "Long", "Долгота", "Бойлық"),
    required=True,
    example=76.8897,
    help=_("Degrees east, for example 76.8897."),
)

OBJECT_FIELDS = (
    REGISTER_NUMBER,
    NAME_KK,
    NAME_RU,
    NAME_EN,
    ADDRESS,
    OBJECT_DISTRICT,
    KIND,
    OWNER,
    LATITUDE,
    LONGITUDE,
)

OBJECT_REASONS: dict[str, str | Promise] = {
    "object_unknown_district": _("There is no district “%(value)s” in %(region)s."),
    "object_district_other_region": _("The district “%(value)s” is not in %(region)s."),
    "object_unknown_kind": _("Unknown kind of object “%(value)s”; use one of: %(choices)s."),
    "object_invalid_coordinate": _("“%(value)s” is not a number; write degrees like 43.2389."),
    "object_outside_kazakhstan": _(
        "The point %(latitude)s, %(longitude)s is outside Kazakhstan. "
        "Check that latitude and longitude are not swapped."
    ),
    "object_duplicate_register_number": _("This row repeats the register number of row %(first_row)s."),
    "object_invalid_bin": _("“%(value)s” is not a valid BIN: check it for typos."),
    "object_unknown_owner_bin": _("No organisation with the BIN %(value)s is registered on the platform."),
    "object_owner_not_yours": _(
        "Only the region's officers may import objects of other owners; name your organisation as the owner."
    ),
    "object_not_yours": _(
        "The object with this register number belongs to another owner; "
        "only the region's officers may change it."
    ),
}
