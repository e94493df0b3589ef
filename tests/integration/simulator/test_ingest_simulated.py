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


def _n(es: Elasticsearch, dataset: str, namespace: str, *filters: dict[str, Any]) -> int:
    return _count(es, f"logs-{dataset}-{namespace}*", {"bool": {"filter": list(filters)}})


def _term(field: str, value: Any) -> dict[str, Any]:
    return {"term": {field: value}}


def _terms(field: str, values: list[Any]) -> dict[str, Any]:
    return {"terms": {field: values}}


def test_every_scenario_lands_with_its_ids_and_entities(
    sim: SimulationResult, ingested: IngestReport, es: Elasticsearch, namespace: str
) -> None:
    for s in sim.ground_truth["scenarios"]:
        ids = s["event_ids"]
        assert _n(es, "aws.cloudtrail", namespace, _terms("event.id", ids)) == len(ids), s["name"]
        keys = [f"finding:{f}" for f in s["finding_ids"]]
        assert _n(es, "aws.guardduty", namespace, _terms("trailhound.finding", keys)) == len(keys)
        for e in s["entities"]:
            if e["kind"] == "finding":
                continue
            hits = sum(
                _n(es, ds, namespace, _term("related.entity", e["key"]))
                for ds in ("aws.cloudtrail", "aws.vpcflow", "aws.guardduty")
            )
            assert hits > 0, (s["name"], e["key"])


def test_ec2_compromise_in_elasticsearch(
    sim: SimulationResult, ingested: IngestReport, es: Elasticsearch, namespace: str
) -> None:
    f = sim.scenario("ec2-compromise")["facts"]
    inst = f"ec2_instance:{f['instance_id']}"
    c2_flows = _n(
        es,
        "aws.vpcflow",
        namespace,
        _term("trailhound.instance", inst),
        _term("trailhound.remote_ip", f["c2_ip"]),
    )
    expected = sum(
        1
        for t in sim.scenario("ec2-compromise")["flow_tuples"]
        if f["c2_ip"] in (t["srcaddr"], t["dstaddr"])
    )
    assert c2_flows == expected > 0
    session = f"aws_role_session:{f['role_session_id']}"
    reads = _n(
        es,
        "aws.cloudtrail",
        namespace,
        _term("trailhound.actor", session),
        _term("event.action", "GetObject"),
        _term("user_agent.original", f["attack_user_agent"]),
    )
    assert reads == f["objects_read"]
    assert (
        _n(
            es,
            "aws.cloudtrail",
            namespace,
            _term("trailhound.actor", session),
            _term("trailhound.instance", inst),
        )
        > f["objects_read"]
    )
    assert _n(es, "aws.guardduty", namespace, _term("related.entity", inst)) >= 3


def test_leaked_key_in_elasticsearch(
    sim: SimulationResult, ingested: IngestReport, es: Elasticsearch, namespace: str
) -> None:
    s = sim.scenario("leaked-key")
    f = s["facts"]
    key = f"access_key:{f['access_key_id']}"
    attacker = _n(
        es,
        "aws.cloudtrail",
        namespace,
        _term("trailhound.access_key", key),
        _terms("source.ip", f["attacker_ips"]),
    )
    assert attacker == len(s["event_ids"])
    geo = _n(
        es,
        "aws.cloudtrail",
        namespace,
        _term("trailhound.access_key", key),
        _term("source.geo.country_iso_code", f["attacker_location"]["country"]),
        _term("source.as.organization.name", f["attacker_location"]["aso"]),
    )
    assert geo == attacker
    assert (
        _n(
            es,
            "aws.cloudtrail",
            namespace,
            _term("trailhound.actor", f"aws_user:{f['user_arn']}"),
            _term("event.action", "AttachUserPolicy"),
        )
        == 1
    )


def test_role_chain_in_elasticsearch(
    sim: SimulationResult, ingested: IngestReport, es: Elasticsearch, namespace: str
) -> None:
    chain = sim.scenario("role-chain")["facts"]["chain"]
    admin_session = f"aws_role_session:{chain[2]['session_id']}"
    actions = es.search(
        index=f"logs-aws.cloudtrail-{namespace}*",
        size=0,
        query={"term": {"trailhound.actor": admin_session}},
        aggs={"a": {"terms": {"field": "event.action", "size": 50}}},
    )["aggregations"]["a"]["buckets"]
    assert {"CreateUser", "AttachUserPolicy", "CreateAccessKey"} <= {b["key"] for b in actions}
    # each hop's AssumeRole names the next role as its target
    for caller, target in ((chain[0], chain[1]), (chain[1], chain[2])):
        assert (
            _n(
                es,
                "aws.cloudtrail",
                namespace,
                _term("trailhound.actor", f"aws_role_session:{caller['session_id']}"),
                _term("event.action", "AssumeRole"),
                _term("trailhound.targets", f"aws_role:{target['role_arn']}"),
            )
            >= 1
        )


def test_beacon_in_elasticsearch(
    sim: SimulationResult, ingested: IngestReport, es: Elasticsearch, namespace: str
) -> None:
    s = sim.scenario("beacon")
    f = s["facts"]
    got = _n(
        es,
        "aws.vpcflow",
        namespace,
        _term("trailhound.instance", f"ec2_instance:{f['instance_id']}"),
        _term("trailhound.remote_ip", f["beacon_ip"]),
    )
    assert got == len(s["flow_tuples"]) == 2 * f["callbacks"]
    assert _n(es, "aws.vpcflow", namespace, _term("trailhound.remote_ip", f["beacon_ip"])) == got


def test_benign_change_in_elasticsearch(
    sim: SimulationResult, ingested: IngestReport, es: Elasticsearch, namespace: str
) -> None:
    f = sim.scenario("benign-change")["facts"]
    assert (
        _n(
            es,
            "aws.vpcflow",
            namespace,
            _term("trailhound.instance", f"ec2_instance:{f['new_instance_id']}"),
        )
        > 50
    )
    assert (
        _n(es, "aws.cloudtrail", namespace, _term("trailhound.actor", f"aws_user:{f['new_user']}"))
        > 10
    )
