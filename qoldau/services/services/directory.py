"""Writes of the directory: a provider's profile, its permits, its locations (with their
building's accessibility passport in the access app), its services (eligibility,
documents, schedule, languages, cost, where they are given), the priority tiers it
publishes, and the reminders of permits about to expire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.access import accessibility
from qoldau.core import bounds
from qoldau.core import services as core_services
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from qoldau.core.models import Organisation, VulnerabilityCategory
from qoldau.core.notifications import notify
from qoldau.services import policy
from qoldau.services.catalogue import LANGUAGES
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import (
    CatalogueTerm,
    Location,
    Permit,
    PriorityTier,
    Provider,
    ProviderKind,
    RequiredDocument,
    Service,
    ServiceAtLocation,
)
from qoldau.services.services.directory_index import (
    directory_reindex_in_transaction,
    directory_reindex_location_in_transaction,
)


def _check_bounds(data: Any) -> None:
    """Every field of an input by its bound (a form or a schema checked them already; a
    caller from code may not have)."""
    for item in fields(data):
        value = getattr(data, item.name)
        annotated = item.type
        if value is None or isinstance(value, (bool, list, tuple)) or not isinstance(annotated, str):
            continue
        name = annotated.split(" ")[0]
        if not name.startswith("bounds."):
            continue
        bound_type = getattr(bounds, name.removeprefix("bounds."))
        try:
            bounds.clean(bound_type, value)
        except bounds.BoundError as exc:
            raise ValidationFailed(exc.message, field=item.name, params=exc.params) from None


# Providers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderInput:
    kind: bounds.Code
    description_kk: bounds.Comment = ""
    description_ru: bounds.Comment = ""
    description_en: bounds.Comment = ""


def _provider_fields(data: ProviderInput) -> dict[str, Any]:
    _check_bounds(data)
    if data.kind not in ProviderKind.values:
        raise ValidationFailed(_("Unknown kind of provider."), field="kind", code=ErrorCode.INVALID_CHOICE)
    return {
        "kind": data.kind,
        "description_kk": data.description_kk.strip(),
        "description_ru": data.description_ru.strip(),
        "description_en": data.description_en.strip(),
    }


def provider_register(*, actor: Actor, organisation: Organisation, data: ProviderInput) -> Provider:
    """Make an organisation a provider of social services (once)."""
    with transaction.atomic(durable=True):
        policy.check_may_register_provider(actor, organisation.pk)
        values = _provider_fields(data)
        if Provider.objects.filter(organisation=organisation).exists():
            raise Conflict(
                _("The organisation is already a provider of social services."),
                field="kind",
                code=ErrorCode.DUPLICATE,
            )
        provider = Provider.objects.create(organisation=organisation, **values)
        audit_record(
            actor,
            "services.provider.register",
            object_type="provider",
            object_id=provider.pk,
            organisation_id=organisation.pk,
            details={"kind": provider.kind},
        )
    return provider


def provider_update(*, actor: Actor, provider: Provider, data: ProviderInput) -> Provider:
    """Change a provider's kind and description."""
    with transaction.atomic(durable=True):
        policy.check_may_administer_provider(actor, provider)
        values = _provider_fields(data)
        for name, value in values.items():
            setattr(provider, name, value)
        provider.save()
        audit_record(
            actor,
            "services.provider.update",
            object_type="provider",
            object_id=provider.pk,
            organisation_id=provider.organisation_id,
            details={"kind": provider.kind},
        )
    return provider


# Permits --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermitInput:
    issuer: bounds.Title
    number: bounds.Code
    activity: bounds.Title
    valid_from: bounds.RecordDate
    valid_to: bounds.RecordDate | None = None
    status: bounds.Code = Permit.Status.VALID


