"""The simulated Internet: public address ranges with their place and operator.

Every public IP the simulator writes is drawn from one of these ranges, and the
GeoIP databases (:mod:`trailhound.simulator.geoip`) are built from the same
table, so every address resolves offline.  The ranges are real allocations
chosen to look plausible; their geodata here is *simulated* (it only has to be
consistent within a corpus).  Reserved documentation ranges (TEST-NET) are
avoided on purpose: :mod:`ipaddress` treats them as private.
"""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """A city with the fields a GeoLite2-City record carries."""

    city: str
    country_iso: str
    country: str
    continent_code: str
    continent: str
    latitude: float
    longitude: float
    time_zone: str
    utc_offset: int  # hours, standard time; good enough for working-hour habits
    geoname_id: int


@dataclass(frozen=True, slots=True)
class PublicRange:
    """One CIDR with a place and an autonomous system."""

    name: str
    cidr: str
    place: Place
    asn: int
    as_org: str

    def address(self, rng: random.Random) -> str:
        """A random host address in the range (never network/broadcast)."""
        net = ipaddress.ip_network(self.cidr)
        return str(net.network_address + rng.randrange(1, net.num_addresses - 1))

    def nth(self, n: int) -> str:
        """The ``n``-th host address (stable addresses such as NAT gateways)."""
        net = ipaddress.ip_network(self.cidr)
        return str(net.network_address + 1 + n % (net.num_addresses - 2))


SEATTLE = Place(
    "Seattle",
    "US",
    "United States",
    "NA",
    "North America",
    47.6062,
    -122.3321,
    "America/Los_Angeles",
    -8,
    5809844,
)
NEW_YORK = Place(
    "New York",
    "US",
    "United States",
    "NA",
    "North America",
    40.7128,
    -74.0060,
    "America/New_York",
    -5,
    5128581,
)
ASHBURN = Place(
    "Ashburn",
    "US",
    "United States",
    "NA",
    "North America",
    39.0438,
    -77.4874,
    "America/New_York",
    -5,
    4744870,
)
BOARDMAN = Place(
    "Boardman",
    "US",
    "United States",
    "NA",
    "North America",
    45.8399,
    -119.7006,
    "America/Los_Angeles",
    -8,
    5713587,
)
BOYDTON = Place(
    "Boydton",
    "US",
    "United States",
    "NA",
    "North America",
    36.6676,
    -78.3875,
    "America/New_York",
    -5,
    4747845,
)
SAN_FRANCISCO = Place(
    "San Francisco",
    "US",
    "United States",
    "NA",
    "North America",
    37.7749,
    -122.4194,
    "America/Los_Angeles",
    -8,
    5391959,
)
LONDON = Place(
    "London", "GB", "United Kingdom", "EU", "Europe", 51.5074, -0.1278, "Europe/London", 0, 2643743
)
DUBLIN = Place(
    "Dublin", "IE", "Ireland", "EU", "Europe", 53.3498, -6.2603, "Europe/Dublin", 0, 2964574
)
BERLIN = Place(
    "Berlin", "DE", "Germany", "EU", "Europe", 52.5200, 13.4050, "Europe/Berlin", 1, 2950159
)
FRANKFURT = Place(
    "Frankfurt am Main",
    "DE",
    "Germany",
    "EU",
    "Europe",
    50.1109,
    8.6821,
    "Europe/Berlin",
    1,
    2925533,
)
AMSTERDAM = Place(
    "Amsterdam",
    "NL",
    "Netherlands",
    "EU",
    "Europe",
    52.3676,
    4.9041,
    "Europe/Amsterdam",
    1,
    2759794,
)
PARIS = Place("Paris", "FR", "France", "EU", "Europe", 48.8566, 2.3522, "Europe/Paris", 1, 2988507)
BUCHAREST = Place(
    "Bucharest", "RO", "Romania", "EU", "Europe", 44.4268, 26.1025, "Europe/Bucharest", 2, 683506
)
MOSCOW = Place(
    "Moscow", "RU", "Russia", "EU", "Europe", 55.7558, 37.6173, "Europe/Moscow", 3, 524901
)
BANGALORE = Place(
    "Bengaluru", "IN", "India", "AS", "Asia", 12.9716, 77.5946, "Asia/Kolkata", 5, 1277333
)
NANJING = Place(
    "Nanjing", "CN", "China", "AS", "Asia", 32.0603, 118.7969, "Asia/Shanghai", 8, 1799962
)
SINGAPORE = Place(
    "Singapore", "SG", "Singapore", "AS", "Asia", 1.3521, 103.8198, "Asia/Singapore", 8, 1880252
)
SAO_PAULO = Place(
    "São Paulo",
    "BR",
    "Brazil",
    "SA",
    "South America",
    -23.5505,
    -46.6333,
    "America/Sao_Paulo",
    -3,
    3448439,
)


def _r(name: str, cidr: str, place: Place, asn: int, org: str) -> PublicRange:
    return PublicRange(name, cidr, place, asn, org)


