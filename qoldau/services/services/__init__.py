"""Every write of social services, one module per area. Each service runs in one durable
transaction, checks who may do it (`qoldau.services.policy`) before anything else, then
the domain's rules (raising ApplicationError and changing nothing), and writes its audit
row. Callers import the package: `from qoldau.services import services`."""

from qoldau.services.services.directory import (
    DocumentInput,
    LocationInput,
    PermitInput,
    ProviderInput,
    ServiceInput,
    TierInput,
    document_add,
    document_remove,
    location_add,
    location_update,
    permit_add,
    permit_expiry_reminders_send,
    permit_update,
    priority_tiers_publish,
    provider_register,
    provider_update,
    service_add,
    service_set_status,
    service_update,
)
from qoldau.services.services.directory_index import (
    directory_reindex_all,
    directory_reindex_in_transaction,
    directory_reindex_location_in_transaction,
)

__all__ = [
    "DocumentInput",
    "LocationInput",
    "PermitInput",
    "ProviderInput",
    "ServiceInput",
    "TierInput",
    "directory_reindex_all",
    "directory_reindex_in_transaction",
    "directory_reindex_location_in_transaction",
    "document_add",
    "document_remove",
    "location_add",
    "location_update",
    "permit_add",
    "permit_expiry_reminders_send",
    "permit_update",
    "priority_tiers_publish",
    "provider_register",
    "provider_update",
    "service_add",
    "service_set_status",
    "service_update",
]
