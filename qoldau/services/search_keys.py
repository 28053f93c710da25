"""The keys of the public directory's search index (`models.DirectoryKey`): what a public
service is found by, as short strings, and the same strings for what a reader searches by.
Pure functions, so the services that write a service, the migration that indexes the
services already there and the benchmark's generator all make the same keys.

A word is matched by its beginning: "оңалт" finds "оңалту" and "оңалтуға", which is how
Kazakh and Russian words change their endings."""

import re
from collections.abc import Iterable, Mapping
from typing import Any

# Every public service has this key: the whole directory, counted off the same index.
EVERY_SERVICE = "*"
# A service for no category in particular is for anyone: found by every category.
ANY_CATEGORY = "c:*"
# The languages whose names are searched, each with its own keys.
NAME_LANGUAGES = ("kk", "ru", "en")
# A word's key keeps at most this many letters (the column holds 120 characters with the
# language); a longer search word is cut the same way, so it still finds the name.
WORD_LENGTH = 100

_WORD = re.compile(r"\w+")


def words_of(text: str) -> list[str]:
    """The words of a name or of a search, lower-cased, in order, each cut to WORD_LENGTH."""
    return [word[:WORD_LENGTH] for word in _WORD.findall(text.lower())]


def term_key(term_id: int) -> str:
    """A term of the catalogue: the service's setting, its type or a need it meets."""
    return f"t:{term_id}"


def taxonomy_key(taxonomy: str) -> str:
    """A service with at least one term of this taxonomy (every service has a setting and
    a type, so only `need` is kept)."""
    return f"x:{taxonomy}"


def region_key(place_id: int) -> str:
    return f"r:{place_id}"


def district_key(place_id: int) -> str:
    return f"d:{place_id}"


def category_key(code: str) -> str:
    return f"c:{code}"


def word_key(language: str, word: str) -> str:
    return f"{language}:{word}"


def service_keys(
    *,
    names: Mapping[str, str],
    term_ids: Iterable[int],
    need_ids: Iterable[int],
    places: Iterable[tuple[int, int | None]],
    category_codes: Iterable[str],
) -> set[str]:
    """A public service's keys: `names` by language, its setting's and type's ids
    (`term_ids`), its needs' ids, the (region, district) of each of its locations and the
    codes of the categories it is for."""
    keys = {EVERY_SERVICE}
    keys.update(term_key(pk) for pk in term_ids)
    needs = {term_key(pk) for pk in need_ids}
    if needs:
        keys.update(needs)
        keys.add(taxonomy_key("need"))
    for region_id, district_id in places:
        keys.add(region_key(region_id))
        if district_id is not None:
            keys.add(district_key(district_id))
    categories = {category_key(code) for code in category_codes}
    keys.update(categories or {ANY_CATEGORY})
    for language in NAME_LANGUAGES:
        keys.update(word_key(language, word) for word in words_of(names.get(language, "")))
    return keys


def keys_of_service(service: Any) -> set[str]:
    """The keys of a public service read off its record, with its needs, categories and
    locations prefetched (`needs`, `categories`, `at_locations__location`): the services'
    model or a migration's historical one."""
    return service_keys(
        names={"kk": service.name_kk, "ru": service.name_ru, "en": service.name_en},
        term_ids=(service.setting_id, service.kind_id),
        need_ids=[term.pk for term in service.needs.all()],
        places=[(link.location.region_id, link.location.district_id) for link in service.at_locations.all()],
        category_codes=[category.code for category in service.categories.all()],
    )
