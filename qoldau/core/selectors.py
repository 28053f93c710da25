"""Reads of core records, each with its access check. A selector that shows a person
writes the audit row for that read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds, policy
from qoldau.core.audit import audit_record, audit_record_person_reads
from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import NotFound, ValidationFailed
from qoldau.core.identifiers import is_ascii_digits, normalise_digits, parse_iin
from qoldau.core.models import (
    ApiToken,
    AuditEntry,
    CitizenRecord,
    Consent,
    Organisation,
    Person,
    PersonCategory,
    Place,
    RoleAssignment,
    VulnerabilityCategory,
)
from qoldau.core.services import API_TOKEN_PREFIX_LENGTH, Actor, normalise_kato


def regions() -> QuerySet[Place]:
    return Place.objects.filter(level=Place.Level.REGION).order_by("kato")


def districts(region_id: int | None = None) -> QuerySet[Place]:
    qs = Place.objects.filter(level=Place.Level.DISTRICT).select_related("parent")
    if region_id is not None:
        qs = qs.filter(parent_id=region_id)
    return qs.order_by("parent__kato", "name_kk")


# The largest id a database key holds: a larger number asked for is no record at all (and
# must not reach the database, which would fail on it).
# The largest record id (a 64-bit key): one definition, in bounds.
MAX_ID = bounds.MAX_ID


def district_by_id(district_id: int) -> Place:
    place = (
        Place.objects.filter(pk=district_id, level=Place.Level.DISTRICT).first()
        if 0 < district_id <= MAX_ID
        else None
    )
    if place is None:
        raise NotFound(_("There is no district %(id)s.") % {"id": district_id}, field="district")
    return place


def categories() -> QuerySet[VulnerabilityCategory]:
    return VulnerabilityCategory.objects.all()


def organisations_visible(user: Actor) -> QuerySet[Organisation]:
    """Organisations a user may see (the rule: `policy.organisations_visible`)."""
    return policy.organisations_visible(user).select_related("region", "district")


def organisation_get_for_user(user: Actor, organisation_id: int) -> Organisation:
    organisation = organisations_visible(user).filter(pk=organisation_id).first()
    policy.check_may_see_organisation(user, organisation)
    assert organisation is not None  # the check refuses None  # noqa: S101
    return organisation


def organisation_staff(user: Actor, organisation: Organisation) -> list[RoleAssignment]:
    """The organisation's staff and their roles, for those who may see them (the rule:
    `policy.may_see_organisation_staff`); an empty list for anyone else."""
    if not policy.may_see_organisation_staff(user, organisation):
        return []
    return list(
        RoleAssignment.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__username", "role")
    )


def organisations_worked_for(user: Actor) -> QuerySet[Organisation]:
    """The organisations a user records people and deliveries for (the rule:
    `policy.organisations_worked_for`)."""
    return policy.organisations_worked_for(user)


def people_visible(user: Actor) -> QuerySet[Person]:
    """People a user may see; the rule is `policy.people_visible`."""
    return policy.people_visible(user)


@dataclass(frozen=True)
class PeoplePage:
    people: list[Person]
    total: int
    page: int
    pages: int


def people_search(user: Actor, *, query: str = "", page: int = 1, per_page: int = 25) -> PeoplePage:
    """People within the user's scope: matching an IIN (exact, through its keyed hash) or a
    part of a name (sorted by name), or, with no query, the newest first. Every person
    shown is a read in the audit log.

    Names are encrypted, so a name search decrypts the scope's name columns in Python:
    fine for one organisation's people (thousands), not meant for the whole country.
    """
    policy.check_may_see_people(user)
    qs = people_visible(user)
    query = query.strip()
    digits = normalise_digits(query)
    if is_ascii_digits(digits, 12):
        matched_ids = list(qs.filter(iin_hash=keyed_hash(digits)).values_list("pk", flat=True))
    elif not query:
        # No search: newest first, paged by the database (nothing to decrypt but the page).
        total = qs.count()
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        matched_ids = list(
            qs.order_by("-pk").values_list("pk", flat=True)[(page - 1) * per_page : page * per_page]
        )
        people = _people_in_order(matched_ids)
        audit_record_person_reads(user, "person.search_result", matched_ids)
        return PeoplePage(people=people, total=total, page=page, pages=pages)
    else:
        needle = query.casefold()
        # Decrypt only the three name columns of the scope to match and sort.
        names = [
            (p.pk, p.full_name.casefold()) for p in qs.only("pk", "last_name", "first_name", "patronymic")
        ]
        matched_ids = [pk for pk, name in sorted(names, key=lambda item: item[1]) if needle in name]
    total = len(matched_ids)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    shown = _people_in_order(matched_ids[(page - 1) * per_page : page * per_page])
    audit_record_person_reads(user, "person.search_result", [p.pk for p in shown])
    return PeoplePage(people=shown, total=total, page=page, pages=pages)


def _people_in_order(ids: list[int]) -> list[Person]:
    by_id = {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("region", "district")}
    return [by_id[pk] for pk in ids if pk in by_id]


def person_get_for_user(user: Actor, person_id: int) -> Person:
    """One person with categories and consents, if the user may see them; audited."""
    person = (
        people_visible(user)
        .prefetch_related(
            Prefetch(
                "categories",
                queryset=PersonCategory.objects.select_related("category"),
            ),
            Prefetch("consents", queryset=Consent.objects.select_related("organisation")),
        )
        .select_related("organisation", "region", "district")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        # `people_visible` is the policy's query form: nothing to check again.
        raise policy.person_not_found()
    audit_record(user, "person.view", object_type="person", object_id=person.pk, person_id=person.pk)
    return person


def person_category_get(person: Person, membership_id: int) -> PersonCategory:
    """One of a person's categories (the person already read through a selector)."""
    membership = (
        PersonCategory.objects.select_related("category").filter(person=person, pk=membership_id).first()
    )
    if membership is None:
        raise NotFound(_("The person has no such category."))
    membership.person = person
    return membership


