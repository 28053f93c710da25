"""Who may see and do what in social services: each rule once, as a query for lists beside
a check for one record, with its refusal beside it. Only this module asks
`qoldau.core.access.user_scope` in the services app.

The roles, in the words of the rules below:

- a provider's staff (the NGO staff and administrators of the provider's organisation)
  keep its services, capacity, enrolments, wait list and workers, and answer the
  referrals it receives; its administrators also keep its permits and are told of
  referrals left unanswered;
- the staff of any organisation that serves people refer the people they serve (with the
  person's consent) and see their referrals' status and outcome, never the receiving
  provider's notes;
- an akimat officer oversees the providers of their region (network, capacity against
  demand, permits expiring, unanswered referrals); the ministry reads the whole country's;
- a system administrator does everything and keeps the catalogue;
- anyone, signed in or not, reads the public directory (active services of providers)
  and, with a reference and a birth date, their own place on a wait list.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.access import Actor, user_scope
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.models import Person, Place, Role
from qoldau.services.models import Provider, Referral, Service, Worker


def providers_managed_by(user: Actor) -> QuerySet[Provider]:
    """The providers whose services, places and referrals received the user keeps."""
    scope = user_scope(user)
    if scope.system_admin:
        return Provider.objects.all()
    return Provider.objects.filter(organisation_id__in=scope.organisation_ids)


def may_manage_provider(user: Actor, provider: Provider) -> bool:
    scope = user_scope(user)
    return scope.system_admin or provider.organisation_id in scope.organisation_ids


def check_may_manage_provider(user: Actor, provider: Provider) -> None:
    if not may_manage_provider(user, provider):
        raise PermissionDenied(_("Only the provider's staff may do this."))


def providers_administered_by(user: Actor) -> QuerySet[Provider]:
    """The providers whose permits the user keeps and whose escalations they receive."""
    scope = user_scope(user)
    if scope.system_admin:
        return Provider.objects.all()
    return Provider.objects.filter(organisation_id__in=scope.admin_organisation_ids)


def may_administer_provider(user: Actor, provider: Provider) -> bool:
    return user_scope(user).may_administer(provider.organisation_id)


def check_may_administer_provider(user: Actor, provider: Provider) -> None:
    if not may_administer_provider(user, provider):
        raise PermissionDenied(_("Only the provider's administrators may do this."))


def providers_overseen_by(user: Actor) -> QuerySet[Provider]:
    """The providers whose network an officer oversees: the akimat's region, the whole
    country for the ministry and system administrators."""
    scope = user_scope(user)
    if scope.sees_all_organisations:
        return Provider.objects.all()
    return Provider.objects.filter(Q(organisation__region_id__in=scope.region_ids))


def may_oversee_provider(user: Actor, provider: Provider) -> bool:
    scope = user_scope(user)
    return scope.sees_all_organisations or provider.organisation.region_id in scope.region_ids


def may_keep_catalogue(user: Actor) -> bool:
    return user_scope(user).system_admin


# Referrals, places and wait lists ------------------------------------------------------


def referrals_sent_visible(user: Actor) -> QuerySet[Referral]:
    """Referrals the user's organisations sent: their staff see the status and the
    outcome (never the receiving provider's notes, which `may_read_receiver_notes` keeps)."""
    scope = user_scope(user)
    if scope.system_admin:
        return Referral.objects.all()
    return Referral.objects.filter(from_organisation_id__in=scope.organisation_ids)


def referrals_received_visible(user: Actor) -> QuerySet[Referral]:
    """Referrals to the services of the providers the user keeps, which they answer."""
    scope = user_scope(user)
    if scope.system_admin:
        return Referral.objects.all()
    return Referral.objects.filter(service__provider__organisation_id__in=scope.organisation_ids)


def referrals_visible(user: Actor) -> QuerySet[Referral]:
    """Referrals sent or received by the user's organisations."""
    scope = user_scope(user)
    if scope.system_admin:
        return Referral.objects.all()
    return Referral.objects.filter(
        Q(from_organisation_id__in=scope.organisation_ids)
        | Q(service__provider__organisation_id__in=scope.organisation_ids)
    )


def may_see_referral(user: Actor, referral: Referral) -> bool:
    scope = user_scope(user)
    return (
        scope.system_admin
        or referral.from_organisation_id in scope.organisation_ids
        or referral.service.provider.organisation_id in scope.organisation_ids
    )


def referral_not_found() -> NotFound:
    """The one answer for a referral that does not exist and one the user may not see."""
    return NotFound(_("There is no such referral among your organisation's referrals."))


def check_may_see_referral(user: Actor, referral: Referral | None) -> None:
    if referral is None or not may_see_referral(user, referral):
        raise referral_not_found()


def may_answer_referral(user: Actor, referral: Referral) -> bool:
    """The receiving provider's staff answer a referral and keep its notes."""
    return may_manage_provider(user, referral.service.provider)


def check_may_answer_referral(user: Actor, referral: Referral) -> None:
    if not may_answer_referral(user, referral):
        raise PermissionDenied(_("Only the staff of the provider that received the referral may answer it."))


def may_read_receiver_notes(user: Actor, referral: Referral) -> bool:
    """Only the receiving provider reads its notes: the referring organisation never does."""
    return may_answer_referral(user, referral)


def may_cancel_referral(user: Actor, referral: Referral) -> bool:
    """The referring organisation's staff withdraw a referral they sent."""
    return user_scope(user).may_work_for(referral.from_organisation_id)


def check_may_cancel_referral(user: Actor, referral: Referral) -> None:
    if not may_cancel_referral(user, referral):
        raise PermissionDenied(_("Only the organisation that sent the referral may cancel it."))


def check_may_refer(user: Actor, person: Person) -> None:
    """Staff of any organisation refer the people they serve (core's `people_visible`);
    a person they do not serve is not found, the same as one who does not exist."""
    core_policy.check_may_see_person(user, person)


def services_managed_by(user: Actor) -> QuerySet[Service]:
    """The services whose places, enrolments and wait list the user keeps."""
    return Service.objects.filter(provider__in=providers_managed_by(user))


def service_not_found() -> NotFound:
    return NotFound(_("There is no such service among your organisation's services."))


def check_may_manage_service(user: Actor, service: Service | None) -> None:
    """Not found for another provider's service, the same as for none."""
    if service is None or not may_manage_provider(user, service.provider):
        raise service_not_found()


def may_oversee_network(user: Actor) -> bool:
    """Akimat officers (their region), the ministry and system administrators read the
    network's places, wait lists and unanswered referrals."""
    scope = user_scope(user)
    return scope.sees_all_organisations or bool(scope.region_ids)


def check_may_oversee_network(user: Actor) -> None:
    if not may_oversee_network(user):
        raise PermissionDenied(_("Only akimat and ministry officers see the network of social services."))


def regions_overseen_by(user: Actor) -> QuerySet[Place]:
    scope = user_scope(user)
    regions = Place.objects.filter(level=Place.Level.REGION)
    if scope.sees_all_organisations:
        return regions
    return regions.filter(pk__in=scope.region_ids)


def may_plan_centres(user: Actor, region_id: int, provider: Provider | None) -> bool:
    """A region's akimat (or the ministry, a system administrator) records its planned
    centres; a provider's administrators record their own."""
    scope = user_scope(user)
    if scope.sees_all_organisations or region_id in scope.region_ids:
        return True
    return provider is not None and may_administer_provider(user, provider)


def check_may_plan_centres(user: Actor, region_id: int, provider: Provider | None) -> None:
    if not may_plan_centres(user, region_id, provider):
        raise PermissionDenied(
            _("Only the region's akimat or the provider's administrators may plan centres.")
        )


# The directory
# (Its imports stand here, not at the top, so that the areas of the app edit apart.)

from qoldau.core.models import Organisation  # noqa: E402


def may_register_provider(user: Actor, organisation_id: int) -> bool:
    """An organisation becomes a provider by its administrators' (or a system
    administrator's) hand."""
    return user_scope(user).may_administer(organisation_id)


def check_may_register_provider(user: Actor, organisation_id: int) -> None:
    if not may_register_provider(user, organisation_id):
        raise PermissionDenied(_("Only the organisation's administrators may register it as a provider."))


def check_may_keep_catalogue(user: Actor) -> None:
    if not may_keep_catalogue(user):
        raise PermissionDenied(_("Only a system administrator may edit the catalogue."))


def services_public() -> QuerySet[Service]:
    """What anyone reads in the public directory and the HSDS API: the active services of
    providers (a service not given for now, or no longer, is not listed)."""
    return Service.objects.filter(status=Service.Status.ACTIVE)


def providers_public() -> QuerySet[Provider]:
    """The providers the public directory shows: those with an active service."""
    return Provider.objects.filter(pk__in=services_public().values("provider_id"))


def is_public_service(service: Service) -> bool:
    return service.status == Service.Status.ACTIVE


def provider_administrators(provider: Provider) -> QuerySet[User]:
    """Who is told of a provider's referrals left unanswered and of its permits expiring:
    its organisation's administrators (active accounts)."""
    return User.objects.filter(
        is_active=True,
        role_assignments__role=Role.NGO_ADMIN,
        role_assignments__organisation_id=provider.organisation_id,
    ).distinct()


def organisations_registrable_by(user: Actor) -> QuerySet[Organisation]:
    """The organisations the user may register as providers, not providers yet."""
    scope = user_scope(user)
    organisations = Organisation.objects.filter(provider__isnull=True)
    if scope.system_admin:
        return organisations
    return organisations.filter(pk__in=scope.admin_organisation_ids)


# The figures


def providers_counted_for(user: Actor | None) -> QuerySet[Provider]:
    """The providers whose figures (places, referrals, wait lists, recipients, workforce)
    a user reads: the public (no user) and the ministry the whole country's, which a public
    page shows hidden and rounded; an akimat officer their region's; a provider's staff
    their own providers'. Nobody else's: a signed-in user without a role counts nothing."""
    counted = None if user is None else user_scope(user).organisations_counted()
    return Provider.objects.all() if counted is None else Provider.objects.filter(counted)


def may_count_provider(user: Actor | None, provider: Provider) -> bool:
    return providers_counted_for(user).filter(pk=provider.pk).exists()


# The workforce


def workers_kept_by(user: Actor) -> QuerySet[Worker]:
    """The workers whose records (names, positions, trainings) the user keeps and sees:
    their providers' staff's. Nobody else sees a worker's name: the akimat and the public
    read counts only (`providers_counted_for`)."""
    return Worker.objects.filter(provider__in=providers_managed_by(user))


def may_keep_workers(user: Actor, provider: Provider) -> bool:
    return may_manage_provider(user, provider)


def check_may_keep_workers(user: Actor, provider: Provider) -> None:
    if not may_keep_workers(user, provider):
        raise PermissionDenied(_("Only the provider's staff may keep its workers."))


def may_keep_workforce_terms(user: Actor) -> bool:
    """The bonus of social workers and the training targets are kept by the system's
    administrators, from the decisions that set them."""
    return user_scope(user).system_admin


def check_may_keep_workforce_terms(user: Actor) -> None:
    if not may_keep_workforce_terms(user):
        raise PermissionDenied(_("Only a system administrator may keep the bonus and the training targets."))
