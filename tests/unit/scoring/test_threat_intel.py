from __future__ import annotations

import json
from pathlib import Path

import pytest

from resolvers.scoring.threat_intel import load_feed, load_feeds, parse_csv, parse_plain, parse_stix
from trailhound.errors import ConfigError


def test_plain_list_with_cidrs_and_comments() -> None:
    feed = parse_plain(
        "blocklist", "# header\n203.0.113.7\n198.51.100.0/24  # scanners\n\nnot-an-ip\n"
    )
    assert [str(n) for n in feed.networks] == ["203.0.113.7/32", "198.51.100.0/24"]
    assert feed.skipped == 1


def test_csv_picks_the_ip_column() -> None:
    feed = parse_csv("c2", "first_seen,ip_address,malware\n2024-01-01,192.0.2.9,Emotet\n,,\n")
    assert [str(n) for n in feed.networks] == ["192.0.2.9/32"]


def test_stix_bundle_patterns_and_observables() -> None:
    bundle = {
        "type": "bundle",
        "id": "bundle--1",
        "objects": [
            {
                "type": "indicator",
                "spec_version": "2.1",
                "pattern_type": "stix",
                "pattern": "[ipv4-addr:value = '203.0.113.0/28'] OR "
                "[ipv4-addr:value = '192.0.2.1']",
            },
            {"type": "ipv6-addr", "spec_version": "2.1", "value": "2001:db8::1"},
            {
                "type": "indicator",
                "pattern_type": "sigma",
                "pattern": "ipv4-addr:value = '10.0.0.1'",
            },
            {"type": "domain-name", "value": "evil.example"},
        ],
    }
    feed = parse_stix("stix", json.dumps(bundle))
    assert sorted(str(n) for n in feed.networks) == [
        "192.0.2.1/32",
        "2001:db8::1/128",
        "203.0.113.0/28",
    ]
    with pytest.raises(ConfigError):
        parse_stix("bad", "{")


def test_matching_names_the_feed_and_the_longest_entry(tmp_path: Path) -> None:
    (tmp_path / "abuse.txt").write_text("203.0.113.0/24\n203.0.113.7\n")
    (tmp_path / "partner.csv").write_text("ip\n203.0.113.7\n")
    intel = load_feeds([tmp_path / "abuse.txt", tmp_path / "partner.csv"])
    matches = intel.match("203.0.113.7")
    assert [(m.feed, m.entry) for m in matches] == [
        ("abuse", "203.0.113.7/32"),
        ("partner", "203.0.113.7/32"),
    ]
    assert [m.entry for m in intel.match("203.0.113.8")] == ["203.0.113.0/24"]
    assert intel.match("2001:db8::5") == []
    assert intel.match("ec2.amazonaws.com") == []
    with pytest.raises(ConfigError):
        load_feed(tmp_path / "missing.txt")
