"""Two consultants take the same conversation at the same moment: exactly one owns it, the
other is told another consultant answers it. Each thread has its own database connection;
PostgreSQL serialises them on the row lock (SELECT … FOR UPDATE) and the UPDATE taken only
while the conversation still waits; SQLite on its write lock (IMMEDIATE transactions).

On SQLite the test database is in memory with a shared cache, where a second writer is told
"database table is locked" at once instead of waiting out the busy timeout; the thread then
starts its take again, which is what the timeout does (the failed attempt rolled back)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection
from django.utils import translation

from qoldau.consult import services
from qoldau.consult.models import Conversation
from qoldau.consult.tests.factories import consultant, waiting_conversation
from qoldau.core.errors import ApplicationError
from qoldau.core.models import AuditEntry
from qoldau.core.tests import factories

pytestmark = pytest.mark.usefixtures("reference_data")

TAKERS = 4


def _locked_in_shared_cache(error: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(error)


@pytest.mark.django_db(transaction=True)
def test_consultants_taking_at_once_leave_exactly_one_owner():
    org = factories.organisation()
    takers = [consultant(f"taker{i}", org) for i in range(TAKERS)]
    conversation_id = waiting_conversation().pk
    start = threading.Barrier(TAKERS)
    outcomes: dict[str, str] = {}
    lock = threading.Lock()

    def take(user) -> None:
        try:
            # Each read the conversation while it waited, as each page did.
            conversation = Conversation.objects.get(pk=conversation_id)
            start.wait(timeout=30)
            for _attempt in range(2000):
                try:
                    services.conversation_take(actor=user, conversation=conversation)
                    break
                except OperationalError as error:
                    if not _locked_in_shared_cache(error):
                        raise
                    time.sleep(0.005)
            else:
                raise AssertionError("the write lock was never free")
            outcome = "owner"
        except ApplicationError as error:
            with translation.override("en"):
                outcome = f"{error.code}: {error.render()}"
        except Exception as error:  # reported by the assertion below, never swallowed
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes[user.username] = outcome

    threads = [threading.Thread(target=take, args=(user,)) for user in takers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    owners = [name for name, outcome in outcomes.items() if outcome == "owner"]
    assert len(owners) == 1, outcomes
    refused = sorted(outcome for outcome in outcomes.values() if outcome != "owner")
    assert refused == ["taken: Another consultant is already answering this conversation."] * (TAKERS - 1)
    conversation = Conversation.objects.get(pk=conversation_id)
    assert conversation.consultant is not None
    assert conversation.consultant.username == owners[0]
    assert AuditEntry.objects.filter(action="consultation.take").count() == 1
