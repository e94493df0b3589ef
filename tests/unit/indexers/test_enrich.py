"""Enrichment: user-agent parsing and GeoIP/ASN lookups from real .mmdb files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from mmdb_writer import MMDBWriter
from netaddr import IPSet

from indexers.enrich import Enricher
from indexers.enrich.geoip import GeoIp
from indexers.enrich.useragent import parse_user_agent
from indexers.registry import ParseContext

from .conftest import DATA, docs


def test_browser_and_sdk_user_agents() -> None:
    chrome = parse_user_agent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/114.0.0.0 Safari/537.36"
    )
    assert (chrome["name"], chrome["version"], chrome["os"]["name"]) == (
        "Chrome",
        "114.0.0",
        "Windows",
    )
    boto_ua = "Boto3/1.26.165 md/Botocore#1.29.165 ua/2.0 os/linux#5.15 lang/python#3.11"
    assert parse_user_agent(boto_ua) == {
        "original": boto_ua,
        "name": "Boto3",
        "version": "1.26.165",
        "os": {"name": "Linux", "version": "5.15"},
    }
    cli = parse_user_agent("[aws-cli/1.18.69 Python/3.8 Darwin/19.6.0 botocore/1.17.62]")
    assert (cli["name"], cli["version"], cli["os"]) == (
        "aws-cli",
        "1.18.69",
        {"name": "Mac OS X", "version": "19.6.0"},
    )
    go = parse_user_agent("aws-sdk-go/1.41.4 (go1.18.3; linux; amd64) amazon-ssm-agent/")
    assert (go["name"], go["os"]) == ("aws-sdk-go", {"name": "Linux"})
    assert parse_user_agent("AWS Internal") == {"original": "AWS Internal", "name": "AWS Internal"}


def _dbs(tmp: Path) -> tuple[Path, Path]:
    city = MMDBWriter(ip_version=6, database_type="GeoLite2-City", ipv4_compatible=True)
    city.insert_network(
        IPSet(["192.168.10.0/24", "3.225.16.0/24"]),
        {
            "country": {"iso_code": "US", "names": {"en": "United States"}},
            "city": {"names": {"en": "Ashburn"}},
            "subdivisions": [{"names": {"en": "Virginia"}}],
            "location": {"latitude": 39.0469, "longitude": -77.4903},
        },
    )
    asn = MMDBWriter(ip_version=6, database_type="GeoLite2-ASN", ipv4_compatible=True)
    asn.insert_network(
        IPSet(["3.225.16.0/24"]),
        {"autonomous_system_number": 14618, "autonomous_system_organization": "AMAZON-AES"},
    )
    city_path, asn_path = tmp / "city.mmdb", tmp / "asn.mmdb"
    city.to_db_file(str(city_path))
    asn.to_db_file(str(asn_path))
    return city_path, asn_path


def test_geoip_fills_source_geo_and_as_for_public_ips(tmp_path: Path) -> None:
    city, asn = _dbs(tmp_path)
    enricher = Enricher(GeoIp(city, asn))
    ctx = ParseContext(now=datetime(2026, 12, 1, tzinfo=UTC), enricher=enricher)
    got = docs(DATA / "cloudtrail/AWSLogs/123837392027/CloudTrail", ctx)
    enricher.close()
    by_ip = {d["source"].get("ip"): d["source"] for d in got if "source" in d}
    public = by_ip["3.225.16.109"]  # the SSM agent's calls in the invictus sample
    assert public["geo"] == {
        "country_iso_code": "US",
        "country_name": "United States",
        "city_name": "Ashburn",
        "region_name": "Virginia",
        "location": {"lat": 39.0469, "lon": -77.4903},
    }
    assert public["as"] == {"number": 14618, "organization": {"name": "AMAZON-AES"}}
    # Private addresses are never looked up, even when a database covers them.
    assert "geo" not in by_ip["192.168.10.20"]
    assert all("geo" not in s for ip, s in by_ip.items() if ip and not ip.startswith("3.225.16."))
