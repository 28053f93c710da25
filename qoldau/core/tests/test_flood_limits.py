"""The client's address behind trusted proxies, the token buckets of the flood limits, and
the sign-in lock by username and address together."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from qoldau.core.addresses import client_address, client_network
from qoldau.core.errors import RateLimited
from qoldau.core.ratelimit import Bucket, rate_limit_take
from qoldau.core.tests import factories

PROXY = "10.0.0.5"


def address_of(settings: Any, count: int, forwarded: str | None, remote: str = PROXY) -> str | None:
    settings.QOLDAU_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    assert address_of(settings, 0, "203.0.113.7") == PROXY
    assert address_of(settings, 0, None) == PROXY


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # Whatever the client puts on the left is not believed: the proxy's entry is last.
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (1, " 198.51.100.1 ,203.0.113.7 ", "203.0.113.7"),
        (2, "198.51.100.1, 203.0.113.7, 192.0.2.10", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Too short, empty or malformed where a trusted proxy wrote: the connection's address.
        (2, "203.0.113.7", PROXY),
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, "203.0.113.7, 999.1.1.1", PROXY),
        (2, "203.0.113.7, unknown", PROXY),
        (1, None, PROXY),
    ],
)
def test_with_trusted_proxies_the_nth_address_from_the_right_is_the_clients(
    settings, count, forwarded, expected
):
    assert address_of(settings, count, forwarded) == expected


def test_an_ipv6_client_is_counted_by_its_network(settings):
    settings.QOLDAU_TRUSTED_PROXY_COUNT = 0
    factory = RequestFactory()
    one = client_network(factory.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1"))
    other = client_network(factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9"))
    assert one == other == "2001:db8:1:2::"
    assert client_network(factory.get("/", REMOTE_ADDR="2001:db8:1:3::1")) != one
    assert client_network(factory.get("/", REMOTE_ADDR="::ffff:203.0.113.7")) == "203.0.113.7"


# Token buckets ---------------------------------------------------------------------------


def limits(settings: Any, **named: tuple[float, int]) -> None:
    settings.QOLDAU_RATE_LIMITS = {**django_settings.QOLDAU_RATE_LIMITS, **named}


def test_a_burst_passes_and_the_next_request_waits_for_the_refill(settings):
    limits(settings, test=(10.0, 3))
    bucket = [Bucket("test", "a")]
    for _ in range(3):
        rate_limit_take(bucket)
    with pytest.raises(RateLimited) as refused:
        rate_limit_take(bucket)
    assert refused.value.status == 429
    assert refused.value.code == "rate_limited"
    assert refused.value.retry_after == 1
    # Another key has its own bucket.
    rate_limit_take([Bucket("test", "b")])
    time.sleep(0.15)  # 10 a second: one token back
    rate_limit_take(bucket)
    with pytest.raises(RateLimited):
        rate_limit_take(bucket)


def test_a_refusal_takes_no_token_from_the_other_buckets(settings):
    limits(settings, test=(1 / 3600, 2))
    full, empty = Bucket("test", "full"), Bucket("test", "empty")
    rate_limit_take([empty])
    rate_limit_take([empty])
    for _ in range(5):
        with pytest.raises(RateLimited) as refused:
            rate_limit_take([full, empty])
        # A token an hour: the next is an hour away (to the second, rounded up).
        assert 3500 < refused.value.retry_after <= 3600
    rate_limit_take([full])
    rate_limit_take([full])
    with pytest.raises(RateLimited):
        rate_limit_take([full])


def test_the_rate_settings_are_read_and_checked():
    from django.core.exceptions import ImproperlyConfigured

    from qoldau.settings import _burst, _rate

    assert _rate("X", "20/minute") == pytest.approx(20 / 60)
    assert _rate("X", "5/hour") == pytest.approx(5 / 3600)
    for bad in ("20", "20/fortnight", "-1/hour", "0/minute", "many/hour"):
        with pytest.raises(ImproperlyConfigured):
            _rate("X", bad)
    assert _burst("X", "10") == 10
    for bad in ("0", "-3", "ten", ""):
        with pytest.raises(ImproperlyConfigured):
            _burst("X", bad)


# Sign-in lock ----------------------------------------------------------------------------


def sign_in(password: str, *, forwarded: str, remote: str = PROXY) -> int:
    response = Client(REMOTE_ADDR=remote).post(
        "/signin/",
        {"username": "target", "password": password},
        headers={"X-Forwarded-For": forwarded},
    )
    return response.status_code


@pytest.mark.django_db
def test_failures_from_one_address_do_not_lock_the_user_out_from_another(settings):
    settings.QOLDAU_TRUSTED_PROXY_COUNT = 1
    factories.user("target", "ngo_staff", org=factories.organisation())
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", forwarded="198.51.100.66")
    # The stranger's address is locked, even with the right password...
    assert sign_in(factories.PASSWORD, forwarded="198.51.100.66") == 429
    # ...and a spoofed entry on the left does not get them out of it.
    assert sign_in(factories.PASSWORD, forwarded="203.0.113.7, 198.51.100.66") == 429
    # The user, behind the same proxy from their own address, signs in.
    assert sign_in(factories.PASSWORD, forwarded="203.0.113.7") == 302


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_spoofed_header_does_not_escape_the_lock(settings):
    settings.QOLDAU_TRUSTED_PROXY_COUNT = 0
    factories.user("target", "ngo_staff", org=factories.organisation())
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", forwarded=f"198.51.100.{n}", remote="198.51.100.66")
    assert sign_in(factories.PASSWORD, forwarded="203.0.113.7", remote="198.51.100.66") == 429
    assert sign_in(factories.PASSWORD, forwarded="203.0.113.7", remote="203.0.113.7") == 302
