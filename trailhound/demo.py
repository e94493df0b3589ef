"""The demo corpus the main job loads: one simulated org with every attack story.

The window ends at the next whole hour, so the console's default scope (the
last 24 hours) is the attack day and the days before it are the baseline.
Generation and ingest are skipped when the corpus is already there, so running
the main job again is quick and loses nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from elasticsearch import Elasticsearch

from indexers.compaction import compact_settled_days
from indexers.pipeline import ingest_paths
from indexers.report import IngestReport
from indexers.setup import install_templates
from trailhound.config import Settings
from trailhound.ecs.indices import events_pattern
from trailhound.simulator import SCENARIOS, SimulationConfig, simulate

__all__ = ["DemoCorpus", "demo_settings", "load_demo"]


@dataclass(frozen=True, slots=True)
class DemoCorpus:
    """Where the demo files are and what loading them did."""

    directory: Path
    generated: bool
    report: IngestReport | None
    events_in_index: int


def _demo_dir(settings: Settings, seed: int) -> Path:
    return settings.local_node.data_dir / "demo" / f"seed{seed}"


def demo_settings(settings: Settings, directory: Path) -> Settings:
    """Point GeoIP and threat-intel settings at the demo's own databases and feeds."""
    analytics = settings.analytics
    city = directory / "geoip" / "Simulated-City.mmdb"
    asn = directory / "geoip" / "Simulated-ASN.mmdb"
    feeds = (
        tuple(sorted((directory / "threat_intel").glob("*")))
        if (directory / "threat_intel").is_dir()
        else ()
    )
    return dataclasses.replace(
        settings,
        analytics=dataclasses.replace(
            analytics,
            geoip_city_db=analytics.geoip_city_db or (city if city.is_file() else None),
            geoip_asn_db=analytics.geoip_asn_db or (asn if asn.is_file() else None),
            threat_intel_feeds=analytics.threat_intel_feeds or feeds,
        ),
    )


def load_demo(
    settings: Settings,
    client: Elasticsearch,
    *,
    days: int = 14,
    seed: int = 7,
    scale: str = "small",
    reload: bool = False,
    now: datetime | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> DemoCorpus:
    """Generate (once) and ingest (once) the demo corpus into ``settings.ingest.namespace``."""
    directory = _demo_dir(settings, seed)
    namespace = settings.ingest.namespace
    generated = False
    if reload or not (directory / "ground_truth.json").is_file():
        end = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0) + timedelta(
            hours=1
        )
        say(f"simulating {days} days ({scale}, seed {seed}) ending {end:%Y-%m-%d %H:00} UTC")
        simulate(
            SimulationConfig(
                out=directory,
                days=days,
                accounts=2,
                scale=scale,
                scenarios=tuple(SCENARIOS),
                seed=seed,
                end=end,
                overwrite=True,
            )
        )
        generated = True
    install_templates(client, namespace)
    existing = _count(client, namespace)
    report = None
    if generated or reload or existing == 0:
        say(f"ingesting {directory / 'AWSLogs'} into namespace {namespace}")
        report = ingest_paths(
            [str(directory / "AWSLogs")],
            demo_settings(settings, directory),
            namespace=namespace,
            client=client,
        )
        # The demo's history arrives in one backfill: merge its complete days once.
        compacted = compact_settled_days(client, namespace, now=now)
        say(f"merged {len(compacted.merged)} complete day index(es) in {compacted.seconds:.1f}s")
    return DemoCorpus(directory, generated, report, _count(client, namespace))


def _count(client: Elasticsearch, namespace: str) -> int:
    resp = client.options(ignore_status=404).count(
        index=events_pattern(namespace), allow_no_indices=True, ignore_unavailable=True
    )
    return int(resp.get("count", 0))
