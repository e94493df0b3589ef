"""Simulated corpus -> the real indexers -> the real test node: nothing lost, truth holds."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from indexers.pipeline import ingest_paths
from indexers.report import IngestReport
from trailhound.config import Settings
from trailhound.simulator import SCENARIOS, SimulationConfig, SimulationResult, simulate

pytestmark = pytest.mark.es


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    return simulate(
        SimulationConfig(
            out=tmp_path_factory.mktemp("sim"),
            days=3,
            accounts=2,
            scale="tiny",
            seed=11,
            scenarios=tuple(SCENARIOS),
        )
    )


@pytest.fixture(scope="module")
def ingested(
    sim: SimulationResult, settings: Settings, namespace: str, es: Elasticsearch
) -> IngestReport:
    analytics = dataclasses.replace(
        settings.analytics, geoip_city_db=sim.geoip_city, geoip_asn_db=sim.geoip_asn
    )
    s = dataclasses.replace(settings, analytics=analytics)
    return ingest_paths([str(sim.logs_root)], s, namespace=namespace)


def _count(es: Elasticsearch, index: str, query: dict[str, Any] | None = None) -> int:
    body = {"query": query} if query else None
    return int(es.count(index=index, body=body, ignore_unavailable=True)["count"])


def test_every_record_is_indexed_and_counts_match(
    sim: SimulationResult, ingested: IngestReport, es: Elasticsearch, namespace: str
) -> None:
    t = sim.totals
    total = ingested.total()
    assert ingested.balanced
    assert total.dead_lettered == 0, ingested.errors[:5]
    assert total.failed == 0
    assert total.duplicate == 0
    by_source = {name: c for name, c in ingested.sources.items()}
    ct = next(c for n, c in by_source.items() if "cloudtrail" in n)
    fl = next(c for n, c in by_source.items() if "flow" in n)
    gd = next(c for n, c in by_source.items() if "guardduty" in n)
    assert ct.indexed == t.cloudtrail_events
    assert fl.read == t.flow_records
    assert fl.skipped == t.flow_nodata + t.flow_skipdata
    assert fl.indexed == t.flow_records_ok
    assert gd.indexed == t.findings
    assert _count(es, f"logs-aws.cloudtrail-{namespace}*") == t.cloudtrail_events
    assert _count(es, f"logs-aws.vpcflow-{namespace}*") == t.flow_records_ok
    assert _count(es, f"logs-aws.guardduty-{namespace}*") == t.findings
