"""The directory's writes and reads: who may keep a provider's entry, the permits (one
that ends before it starts is refused with a clear, translated error and nothing changed),
locations with their building's passport, services with eligibility, documents and
priority tiers, the permit expiry reminders, the catalogue the migration loads, and the
public search (need, district, age, category, the name in the reader's language; active
services only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone, translation

from qoldau.core.errors import ApplicationError, EditConflict, NotFound, PermissionDenied, ValidationFailed
from qoldau.core.models import AuditEntry, Notification, VulnerabilityCategory
from qoldau.services import policy, selectors, services
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import CatalogueTerm, Location, Permit, PriorityTier, Service
from qoldau.services.tasks import remind_permit_expiry
from qoldau.services.tests import directory_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s() -> f.Scene:
    return f.scene()


def permit_input(**overrides: object) -> services.PermitInput:
    values: dict[str, object] = {
        "issuer": "Алматы қаласының Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
        "number": "LIC-0001",
        "activity": "Арнаулы әлеуметтік қызметтер",
        "valid_from": dt.date(2024, 1, 1),
        "valid_to": dt.date(2027, 1, 1),
    }
    values.update(overrides)
    return services.PermitInput(**values)  # type: ignore[arg-type]


# The catalogue -----------------------------------------------------------------------------


def test_the_migration_loads_four_settings_eight_types_and_the_needs_in_three_languages():
    assert CatalogueTerm.objects.filter(taxonomy="setting").count() == 4
    assert CatalogueTerm.objects.filter(taxonomy="type").count() == 8
    needs = CatalogueTerm.objects.filter(taxonomy="need")
    assert {
        "home_care",
        "day_care",
        "rehabilitation",
        "early_intervention",
        "psychological_help",
        "legal_help",
        "residential_care",
        "respite",
        "sign_language",
        "social_taxi",
    } <= set(needs.values_list("code", flat=True))
    assert not CatalogueTerm.objects.filter(name_kk="").exists()
    assert not CatalogueTerm.objects.filter(name_ru="").exists()
    assert not CatalogueTerm.objects.filter(name_en="").exists()


def test_only_a_system_administrator_keeps_the_catalogue(s):
    assert policy.may_keep_catalogue(s["sysadmin"])
    for name in ("almaty.admin", "akimat.almaty", "anonymous"):
        assert not policy.may_keep_catalogue(s[name])
        with pytest.raises(PermissionDenied):
            policy.check_may_keep_catalogue(s[name])


# Providers ---------------------------------------------------------------------------------


def test_only_an_organisations_administrators_register_it_and_only_once(s):
    from qoldau.core.tests import factories

    org = factories.organisation(name="«Жаңа» қоры")
    staff = factories.user("new.staff", "ngo_staff", org=org)
    admin = factories.user("new.admin", "ngo_admin", org=org)
    with pytest.raises(PermissionDenied):
        services.provider_register(actor=staff, organisation=org, data=services.ProviderInput(kind="ngo"))
    with pytest.raises(PermissionDenied):
        services.provider_register(
            actor=s["almaty.admin"], organisation=org, data=services.ProviderInput(kind="ngo")
        )
    with pytest.raises(ValidationFailed):
        services.provider_register(actor=admin, organisation=org, data=services.ProviderInput(kind="charity"))
    provider = services.provider_register(
        actor=admin, organisation=org, data=services.ProviderInput(kind="ngo")
    )
    assert provider.kind == "ngo"
    with pytest.raises(ApplicationError):
        services.provider_register(actor=admin, organisation=org, data=services.ProviderInput(kind="private"))
    assert (
        AuditEntry.objects.filter(action="services.provider.register", object_id=str(provider.pk)).count()
        == 1
    )


# Permits -----------------------------------------------------------------------------------


def test_a_permit_that_ends_before_it_starts_is_refused_in_kazakh_and_nothing_changes(s):
    bad = permit_input(valid_from=dt.date(2025, 6, 1), valid_to=dt.date(2025, 5, 31))
    with pytest.raises(ValidationFailed) as refused:
        services.permit_add(actor=s["almaty.admin"], provider=s.almaty, data=bad)
    assert refused.value.code == ServicesErrorCode.ENDS_BEFORE_START
    assert refused.value.field == "valid_to"
    with translation.override("kk"):
        kk = refused.value.render()
    with translation.override("ru"):
        ru = refused.value.render()
    assert "2025-05-31" in kk
    assert "2025-06-01" in kk
    assert kk != ru
    assert ru != refused.value.message
    assert not Permit.objects.exists()
    assert not AuditEntry.objects.filter(action="services.permit.add").exists()
    # An existing permit is left as it was.
    permit = services.permit_add(actor=s["almaty.admin"], provider=s.almaty, data=permit_input())
    with pytest.raises(ValidationFailed):
        services.permit_update(actor=s["almaty.admin"], permit=permit, data=bad)
    permit.refresh_from_db()
    assert (permit.valid_from, permit.valid_to) == (dt.date(2024, 1, 1), dt.date(2027, 1, 1))


def test_the_database_refuses_a_permit_that_ends_before_it_starts_as_a_backstop(s):
    with pytest.raises(IntegrityError), transaction.atomic():
        Permit.objects.create(
            provider=s.almaty,
            issuer="x",
            number="1",
            activity="x",
            valid_from=dt.date(2025, 6, 1),
            valid_to=dt.date(2025, 5, 1),
        )


@pytest.mark.parametrize("actor", ["almaty.staff", "turkistan.admin", "akimat.almaty", "anonymous"])
def test_only_the_providers_administrators_keep_its_permits(s, actor):
    with pytest.raises(PermissionDenied):
        services.permit_add(actor=s[actor], provider=s.almaty, data=permit_input())
    assert not Permit.objects.exists()


def test_the_same_permit_twice_is_refused(s):
    services.permit_add(actor=s["almaty.admin"], provider=s.almaty, data=permit_input())
    with pytest.raises(ApplicationError) as refused:
        services.permit_add(actor=s["almaty.admin"], provider=s.almaty, data=permit_input(activity="other"))
    assert refused.value.field == "number"
    assert Permit.objects.count() == 1


def test_a_permit_about_to_expire_is_reminded_of_once_to_the_providers_administrators(
    s, settings, django_capture_on_commit_callbacks
):
    settings.QOLDAU_SERVICES_PERMIT_REMINDER_DAYS = 30
    today = timezone.localdate()
    soon = services.permit_add(
        actor=s["almaty.admin"], provider=s.almaty, data=permit_input(valid_to=today + dt.timedelta(days=10))
    )
    services.permit_add(
        actor=s["almaty.admin"],
        provider=s.almaty,
        data=permit_input(number="LIC-2", valid_to=today + dt.timedelta(days=45)),
    )
    services.permit_add(
        actor=s["turkistan.admin"],
        provider=s.turkistan,
        data=permit_input(number="LIC-3", valid_to=today + dt.timedelta(days=5), status="revoked"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_permit_expiry.delay().get() == 1
    sent = Notification.objects.filter(kind="services.permit_expires")
    assert list(sent.values_list("user__username", flat=True)) == ["almaty.admin"]
    assert "LIC-0001" in sent.get().body
    assert mail.outbox
    assert mail.outbox[-1].to == ["admin@example.kz"]
    # Once per permit: a second run sends nothing.
    assert services.permit_expiry_reminders_send() == 0
    assert sent.count() == 1
    # Renewed to a date that also comes soon: reminded again, once.
    services.permit_update(
        actor=s["almaty.admin"], permit=soon, data=permit_input(valid_to=today + dt.timedelta(days=20))
    )
    assert services.permit_expiry_reminders_send() == 1
    assert services.permit_expiry_reminders_send() == 0


def test_the_reminder_window_is_the_setting(s, settings):
    today = timezone.localdate()
    services.permit_add(
        actor=s["almaty.admin"], provider=s.almaty, data=permit_input(valid_to=today + dt.timedelta(days=10))
    )
    settings.QOLDAU_SERVICES_PERMIT_REMINDER_DAYS = 5
    assert services.permit_expiry_reminders_send() == 0
    settings.QOLDAU_SERVICES_PERMIT_REMINDER_DAYS = 10
    assert services.permit_expiry_reminders_send() == 1


# Locations and services --------------------------------------------------------------------


def test_a_location_names_a_building_of_the_accessibility_map_or_is_refused(s):
    before = Location.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.location_add(
            actor=s["almaty.staff"],
            provider=s.almaty,
            data=services.LocationInput(
                name_kk="Жоқ ғимарат",
                region_id=s.centre.region_id,
                address="x",
                building_id=s.building.pk + 999,
            ),
        )
    assert refused.value.field == "building_id"
    with pytest.raises(ValidationFailed):
        services.location_add(
            actor=s["almaty.staff"],
            provider=s.almaty,
            data=services.LocationInput(
                name_kk="Сыртта", region_id=s.centre.region_id, address="x", latitude="10", longitude="76"
            ),
        )
    with pytest.raises(PermissionDenied):
        services.location_add(
            actor=s["turkistan.staff"],
            provider=s.almaty,
            data=services.LocationInput(name_kk="Бөтен", region_id=s.centre.region_id, address="x"),
        )
    assert Location.objects.count() == before


def test_a_service_with_an_upper_age_below_the_lower_is_refused_and_nothing_is_added(s):
    before = Service.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.service_add(
            actor=s["almaty.staff"], provider=s.almaty, data=f.service_input(minimum_age=10, maximum_age=3)
        )
    assert refused.value.field == "maximum_age"
    for bad, field in (
        ({"need_codes": ("flying",)}, "need_codes"),
        ({"setting_code": "legal"}, "setting_code"),
        ({"languages": ("fr",)}, "languages"),
        ({"free": False, "fee": None}, "fee"),
        ({"category_codes": ("nobody",)}, "category_codes"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.service_add(actor=s["almaty.staff"], provider=s.almaty, data=f.service_input(**bad))
        assert refused.value.field == field
    assert Service.objects.count() == before


def test_a_service_is_given_only_at_its_own_providers_locations(s):
    with pytest.raises(NotFound):
        services.service_add(
            actor=s["almaty.staff"], provider=s.almaty, data=f.service_input(location_ids=(s.home.pk,))
        )


def test_two_editors_of_a_service_one_wins(s):
    version = s.day_care.version
    services.service_update(
        actor=s["almaty.staff"],
        service=s.day_care,
        expected_version=version,
        data=f.service_input(
            name_kk="Жаңа атау", location_ids=(s.centre.pk,), free=False, fee=Decimal("1500")
        ),
    )
    with pytest.raises(EditConflict):
        services.service_update(
            actor=s["almaty.admin"],
            service=Service.objects.get(pk=s.day_care.pk),
            expected_version=version,
            data=f.service_input(name_kk="Басқа атау"),
        )
    s.day_care.refresh_from_db()
    assert (s.day_care.name_kk, s.day_care.fee, s.day_care.free) == ("Жаңа атау", Decimal("1500.00"), False)


def test_priority_tiers_are_published_with_a_condition_each_and_audited(s):
    early = CatalogueTerm.objects.get(code="early_intervention")
    assert early
    group_one = VulnerabilityCategory.objects.filter(is_disability=True).first()
    assert group_one is not None
    with pytest.raises(ValidationFailed):
        services.priority_tiers_publish(
            actor=s["almaty.staff"],
            service=s.day_care,
            tiers=[services.TierInput(name_kk="Бос", name_ru="Пусто")],
        )
    assert not PriorityTier.objects.exists()
    tiers = services.priority_tiers_publish(
        actor=s["almaty.staff"],
        service=s.day_care,
        tiers=[
            services.TierInput(name_kk="3 жасқа дейін", name_ru="До 3 лет", under_age_months=36),
            services.TierInput(name_kk="I топ", name_ru="I группа", category_code=group_one.code),
        ],
    )
    assert [t.rank for t in tiers] == [1, 2]
    s.day_care.refresh_from_db()
    assert s.day_care.admission == Service.Admission.PRIORITY_TIERS
    entry = AuditEntry.objects.get(action="services.priority_tiers.publish")
    assert entry.details["tiers"][0] == {"rank": 1, "under_age_months": 36, "category": ""}
    with pytest.raises(PermissionDenied):
        services.priority_tiers_publish(actor=s["turkistan.staff"], service=s.day_care, tiers=[])
    services.priority_tiers_publish(actor=s["almaty.staff"], service=s.day_care, tiers=[])
    s.day_care.refresh_from_db()
    assert s.day_care.admission == Service.Admission.FIRST_COME


def test_every_write_is_audited_without_personal_data(s):
    actions = set(AuditEntry.objects.filter(action__startswith="services.").values_list("action", flat=True))
    assert {
        "services.provider.register",
        "services.location.add",
        "services.service.add",
        "services.document.add",
    } <= actions


# The public search -------------------------------------------------------------------------


def names(flt: selectors.DirectoryFilter, language: str = "kk") -> set[str]:
    return {service.name_kk for service in selectors.services_search(flt, language=language)}


def test_the_search_filters_by_need_district_age_category_and_the_name(s):
    everything = names(selectors.DirectoryFilter())
    assert everything == {"Күндізгі оңалту орталығы", "Үйде күтім"}
    assert names(selectors.DirectoryFilter(need="home_care")) == {"Үйде күтім"}
    assert names(selectors.DirectoryFilter(district_id=s.centre.district_id)) == {"Күндізгі оңалту орталығы"}
    assert names(selectors.DirectoryFilter(region_id=s.home.region_id)) == {"Үйде күтім"}
    assert names(selectors.DirectoryFilter(age=2)) == {"Үйде күтім"}
    assert names(selectors.DirectoryFilter(age=10)) == everything
    assert names(selectors.DirectoryFilter(age=10, need="rehabilitation")) == {"Күндізгі оңалту орталығы"}
    # A service for no category in particular is for anyone; one for a category only for it.
    categories = list(VulnerabilityCategory.objects.order_by("pk")[:2])
    services.service_update(
        actor=s["almaty.staff"],
        service=s.day_care,
        expected_version=s.day_care.version,
        data=f.service_input(category_codes=(categories[0].code,), location_ids=(s.centre.pk,)),
    )
    assert names(selectors.DirectoryFilter(category=categories[0].code)) == everything
    assert names(selectors.DirectoryFilter(category=categories[1].code)) == {"Үйде күтім"}


def test_free_text_searches_the_name_in_the_readers_language(s):
    assert names(selectors.DirectoryFilter(text="оңалту"), "kk") == {"Күндізгі оңалту орталығы"}
    assert names(selectors.DirectoryFilter(text="ОҢАЛТУ ОРТАЛЫҒЫ"), "kk") == {"Күндізгі оңалту орталығы"}
    assert names(selectors.DirectoryFilter(text="реабилитационный"), "kk") == set()
    assert names(selectors.DirectoryFilter(text="реабилитационный"), "ru") == {"Күндізгі оңалту орталығы"}
    assert names(selectors.DirectoryFilter(text="rehabilitation"), "en") == {"Күндізгі оңалту орталығы"}
    # English names are optional: English readers find the Kazakh and Russian ones too.
    assert names(selectors.DirectoryFilter(text="уход"), "en") == {"Үйде күтім"}


def test_only_active_services_are_public(s):
    services.service_set_status(actor=s["turkistan.staff"], service=s.home_care, status="inactive")
    assert names(selectors.DirectoryFilter()) == {"Күндізгі оңалту орталығы"}
    with pytest.raises(NotFound):
        selectors.service_public_get(s.home_care.public_id)
    with pytest.raises(NotFound):
        selectors.provider_public_get(s.turkistan.public_id)
    with pytest.raises(PermissionDenied):
        services.service_set_status(actor=s["almaty.staff"], service=s.home_care, status="active")


def test_a_services_page_has_its_documents_languages_and_buildings_accessibility_in_words(s):
    with translation.override("ru"):
        page = selectors.service_public_get(s.day_care.public_id)
        assert page.documents == ["Удостоверение личности"]
        assert page.languages == ["Казахский", "Русский", "Жестовый язык"]
        [place] = page.locations
        assert place.accessibility is not None
        assert len(place.accessibility.statuses) == 5
        assert all(label and status for label, status, _code in place.accessibility.statuses)


def test_staff_see_only_their_own_providers_entries(s):
    assert list(selectors.providers_for_user(s["almaty.staff"])) == [s.almaty]
    with pytest.raises(NotFound):
        selectors.service_get_for_user(s["almaty.staff"], s.home_care.pk)
    with pytest.raises(NotFound):
        selectors.location_get_for_user(s["turkistan.staff"], s.centre.pk)
    permit = services.permit_add(actor=s["almaty.admin"], provider=s.almaty, data=permit_input())
    with pytest.raises(NotFound):
        selectors.permit_get_for_user(s["almaty.staff"], permit.pk)
    assert selectors.permit_get_for_user(s["almaty.admin"], permit.pk) == permit


@override_settings(LANGUAGE_CODE="kk")
def test_document_removal_is_by_the_providers_staff_only(s):
    document = s.day_care.documents.get()
    with pytest.raises(PermissionDenied):
        services.document_remove(actor=s["turkistan.staff"], document=document)
    services.document_remove(actor=s["almaty.staff"], document=document)
    assert not s.day_care.documents.exists()


def test_a_broad_search_is_counted_up_to_the_cap(s):
    found = selectors.services_search(selectors.DirectoryFilter())
    assert selectors.count_capped(found, cap=5) == 2
    assert selectors.count_capped(found, cap=1) == 2
    assert selectors.count_capped(found.filter(pk=s.day_care.pk), cap=1) == 1
