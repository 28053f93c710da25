"""The call's socket address: /ws/call/<kind>/<room id>/ (the patterns of `rooms`)."""

from __future__ import annotations

from django.urls import re_path

from qoldau.core.realtime.consumers import CallConsumer
from qoldau.core.realtime.rooms import KIND_PATTERN, ROOM_ID_PATTERN

websocket_urlpatterns = [
    re_path(
        rf"^ws/call/(?P<kind>{KIND_PATTERN.pattern})/(?P<room_id>{ROOM_ID_PATTERN.pattern})/$",
        CallConsumer.as_asgi(),
    ),
]


def socket_path(kind: str, room_id: str) -> str:
    return f"/ws/call/{kind}/{room_id}/"
