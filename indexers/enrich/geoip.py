"""Optional GeoIP/ASN enrichment from MaxMind ``.mmdb`` files (GeoLite2-City / -ASN layout)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import maxminddb

__all__ = ["GeoIp"]


class GeoIp:
    """Lookups of ECS ``geo`` and ``as`` objects; either database may be absent."""

    def __init__(self, city_db: Path | None, asn_db: Path | None) -> None:
        """Open the readers (memory-mapped); missing paths disable that half."""
        self._city = maxminddb.open_database(str(city_db)) if city_db else None
        self._asn = maxminddb.open_database(str(asn_db)) if asn_db else None
        self.lookup = functools.lru_cache(maxsize=65536)(self._lookup)

    @property
    def enabled(self) -> bool:
        """At least one database is loaded."""
        return self._city is not None or self._asn is not None

    def _lookup(self, ip: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        geo = self._geo(ip) if self._city is not None else None
        asn = self._as(ip) if self._asn is not None else None
        return geo, asn

    def _geo(self, ip: str) -> dict[str, Any] | None:
        assert self._city is not None
        try:
            rec: Any = self._city.get(ip)
        except ValueError:
            return None
        if not isinstance(rec, dict):
            return None
        out: dict[str, Any] = {}
        country = rec.get("country") or rec.get("registered_country") or {}
        if country.get("iso_code"):
            out["country_iso_code"] = country["iso_code"]
        if (country.get("names") or {}).get("en"):
            out["country_name"] = country["names"]["en"]
        city = (rec.get("city") or {}).get("names", {}).get("en")
        if city:
            out["city_name"] = city
        subdivisions = rec.get("subdivisions") or []
        if subdivisions and subdivisions[0].get("names", {}).get("en"):
            out["region_name"] = subdivisions[0]["names"]["en"]
        loc = rec.get("location") or {}
        if "latitude" in loc and "longitude" in loc:
            out["location"] = {"lat": loc["latitude"], "lon": loc["longitude"]}
        return out or None

    def _as(self, ip: str) -> dict[str, Any] | None:
        assert self._asn is not None
        try:
            rec: Any = self._asn.get(ip)
        except ValueError:
            return None
        if not isinstance(rec, dict) or "autonomous_system_number" not in rec:
            return None
        out: dict[str, Any] = {"number": rec["autonomous_system_number"]}
        org = rec.get("autonomous_system_organization")
        if org:
            out["organization"] = {"name": org}
        return out

    def close(self) -> None:
        """Release the memory maps."""
        for reader in (self._city, self._asn):
            if reader is not None:
                reader.close()