# Employees: offices and home ISPs, keyed by the city a user lives in.
OFFICES: dict[str, PublicRange] = {
    "Seattle": _r("office-seattle", "38.140.20.0/24", SEATTLE, 174, "Cogent Communications"),
    "London": _r(
        "office-london", "212.58.224.0/24", LONDON, 5400, "British Telecommunications PLC"
    ),
    "Berlin": _r("office-berlin", "62.156.80.0/24", BERLIN, 3320, "Deutsche Telekom AG"),
    "Bengaluru": _r(
        "office-bengaluru", "49.207.48.0/24", BANGALORE, 24309, "Atria Convergence Technologies"
    ),
}
HOMES: dict[str, PublicRange] = {
    "Seattle": _r(
        "home-seattle", "73.97.0.0/16", SEATTLE, 7922, "Comcast Cable Communications, LLC"
    ),
    "London": _r("home-london", "86.128.0.0/16", LONDON, 2856, "British Telecommunications PLC"),
    "Berlin": _r("home-berlin", "91.64.0.0/16", BERLIN, 31334, "Vodafone Kabel Deutschland GmbH"),
    "Bengaluru": _r(
        "home-bengaluru",
        "122.171.0.0/16",
        BANGALORE,
        24560,
        "Bharti Airtel Ltd., Telemedia Services",
    ),
}

# AWS itself: NAT gateway elastic IPs per region and service endpoints.
AWS_EIP: dict[str, PublicRange] = {
    "us-east-1": _r("aws-eip-use1", "3.208.0.0/16", ASHBURN, 14618, "AMAZON-AES"),
    "eu-west-1": _r("aws-eip-euw1", "34.240.0.0/16", DUBLIN, 16509, "AMAZON-02"),
    "us-west-2": _r("aws-eip-usw2", "35.160.0.0/16", BOARDMAN, 16509, "AMAZON-02"),
}
AWS_SERVICE: dict[str, PublicRange] = {
    "us-east-1": _r("aws-s3-use1", "52.216.0.0/16", ASHBURN, 16509, "AMAZON-02"),
    "eu-west-1": _r("aws-s3-euw1", "52.218.0.0/17", DUBLIN, 16509, "AMAZON-02"),
    "us-west-2": _r("aws-s3-usw2", "52.92.128.0/17", BOARDMAN, 16509, "AMAZON-02"),
}

# CI runners and the SaaS endpoints services talk to.
GITHUB_RUNNERS = _r("github-actions", "20.42.0.0/16", BOYDTON, 8075, "MICROSOFT-CORP-MSN-AS-BLOCK")
SAAS: dict[str, PublicRange] = {
    "github": _r("saas-github", "140.82.112.0/20", SAN_FRANCISCO, 36459, "GitHub, Inc."),
    "datadog": _r("saas-datadog", "3.233.144.0/20", ASHBURN, 16509, "AMAZON-AES"),
    "pypi": _r("saas-fastly", "151.101.0.0/16", SAN_FRANCISCO, 54113, "Fastly, Inc."),
    "stripe": _r("saas-stripe", "54.187.216.0/21", BOARDMAN, 16509, "AMAZON-02"),
    "sentry": _r("saas-sentry", "35.186.224.0/20", NEW_YORK, 15169, "Google LLC"),
}

# Internet background noise: scanners probing public interfaces.
SCANNERS: tuple[PublicRange, ...] = (
    _r("scan-censys", "162.142.125.0/24", NEW_YORK, 398324, "Censys, Inc."),
    _r("scan-chinanet", "218.92.0.0/16", NANJING, 4134, "Chinanet"),
    _r("scan-selectel", "45.155.205.0/24", MOSCOW, 49505, "JSC Selectel"),
    _r("scan-saopaulo", "177.54.144.0/20", SAO_PAULO, 262287, "Latitude.sh LTDA"),
)

# Attacker infrastructure; scenarios draw from here and the threat feed lists what they use.
ATTACKER: dict[str, PublicRange] = {
    "c2": _r("attacker-c2", "185.177.59.0/24", AMSTERDAM, 211252, "Delis LLC"),
    "mining-pool": _r("attacker-pool", "51.15.0.0/16", PARIS, 12876, "Scaleway S.a.s."),
    "exfil": _r("attacker-exfil", "5.161.0.0/16", FRANKFURT, 24940, "Hetzner Online GmbH"),
    "vpn": _r("attacker-vpn", "89.187.160.0/19", BUCHAREST, 60068, "Datacamp Limited"),
    "beacon": _r("attacker-beacon", "103.75.118.0/24", SINGAPORE, 136557, "Host Universal Pty Ltd"),
}


def all_ranges() -> tuple[PublicRange, ...]:
    """Every public range, in a fixed order (the GeoIP database is built from it)."""
    return (
        *OFFICES.values(),
        *HOMES.values(),
        *AWS_EIP.values(),
        *AWS_SERVICE.values(),
        GITHUB_RUNNERS,
        *SAAS.values(),
        *SCANNERS,
        *ATTACKER.values(),
    )


_INDEX: list[tuple[int, int, PublicRange]] = []


def range_of(ip: str) -> PublicRange | None:
    """The simulated range holding ``ip`` (``None`` for private or unknown addresses)."""
    if not _INDEX:
        for r in all_ranges():
            net = ipaddress.ip_network(r.cidr)
            _INDEX.append((int(net.network_address), int(net.broadcast_address), r))
    value = int(ipaddress.ip_address(ip))
    for lo, hi, r in _INDEX:
        if lo <= value <= hi:
            return r
    return None
