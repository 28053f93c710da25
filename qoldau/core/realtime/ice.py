"""The STUN and TURN servers a call's browsers use to find a way to each other
(`QOLDAU_ICE_SERVERS`), with time-limited TURN credentials when a coturn secret is set.

With no servers the browsers still connect on one machine or one network (host
candidates). Across NATs a STUN server finds each browser's public address; behind strict
firewalls a TURN server relays the media. coturn's `use-auth-secret` mode checks
credentials Qoldau derives from the shared secret, so no lasting TURN password is ever
handed to a browser: the user name is the expiry time and the user's id, the password its
HMAC-SHA1 under the secret (coturn's TURN REST API)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from django.conf import settings

TURN_CREDENTIAL_SECONDS = 12 * 3600


def ice_servers(user_id: str) -> list[dict[str, Any]]:
    urls: list[str] = list(settings.QOLDAU_ICE_SERVERS)
    if not urls:
        return []
    stun = [url for url in urls if url.startswith("stun:")]
    turn = [url for url in urls if url.startswith(("turn:", "turns:"))]
    servers: list[dict[str, Any]] = []
    if stun:
        servers.append({"urls": stun})
    if turn:
        secret: str = settings.QOLDAU_TURN_SECRET
        entry: dict[str, Any] = {"urls": turn}
        if secret:
            username = f"{int(time.time()) + TURN_CREDENTIAL_SECONDS}:{user_id}"
            digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
            entry |= {"username": username, "credential": base64.b64encode(digest).decode()}
        servers.append(entry)
    return servers
