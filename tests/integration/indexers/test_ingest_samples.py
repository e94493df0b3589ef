"""Ingest real sample files end to end: counts and field values in Elasticsearch, re-ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from indexers.pipeline import ingest_paths
from indexers.report import IngestReport
from trailhound.config import Settings
from trailhound.ecs.indices import dataset_pattern, events_pattern

DATA = Path(__file__).resolve().parents[2] / "data"
PATHS = [
    str(DATA / "cloudtrail/AWSLogs"),
    str(DATA / "vpcflow/awsdocs-v3-tcp-flags.log"),
    str(DATA / "vpcflow/awsdocs-v2-default.log"),
    str(DATA / "vpcflow/awsdocs-v5-traffic-path.log.gz"),
    str(DATA / "guardduty"),
    str(DATA / "asff"),
]


@pytest.fixture(scope="module")
def first(es: Elasticsearch, settings: Settings, namespace: str) -> IngestReport:
    return ingest_paths(PATHS, settings, namespace=namespace)


def _count(es: Elasticsearch, index: str, **term: str) -> int:
    query = {"term": term} if term else {"match_all": {}}
    return int(es.count(index=index, query=query)["count"])


def test_counts_per_source(first: IngestReport, es: Elasticsearch, namespace: str) -> None:
    assert first.balanced
    assert first.ok
    got = {name: c.as_dict() for name, c in first.sources.items()}
    assert got["cloudtrail"] == {
        "read": 2901,
        "indexed": 2900,
        "duplicate": 0,
        "skipped": 1,
        "dead_lettered": 0,
        "failed": 0,
    }
    assert got["vpcflow"] == {
        "read": 17,
        "indexed": 15,
        "duplicate": 0,
        "skipped": 2,
        "dead_lettered": 0,
        "failed": 0,
    }
    # Panther's "... As Sample Data" cases and the EventBridge copies repeat a finding
    # (same id and updatedAt): they are duplicates even within one run.
    assert (got["guardduty"]["indexed"], got["guardduty"]["duplicate"]) == (6, 6)
    assert (got["asff"]["indexed"], got["asff"]["duplicate"]) == (42, 7)
    for dataset, name in (
        ("aws.cloudtrail", "cloudtrail"),
        ("aws.vpcflow", "vpcflow"),
        ("aws.guardduty", "guardduty"),
        ("aws.securityhub_findings", "asff"),
    ):
        assert _count(es, dataset_pattern(dataset, namespace)) == got[name]["indexed"]


def test_field_values_are_queryable(first: IngestReport, es: Elasticsearch, namespace: str) -> None:
    ct = dataset_pattern("aws.cloudtrail", namespace)
    assert _count(es, ct, **{"event.id": "7c53cae3-f037-4394-8ad9-086f099efa7d"}) == 1
    assert _count(es, ct, **{"trailhound.kind": "ROLE_ASSUMPTION"}) > 0
    sessions = es.search(
        index=ct,
        size=0,
        query={"term": {"trailhound.instance": "ec2_instance:i-0dbc91f429e48eeed"}},
        aggs={"actor": {"terms": {"field": "trailhound.actor"}}},
    )
    buckets = sessions["aggregations"]["actor"]["buckets"]
    assert [b["key"] for b in buckets] == [
        "aws_role_session:AROATFQR7NSC6Q6YRQ2Q7:i-0dbc91f429e48eeed"
    ]
    flows = dataset_pattern("aws.vpcflow", namespace)
    assert _count(es, flows, **{"trailhound.flow.local_ip": "10.0.0.62"}) == 8
    assert _count(es, flows, **{"trailhound.kind": "NETWORK_REJECTED"}) == 2
    assert _count(es, flows, **{"related.entity": "network_interface:eni-1235b8ca123456789"}) == 15
    # The daily index follows the event time.
    assert es.indices.exists(index=f"logs-aws.vpcflow-{namespace}-2019.08.26")
    findings = events_pattern(namespace)
    assert (
        _count(es, findings, **{"trailhound.finding": "finding:034f3664616c49cb85349d0511ecd306"})
        == 1
    )
    assert _count(es, findings, **{"event.kind": "alert"}) == 48


def test_reingest_adds_nothing_and_counts_duplicates(
    first: IngestReport, es: Elasticsearch, settings: Settings, namespace: str
) -> None:
    before = _count(es, events_pattern(namespace))
    again = ingest_paths(PATHS, settings, namespace=namespace)
    assert again.balanced
    total = again.total()
    assert total.indexed == 0
    assert total.duplicate == first.total().indexed + first.total().duplicate
    assert total.skipped == first.total().skipped
    assert _count(es, events_pattern(namespace)) == before


def test_templates_are_installed_and_mapping_is_strict(
    first: IngestReport, es: Elasticsearch, namespace: str
) -> None:
    assert es.indices.exists_index_template(name=f"trailhound-events-{namespace}")
    mapping = es.indices.get_mapping(index=dataset_pattern("aws.vpcflow", namespace))
    props = next(iter(mapping.values()))["mappings"]
    assert props["dynamic"] == "false"
    assert props["properties"]["trailhound"]["properties"]["flow"]["properties"]["local_ip"] == {
        "type": "ip"
    }
