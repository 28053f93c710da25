"""Every write to core records. Each service runs in one transaction, checks the
domain's rules (raising ApplicationError and changing nothing), and writes its audit row.
One module per area: `common` (what every service uses), `places`, `organisations` (and
roles), `people`, `citizens` (citizens' own accounts) and `tokens`. Callers import the
package: `from qoldau.core import services`."""

from qoldau.core.access import Actor
from qoldau.core.services.citizens import (
    PASSWORD_MAX_LENGTH,
    citizen_iin_confirm,
    citizen_person_register_in_transaction,
    citizen_record_link_in_transaction,
    citizen_sign_up,
)
from qoldau.core.services.common import (
    acting_user,
    require_text,
    save_versioned,
)
from qoldau.core.services.organisations import (
    ORGANISATION_EDITABLE,
    organisation_create,
    organisation_create_in_transaction,
    organisation_update,
    role_assign,
    role_assign_in_transaction,
    role_check_scope,
    role_revoke,
    role_revoke_in_transaction,
    user_set_language,
)
from qoldau.core.services.people import (
    PersonInput,
    PersonRegistration,
    consent_withdraw,
    identities_for_hashes,
    identities_without_iin,
    person_category_add,
    person_category_add_in_transaction,
    person_category_end,
    person_register,
    person_register_in_transaction,
    person_update,
)
from qoldau.core.services.places import (
    LEVEL_BELOW,
    SHYMKENT_KATO,
    SHYMKENT_OLD_KATO,
    KatoImportResult,
    KatoRow,
    kato_ancestors,
    normalise_kato,
    places_import_kato,
    resolve_region_district,
)
from qoldau.core.services.tokens import (
    API_TOKEN_PREFIX_LENGTH,
    api_token_create,
    api_token_revoke,
    api_token_user,
)

__all__ = [
    "API_TOKEN_PREFIX_LENGTH",
    "LEVEL_BELOW",
    "ORGANISATION_EDITABLE",
    "PASSWORD_MAX_LENGTH",
    "SHYMKENT_KATO",
    "SHYMKENT_OLD_KATO",
    "Actor",
    "KatoImportResult",
    "KatoRow",
    "PersonInput",
    "PersonRegistration",
    "acting_user",
    "api_token_create",
    "api_token_revoke",
    "api_token_user",
    "citizen_iin_confirm",
    "citizen_person_register_in_transaction",
    "citizen_record_link_in_transaction",
    "citizen_sign_up",
    "consent_withdraw",
    "identities_for_hashes",
    "identities_without_iin",
    "kato_ancestors",
    "normalise_kato",
    "organisation_create",
    "organisation_create_in_transaction",
    "organisation_update",
    "person_category_add",
    "person_category_add_in_transaction",
    "person_category_end",
    "person_register",
    "person_register_in_transaction",
    "person_update",
    "places_import_kato",
    "require_text",
    "resolve_region_district",
    "role_assign",
    "role_assign_in_transaction",
    "role_check_scope",
    "role_revoke",
    "role_revoke_in_transaction",
    "save_versioned",
    "user_set_language",
]
