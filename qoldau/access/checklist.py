"""The passport's checklist and the rules that turn it into statuses.

Each item belongs to one zone and matters to some categories of people. A zone's status for
a category must agree with the items behind it (`zone_status_problem`), and the public
status of a category follows from its seven zone statuses by one rule (`public_status`):

* **accessible** — every zone is ДП (fully accessible);
* **not accessible** — a zone a person cannot do without to get the service (adjacent
  territory, entrance, paths inside, the service zone) is ВНД (not accessible);
* **partially accessible** — anything else: some zones ДЧ or ДУ, or only the sanitary
  rooms, signage or the route from the stop not accessible.

Norms are those of СН РК 3.06-01-2011 "Accessibility of buildings and structures for people
with limited mobility"; the wording here names what a surveyor checks, not the clause text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qoldau.access.models import PeopleCategory, PublicStatus, Zone, ZoneStatus

K, MO, S, G, U = (
    PeopleCategory.WHEELCHAIR,
    PeopleCategory.MOBILITY,
    PeopleCategory.VISION,
    PeopleCategory.HEARING,
    PeopleCategory.MENTAL,
)
ALL = (K, MO, S, G, U)

# Without these zones a person cannot reach the service at all.
ESSENTIAL_ZONES = (Zone.TERRITORY, Zone.ENTRANCE, Zone.PATHS, Zone.SERVICE)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    zone: Zone
    label: Promise
    categories: tuple[PeopleCategory, ...]
    # A shortfall here alone closes the zone to the categories (suggests ВНД, not ДЧ).
    critical: bool = False
    # Where the norm is a number: the unit and the limit a measurement is checked against.
    unit: str | Promise = ""
    at_least: Decimal | None = None
    at_most: Decimal | None = None

    def measurement_meets_norm(self, value: Decimal) -> bool:
        if self.at_least is not None and value < self.at_least:
            return False
        return not (self.at_most is not None and value > self.at_most)


CHECKLIST: tuple[ChecklistItem, ...] = (
    # 1. Adjacent territory and parking
    ChecklistItem(
        "parking_reserved",
        Zone.TERRITORY,
        _("Reserved parking spaces for disabled drivers, marked and signed"),
        (K, MO),
    ),
    ChecklistItem(
        "path_surface",
        Zone.TERRITORY,
        _("Footpaths to the entrance are even, firm and without steps"),
        (K, MO, S),
        critical=True,
    ),
    ChecklistItem(
        "kerb_ramps", Zone.TERRITORY, _("Kerbs are lowered where footpaths cross the carriageway"), (K, MO)
    ),
    ChecklistItem(
        "tactile_territory", Zone.TERRITORY, _("Tactile warning surface before crossings and steps"), (S,)
    ),
    # 2. Entrances
    ChecklistItem(
        "ramp", Zone.ENTRANCE, _("A ramp or lift where the entrance has steps"), (K, MO), critical=True
    ),
    ChecklistItem(
        "ramp_slope",
        Zone.ENTRANCE,
        _("Ramp slope, per cent (at most 5)"),
        (K, MO),
        unit="%",
        at_most=Decimal(5),
    ),
    ChecklistItem(
        "handrails_entrance",
        Zone.ENTRANCE,
        _("Handrails on both sides of the ramp and the steps"),
        (K, MO, S),
    ),
    ChecklistItem(
        "door_width",
        Zone.ENTRANCE,
        _("Clear width of the entrance door, metres (at least 0.9)"),
        (K,),
        critical=True,
        unit=pgettext_lazy("unit of length", "m"),
        at_least=Decimal("0.9"),
    ),
    ChecklistItem("door_threshold", Zone.ENTRANCE, _("Threshold no higher than 1.4 cm"), (K, MO)),
    ChecklistItem(
        "contrast_entrance",
        Zone.ENTRANCE,
        _("Contrast marking of the first and last steps and of glass doors"),
        (S,),
    ),
    ChecklistItem("call_button", Zone.ENTRANCE, _("A call button for help at the entrance"), (K, MO, S)),
    # 3. Paths inside, including evacuation
    ChecklistItem(
        "corridor_width",
        Zone.PATHS,
        _("Corridors wide enough for a wheelchair to pass and turn"),
        (K,),
        critical=True,
    ),
    ChecklistItem(
        "lift",
        Zone.PATHS,
        _("A lift or platform lift to every floor used by visitors"),
        (K, MO),
        critical=True,
    ),
    ChecklistItem("handrails_stairs", Zone.PATHS, _("Handrails on stairs inside"), (MO, S)),
    ChecklistItem("tactile_guidance", Zone.PATHS, _("Tactile guidance along the main routes"), (S,)),
    ChecklistItem("evacuation_signal", Zone.PATHS, _("Evacuation alarm that is both heard and seen"), (S, G)),
    # 4. Service zone
    ChecklistItem(
        "service_counter", Zone.SERVICE, _("A lowered counter or table for visitors in wheelchairs"), (K,)
    ),
    ChecklistItem(
        "service_space", Zone.SERVICE, _("Room to turn a wheelchair in the service zone"), (K,), critical=True
    ),
    ChecklistItem("induction_loop", Zone.SERVICE, _("An induction loop at the service point"), (G,)),
    ChecklistItem(
        "sign_language", Zone.SERVICE, _("Sign-language interpreting available, on site or online"), (G,)
    ),
    ChecklistItem("staff_trained", Zone.SERVICE, _("Staff trained to assist people with disabilities"), ALL),
    # 5. Sanitary rooms
    ChecklistItem(
        "accessible_toilet", Zone.SANITARY, _("An accessible toilet cubicle with grab rails"), (K, MO)
    ),
    ChecklistItem("alarm_toilet", Zone.SANITARY, _("An alarm button in the accessible toilet"), (K, MO, S)),
    # 6. Information and signage
    ChecklistItem("braille_signage", Zone.INFORMATION, _("Signs in Braille and raised letters"), (S,)),
    ChecklistItem(
        "visual_information",
        Zone.INFORMATION,
        _("Visual information board or running line for announcements"),
        (G,),
    ),
    ChecklistItem("easy_read", Zone.INFORMATION, _("Easy-read information and pictograms"), (U,)),
    ChecklistItem(
        "contrast_signs", Zone.INFORMATION, _("Large, high-contrast signs to the main rooms"), (S, U)
    ),
    # 7. Route from the nearest transport stop
    ChecklistItem(
        "stop_distance", Zone.TRANSPORT_ROUTE, _("Route from the stop without steps or breaks"), (K, MO, S)
    ),
    ChecklistItem(
        "crossing_signals", Zone.TRANSPORT_ROUTE, _("Crossings on the route have sound signals"), (S,)
    ),
    ChecklistItem("route_signs", Zone.TRANSPORT_ROUTE, _("Signs to the object from the stop"), (G, U)),
)

ITEMS: dict[str, ChecklistItem] = {item.code: item for item in CHECKLIST}


def items_of_zone(zone: str) -> list[ChecklistItem]:
    return [item for item in CHECKLIST if item.zone == zone]


# The kinds of result a checklist item can have (PassportItem.Result values).
MET, NOT_MET, NOT_APPLICABLE = "met", "not_met", "not_applicable"


def shortfalls(results: Mapping[str, str], zone: str, category: str) -> list[ChecklistItem]:
    """The items of a zone that matter to a category and were found not to meet the norm."""
    return [
        item
        for item in items_of_zone(zone)
        if category in item.categories and results.get(item.code) == NOT_MET
    ]


def suggested_zone_status(results: Mapping[str, str], zone: str, category: str) -> ZoneStatus:
    """What the checklist says a zone's status is: ДП with no shortfall, ВНД with a critical
    one, ДЧ otherwise. The surveyor may choose ДУ where help or another form of service
    makes up for the shortfall."""
    missing = shortfalls(results, zone, category)
    if not missing:
        return ZoneStatus.FULL
    if any(item.critical for item in missing):
        return ZoneStatus.NONE
    return ZoneStatus.PARTIAL


def zone_status_problem(results: Mapping[str, str], zone: str, category: str, status: str) -> str | None:
    """Why a chosen status disagrees with the checklist, or None when it is backed by it.

    ДП needs every item of the zone that matters to the category met (or not applicable);
    any other status needs at least one such item not met.
    """
    missing = shortfalls(results, zone, category)
    if status == ZoneStatus.FULL and missing:
        return str(
            _("“Fully accessible” is not possible while these items are not met: %(items)s.")
            % {"items": "; ".join(str(item.label) for item in missing)}
        )
    if status != ZoneStatus.FULL and not missing:
        return str(
            _("Mark at least one checklist item of this zone as not met, or choose “fully accessible”.")
        )
    return None


def public_status(zone_statuses: Mapping[str, str]) -> PublicStatus:
    """The public status of one category from its seven zone statuses (the rule in the
    module's docstring). Missing zones make the status unknown."""
    if any(zone not in zone_statuses for zone in Zone.values):
        return PublicStatus.UNKNOWN
    if all(status == ZoneStatus.FULL for status in zone_statuses.values()):
        return PublicStatus.ACCESSIBLE
    if any(zone_statuses[zone] == ZoneStatus.NONE for zone in ESSENTIAL_ZONES):
        return PublicStatus.NOT_ACCESSIBLE
    return PublicStatus.PARTIAL


def public_statuses(rows: Iterable[tuple[str, str, str]]) -> dict[str, PublicStatus]:
    """Public status per category from (zone, category, status) rows of one passport."""
    by_category: dict[str, dict[str, str]] = {category: {} for category in PeopleCategory.values}
    for zone, category, status in rows:
        by_category[category][zone] = status
    return {category: public_status(zones) for category, zones in by_category.items()}
