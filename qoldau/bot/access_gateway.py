"""The bot's way into the accessibility map: finding places by name or location with their
public status for the person's category, and reporting a barrier. Each call runs the
synchronous selector or service in Django's thread, as in `gateway.py`."""

from __future__ import annotations

from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile

from qoldau.access import selectors, services
from qoldau.access.models import AccessObject, BarrierReport, PeopleCategory, PublicStatus
from qoldau.core.errors import ApplicationError


@dataclass(frozen=True)
class Place:
    """One object as the bot shows it, in the active language."""

    object_id: int
    name: str
    address: str
    district: str
    status: str
    status_label: str
    metres: float | None = None


def _place(obj: AccessObject, category: str, metres: float | None = None) -> Place:
    status = obj.public_status(category)
    return Place(
        object_id=obj.pk,
        name=obj.name,
        address=obj.address,
        district=obj.district.name,
        status=status,
        status_label=str(PublicStatus(status).label),
        metres=metres,
    )


def _search(text: str, category: str) -> list[Place]:
    return [_place(obj, category) for obj in selectors.objects_search_public(text)]


def _nearest(latitude: float, longitude: float, category: str) -> list[Place]:
    return [_place(obj, category, metres) for obj, metres in selectors.objects_nearest(latitude, longitude)]


def _report(object_id: int, description: str, category: str, photo: bytes | None) -> str | None:
    upload = SimpleUploadedFile("barrier.jpg", photo, content_type="image/jpeg") if photo else None
    try:
        services.barrier_report_submit(
            actor=None,
            object_id=object_id,
            description=description,
            category=category if category in PeopleCategory.values else "",
            photo=upload,
            channel=BarrierReport.Channel.BOT,
        )
    except ApplicationError as error:
        return error.render()
    return None


class AccessGateway:
    """Async access to the accessibility map for the handlers (dispatcher data `access`)."""

    async def search(self, text: str, category: str) -> list[Place]:
        return await sync_to_async(_search, thread_sensitive=True)(text, category)

    async def nearest(self, latitude: float, longitude: float, category: str) -> list[Place]:
        return await sync_to_async(_nearest, thread_sensitive=True)(latitude, longitude, category)

    async def report_barrier(
        self, object_id: int, description: str, category: str, photo: bytes | None = None
    ) -> str | None:
        """None when the report was taken, else the reason it was refused (translated)."""
        return await sync_to_async(_report, thread_sensitive=True)(object_id, description, category, photo)
