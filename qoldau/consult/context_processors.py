"""What the header shows of consultations: the number of conversations waiting in the
user's queue, beside the menu's "Consultations" (consultants and system administrators)."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from qoldau.consult import policy, selectors
from qoldau.core.access import Actor


class WaitingCount:
    """Counted when a page's header reads `count`, once: a page that does not show the
    menu, or a user without a queue, costs no query."""

    def __init__(self, user: Actor) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        if not policy.may_see_consultation_queue(self.user):
            return 0
        return selectors.consultations_waiting_count(self.user)


def consultations_waiting(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"consultations_waiting": WaitingCount(user)}
