"""Who may see and do what in interpreting: each rule once, as a query beside a check.

- a citizen signed in with their own account calls an interpreter, leaves a message and
  books for themselves, for their own record that holds an entitlement the service's staff
  confirmed; they see their own calls, sessions and bookings, nobody else's;
- an interpreter (a user holding the interpreter role at the service's organisation, with
  an `Interpreter` record there) switches their own state, accepts or declines the calls
  offered to them, and sees their own sessions and bookings. The role gives them none of
  the organisation's people: no list, no record, only the person of a session or booking
  they serve;
- a dispatcher (an interpreter marked so, or an administrator of the organisation) sees the
  service's live queue, interpreters, sessions and missed calls, grants overrides on a zero
  balance and books for people;
- the organisation's staff (those who work for it) confirm people's entitlements and book
  for the people they serve; a system administrator does everything.

Whoever may not see a record is answered as if it were not there.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.access import Actor, user_scope
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.models import CitizenRecord, Person, Role, RoleAssignment
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import (
    Booking,
    Call,
    Entitlement,
    Interpreter,
    InterpretingService,
    Offer,
    Session,
)

# Refusals ------------------------------------------------------------------------------


def call_not_found() -> NotFound:
    return NotFound(_("There is no such call, or it is not yours."))


def session_not_found() -> NotFound:
    return NotFound(_("There is no such session, or it is not yours."))


def offer_not_found() -> NotFound:
    return NotFound(_("There is no such offer, or it was not made to you."))


def booking_not_found() -> NotFound:
    return NotFound(_("There is no such booking, or it is outside your scope."))


def callback_not_found() -> NotFound:
    return NotFound(_("There is no such message, or it is outside your scope."))


def service_not_found() -> NotFound:
    return NotFound(_("There is no such interpreting service, or it is outside your scope."))


def no_entitlement() -> PermissionDenied:
    return PermissionDenied(
        _(
            "You have no confirmed interpreting hours yet. Ask the interpreting service's staff "
            "to confirm your entitlement (bring your ИПАР)."
        ),
        code=InterpretingErrorCode.NO_ENTITLEMENT,
    )


# Citizens ----------------------------------------------------------------------------


def entitlements_of_citizen(user: Actor) -> QuerySet[Entitlement]:
    """The entitlements of the records a citizen made of themselves (with the service's
    organisation, their consent holding)."""
    return Entitlement.objects.filter(
        person__in=core_policy.people_of_citizen(user), person__organisation_id=F("service__organisation_id")
    )


def own_entitlement(user: Actor) -> Entitlement | None:
    return (
        entitlements_of_citizen(user)
        .select_related("service__organisation", "service__project", "person")
        .order_by("pk")
        .first()
    )


def check_own_entitlement(user: Actor) -> Entitlement:
    """The citizen's entitlement, or the refusal of someone who has none (staff included)."""
    core_policy.check_is_citizen(user)
    entitlement = own_entitlement(user)
    if entitlement is None:
        raise no_entitlement()
    return entitlement


def calls_of_citizen(user: Actor) -> QuerySet[Call]:
    account = core_policy.citizen_account_of(user)
    if account is None:
        return Call.objects.none()
    return Call.objects.filter(caller_id=user.pk, person__in=core_policy.people_of_citizen(user))


def bookings_of_citizen(user: Actor) -> QuerySet[Booking]:
    return Booking.objects.filter(person__in=core_policy.people_of_citizen(user))


# Interpreters --------------------------------------------------------------------------


def interpreters_of_user(user: Actor) -> QuerySet[Interpreter]:
    """The user's own interpreter records, where they still hold the interpreter role at
    the service's organisation (a staff role there does not make one an interpreter)."""
    if not user.is_authenticated:
        return Interpreter.objects.none()
    scope = user_scope(user)
    return Interpreter.objects.filter(
        user_id=user.pk, service__organisation_id__in=scope.interpreter_organisation_ids
    )


def own_interpreter(user: Actor) -> Interpreter | None:
    return interpreters_of_user(user).select_related("service").order_by("pk").first()


def check_own_interpreter(user: Actor) -> Interpreter:
    interpreter = own_interpreter(user)
    if interpreter is None:
        raise PermissionDenied(
            _("Only the service's interpreters can do this."), code=InterpretingErrorCode.NOT_AN_INTERPRETER
        )
    return interpreter


def offers_of_interpreter(user: Actor) -> QuerySet[Offer]:
    return Offer.objects.filter(interpreter__in=interpreters_of_user(user))


def check_own_offer(user: Actor, offer: Offer | None) -> Offer:
    if offer is None or not interpreters_of_user(user).filter(pk=offer.interpreter_id).exists():
        raise offer_not_found()
    return offer


# Dispatchers and staff -----------------------------------------------------------------


def _dispatcher_organisation_ids(user: Actor) -> frozenset[int]:
    """The organisations where an interpreter marked dispatcher still works: as its
    interpreter, or on its staff."""
    scope = user_scope(user)
    return scope.interpreter_organisation_ids | scope.organisation_ids


