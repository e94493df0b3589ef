"""Threat-intel feeds for FLAGGED_IP_ADDRESS: plain lists, CSV and STIX 2.1 bundles.

A feed is a file given in ``settings.analytics.threat_intel_feeds``; its name
(the file stem) is the ``reason`` of every indicator it raises.  Formats, by
content:

* plain text: one IP or CIDR per line, ``#`` comments and blank lines ignored;
* CSV (``.csv``): a header row, the first column whose name is one of
  ``ip``, ``ip_address``, ``indicator``, ``value``, ``cidr``, ``network`` holds the
  IP/CIDR (otherwise the first column);
* STIX 2.1 bundle (``.json``): ``indicator`` objects with a STIX pattern of
  ``[ipv4-addr:value = '...']`` / ``ipv6-addr`` (ORed comparisons are all taken),
  and ``ipv4-addr``/``ipv6-addr`` cyber-observable objects.

Values that are not IPs or networks are counted and skipped, never fatal.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trailhound.errors import ConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_CSV_COLUMNS = ("ip", "ip_address", "indicator", "value", "cidr", "network")
_STIX_IP = re.compile(r"ipv[46]-addr:value\s*=\s*'([^']+)'")


@dataclass(frozen=True, slots=True)
class Feed:
    """One loaded feed: its name, networks, and how many entries were unusable."""

    name: str
    networks: tuple[Network, ...]
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class Match:
    """An IP found in a feed: the feed name and the listed entry that matched."""

    ip: str
    feed: str
    entry: str


@dataclass(frozen=True, slots=True)
class ThreatIntel:
    """All configured feeds, matched by longest-prefix-first per feed."""

    feeds: tuple[Feed, ...] = field(default=())

    def match(self, ip: str) -> list[Match]:
        """Every feed listing ``ip`` (an exact address or a containing network)."""
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return []
        found = []
        for feed in self.feeds:
            hits = [n for n in feed.networks if addr.version == n.version and addr in n]
            if hits:
                best = max(hits, key=lambda n: n.prefixlen)
                found.append(Match(ip, feed.name, str(best)))
        return found

    def match_all(self, ips: Iterable[str]) -> list[Match]:
        """Matches for many IPs, in input order."""
        return [m for ip in ips for m in self.match(ip)]


def _network(value: str) -> Network | None:
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None


def _collect(name: str, values: Iterable[str]) -> Feed:
    nets: list[Network] = []
    skipped = 0
    for value in values:
        net = _network(value)
        if net is None:
            skipped += 1
        else:
            nets.append(net)
    return Feed(name, tuple(dict.fromkeys(nets)), skipped)


def parse_plain(name: str, text: str) -> Feed:
    """One IP/CIDR per line."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return _collect(name, (line for line in lines if line))


def parse_csv(name: str, text: str) -> Feed:
    """A CSV with a header; see the module doc for the column chosen."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return Feed(name, ())
    header = [h.strip().lower() for h in rows[0]]
    col = next((header.index(c) for c in _CSV_COLUMNS if c in header), 0)
    return _collect(name, (row[col] for row in rows[1:] if len(row) > col and row[col].strip()))


def parse_stix(name: str, text: str) -> Feed:
    """A STIX 2.1 bundle: indicator patterns and IP observables."""
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"threat-intel feed {name}: invalid JSON: {exc}") from exc
    objects = bundle.get("objects", []) if isinstance(bundle, dict) else []
    values: list[str] = []
    for obj in objects:
        if not isinstance(obj, dict):
            continue
        if obj.get("type") == "indicator" and obj.get("pattern_type", "stix") == "stix":
            values.extend(_STIX_IP.findall(str(obj.get("pattern", ""))))
        elif obj.get("type") in ("ipv4-addr", "ipv6-addr") and "value" in obj:
            values.append(str(obj["value"]))
    return _collect(name, values)


def load_feed(path: Path) -> Feed:
    """Load one feed file, choosing the parser from the suffix and content."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"threat-intel feed {path}: {exc.strerror}") from exc
    name = path.stem
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return parse_stix(name, text)
    if path.suffix.lower() == ".csv":
        return parse_csv(name, text)
    return parse_plain(name, text)


def load_feeds(paths: Sequence[Path]) -> ThreatIntel:
    """Load every configured feed."""
    return ThreatIntel(tuple(load_feed(p) for p in paths))
