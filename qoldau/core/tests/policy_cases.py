"""The cast of the policy tests and the table check that ties a rule's forms together.

A rule is tested against one table: for every user of the cast and every record, whether
it is allowed. `rule_mismatches` asks the rule's check form, its query form and (where
there is one) its `check_*` form for each cell; the three must all give the table's
answer, so they cannot drift from each other or from the table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, QuerySet
from django.utils import translation

from qoldau.core.errors import ApplicationError
from qoldau.core.models import Organisation
from qoldau.core.tests import factories

Actor = User | AnonymousUser


@dataclass
class Cast:
    """`factories.world()` and the roles it lacks: a consultant of the Almaty NGO, a
    surveyor, a signed-in user with no role, an anonymous visitor, and an Almaty
    organisation nobody works for."""

    world: factories.World
    almaty_other: Organisation
    users: dict[str, Actor]


def cast() -> Cast:
    w = factories.world()
    users: dict[str, Actor] = {
        "anonymous": AnonymousUser(),
        "nobody": User.objects.create_user("nobody", password=factories.PASSWORD),
        "almaty.staff": w.almaty_staff,
        "almaty.admin": w.almaty_admin,
        "turkistan.staff": w.turkistan_staff,
        "turkistan.admin": w.turkistan_admin,
        "akimat.almaty": w.akimat_almaty,
        "akimat.turkistan": w.akimat_turkistan,
        "ministry": w.ministry,
        "sysadmin": w.sysadmin,
        "almaty.consultant": factories.user("almaty.consultant", "consultant", org=w.almaty_ngo),
        "surveyor": factories.user("surveyor", "surveyor"),
    }
    almaty_other = factories.organisation(kato=factories.ALMATY, name="«Басқа» қоры")
    return Cast(world=w, almaty_other=almaty_other, users=users)


# The names of the cast's users.
EVERYONE = {
    "anonymous",
    "nobody",
    "almaty.staff",
    "almaty.admin",
    "turkistan.staff",
    "turkistan.admin",
    "akimat.almaty",
    "akimat.turkistan",
    "ministry",
    "sysadmin",
    "almaty.consultant",
    "surveyor",
}


def nobody_but(**allowed: set[str]) -> dict[str, set[str]]:
    """A table in which the users named (with `_` for `.`) are allowed those records and
    everyone else nothing."""
    table: dict[str, set[str]] = {name: set() for name in EVERYONE}
    for key, records in allowed.items():
        name = key.replace("_", ".")
        assert name in table, name
        table[name] = records
    return table


def rule_mismatches(
    users: Mapping[str, Actor],
    records: Mapping[str, Model],
    allowed: Mapping[str, set[str]],
    *,
    check: Callable[[Any, Any], bool],
    query: Callable[[Any], QuerySet[Any]],
    refuse: Callable[[Any, Any], None] | None = None,
) -> list[str]:
    """Every cell of the table where a form of the rule disagrees with it. `allowed` names,
    for every user, the records they are allowed (every other cell is refused)."""
    assert set(allowed) == set(users), "the table names every user of the cast, and only them"
    unknown = set().union(*allowed.values()) - set(records)
    assert not unknown, f"the table names records that are not in the case: {unknown}"
    wrong = []
    for user_name, user in users.items():
        for record_name, record in records.items():
            expected = record_name in allowed[user_name]
            answers = {
                "check": check(user, record),
                "query": query(user).filter(pk=record.pk).exists(),
            }
            if refuse is not None:
                try:
                    refuse(user, record)
                except ApplicationError:
                    answers["check_*"] = False
                else:
                    answers["check_*"] = True
            if any(answer is not expected for answer in answers.values()):
                wrong.append(f"{user_name} × {record_name}: expected {expected}, {answers}")
    return wrong


def user_mismatches(
    users: Mapping[str, Actor],
    allowed: set[str],
    *,
    check: Callable[[Any], bool],
    refuse: Callable[[Any], None] | None = None,
) -> list[str]:
    """The same for a rule about the user alone (no record): `allowed` names the users
    it allows."""
    assert allowed <= set(users), f"unknown users: {allowed - set(users)}"
    wrong = []
    for user_name, user in users.items():
        expected = user_name in allowed
        answers = {"check": check(user)}
        if refuse is not None:
            try:
                refuse(user)
            except ApplicationError:
                answers["check_*"] = False
            else:
                answers["check_*"] = True
        if any(answer is not expected for answer in answers.values()):
            wrong.append(f"{user_name}: expected {expected}, {answers}")
    return wrong


@dataclass(frozen=True)
class Refusal:
    """What a refused call raised: its kind, HTTP status and message (in English)."""

    kind: type[ApplicationError]
    status: int
    message: str


def refusal(call: Callable[[], None]) -> Refusal:
    """The refusal a call raises; the test fails when it is not refused."""
    with translation.override("en"):
        try:
            call()
        except ApplicationError as exc:
            return Refusal(type(exc), exc.status, exc.render())
    raise AssertionError("the call was not refused")
