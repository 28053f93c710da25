"""gunicorn's worker for Qoldau: uvicorn serving `qoldau.asgi` (HTTP and WebSockets).

`qoldau serve` uses it, and so does production:
``gunicorn qoldau.asgi:application -k qoldau.asgi_worker.Worker``."""

from __future__ import annotations

from typing import Any, ClassVar

from uvicorn_worker import UvicornWorker

from qoldau.core.realtime.messages import MAX_FRAME_BYTES


class Worker(UvicornWorker):
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        **UvicornWorker.CONFIG_KWARGS,
        # Django has no lifespan events.
        "lifespan": "off",
        # The client's address and scheme are Qoldau's to work out
        # (QOLDAU_TRUSTED_PROXY_COUNT, QOLDAU_BEHIND_PROXY), as under WSGI.
        "proxy_headers": False,
        # A WebSocket frame larger than the consumer accepts is refused by the server.
        "ws_max_size": MAX_FRAME_BYTES,
        "ws": "websockets-sansio",
    }
