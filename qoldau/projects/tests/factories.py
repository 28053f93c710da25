"""Projects for tests, made through the real services."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from qoldau.core.models import Organisation
from qoldau.projects import services
from qoldau.projects.models import Project, ServiceType


def project(
    actor: User,
    org: Organisation,
    *,
    title: str = "Инклюзивті қоғам",
    starts_on: dt.date = dt.date(2025, 1, 1),
    ends_on: dt.date = dt.date(2025, 12, 31),
) -> Project:
    return services.project_create(
        actor=actor,
        organisation=org,
        data=services.ProjectInput(
            title_kk=title,
            title_ru=f"ru {title}",
            title_en=f"en {title}",
            starts_on=starts_on,
            ends_on=ends_on,
            funding_source="state_grant",
            region_ids=[org.region_id],
            budget=1_500_000,
        ),
    )


def service(code: str = "legal_consultation") -> ServiceType:
    return ServiceType.objects.get(code=code)