def services_dispatched(user: Actor) -> QuerySet[InterpretingService]:
    """The services whose console a user sees: as one of its dispatchers, an administrator
    of its organisation, or a system administrator."""
    scope = user_scope(user)
    if scope.system_admin:
        return InterpretingService.objects.all()
    return InterpretingService.objects.filter(
        Q(organisation_id__in=scope.admin_organisation_ids)
        | Q(
            organisation_id__in=_dispatcher_organisation_ids(user),
            interpreters__user_id=user.pk,
            interpreters__is_dispatcher=True,
        )
    ).distinct()


def may_dispatch(user: Actor, service: InterpretingService) -> bool:
    """The check form of `services_dispatched`."""
    scope = user_scope(user)
    if scope.system_admin or service.organisation_id in scope.admin_organisation_ids:
        return True
    return (
        service.organisation_id in _dispatcher_organisation_ids(user)
        and Interpreter.objects.filter(service=service, user_id=user.pk or 0, is_dispatcher=True).exists()
    )


def check_may_dispatch(user: Actor, service: InterpretingService | None) -> InterpretingService:
    if service is None or not may_dispatch(user, service):
        raise service_not_found()
    return service


def services_staffed(user: Actor) -> QuerySet[InterpretingService]:
    """The services a user works for (confirms entitlements, books for people there)."""
    return InterpretingService.objects.filter(core_policy.worked_for_q(user, "organisation_id"))


def may_staff(user: Actor, service: InterpretingService) -> bool:
    return user_scope(user).may_work_for(service.organisation_id)


def check_may_staff(user: Actor, service: InterpretingService | None) -> InterpretingService:
    if service is None or not may_staff(user, service):
        raise service_not_found()
    return service


def people_served(user: Actor, service: InterpretingService) -> QuerySet[Person]:
    """The people a service's staff member confirms hours for and books for: the
    organisation's records whose consent holds."""
    return core_policy.people_visible(user).filter(organisation_id=service.organisation_id)


# Sessions and bookings -----------------------------------------------------------------


def sessions_visible(user: Actor) -> QuerySet[Session]:
    """A session is seen by its person (through their account), its interpreter, and the
    service's dispatchers."""
    return Session.objects.filter(
        Q(person__in=core_policy.people_of_citizen(user))
        | Q(interpreter__in=interpreters_of_user(user))
        | Q(call__service__in=services_dispatched(user))
    )


def check_may_see_session(user: Actor, session: Session | None) -> Session:
    if session is None or not sessions_visible(user).filter(pk=session.pk).exists():
        raise session_not_found()
    return session


def bookings_visible(user: Actor) -> QuerySet[Booking]:
    return Booking.objects.filter(
        Q(person__in=core_policy.people_of_citizen(user))
        | Q(interpreter__in=interpreters_of_user(user))
        | Q(service__in=services_staffed(user))
    )


def check_may_see_booking(user: Actor, booking: Booking | None) -> Booking:
    if booking is None or not bookings_visible(user).filter(pk=booking.pk).exists():
        raise booking_not_found()
    return booking


# Helpers of the rules above ---------------------------------------------------------------


def person_not_served() -> NotFound:
    return NotFound(_("The person is not among the people your organisation serves."), field="person")


def check_may_administer(user: Actor, service: InterpretingService | None) -> InterpretingService:
    """The organisation's administrators manage its interpreters."""
    if service is None or not user_scope(user).may_administer(service.organisation_id):
        raise service_not_found()
    return service


def interprets_for_service(user_id: int, service: InterpretingService) -> bool:
    """Whether a user holds the interpreter role at the service's organisation: only such
    a user is made one of its interpreters."""
    return RoleAssignment.objects.filter(
        user_id=user_id, organisation_id=service.organisation_id, role=Role.INTERPRETER
    ).exists()


def is_own_person(user: Actor, person_id: int) -> bool:
    """Whether the person is a record the citizen made of themselves (`people_of_citizen`)."""
    return core_policy.people_of_citizen(user).filter(pk=person_id).exists()


def citizen_user_of(person_id: int) -> User | None:
    """The account user of a person's own record, to remind them (no one for a person
    registered by staff only)."""
    record = CitizenRecord.objects.filter(person_id=person_id).select_related("account__user").first()
    return record.account.user if record is not None else None


# Figures (the dashboard) --------------------------------------------------------------------


def services_counted_for(user: Actor | None) -> QuerySet[InterpretingService]:
    """The services whose aggregate figures a reader counts: every one for the public (the
    figures are hidden and rounded for it), the ministry and system administrators; their
    region's for an akimat officer; their own organisation's for its staff. An
    interpreter's role counts none."""
    counted = None if user is None else user_scope(user).organisations_counted()
    return (
        InterpretingService.objects.all() if counted is None else InterpretingService.objects.filter(counted)
    )
