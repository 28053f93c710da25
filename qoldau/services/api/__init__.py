"""The services app's API under /api/v1/services/ (and the directory's HSDS reader beside
it): one router built from the modules of each area."""

from ninja import Router

from qoldau.services.api import referrals

router = Router(tags=["services"])
router.add_router("/", referrals.router)