def _permit_fields(data: PermitInput) -> dict[str, Any]:
    _check_bounds(data)
    issuer = core_services.require_text(data.issuer, "issuer", str(_("Issued by")))
    number = core_services.require_text(data.number, "number", str(_("Number")))
    activity = core_services.require_text(data.activity, "activity", str(_("Activity")))
    if data.status not in Permit.Status.values:
        raise ValidationFailed(
            _("Unknown status of a permit."), field="status", code=ErrorCode.INVALID_CHOICE
        )
    # The database's constraint is the backstop; the person gets this sentence instead.
    if data.valid_to is not None and data.valid_to < data.valid_from:
        raise ValidationFailed(
            _("The permit ends (%(valid_to)s) before it starts (%(valid_from)s)."),
            field="valid_to",
            code=ServicesErrorCode.ENDS_BEFORE_START,
            params={"valid_to": data.valid_to.isoformat(), "valid_from": data.valid_from.isoformat()},
        )
    return {
        "issuer": issuer,
        "number": number,
        "activity": activity,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
        "status": data.status,
    }


def _duplicate_permit() -> Conflict:
    return Conflict(
        _("The provider already has a permit with this issuer and number."),
        field="number",
        code=ErrorCode.DUPLICATE,
    )


def permit_add(*, actor: Actor, provider: Provider, data: PermitInput) -> Permit:
    """Record a permit or licence a provider holds."""
    with transaction.atomic(durable=True):
        policy.check_may_administer_provider(actor, provider)
        values = _permit_fields(data)
        if Permit.objects.filter(
            provider=provider, issuer=values["issuer"], number=values["number"]
        ).exists():
            raise _duplicate_permit()
        permit = Permit.objects.create(provider=provider, **values)
        audit_record(
            actor,
            "services.permit.add",
            object_type="permit",
            object_id=permit.pk,
            organisation_id=provider.organisation_id,
            details={"valid_to": permit.valid_to.isoformat() if permit.valid_to else None},
        )
    return permit


def permit_update(*, actor: Actor, permit: Permit, data: PermitInput) -> Permit:
    """Change a permit; a new end date is reminded of again before it comes."""
    with transaction.atomic(durable=True):
        policy.check_may_administer_provider(actor, permit.provider)
        values = _permit_fields(data)
        if (
            Permit.objects.filter(
                provider_id=permit.provider_id, issuer=values["issuer"], number=values["number"]
            )
            .exclude(pk=permit.pk)
            .exists()
        ):
            raise _duplicate_permit()
        if values["valid_to"] != permit.valid_to:
            values["expiry_reminded_at"] = None
        for name, value in values.items():
            setattr(permit, name, value)
        permit.save()
        audit_record(
            actor,
            "services.permit.update",
            object_type="permit",
            object_id=permit.pk,
            organisation_id=permit.provider.organisation_id,
            details={
                "valid_to": permit.valid_to.isoformat() if permit.valid_to else None,
                "status": permit.status,
            },
        )
    return permit


