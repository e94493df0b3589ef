"""One object the parsers call for enrichment, built from settings at the edge."""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from typing import Any

from indexers.enrich.geoip import GeoIp
from indexers.enrich.useragent import parse_user_agent
from trailhound.config import Settings

__all__ = ["Enricher", "canonical_ip", "is_internal_ip", "is_public_ip"]


@lru_cache(maxsize=65536)
def _canonical_slow(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def canonical_ip(text: str) -> str | None:
    """Canonical IP text (IPv6 compressed), or None when ``text`` is not an IP.

    Hot path (every flow has four addresses, mostly unique): a strict dotted-quad
    IPv4 is already canonical and is checked with ``inet_pton`` alone.
    """
    if ":" not in text and len(text) <= 15:
        try:
            packed = socket.inet_pton(socket.AF_INET, text)
        except (OSError, ValueError):  # ValueError: embedded NUL
            return None
        # inet_pton accepts no leading zeros, so the text is canonical when it round-trips.
        if socket.inet_ntop(socket.AF_INET, packed) == text:
            return text
    return _canonical_slow(text)


@lru_cache(maxsize=262144)
def is_public_ip(ip: str) -> bool:
    """Globally routable (not RFC 1918, ULA, link-local, loopback, CGNAT, documentation)."""
    try:
        return ipaddress.ip_address(ip).is_global
    except ValueError:
        return False


_INTERNAL = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",  # shared address space, usable inside VPCs
        "169.254.0.0/16",
        "127.0.0.0/8",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    )
)


def is_internal_ip(ip: str) -> bool:
    """An address a VPC interface itself can have (RFC 1918, CGNAT, link-local, ULA).

    Unlike :meth:`ipaddress.IPv4Address.is_private`, documentation ranges count as
    external here, as they stand for internet hosts in AWS's examples.
    """
    if ":" not in ip:
        a, _, rest = ip.partition(".")
        if a == "10" or a == "127":
            return True
        b = rest.partition(".")[0]
        if a == "192":
            return b == "168"
        if a == "172":
            return b.isdigit() and 16 <= int(b) <= 31
        if a == "169":
            return b == "254"
        if a == "100":
            return b.isdigit() and 64 <= int(b) <= 127
        return False
    return _internal_v6(ip)


@lru_cache(maxsize=65536)
def _internal_v6(ip: str) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(addr.version == n.version and addr in n for n in _INTERNAL)


class Enricher:
    """User-agent parsing always; GeoIP/ASN when databases are configured."""

    def __init__(self, geoip: GeoIp | None = None) -> None:
        """Use ``geoip`` for lookups when given and enabled."""
        self.geoip = geoip if geoip is not None and geoip.enabled else None

    @classmethod
    def from_settings(cls, settings: Settings) -> Enricher:
        """GeoIP from ``settings.analytics.geoip_city_db``/``geoip_asn_db`` when set."""
        a = settings.analytics
        if a.geoip_city_db or a.geoip_asn_db:
            return cls(GeoIp(a.geoip_city_db, a.geoip_asn_db))
        return cls()

    def user_agent(self, ua: str) -> dict[str, Any]:
        """ECS ``user_agent`` object."""
        return parse_user_agent(ua)

    def endpoint(self, endpoint: dict[str, Any], ip: str) -> None:
        """Add ``geo``/``as`` to an ECS ``source``/``destination`` object for a public IP."""
        if self.geoip is None or not is_public_ip(ip):
            return
        geo, asn = self.geoip.lookup(ip)
        if geo:
            endpoint["geo"] = geo
        if asn:
            endpoint["as"] = asn

    def close(self) -> None:
        """Release databases."""
        if self.geoip is not None:
            self.geoip.close()
