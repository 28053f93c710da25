"""What core tells the layers above it, which it may not import: they connect receivers in
their app's `ready()`."""

from django.dispatch import Signal

# A person's record moved to another identity (its IIN was corrected), inside the
# transaction that moved it. Arguments: `person_id`, `identity_id` (the new one). Rows
# that carry the record's identity for counting (deliveries, attendance) follow it.
person_identity_moved = Signal()
