"""The client's address: what the audit log records, and what sign-in locks and flood limits
count by.

Behind nginx every connection comes from the proxy, so REMOTE_ADDR alone would put every
person into one bucket. X-Forwarded-For is believed only as far as the operator says proxies
append to it (`QOLDAU_TRUSTED_PROXY_COUNT`): each trusted proxy appends the address it saw,
so with N of them the N-th entry from the right was written by the outermost one, and
everything to its left is whatever the client chose to send.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# An IPv6 subscriber usually holds a whole /64: counting single addresses would give one
# person 2**64 buckets.
IPV6_NETWORK_PREFIX = 64


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR with no trusted proxy, else the N-th address from
    the right of X-Forwarded-For. A header shorter than N entries, or whose trusted entries
    are not addresses, is not believed: REMOTE_ADDR then."""
    remote = _address(str(request.META.get("REMOTE_ADDR") or ""))
    count = int(settings.QOLDAU_TRUSTED_PROXY_COUNT)
    if count <= 0:
        return remote
    entries = str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    if len(entries) < count:
        return remote
    trusted = [_address(entry) for entry in entries[-count:]]
    if any(entry is None for entry in trusted):
        return remote
    return trusted[0]


def client_network(request: HttpRequest) -> str | None:
    """What limits count by: the client's address, or for IPv6 the first address of its
    /64 (an IPv4 address mapped into IPv6 counts as itself)."""
    address = client_address(request)
    return address_network(address) if address else None


def address_network(address: str) -> str:
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_NETWORK_PREFIX), strict=False).network_address)
    return str(parsed)
