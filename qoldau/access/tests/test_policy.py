"""The access policy: every rule's check for one record and its query for lists give the
same answer, and the expected one, over one table of users × records; each refusal says
what it says; and no other module of the app asks the raw scope or words a refusal."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model, QuerySet
from django.utils import translation

from qoldau.access import policy, services
from qoldau.access.imports import import_objects
from qoldau.access.models import Measure
from qoldau.access.tests.factories import passport
from qoldau.access.tests.objects_scene import png, scene
from qoldau.core import services as core_services
from qoldau.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from qoldau.core.models import Place
from qoldau.core.tests import factories
from qoldau.imports.services import ImportSource

ACCESS = Path(policy.__file__).parent

# The people of the table --------------------------------------------------------------------

STAFF = ("almaty.staff", "almaty.admin", "turkistan.staff", "turkistan.admin")
OFFICERS = ("akimat.almaty", "akimat.turkistan", "akimat.astana")
SURVEYORS = ("surveyor.one", "surveyor.two", "surveyor.former")
USERS = (*STAFF, *OFFICERS, "ministry", "sysadmin", *SURVEYORS, "citizen", "anonymous")

# The objects: ngo (Almaty, owned by the Almaty NGO), city (Almaty, no owner, assigned to
# surveyor.one), astana (Astana, no owner), turkistan_ngo (Almaty, owned by the Turkistan NGO).
# surveyor.two surveyed ngo and astana (their assignments ended with the passports);
# surveyor.former is still assigned to city but no longer holds the role.
ALL = frozenset({"ngo", "city", "astana", "turkistan_ngo"})
NONE: frozenset[str] = frozenset()

MANAGE: dict[str, frozenset[str]] = {
    "almaty.staff": frozenset({"ngo"}),
    "almaty.admin": frozenset({"ngo"}),
    "turkistan.staff": frozenset({"turkistan_ngo"}),
    "turkistan.admin": frozenset({"turkistan_ngo"}),
    # An akimat officer manages their region's objects, whoever owns them.
    "akimat.almaty": frozenset({"ngo", "city", "turkistan_ngo"}),
    "akimat.turkistan": NONE,
    "akimat.astana": frozenset({"astana"}),
    "ministry": NONE,
    "sysadmin": ALL,
    "surveyor.one": NONE,
    "surveyor.two": NONE,
    "surveyor.former": NONE,
    "citizen": NONE,
    "anonymous": NONE,
}
# Overseeing (reading measures and barrier reports): the managers and the ministry.
OVERSEE = {**MANAGE, "ministry": ALL}
SURVEY = {name: NONE for name in USERS} | {"sysadmin": ALL, "surveyor.one": frozenset({"city"})}
# Reading objects on the staff pages: overseers and the surveyors of assigned objects.
READ = {name: OVERSEE[name] | SURVEY[name] for name in USERS}
ADD_PHOTO = {name: MANAGE[name] | SURVEY[name] for name in USERS}


@dataclass
class Table:
    users: dict[str, Any]
    objects: dict[str, Any]
    passports: dict[str, Any]
    measures: dict[str, Any]
    reports: dict[str, Any]
    photos: dict[str, Any]
    runs: dict[str, Any]
    regions: dict[str, Place]


def _import(actor: User, region: Place, rows: list[str], tmp_path: Path, name: str) -> None:
    header = "Номер в реестре;Атауы;Адрес;Район;Вид объекта;Собственник;Широта;Долгота"
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    import_objects(actor=actor, region=region, source=ImportSource(path=path, name=name))


def build(tmp_path: Path) -> Table:
    s = scene()
    surveyor_two = factories.user("surveyor.two", "surveyor")
    citizen = User.objects.create_user("citizen", password=factories.PASSWORD)
    officer = s.w.akimat_almaty
    # Submitted passports with a shortfall each (so a measure each); surveyor.two's
    # assignments end with the submission.
    passport(officer, surveyor_two, s.ngo_object, not_met={"ramp"})
    passport(s.akimat_astana, surveyor_two, s.astana_object, not_met={"ramp"})
    draft = services.passport_open(actor=s.surveyor, obj=s.city_object)
    former = factories.user("surveyor.former", "surveyor")
    services.surveyor_assign(actor=officer, obj=s.city_object, surveyor=former)
    core_services.role_revoke(actor=None, assignment=former.role_assignments.get())
    reports = {
        name: services.barrier_report_submit(
            actor=None, object_id=obj.pk, description="Кіреберісте пандус жоқ", contact="+7 701 000 0000"
        )
        for name, obj in (
            ("ngo", s.ngo_object),
            ("city", s.city_object),
            ("astana", s.astana_object),
            ("turkistan_ngo", s.turkistan_ngo_object),
        )
    }

    def photo(actor: User, obj: Any, **kwargs: Any) -> Any:
        upload = SimpleUploadedFile("photo.png", png(), content_type="image/png")
        return services.photo_add(actor=actor, obj=obj, upload=upload, **kwargs)

    photos = {
        "city": photo(officer, s.city_object),
        "city_draft": photo(s.surveyor, s.city_object, zone="entrance", passport=draft),
        "astana": photo(s.akimat_astana, s.astana_object),
    }
    almaty = Place.objects.get(kato=factories.ALMATY)
    astana = Place.objects.get(kato=factories.ASTANA)
    _import(officer, almaty, ["R-1;Кітапхана;Абай, 1;Almaly District;culture;;43.25;76.9"], tmp_path, "a.csv")
    own_row = f"R-2;Орталық;Абай, 2;Almaly District;culture;{s.w.almaty_ngo.bin};43.25;76.91"
    _import(s.w.almaty_staff, almaty, [own_row], tmp_path, "b.csv")
    _import(
        s.akimat_astana,
        astana,
        ["R-3;Кітапхана;Абай, 3;Yesil District;culture;;51.13;71.43"],
        tmp_path,
        "c.csv",
    )
    runs = {run.file_name: run for run in policy.object_import_runs_visible(s.w.sysadmin)}

    users: dict[str, Any] = {
        "almaty.staff": s.w.almaty_staff,
        "almaty.admin": s.w.almaty_admin,
        "turkistan.staff": s.w.turkistan_staff,
        "turkistan.admin": s.w.turkistan_admin,
        "akimat.almaty": officer,
        "akimat.turkistan": s.w.akimat_turkistan,
        "akimat.astana": s.akimat_astana,
        "ministry": s.w.ministry,
        "sysadmin": s.w.sysadmin,
        "surveyor.one": s.surveyor,
        "surveyor.two": surveyor_two,
        # Read again: the scope of the instance assigned above is cached on it.
        "surveyor.former": User.objects.get(pk=former.pk),
        "citizen": citizen,
        "anonymous": AnonymousUser(),
    }
    assert set(users) == set(USERS)
    objects = {
        "ngo": s.ngo_object,
        "city": s.city_object,
        "astana": s.astana_object,
        "turkistan_ngo": s.turkistan_ngo_object,
    }
    return Table(
        users=users,
        objects=objects,
        passports={
            "ngo": s.ngo_object.passports.get(),
            "astana": s.astana_object.passports.get(),
            "city_draft": draft,
        },
        measures={
            "ngo": Measure.objects.filter(object=s.ngo_object).first(),
            "astana": Measure.objects.filter(object=s.astana_object).first(),
        },
        reports=reports,
        photos=photos,
        runs={"almaty.officer": runs["a.csv"], "almaty.staff": runs["b.csv"], "astana": runs["c.csv"]},
        regions={
            "almaty": almaty,
            "turkistan": Place.objects.get(kato=factories.TURKISTAN),
            "astana": astana,
        },
    )


@pytest.fixture
def table(db: None, tmp_path: Path) -> Table:
    return build(tmp_path)


# The rules, each as (query, check, the records it is about, what each user gets) ----------


Expected = dict[str, frozenset[str]]


def _of_objects(names: Expected, kind: str, of: Callable[[str], str] = str) -> Callable[[Table], Expected]:
    """Expected records of another kind, from the objects each user gets: a record is
    expected where its object (`of(record name)`) is."""

    def expected(t: Table) -> Expected:
        records = getattr(t, kind)
        return {user: frozenset(r for r in records if of(r) in names[user]) for user in USERS}

    return expected


def _city_first(name: str) -> str:
    # The draft passport and the draft's photo are the city object's.
    return "city" if name.startswith("city") else name


def _passports_expected(t: Table) -> Expected:
    # Every submitted passport for anyone signed in; the draft where its object is read.
    return {
        user: NONE
        if user == "anonymous"
        else frozenset({"ngo", "astana"} | ({"city_draft"} if "city" in READ[user] else set()))
        for user in USERS
    }


def _runs_expected(t: Table) -> Expected:
    everyone = frozenset(t.runs)
    return {name: NONE for name in USERS} | {
        "akimat.almaty": frozenset({"almaty.officer", "almaty.staff"}),
        "almaty.staff": frozenset({"almaty.staff"}),
        "akimat.astana": frozenset({"astana"}),
        "ministry": everyone,
        "sysadmin": everyone,
    }


def _regions_expected(t: Table) -> Expected:
    everywhere = frozenset(t.regions)
    return (
        {name: NONE for name in USERS}
        | {name: everywhere for name in (*STAFF, "sysadmin")}
        | {
            "akimat.almaty": frozenset({"almaty"}),
            "akimat.turkistan": frozenset({"turkistan"}),
            "akimat.astana": frozenset({"astana"}),
        }
    )


def _same(names: Expected) -> Callable[[Table], Expected]:
    return lambda t: names


@dataclass(frozen=True)
class Rule:
    query: Callable[[Any], QuerySet[Any]]
    check: Callable[[Any, Any], bool]
    records: str
    expected: Callable[[Table], Expected]
    refuse: Callable[[Any, Any], None] | None = None


RULES: dict[str, Rule] = {
    "read objects": Rule(
        policy.objects_visible, policy.may_read_object, "objects", _same(READ), policy.check_may_read_object
    ),
    "manage objects": Rule(
        policy.objects_manageable_by,
        policy.may_manage_object,
        "objects",
        _same(MANAGE),
        policy.check_may_manage_object,
    ),
    "survey objects": Rule(
        policy.objects_surveyable_by,
        policy.may_survey_object,
        "objects",
        _same(SURVEY),
        policy.check_may_survey_object,
    ),
    "add photos to objects": Rule(
        policy.objects_photo_addable_by,
        policy.may_add_object_photo,
        "objects",
        _same(ADD_PHOTO),
        policy.check_may_add_object_photo,
    ),
    "read passports": Rule(
        policy.passports_visible,
        policy.may_read_passport,
        "passports",
        _passports_expected,
        policy.check_may_read_passport,
    ),
    "fill passports": Rule(
        policy.passports_fillable_by,
        policy.may_fill_passport,
        "passports",
        _of_objects(SURVEY, "passports", _city_first),
        policy.check_may_fill_passport,
    ),
    "read staff photos": Rule(
        policy.object_photos_visible,
        policy.may_see_object_photo,
        "photos",
        _of_objects(READ, "photos", _city_first),
    ),
    "read measures": Rule(
        policy.measures_visible,
        policy.may_read_measure,
        "measures",
        _of_objects(OVERSEE, "measures"),
        policy.check_may_read_measure,
    ),
    "read barrier reports": Rule(
        policy.barrier_reports_visible,
        policy.may_read_barrier_report,
        "reports",
        _of_objects(OVERSEE, "reports"),
        policy.check_may_read_barrier_report,
    ),
    "handle barrier reports": Rule(
        policy.barrier_reports_handled_by,
        policy.may_handle_barrier_report,
        "reports",
        _of_objects(MANAGE, "reports"),
        policy.check_may_handle_barrier_report,
    ),
    "read reporters' contacts": Rule(
        policy.barrier_reports_with_contact,
        policy.may_read_reporter_contact,
        "reports",
        _of_objects(MANAGE, "reports"),
    ),
    "see object imports": Rule(
        policy.object_import_runs_visible, policy.may_see_object_import_run, "runs", _runs_expected
    ),
    "register objects in regions": Rule(
        policy.regions_registrable_by, policy.may_register_in_region, "regions", _regions_expected
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("rule_name", list(RULES))
def test_each_rules_check_and_query_agree_with_the_expected_answer(table: Table, rule_name: str):
    rule = RULES[rule_name]
    records: dict[str, Model] = getattr(table, rule.records)
    expected = rule.expected(table)
    wrong = []
    for user_name, user in table.users.items():
        listed = rule.query(user)
        for record_name, record in records.items():
            by_check = rule.check(user, record)
            by_query = listed.filter(pk=record.pk).exists()
            should = record_name in expected[user_name]
            if not by_check == by_query == should:
                wrong.append(
                    (user_name, record_name, f"check {by_check}, query {by_query}, expected {should}")
                )
            if rule.refuse is not None:
                try:
                    rule.refuse(user, record)
                except ApplicationError:
                    refused = True
                else:
                    refused = False
                if refused == should:
                    wrong.append((user_name, record_name, f"check_may_… refused: {refused}"))
    assert wrong == []


@pytest.mark.django_db
def test_the_table_holds_every_case_it_names(table: Table):
    # A table with a missing record would pass the test above for the wrong reason.
    for kind in ("objects", "passports", "measures", "reports", "photos", "runs", "regions"):
        records = getattr(table, kind)
        assert len(records) >= 2, kind
        assert None not in records.values(), kind
    assert table.passports["city_draft"].state == "draft"
    assert {p.state for name, p in table.passports.items() if name != "city_draft"} == {"submitted"}
    assert len(table.runs) == 3
    former = table.users["surveyor.former"]
    assert former.survey_assignments.filter(object=table.objects["city"], active=True).exists()
    assert table.photos["city_draft"].passport == table.passports["city_draft"]


@pytest.mark.django_db
def test_registering_an_object_follows_managing_it_and_imports_follow_registering(table: Table):
    """Registering an object into a region with an owner is allowed to exactly those who
    would then manage it, and an import takes exactly those rows."""
    owners = [None, table.objects["ngo"].owner, table.objects["turkistan_ngo"].owner]
    for user_name, user in table.users.items():
        for region_name, region in table.regions.items():
            importable = policy.object_owners_importable(user, region)
            try:
                policy.check_may_import_objects_into(user, region)
            except PermissionDenied:
                import_refused = True
            else:
                import_refused = False
            may_register_any = False
            for owner in owners:
                owner_id = owner.pk if owner else None
                may = policy.may_register_object_in(user, region_id=region.pk, owner_id=owner_id)
                may_register_any |= may
                # An object in this region with this owner: managed exactly when registrable.
                managed_here = (
                    user_name == "sysadmin"
                    or (user_name in OFFICERS and user_name.endswith(region_name))
                    or (owner is not None and user_name in STAFF and owner.pk in _orgs(user))
                )
                assert may == managed_here, (user_name, region_name, owner)
                assert may == (importable is None or (owner_id is not None and owner_id in importable))
            # Importing is refused as a whole exactly where no row could be taken; an
            # organisation's staff may import (their own rows) into any region.
            assert import_refused == (importable is not None and not importable), (user_name, region_name)
            assert import_refused == (not may_register_any and importable is not None)


def _orgs(user: Any) -> set[int]:
    return set(user.role_assignments.exclude(organisation=None).values_list("organisation_id", flat=True))


@pytest.mark.django_db
def test_who_may_register_objects_at_all_is_who_has_a_region_to_register_in(table: Table):
    for user_name, user in table.users.items():
        anywhere = policy.regions_registrable_by(user).exists()
        assert policy.may_register_objects(user) == anywhere, user_name
        assert policy.may_register_objects(user) == (user_name in (*STAFF, *OFFICERS, "sysadmin"))
    # A district is never a place objects are registered or imported into.
    district = Place.objects.filter(level=Place.Level.DISTRICT).first()
    assert district is not None
    assert not policy.may_register_in_region(table.users["sysadmin"], district)
    assert not policy.regions_registrable_by(table.users["sysadmin"]).filter(pk=district.pk).exists()


@pytest.mark.django_db
def test_surveyors_are_those_who_hold_the_role(table: Table):
    listed = policy.surveyors()
    for user_name, user in table.users.items():
        should = user_name in ("surveyor.one", "surveyor.two")
        assert policy.may_be_assigned_surveys(user) == should, user_name
        if user.is_authenticated:
            assert listed.filter(pk=user.pk).exists() == should, user_name


@pytest.mark.django_db
def test_who_works_with_objects_follows_progress_and_exports(table: Table):
    work = {*STAFF, *OFFICERS, "ministry", "sysadmin", "surveyor.one", "surveyor.two"}
    follow = {*OFFICERS, "ministry", "sysadmin"}
    for user_name, user in table.users.items():
        assert policy.may_work_with_objects(user) == (user_name in work), user_name
        assert policy.may_follow_progress(user) == (user_name in follow), user_name
        assert policy.may_export_progress(user) == (user_name != "anonymous"), user_name
    home = {name: policy.progress_home_region(user) for name, user in table.users.items()}
    assert home["akimat.almaty"] == table.regions["almaty"]
    assert home["akimat.astana"] == table.regions["astana"]
    assert {name for name, region in home.items() if region is not None} == set(OFFICERS)


@pytest.mark.django_db
def test_a_new_objects_owner_is_proposed_only_to_one_organisations_staff(table: Table):
    proposed = {name: policy.owner_proposed_for_new_object(user) for name, user in table.users.items()}
    assert proposed["almaty.staff"] == table.objects["ngo"].owner
    assert proposed["turkistan.admin"] == table.objects["turkistan_ngo"].owner
    assert {name for name, owner in proposed.items() if owner is not None} == set(STAFF)


# The refusals ---------------------------------------------------------------------------------


def _refusal(call: Callable[[], None]) -> ApplicationError:
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


@pytest.mark.django_db
def test_each_refusal_says_why_with_the_status_of_what_the_user_may_see(table: Table):
    u, o = table.users, table.objects
    outside = "There is no such {}, or it is outside your scope."
    manage_only = "Only the officers of the object's region or its owner's staff may do this."
    register = "Objects are registered by the officers of their region or by their owner's staff."
    imported = "Objects are imported by the officers of their region or by their owner's staff."
    almaty = table.regions["almaty"]
    district = Place.objects.filter(parent=almaty).first()
    assert district is not None
    cases: list[tuple[Callable[[], None], type[ApplicationError], str]] = [
        (
            lambda: policy.check_may_read_object(u["almaty.staff"], o["city"]),
            NotFound,
            outside.format("object"),
        ),
        (
            lambda: policy.check_may_read_passport(u["turkistan.staff"], table.passports["city_draft"]),
            NotFound,
            outside.format("passport"),
        ),
        (
            lambda: policy.check_may_read_measure(u["surveyor.one"], table.measures["ngo"]),
            NotFound,
            outside.format("measure"),
        ),
        (
            lambda: policy.check_may_read_barrier_report(u["akimat.astana"], table.reports["ngo"]),
            NotFound,
            outside.format("report"),
        ),
        (lambda: policy.check_may_manage_object(u["ministry"], o["city"]), PermissionDenied, manage_only),
        (lambda: policy.check_may_add_object_photo(u["ministry"], o["city"]), PermissionDenied, manage_only),
        (
            lambda: policy.check_may_handle_barrier_report(u["ministry"], table.reports["ngo"]),
            PermissionDenied,
            manage_only,
        ),
        (
            lambda: policy.check_may_survey_object(u["akimat.almaty"], o["city"]),
            PermissionDenied,
            "This object is not assigned to you.",
        ),
        (
            lambda: policy.check_may_fill_passport(u["surveyor.two"], table.passports["city_draft"]),
            PermissionDenied,
            "This object is not assigned to you.",
        ),
        (
            lambda: policy.check_may_register_object_in(
                u["almaty.staff"], region_id=almaty.pk, owner_id=None
            ),
            PermissionDenied,
            register,
        ),
        (lambda: policy.check_may_register_objects(u["ministry"]), PermissionDenied, register),
        (lambda: policy.check_may_import_objects(u["surveyor.one"]), PermissionDenied, imported),
        (lambda: policy.check_may_import_objects_into(u["ministry"], almaty), PermissionDenied, imported),
        (
            lambda: policy.check_may_import_objects_into(u["akimat.almaty"], district),
            PermissionDenied,
            "Objects are imported into a region.",
        ),
        (
            lambda: policy.check_may_work_with_objects(u["citizen"]),
            PermissionDenied,
            "Only officers, owners' staff and surveyors work with objects here.",
        ),
        (
            lambda: policy.check_may_be_assigned_surveys(u["akimat.almaty"]),
            ValidationFailed,
            "This user is not a surveyor.",
        ),
        (
            lambda: policy.check_may_export_progress(u["anonymous"]),
            PermissionDenied,
            "Sign in to export the report.",
        ),
    ]
    for call, kind, message in cases:
        error = _refusal(call)
        assert type(error) is kind, message
        with translation.override("en"):
            assert error.render() == message
    # Not found for what the user may not see, refused for what they see but may not do.
    assert {kind.status for _call, kind, _message in cases} == {404, 403, 400}
    surveyor_error = _refusal(
        lambda: policy.check_may_be_assigned_surveys(u["ministry"], field="resurvey_by")
    )
    assert (surveyor_error.field, surveyor_error.code) == ("resurvey_by", "not_a_surveyor")


# One home for each rule -----------------------------------------------------------------------


def _app_modules() -> list[Path]:
    return [
        path
        for path in sorted(ACCESS.rglob("*.py"))
        if "tests" not in path.relative_to(ACCESS).parts and path.name != "policy.py"
    ]


def _policy_sentences() -> set[str]:
    """Every sentence policy.py passes to gettext: its refusals."""
    tree = ast.parse((ACCESS / "policy.py").read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def test_only_the_policy_asks_the_raw_scope_or_words_a_refusal():
    sentences = _policy_sentences()
    assert len(sentences) >= 10
    found = []
    for path in _app_modules():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ACCESS)
        for construct in ("user_scope", "PermissionDenied(", "outside your scope", "Scope("):
            if construct in text:
                found.append((str(name), construct))
        found.extend((str(name), sentence) for sentence in sentences if sentence in text)
        # A permission sentence written again under another wording would still be a copy.
        found.extend(
            (str(name), m) for m in re.findall(r"_\(\s*\"[^\"]*(?:may do this|work with objects)", text)
        )
    assert found == []