def permit_expiry_reminders_send(*, today: dt.date | None = None) -> int:
    """Tell each provider's administrators, once per permit (and end date), that a valid
    permit ends within `QOLDAU_SERVICES_PERMIT_REMINDER_DAYS`. Idempotent: a second run
    finds nothing new. Returns how many permits were reminded of."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.QOLDAU_SERVICES_PERMIT_REMINDER_DAYS)
    due = Permit.objects.filter(
        status=Permit.Status.VALID,
        expiry_reminded_at__isnull=True,
        valid_to__isnull=False,
        valid_to__gte=today,
        valid_to__lte=horizon,
    )
    reminded = 0
    for permit_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic(durable=True):
            # Locked and read again: a run beside this one reminds of nothing twice.
            permit = (
                due.select_for_update(of=("self",))
                .select_related("provider__organisation")
                .filter(pk=permit_id)
                .first()
            )
            if permit is None or permit.valid_to is None:
                continue
            permit.expiry_reminded_at = timezone.now()
            permit.save(update_fields=["expiry_reminded_at"])
            for user in policy.provider_administrators(permit.provider):
                notify(
                    user=user,
                    kind="services.permit_expires",
                    subject=_("A permit of %(provider)s expires on %(valid_to)s"),
                    body=_(
                        "The permit %(number)s issued by %(issuer)s for %(activity)s to %(provider)s "
                        "is valid until %(valid_to)s. Renew it and record the new permit in the "
                        "provider's directory entry."
                    ),
                    params={
                        "provider": permit.provider.organisation.name,
                        "number": permit.number,
                        "issuer": permit.issuer,
                        "activity": permit.activity,
                        "valid_to": permit.valid_to.isoformat(),
                    },
                    object_type="permit",
                    object_id=permit.pk,
                )
            audit_record(
                None,
                "services.permit.remind_expiry",
                object_type="permit",
                object_id=permit.pk,
                organisation_id=permit.provider.organisation_id,
                details={"valid_to": permit.valid_to.isoformat()},
            )
            reminded += 1
    return reminded


# Locations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationInput:
    name_kk: bounds.Title
    region_id: bounds.Id
    kind: bounds.Code = Location.Kind.PHYSICAL
    name_ru: bounds.Title = ""
    name_en: bounds.Title = ""
    address: bounds.Address = ""
    district_id: bounds.Id | None = None
    latitude: bounds.Coordinate = ""
    longitude: bounds.Coordinate = ""
    building_id: bounds.Id | None = None


def _coordinate(text: str, field: str, low: int, high: int) -> Decimal | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text).quantize(Decimal("0.000001"))
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite() or not low <= value <= high:
        raise ValidationFailed(
            _("Give a coordinate in Kazakhstan: from %(low)s to %(high)s."),
            field=field,
            params={"low": low, "high": high},
        )
    return value


def _location_fields(data: LocationInput) -> dict[str, Any]:
    _check_bounds(data)
    name = core_services.require_text(data.name_kk, "name_kk", str(_("Name in Kazakh")))
    if data.kind not in Location.Kind.values:
        raise ValidationFailed(_("Unknown kind of location."), field="kind", code=ErrorCode.INVALID_CHOICE)
    region, district = core_services.resolve_region_district(
        data.region_id, data.district_id, region_required=True
    )
    latitude = _coordinate(data.latitude, "latitude", 40, 56)
    longitude = _coordinate(data.longitude, "longitude", 46, 88)
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("Give both the latitude and the longitude, or neither."), field="longitude")
    if data.building_id is not None and not accessibility.object_exists(data.building_id):
        raise ValidationFailed(
            _("There is no such building among the objects of the accessibility map."),
            field="building_id",
            code=ErrorCode.NOT_FOUND,
        )
    if data.kind == Location.Kind.PHYSICAL and not data.address.strip():
        raise ValidationFailed(_("A building needs its address."), field="address", code=ErrorCode.REQUIRED)
    return {
        "kind": data.kind,
        "name_kk": name,
        "name_ru": data.name_ru.strip(),
        "name_en": data.name_en.strip(),
        "address": data.address.strip(),
        "region": region,
        "district": district,
        "latitude": latitude,
        "longitude": longitude,
        "building_id": data.building_id if data.kind == Location.Kind.PHYSICAL else None,
    }


def location_add(*, actor: Actor, provider: Provider, data: LocationInput) -> Location:
    """Record a place where a provider gives services."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_provider(actor, provider)
        location = Location.objects.create(provider=provider, **_location_fields(data))
        audit_record(
            actor,
            "services.location.add",
            object_type="service_location",
            object_id=location.pk,
            organisation_id=provider.organisation_id,
            details={"building": location.building_id},
        )
    return location


