"""The social-services demo (issue 15, item 7): Almaty's network of article 002, made on
top of the base demo (`qoldau.console.demo`) with the models directly and bulk inserts
(the services of referrals and wait lists are another module's; where they exist the
demo can switch to them). One durable transaction; loading twice changes nothing.

What the article gives and how it is held:

* 9 medical-social institutions, 14 NGOs and 8 home-care units of the district akimats
  (one per district of Almaty): providers of those kinds, their names generated and
  marked ("generated" in the name, `generated=True`), each with a permit (three expire
  within two months of the day of loading, one is suspended), a building in its district
  (the access demo's building there, when it is loaded), services from the catalogue,
  their capacity, and a project of 2025 whose deliveries are the services given.
* 7,000 recipients a year: generated people, each enrolled in 2025 and given at least
  one delivery of the provider's project in 2025, so that the reach figures and the
  enrolments count the same 7,000 (`people`).
* The Early Intervention Centre (children under 3, with published priority tiers), the
  Family Support Centre and the Active Longevity Centre: state centres under their own
  names. The Active Longevity Centre's 24,000 pensioners are aggregate figures, its
  events' anonymous participants (the reach report holds them so), not person records.
* The 150-place rehabilitation centre and the new centres of Nauryzbay, Bostandyq and
  Medeu (up to 200 places in total; the split is generated): planned centres.
* 1,600 social workers on the 30 % bonus (dated data from 2025) and the target of 1,000
  specialists trained by mid-2026: workers of the providers, and trainings of 2025
  towards it (`workforce`).
* Referrals in every state and wait lists with offers and declines (generated).

Fixed random seed; what is live (open offers, referrals not yet due, permits expiring)
is dated from the day of loading.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from qoldau.services.demo import network, people, workforce
from qoldau.services.demo.common import DemoState, Progress, no_progress
from qoldau.services.demo.data import SERVICES_USERS
from qoldau.services.models import Provider, Service
from qoldau.services.services import directory_reindex_in_transaction

__all__ = ["SERVICES_USERS", "load_services_demo", "services_demo_is_loaded"]


def services_demo_is_loaded() -> bool:
    return (
        User.objects.filter(username=SERVICES_USERS[-1].username).exists()
        and Provider.objects.filter(organisation__name_en="Early Intervention Centre").exists()
    )


def load_services_demo(progress: Progress = no_progress) -> bool:
    """Load the social-services demo in one transaction unless it is loaded (then nothing
    changes, and False is returned). The reach cells are refreshed by the caller."""
    if services_demo_is_loaded():
        return False
    with transaction.atomic(durable=True):
        state = DemoState(progress=progress)
        network.load_network(state)
        network.load_permits(state)
        network.load_planned(state)
        # The demo writes its services with the models; the search index is built after.
        directory_reindex_in_transaction(Service.objects.values_list("pk", flat=True))
        network.load_users(state)
        generated = people.People(state)
        enrolled = people.load_recipients(state, generated)
        people.load_active_longevity(state)
        entries = people.load_wait_lists(state, generated, enrolled)
        people.load_referrals(state, generated, enrolled, entries)
        workforce.load_workforce(state)
    return True
