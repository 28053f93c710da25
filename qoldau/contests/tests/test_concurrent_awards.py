"""Awards made at the same moment never overspend a call: several operators' threads, each
on its own database connection, award different applications of one call whose budget fits
only some of them. PostgreSQL serialises them on the call's row lock (SELECT … FOR UPDATE);
SQLite on its write lock (the settings open IMMEDIATE transactions).

On SQLite the test database is in memory with a shared cache, where a second writer is told
"database table is locked" at once instead of waiting out the busy timeout as it does on the
real (file) database. There the thread starts its award again, which is what the timeout
does: the failed attempt was rolled back whole."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from qoldau.contests import services
from qoldau.contests.grants import mci_on
from qoldau.contests.models import Application, GrantAward
from qoldau.contests.tests import factories as f
from qoldau.core.errors import ApplicationError
from qoldau.core.models import AuditEntry

# Reloads the reference data (regions, the monthly calculation index) that a flush removed.
pytestmark = pytest.mark.usefixtures("reference_data")

THREADS = 8
FITS = 3


def _locked_in_shared_cache(error: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(error)


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_never_overspend_the_call():
    amount = mci_on(timezone.localdate() - dt.timedelta(days=3)) * 600
    budget = amount * FITS + amount / 2  # room for three awards and half of a fourth
    minister = f.ministry()
    call = f.grant_call(actor=minister, budget=budget)
    commission = services.commission_create(actor=minister, level="grant", call=call)
    board = f.panel(commission, minister, members=0)
    applications = [
        f.eligible(f.grant_application(call, amount=amount), board.secretary) for _ in range(THREADS)
    ]
    for application in applications:
        f.score_all(board, application, [7, 7])
    services.commission_approve(actor=board.chair, commission=commission)
    ids = [a.pk for a in applications]

    start = threading.Barrier(THREADS)
    outcomes: dict[int, str] = {}
    lock = threading.Lock()

    def award(application_id: int) -> None:
        retried = False
        try:
            application = Application.objects.get(pk=application_id)
            start.wait(timeout=30)
            for _attempt in range(2000):
                try:
                    services.grant_award(actor=minister, application=application, amount=amount)
                    break
                except OperationalError as error:
                    if not _locked_in_shared_cache(error):
                        raise
                    retried = True
                    time.sleep(0.005)
            else:
                raise AssertionError("the write lock was never free")
            outcome = "awarded"
        except ApplicationError as error:
            outcome = error.code
            # Each thread awards its own application: if a retried award finds it awarded,
            # its earlier attempt committed and only the mail's after-commit bookkeeping met
            # the lock.
            if retried and outcome == "already_awarded":
                outcome = "awarded"
        except Exception as error:  # reported, never swallowed: the assertion below shows it
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes[application_id] = outcome

    threads = [threading.Thread(target=award, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    results = sorted(outcomes.values())
    assert results == ["awarded"] * FITS + ["over_budget"] * (THREADS - FITS), outcomes
    awarded = list(GrantAward.objects.filter(call=call).values_list("application_id", "amount"))
    assert len(awarded) == FITS
    assert sum(a for _pk, a in awarded) <= budget
    assert {pk for pk, _a in awarded} == {pk for pk, outcome in outcomes.items() if outcome == "awarded"}
    assert AuditEntry.objects.filter(action="grant.award").count() == FITS