def person_find_by_iin(user: Actor, iin: str) -> Person | None:
    """The person with this IIN if the user may see them (for de-duplication on forms)."""
    facts = parse_iin(iin)
    person = people_visible(user).filter(iin_hash=keyed_hash(facts.iin)).first()
    if person is not None:
        audit_record(user, "person.lookup", object_type="person", object_id=person.pk, person_id=person.pk)
    return person


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    action: str = ""
    person_iin: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_entries(user: Actor, filters: AuditFilter) -> QuerySet[AuditEntry]:
    """The audit log for system administrators, newest first, filtered."""
    policy.check_may_read_audit_log(user)
    qs = AuditEntry.objects.all()
    if filters.username:
        qs = qs.filter(actor_username__iexact=filters.username.strip())
    if filters.action:
        qs = qs.filter(action__startswith=filters.action.strip())
    if filters.person_iin:
        facts = parse_iin(filters.person_iin, field="person_iin")
        person_ids = list(Person.objects.filter(iin_hash=keyed_hash(facts.iin)).values_list("pk", flat=True))
        qs = qs.filter(person_id__in=person_ids)
    if filters.date_from:
        qs = qs.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(at__date__lte=filters.date_to)
    return qs


def region_by_kato(code: str) -> Place:
    """A region by its KATO code (Shymkent's old 511010000 is accepted as an alias)."""
    try:
        kato = normalise_kato(code)
    except ValidationFailed:
        raise NotFound(
            _("There is no region with KATO code %(code)s.") % {"code": code}, field="region"
        ) from None
    place = Place.objects.filter(kato=kato, level=Place.Level.REGION).first()
    if place is None:
        raise NotFound(_("There is no region with KATO code %(code)s.") % {"code": code}, field="region")
    return place


def organisation_by_id_or_bin(value: str) -> Organisation:
    value = value.strip()
    organisation = (
        Organisation.objects.filter(bin=value).first()
        if len(value) == 12
        else Organisation.objects.filter(pk=int(value)).first()
        # ASCII digits only ("²" is a digit to str.isdigit, not to int), and within the keys' range.
        if value.isascii() and value.isdigit() and int(value) <= bounds.MAX_ID
        else None
    )
    if organisation is None:
        raise NotFound(_("There is no organisation %(value)s.") % {"value": value}, field="organisation")
    return organisation


def category_by_code(code: str) -> VulnerabilityCategory:
    category = VulnerabilityCategory.objects.filter(code=code).first()
    if category is None:
        raise NotFound(_("There is no category with code %(code)s.") % {"code": code}, field="category")
    return category


# API tokens -------------------------------------------------------------------------------


def api_tokens(username: str | None = None) -> QuerySet[ApiToken]:
    """API tokens (their prefixes and dates, never the token), newest first; one user's
    when `username` is given."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    return tokens.filter(user__username=username) if username is not None else tokens


def api_token_by_prefix_or_id(value: str) -> ApiToken:
    """The one token a prefix (or the whole token, or an id) names; NotFound when none or
    more than one does."""
    value = value.strip()
    tokens = ApiToken.objects.select_related("user")
    if value.isdigit():
        matches = list(tokens.filter(pk=int(value)))
    elif len(value) >= API_TOKEN_PREFIX_LENGTH:
        matches = list(tokens.filter(prefix=value[:API_TOKEN_PREFIX_LENGTH]))
    else:
        matches = list(tokens.filter(prefix__startswith=value)) if value else []
    if len(matches) > 1:
        raise NotFound(
            _("More than one token begins with %(prefix)s; name it by its id."), params={"prefix": value}
        )
    if not matches:
        raise NotFound(_("There is no token %(value)s."), params={"value": value})
    return matches[0]


def iin_to_confirm(person_ids: Iterable[int]) -> set[int]:
    """Of these people (ones the caller may see), those who registered themselves through
    a citizen account and whose IIN their organisation's staff have not confirmed yet."""
    wanted = set(person_ids)
    if not wanted:
        return set()
    return set(
        CitizenRecord.objects.filter(person_id__in=wanted, iin_confirmed_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )


def district_named(text: str) -> Place | None:
    """The district whose name (in any language) holds the words typed, the best known
    first; None when none does. For a person naming where they are (the bot)."""
    words = " ".join(text.split())[:100]
    if len(words) < 3:
        return None
    query = Place.objects.filter(level=Place.Level.DISTRICT).select_related("parent")
    for field in ("name_kk", "name_ru", "name_en"):
        found = query.filter(**{f"{field}__icontains": words}).order_by("parent__kato", "pk").first()
        if found is not None:
            return found
    return None