def location_update(*, actor: Actor, location: Location, data: LocationInput) -> Location:
    """Change a location (its building's passport among them)."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_provider(actor, location.provider)
        for name, value in _location_fields(data).items():
            setattr(location, name, value)
        location.save()
        directory_reindex_location_in_transaction(location.pk)
        audit_record(
            actor,
            "services.location.update",
            object_type="service_location",
            object_id=location.pk,
            organisation_id=location.provider.organisation_id,
            details={"building": location.building_id},
        )
    return location


# Services -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceInput:
    name_kk: bounds.Title
    name_ru: bounds.Title
    setting_code: bounds.Code
    kind_code: bounds.Code
    name_en: bounds.Title = ""
    description_kk: bounds.Comment = ""
    description_ru: bounds.Comment = ""
    description_en: bounds.Comment = ""
    need_codes: Sequence[str] = ()
    category_codes: Sequence[str] = ()
    minimum_age: int | None = None
    maximum_age: int | None = None
    eligibility_kk: bounds.Remark = ""
    eligibility_ru: bounds.Remark = ""
    eligibility_en: bounds.Remark = ""
    application_kk: bounds.Remark = ""
    application_ru: bounds.Remark = ""
    application_en: bounds.Remark = ""
    schedule_kk: bounds.Title = ""
    schedule_ru: bounds.Title = ""
    schedule_en: bounds.Title = ""
    languages: Sequence[str] = ("kk", "ru")
    free: bool = True
    fee: Decimal | None = None
    fee_note_kk: bounds.Title = ""
    fee_note_ru: bounds.Title = ""
    fee_note_en: bounds.Title = ""
    offer_days: int = 3
    phone: bounds.Phone = ""
    email: bounds.Email = ""
    url: bounds.Website = ""
    location_ids: Sequence[int] = ()


# A person's age in whole years the directory can mean.
MAX_AGE = 120


def _term(taxonomy: str, code: str, field: str) -> CatalogueTerm:
    term = CatalogueTerm.objects.filter(taxonomy=taxonomy, code=code, active=True).first()
    if term is None:
        raise ValidationFailed(
            _("Unknown entry of the catalogue."), field=field, code=ErrorCode.INVALID_CHOICE
        )
    return term


def _service_fields(provider: Provider, data: ServiceInput) -> tuple[dict[str, Any], dict[str, Any]]:
    _check_bounds(data)
    values: dict[str, Any] = {
        "name_kk": core_services.require_text(data.name_kk, "name_kk", str(_("Name in Kazakh"))),
        "name_ru": core_services.require_text(data.name_ru, "name_ru", str(_("Name in Russian"))),
        "setting": _term(CatalogueTerm.Taxonomy.SETTING, data.setting_code, "setting_code"),
        "kind": _term(CatalogueTerm.Taxonomy.TYPE, data.kind_code, "kind_code"),
    }
    for name in (
        "name_en",
        "description_kk",
        "description_ru",
        "description_en",
        "eligibility_kk",
        "eligibility_ru",
        "eligibility_en",
        "application_kk",
        "application_ru",
        "application_en",
        "schedule_kk",
        "schedule_ru",
        "schedule_en",
        "fee_note_kk",
        "fee_note_ru",
        "fee_note_en",
        "phone",
        "email",
        "url",
    ):
        values[name] = str(getattr(data, name) or "").strip()
    for name in ("minimum_age", "maximum_age"):
        age = getattr(data, name)
        if age is not None and not 0 <= age <= MAX_AGE:
            raise ValidationFailed(
                _("Give an age from %(low)s to %(high)s years."),
                field=name,
                params={"low": 0, "high": MAX_AGE},
            )
        values[name] = age
    if data.minimum_age is not None and data.maximum_age is not None and data.maximum_age < data.minimum_age:
        raise ValidationFailed(
            _("The upper age (%(maximum)s) is below the lower one (%(minimum)s)."),
            field="maximum_age",
            code=ServicesErrorCode.ENDS_BEFORE_START,
            params={"maximum": data.maximum_age, "minimum": data.minimum_age},
        )
    languages = [code for code in dict.fromkeys(data.languages) if code]
    if not languages or any(code not in LANGUAGES for code in languages):
        raise ValidationFailed(
            _("Choose the languages the service is given in."),
            field="languages",
            code=ErrorCode.INVALID_CHOICE,
        )
    values["languages"] = ",".join(languages)
    if data.free:
        values["free"], values["fee"] = True, None
    else:
        if data.fee is None:
            raise ValidationFailed(
                _("Give the fee, or mark the service free."), field="fee", code=ErrorCode.REQUIRED
            )
        try:
            values["fee"] = bounds.clean(bounds.Money, Decimal(data.fee))
        except bounds.BoundError as exc:
            raise ValidationFailed(exc.message, field="fee", params=exc.params) from None
        values["free"] = False
    if not 1 <= data.offer_days <= 30:
        raise ValidationFailed(
            _("Give from %(low)s to %(high)s days to accept an offer."),
            field="offer_days",
            params={"low": 1, "high": 30},
        )
    values["offer_days"] = data.offer_days
    needs = list(
        CatalogueTerm.objects.filter(taxonomy=CatalogueTerm.Taxonomy.NEED, code__in=list(data.need_codes))
    )
    if len(needs) != len(set(data.need_codes)):
        raise ValidationFailed(
            _("Unknown entry of the catalogue."), field="need_codes", code=ErrorCode.INVALID_CHOICE
        )
    categories = list(VulnerabilityCategory.objects.filter(code__in=list(data.category_codes)))
    if len(categories) != len(set(data.category_codes)):
        raise ValidationFailed(
            _("Unknown category of people."), field="category_codes", code=ErrorCode.INVALID_CHOICE
        )
    locations = list(Location.objects.filter(provider=provider, pk__in=list(data.location_ids)))
    if len(locations) != len(set(data.location_ids)):
        # Another provider's location answers as one that does not exist.
        raise NotFound(_("There is no such location of the provider."), field="location_ids")
    return values, {"needs": needs, "categories": categories, "locations": locations}


def _service_relations(service: Service, relations: dict[str, Any]) -> None:
    service.needs.set(relations["needs"])
    service.categories.set(relations["categories"])
    wanted = {location.pk for location in relations["locations"]}
    ServiceAtLocation.objects.filter(service=service).exclude(location_id__in=wanted).delete()
    have = set(ServiceAtLocation.objects.filter(service=service).values_list("location_id", flat=True))
    ServiceAtLocation.objects.bulk_create(
        [ServiceAtLocation(service=service, location_id=pk) for pk in sorted(wanted - have)]
    )
    directory_reindex_in_transaction([service.pk])


def service_add(*, actor: Actor, provider: Provider, data: ServiceInput) -> Service:
    """Add a service of a provider, active at once (it shows in the public directory)."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_provider(actor, provider)
        values, relations = _service_fields(provider, data)
        try:
            with transaction.atomic():
                service = Service.objects.create(provider=provider, **values)
        except IntegrityError:
            raise ValidationFailed(_("The service's fields do not fit together."), field="name_kk") from None
        _service_relations(service, relations)
        audit_record(
            actor,
            "services.service.add",
            object_type="service",
            object_id=service.pk,
            organisation_id=provider.organisation_id,
        )
    return service


