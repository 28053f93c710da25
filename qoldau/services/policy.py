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
from qoldau.services.models import Provider, Worker


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


# The figures


def providers_counted_for(user: Actor | None) -> QuerySet[Provider]:
    """The providers whose figures (places, referrals, wait lists, recipients, workforce)
    a user reads: the public (no user) and the ministry the whole country's, which a public
    page shows hidden and rounded; an akimat officer their region's; a provider's staff
    their own providers'. Nobody else's: a signed-in user without a role counts nothing."""
    if user is None:
        return Provider.objects.all()
    scope = user_scope(user)
    if scope.sees_all_organisations:
        return Provider.objects.all()
    return Provider.objects.filter(
        Q(organisation__region_id__in=scope.region_ids) | Q(organisation_id__in=scope.organisation_ids)
    )


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
