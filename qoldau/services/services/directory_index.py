"""The public directory's search index kept in step with the services: every write that
changes what a service is found by (its names, terms, categories, locations, status, a
location's region or district) rebuilds that service's keys in the write's transaction. No
audit row: the index repeats what the audited write already recorded."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch

from qoldau.core.transactions import check_in_transaction
from qoldau.services import policy
from qoldau.services.models import DirectoryKey, Service, ServiceAtLocation
from qoldau.services.search_keys import keys_of_service

# Services read per round trip (SQLite allows some 32,000 parameters a query).
CHUNK = 2_000
BATCH = 5_000


def directory_reindex_in_transaction(service_ids: Iterable[int]) -> int:
    """Rebuild these services' search keys in the caller's transaction: a public service
    gets its keys, any other none. Returns how many keys were written."""
    check_in_transaction()
    ids = sorted(set(service_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        DirectoryKey.objects.filter(service_id__in=chunk).delete()
        services = (
            policy.services_public()
            .filter(pk__in=chunk)
            .only("pk", "name_kk", "name_ru", "name_en", "setting_id", "kind_id")
            .prefetch_related(
                "needs",
                "categories",
                Prefetch(
                    "at_locations",
                    queryset=ServiceAtLocation.objects.select_related("location").only(
                        "service_id", "location__region_id", "location__district_id"
                    ),
                ),
            )
        )
        rows = [
            DirectoryKey(service_id=service.pk, key=key)
            for service in services
            for key in sorted(keys_of_service(service))
        ]
        DirectoryKey.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    return written


def directory_reindex_location_in_transaction(location_id: int) -> int:
    """Rebuild the keys of every service given at a location (its region or district
    changed), in the caller's transaction."""
    check_in_transaction()
    return directory_reindex_in_transaction(
        ServiceAtLocation.objects.filter(location_id=location_id).values_list("service_id", flat=True)
    )


def directory_reindex_all() -> int:
    """Rebuild the whole directory's index (`qoldau directory reindex`): after services were
    written with the models rather than these services (a data fix, a load). Returns how many
    keys were written."""
    with transaction.atomic(durable=True):
        return directory_reindex_in_transaction(Service.objects.values_list("pk", flat=True))
