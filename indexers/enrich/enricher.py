"""One object the parsers call for enrichment, built from settings at the edge."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from indexers.enrich.geoip import GeoIp
from indexers.enrich.useragent import parse_user_agent
from trailhound.config import Settings

__all__ = ["Enricher", "canonical_ip", "is_internal_ip", "is_public_ip"]


@lru_cache(maxsize=262144)
def canonical_ip(text: str) -> str | None:
    """Canonical IP text (IPv6 compressed), or None when ``text`` is not an IP."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


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


@lru_cache(maxsize=262144)
def is_internal_ip(ip: str) -> bool:
    """An address a VPC interface itself can have (RFC 1918, CGNAT, link-local, ULA).

    Unlike :meth:`ipaddress.IPv4Address.is_private`, documentation ranges count as
    external here, as they stand for internet hosts in AWS's examples.
    """
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
