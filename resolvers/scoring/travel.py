"""Impossible travel: consecutive uses of one identity from places too far apart.

Common practice (Datadog's CloudTrail rule, peers.md §9) flags consecutive events
more than 500 km apart at more than ~1,000 km/h; the speed threshold here comes
from ``settings.analytics.impossible_travel_kmh``.  Following Netflix's list of
edge cases, points whose network belongs to a cloud provider (or a corporate VPN
egress configured in ``settings.analytics.known_vpn_asns``) are not locations of
a person and are left out; commercial VPN providers are kept (see
:func:`is_infrastructure`), as are AWS-internal calls
(no public source IP, or ``invokedBy`` set), which never reach this module.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

EARTH_RADIUS_KM = 6371.0088
MIN_DISTANCE_KM = 500.0
# Two uses in the same minute are treated as one minute apart, so a jump is a finite speed.
MIN_HOURS = 1 / 60

# Autonomous systems of cloud and CDN providers: their geolocation is a data centre.
CLOUD_ASNS = frozenset(
    {
        16509,
        14618,
        8987,
        7224,
        39111,  # Amazon
        15169,
        396982,
        19527,
        36040,  # Google
        8075,
        8068,
        8069,  # Microsoft
        13335,
        209242,  # Cloudflare
        20940,
        16625,
        63949,  # Akamai, Linode
        54113,  # Fastly
        14061,  # DigitalOcean
        16276,  # OVH
        24940,  # Hetzner
        31898,  # Oracle
    }
)
CLOUD_ASO_WORDS = (
    "amazon", "aws", "google", "microsoft", "azure", "cloudflare", "akamai", "fastly",
    "digitalocean", "ovh", "hetzner", "oracle", "linode",
)  # fmt: skip
# Known commercial VPN egress networks (by ASN and by organisation name).
VPN_ASNS = frozenset({9009, 60068, 207137, 212238, 39351, 136787, 147049})
VPN_ASO_WORDS = ("m247", "datacamp", "packethub", "nordvpn", "mullvad", "proton", "expressvpn")


@dataclass(frozen=True, slots=True)
class Sighting:
    """One identity seen at one IP and place at one time."""

    at: datetime
    ip: str
    lat: float
    lon: float
    location: str
    asn: int | None = None
    aso: str | None = None


@dataclass(frozen=True, slots=True)
class Travel:
    """A jump between two consecutive sightings."""

    start: Sighting
    end: Sighting
    distance_km: float
    hours: float
    speed_kmh: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km.

    >>> round(haversine_km(52.52, 13.405, 40.7128, -74.006), 1)
    6385.0
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def is_cloud(asn: int | None, aso: str | None) -> bool:
    """True for cloud-provider and CDN networks (a data centre, not a person)."""
    if asn is not None and asn in CLOUD_ASNS:
        return True
    name = (aso or "").lower()
    return any(w in name for w in CLOUD_ASO_WORDS)


def is_commercial_vpn(asn: int | None, aso: str | None) -> bool:
    """True for known commercial VPN egress networks."""
    if asn is not None and asn in VPN_ASNS:
        return True
    name = (aso or "").lower()
    return any(w in name for w in VPN_ASO_WORDS)


def is_infrastructure(
    asn: int | None,
    aso: str | None,
    extra_asns: Iterable[int] = (),
) -> bool:
    """True for cloud/CDN networks and the configured (corporate) VPN egress ASNs.

    Commercial VPN providers are *not* exempt: a corporate VPN is where a
    colleague appears to be, an anonymising VPN is where an attacker hides.
    """
    if asn is not None and asn in set(extra_asns):
        return True
    return is_cloud(asn, aso)


def find_travels(
    sightings: Sequence[Sighting],
    threshold_kmh: float,
    *,
    min_distance_km: float = MIN_DISTANCE_KM,
    extra_exempt_asns: Iterable[int] = (),
) -> list[Travel]:
    """Impossible jumps between consecutive sightings, fastest per IP pair first.

    Sightings on infrastructure networks are dropped before pairing, so a user
    who goes through the corporate VPN is compared with their next real location.
    """
    exempt = tuple(extra_exempt_asns)
    points = sorted(
        (s for s in sightings if not is_infrastructure(s.asn, s.aso, exempt)),
        key=lambda s: (s.at, s.ip),
    )
    best: dict[tuple[str, str], Travel] = {}
    for prev, cur in itertools.pairwise(points):
        if prev.ip == cur.ip:
            continue
        distance = haversine_km(prev.lat, prev.lon, cur.lat, cur.lon)
        if distance < min_distance_km:
            continue
        hours = max((cur.at - prev.at).total_seconds() / 3600, MIN_HOURS)
        speed = distance / hours
        if speed <= threshold_kmh:
            continue
        key = (prev.ip, cur.ip)
        if key not in best or speed > best[key].speed_kmh:
            best[key] = Travel(prev, cur, round(distance, 1), round(hours, 4), round(speed, 1))
    return sorted(best.values(), key=lambda t: -t.speed_kmh)