def service_update(*, actor: Actor, service: Service, expected_version: int, data: ServiceInput) -> Service:
    """Change a service; refused if someone saved it since `expected_version`."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_provider(actor, service.provider)
        values, relations = _service_fields(service.provider, data)
        core_services.save_versioned(service, expected_version, values)
        _service_relations(service, relations)
        audit_record(
            actor,
            "services.service.update",
            object_type="service",
            object_id=service.pk,
            organisation_id=service.provider.organisation_id,
        )
    return service


def service_set_status(*, actor: Actor, service: Service, status: str) -> Service:
    """Give a service again, pause it, or end it (the public directory lists active ones)."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_provider(actor, service.provider)
        if status not in Service.Status.values:
            raise ValidationFailed(
                _("Unknown status of a service."), field="status", code=ErrorCode.INVALID_CHOICE
            )
        Service.objects.filter(pk=service.pk).update(status=status, updated_at=timezone.now())
        service.status = status
        directory_reindex_in_transaction([service.pk])
        audit_record(
            actor,
            "services.service.set_status",
            object_type="service",
            object_id=service.pk,
            organisation_id=service.provider.organisation_id,
            details={"status": status},
        )
    return service


@dataclass(frozen=True)
class DocumentInput:
    name_kk: bounds.Title
    name_ru: bounds.Title
    name_en: bounds.Title = ""


