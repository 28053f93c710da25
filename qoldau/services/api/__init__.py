"""The API of social services: one router for the app, its areas' routers joined to it.
`hsds` (Open Referral HSDS 3.0 read API of the directory, under /hsds), `summary` (the
public summary of a region, under /services) and `referrals` (referrals and the public
wait-list position, under /services)."""

from ninja import Router

from qoldau.services.api import referrals
from qoldau.services.api.hsds import router as hsds_router
from qoldau.services.api.summary import router as summary_router

router = Router()
router.add_router("/", hsds_router)
router.add_router("/", summary_router)
router.add_router("/", referrals.router)
