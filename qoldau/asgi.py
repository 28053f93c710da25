"""The ASGI application `qoldau serve` runs: Django's pages and API over HTTP, and the
video calls' signalling over WebSockets (Django Channels).

A socket is accepted only from a page of this site (its Origin must be one of
`ALLOWED_HOSTS`: another site's page cannot open a call with the user's cookie), and it
carries the user of the session cookie, as a page does."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qoldau.settings")
# Django is set up before anything that reads models is imported.
http_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from qoldau.core.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
