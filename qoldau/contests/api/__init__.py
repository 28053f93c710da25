"""JSON API of contests and small grants: contests with their stages, criteria, commissions,
applications, scoring and public results; grant calls with their dashboard, awards,
tranches and grantee reports.

Money is a decimal string in tenge ("1500000.00"): sent as a string or a number, always
answered as a string. Datetimes are ISO 8601 with their offset, answered in Astana time
(Asia/Almaty); a datetime sent without an offset is read in Astana time. Regions are given by
their KATO code, vulnerability categories by their code. Domain errors come back as
`{code, message, field}` (see qoldau/api.py).

Each area's endpoints are a module of their own (setup, commissions, scoring, applications,
calls, grants), their schemas are in `schemas` and `grant_schemas`; the two routers below
compose them under the tags the OpenAPI document has always had."""

from ninja import Router

from qoldau.contests.api import applications, calls, commissions, grants, scoring, setup

contests_router = Router(tags=["contests"])
contests_router.add_router("", setup.router)
contests_router.add_router("", commissions.router)
contests_router.add_router("", scoring.router)
contests_router.add_router("", applications.router)

grants_router = Router(tags=["grants"])
grants_router.add_router("", calls.router)
grants_router.add_router("", applications.grants_router)
grants_router.add_router("", grants.router)

__all__ = ["contests_router", "grants_router"]
