"""MaxMind-format City and ASN databases for every simulated public range.

Written with ``mmdb-writer`` in the GeoLite2 record layout (``city.names.en``,
``country.iso_code``, ``location.latitude`` ...; ``autonomous_system_number``,
``autonomous_system_organization``), so code reading a real GeoLite2 file with
``maxminddb`` reads these unchanged.  ``build_epoch`` is fixed for
reproducible bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mmdb_writer import MMDBWriter
from netaddr import IPSet

from trailhound.simulator import network

BUILD_EPOCH = 1764547200  # 2025-12-01T00:00:00Z


class _FixedEpochWriter(MMDBWriter):
    def _build_meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = super()._build_meta()
        meta["build_epoch"] = BUILD_EPOCH
        return meta


def city_record(r: network.PublicRange) -> dict[str, Any]:
    """A GeoLite2-City style record for a range."""
    p = r.place
    return {
        "city": {"geoname_id": p.geoname_id, "names": {"en": p.city}},
        "continent": {"code": p.continent_code, "names": {"en": p.continent}},
        "country": {"iso_code": p.country_iso, "names": {"en": p.country}},
        "location": {
            "latitude": p.latitude,
            "longitude": p.longitude,
            "time_zone": p.time_zone,
            "accuracy_radius": 20,
        },
        "registered_country": {"iso_code": p.country_iso, "names": {"en": p.country}},
    }


def write_geoip(directory: Path) -> tuple[Path, Path]:
    """Write ``Simulated-City.mmdb`` and ``Simulated-ASN.mmdb``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    city = _FixedEpochWriter(
        ip_version=4,
        database_type="GeoLite2-City",
        languages=["en"],
        description="Trailhound simulated GeoIP City",
    )
    asn = _FixedEpochWriter(
        ip_version=4,
        database_type="GeoLite2-ASN",
        languages=["en"],
        description="Trailhound simulated GeoIP ASN",
    )
    for r in network.all_ranges():
        cidr = IPSet([r.cidr])
        city.insert_network(cidr, city_record(r))
        asn.insert_network(
            cidr, {"autonomous_system_number": r.asn, "autonomous_system_organization": r.as_org}
        )
    city_path, asn_path = directory / "Simulated-City.mmdb", directory / "Simulated-ASN.mmdb"
    city.to_db_file(str(city_path))
    asn.to_db_file(str(asn_path))
    return city_path, asn_path
