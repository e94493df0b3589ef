"""The graph actions through the SDK's local runner, against the real server and scenario data.

The walkthrough: from an alert on the compromised instance, the playbook finds
the instance, reads its neighborhood (the C2 IP and the instance-profile role
session appear, CEF-typed), expands the role session (the exfiltrated bucket
appears) and reads the instance's outbound timeline.
"""

from typing import Any

from tests.conftest import Stack
from tests.runner import run_action


def test_connectivity_succeeds(asset: dict[str, Any]) -> None:
    run = run_action("test_connectivity", asset)
    assert run.success, run.message
    assert "successful" in run.message.lower()


def test_search_finds_the_compromised_instance_by_prefix(
    stack: Stack, asset: dict[str, Any]
) -> None:
    instance = stack.facts["instance_id"]
    run = run_action(
        "search_entities",
        asset,
        {"entity_type": "EC2_INSTANCE", "text": instance[:8], "limit": 50},
    )
    assert run.success, run.message
    found = {row["instance_id"]: row for row in run.data}
    assert instance in found
    assert found[instance]["entity_type"] == "EC2_INSTANCE"
    assert found[instance]["is_example"] is False


def test_search_without_match_returns_examples(asset: dict[str, Any]) -> None:
    run = run_action(
        "search_entities",
        asset,
        {"entity_type": "S3_BUCKET", "text": "zz-no-such-bucket"},
    )
    assert run.success, run.message
    assert run.data, "examples from the data were expected"
    assert all(row["is_example"] and row["bucket_name"] for row in run.data)


def test_get_entity_returns_the_instance_details(
    stack: Stack, asset: dict[str, Any]
) -> None:
    instance = stack.facts["instance_id"]
    run = run_action(
        "get_entity", asset, {"entity_type": "ec2 instance", "entity_id": instance}
    )
    assert run.success, run.message
    (entity,) = run.data
    assert entity["instance_id"] == instance
    assert entity["key"] == f"ec2_instance:{instance}"
    assert entity["account_id"] == stack.facts["account"]
    assert entity["event_count"] > 0
    assert entity["first_seen"] <= entity["last_seen"]


def test_neighborhood_of_the_instance_shows_c2_ip_and_role_session(
    stack: Stack, asset: dict[str, Any]
) -> None:
    facts = stack.facts
    params = stack.entity_params("EC2_INSTANCE", "instance_id")
    run = run_action("get_neighborhood", asset, {**params, "limit_per_edge_type": 50})
    assert run.success, run.message
    (hood,) = run.data
    assert hood["center"]["instance_id"] == facts["instance_id"]
    assert facts["c2_ip"] in hood["ips"]
    assert facts["role_session_id"] in hood["role_sessions"]
    c2_edges = [
        e
        for e in hood["edges"]
        if e["edge_type"] == "NETWORK"
        and facts["c2_ip"] in (e["target"]["ip"], e["source"]["ip"])
    ]
    assert c2_edges, "no NETWORK edge to the C2 IP"
    assert 443 in c2_edges[0]["remote_ports"]
    assert c2_edges[0]["bytes_out"] > 0
    profile = [e for e in hood["edges"] if e["edge_type"] == "INSTANCE_PROFILE"]
    assert [e["target"]["role_session"] for e in profile] == [facts["role_session_id"]]
    assert {g["edge_type"] for g in hood["groups"]} >= {"NETWORK", "INSTANCE_PROFILE"}


def test_neighborhood_of_the_role_session_shows_the_bucket(
    stack: Stack, asset: dict[str, Any]
) -> None:
    facts = stack.facts
    params = stack.entity_params(
        "AWS_ROLE_SESSION",
        "role_session_id",
        edge_types="S3_ACCESS, API_CALL",
        limit_per_edge_type=100,
    )
    run = run_action("get_neighborhood", asset, params)
    assert run.success, run.message
    (hood,) = run.data
    assert facts["bucket"] in hood["bucket_names"]
    assert {g["edge_type"] for g in hood["groups"]} <= {"S3_ACCESS", "API_CALL"}
    actions = {
        a for e in hood["edges"] if e["edge_type"] == "API_CALL" for a in e["actions"]
    }
    assert "ListBuckets" in actions or any(
        e["target"]["entity_id"].endswith(":ListBuckets") for e in hood["edges"]
    )


def test_timeline_of_outbound_flows_reaches_the_c2(
    stack: Stack, asset: dict[str, Any]
) -> None:
    facts = stack.facts
    params = stack.entity_params(
        "EC2_INSTANCE", "instance_id", kinds="network_outbound", limit=500
    )
    run = run_action("get_timeline", asset, params)
    assert run.success, run.message
    (page,) = run.data
    assert page["total_count"] >= len(page["events"]) > 0
    assert all("NETWORK_OUTBOUND" in e["kinds"] for e in page["events"])
    assert facts["c2_ip"] in {e["remote_ip"] for e in page["events"]}
    stamps = [e["timestamp"] for e in page["events"]]
    assert stamps == sorted(stamps)


def test_timeline_pages_with_the_cursor(stack: Stack, asset: dict[str, Any]) -> None:
    params = stack.entity_params("EC2_INSTANCE", "instance_id", limit=3)
    first = run_action("get_timeline", asset, params)
    assert first.success, first.message
    (page1,) = first.data
    assert page1["has_next_page"] is True
    assert page1["end_cursor"]
    second = run_action(
        "get_timeline", asset, {**params, "cursor": page1["end_cursor"]}
    )
    assert second.success, second.message
    (page2,) = second.data
    ids1 = {e["event_id"] for e in page1["events"]}
    ids2 = {e["event_id"] for e in page2["events"]}
    assert len(ids2) == 3
    assert not ids1 & ids2
