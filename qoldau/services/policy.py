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

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import Actor, user_scope
from qoldau.core.errors import PermissionDenied
from qoldau.services.models import Provider


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


# The directory
# (Its imports stand here, not at the top, so that the areas of the app edit apart.)

from django.contrib.auth.models import User  # noqa: E402

from qoldau.core.models import Organisation, Role  # noqa: E402
from qoldau.services.models import Service  # noqa: E402


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
    """Who is told of a provider's permits expiring: its organisation's administrators
    (active accounts)."""
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