def document_add(*, actor: Actor, service: Service, data: DocumentInput) -> RequiredDocument:
    """Add a document a person brings to apply ("what do I need to bring")."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_provider(actor, service.provider)
        _check_bounds(data)
        name_kk = core_services.require_text(data.name_kk, "name_kk", str(_("Name in Kazakh")))
        name_ru = core_services.require_text(data.name_ru, "name_ru", str(_("Name in Russian")))
        last = service.documents.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
        document = RequiredDocument.objects.create(
            service=service,
            name_kk=name_kk,
            name_ru=name_ru,
            name_en=data.name_en.strip(),
            sort_order=last + 10,
        )
        Service.objects.filter(pk=service.pk).update(updated_at=timezone.now())
        audit_record(
            actor,
            "services.document.add",
            object_type="service",
            object_id=service.pk,
            organisation_id=service.provider.organisation_id,
        )
    return document


def document_remove(*, actor: Actor, document: RequiredDocument) -> None:
    """Remove a document from a service's list."""
    with transaction.atomic(durable=True):
        service = document.service
        policy.check_may_manage_provider(actor, service.provider)
        document.delete()
        Service.objects.filter(pk=service.pk).update(updated_at=timezone.now())
        audit_record(
            actor,
            "services.document.remove",
            object_type="service",
            object_id=service.pk,
            organisation_id=service.provider.organisation_id,
        )


@dataclass(frozen=True)
class TierInput:
    name_kk: bounds.Label
    name_ru: bounds.Label
    name_en: bounds.Label = ""
    under_age_months: int | None = None
    category_code: bounds.Code = ""


def priority_tiers_publish(
    *, actor: Actor, service: Service, tiers: Sequence[TierInput]
) -> list[PriorityTier]:
    """Publish a service's priority tiers (in rank order, replacing the previous ones) and
    admit by them; no tiers: first come, first served. The change is audited with the
    tiers' conditions, so a wait list replayed from the audit orders as the live one."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_provider(actor, service.provider)
        made: list[PriorityTier] = []
        today = timezone.localdate()
        rows: list[dict[str, Any]] = []
        for rank, tier in enumerate(tiers, start=1):
            _check_bounds(tier)
            field = f"tiers.{rank}"
            name_kk = core_services.require_text(tier.name_kk, field, str(_("Name in Kazakh")))
            name_ru = core_services.require_text(tier.name_ru, field, str(_("Name in Russian")))
            category = None
            if tier.category_code:
                category = VulnerabilityCategory.objects.filter(code=tier.category_code).first()
                if category is None:
                    raise ValidationFailed(
                        _("Unknown category of people."), field=field, code=ErrorCode.INVALID_CHOICE
                    )
            if tier.under_age_months is not None and not 1 <= tier.under_age_months <= MAX_AGE * 12:
                raise ValidationFailed(
                    _("Give an age from %(low)s to %(high)s months."),
                    field=field,
                    params={"low": 1, "high": MAX_AGE * 12},
                )
            if tier.under_age_months is None and category is None:
                raise ValidationFailed(
                    _("A priority tier needs a condition: an age, a category of people, or both."),
                    field=field,
                    code=ErrorCode.REQUIRED,
                )
            made.append(
                PriorityTier(
                    service=service,
                    rank=rank,
                    name_kk=name_kk,
                    name_ru=name_ru,
                    name_en=tier.name_en.strip(),
                    under_age_months=tier.under_age_months,
                    category=category,
                    published_on=today,
                )
            )
            rows.append(
                {"rank": rank, "under_age_months": tier.under_age_months, "category": tier.category_code}
            )
        PriorityTier.objects.filter(service=service).delete()
        PriorityTier.objects.bulk_create(made)
        admission = Service.Admission.PRIORITY_TIERS if made else Service.Admission.FIRST_COME
        Service.objects.filter(pk=service.pk).update(admission=admission, updated_at=timezone.now())
        service.admission = admission
        audit_record(
            actor,
            "services.priority_tiers.publish",
            object_type="service",
            object_id=service.pk,
            organisation_id=service.provider.organisation_id,
            details={"tiers": rows},
        )
    return made
