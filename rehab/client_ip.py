"""The address of the person at the keyboard, for the sign-in lockout (axes).

Behind a reverse proxy every request comes from the proxy, so one person's failed sign-ins
would lock out the whole Rutan. X-Forwarded-For is believed only when the request comes from
a proxy listed in REHAB_TRUSTED_PROXIES, and only as far as the proxies we trust wrote it:
anything to the left of the first untrusted hop may have been typed by the client.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """Return REMOTE_ADDR, or behind a trusted proxy the right-most untrusted forwarded address."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(settings.REHAB_TRUSTED_PROXIES))
    if not remote or not _trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            # Not written by a proxy we trust: keep the last address one of them vouched for.
            return client
        client = hop
        if not _trusted(hop, networks):
            return hop
    return client
