"""Which transaction a service writes in (CONTRIBUTING.md, "Where code goes").

A public service is the outermost transaction: it opens `transaction.atomic(durable=True)`,
so calling it inside another transaction fails at once (RuntimeError) instead of
committing with, or rolling back with, writes it knows nothing of. Where a caller must
hold several services in one transaction of its own (a page that saves a passport and its
photos together, the demo, Django's admin), the service has a variant named
`<service>_in_transaction` that joins the caller's transaction, and the public service is
that variant inside its durable block. The variant begins with `check_in_transaction()`.
`core/tests/test_durable_services.py` checks every services module.
"""

from __future__ import annotations

from django.db import transaction


def check_in_transaction() -> None:
    """Refuse to run a `..._in_transaction` service outside a transaction: it joins its
    caller's, and without one its writes would be committed one statement at a time."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "A service named ..._in_transaction joins its caller's transaction: call it inside "
            "transaction.atomic(), or call the service without _in_transaction, which opens its own."
        )
