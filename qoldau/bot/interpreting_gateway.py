"""The bot's way into sign-language interpreting: the link that opens the call page, and
whether an interpreter is on duty now (no one's name, no count under the page's). Nothing
personal is asked or kept; the call itself is made signed in on the site. Each call runs
the synchronous selector in Django's thread, as in `jobs_gateway.py`."""

from __future__ import annotations

from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.urls import reverse

from qoldau.interpreting import selectors as interpreting_selectors


@dataclass(frozen=True)
class CallLink:
    path: str
    on_duty: bool


class InterpretingGateway:
    async def call_link(self) -> CallLink:
        return await sync_to_async(_call_link, thread_sensitive=True)()


def _call_link() -> CallLink:
    return CallLink(path=reverse("interpreting:call"), on_duty=interpreting_selectors.anyone_on_duty())
