"""``get profile panel`` through the SDK's local runner, on the scenario's entities."""

from typing import Any

from tests.conftest import Stack
from tests.runner import run_action


def _panel(
    stack: Stack, asset: dict[str, Any], kind: str, ident: str, panel: str, **extra: Any
) -> dict[str, Any]:
    params = {
        "entity_type": kind,
        "entity_id": ident,
        "panel": panel,
        **stack.scope(),
        **extra,
    }
    run = run_action("get_profile_panel", asset, params)
    assert run.success, run.message
    (out,) = run.data
    assert out["panel"] == panel
    assert out["baseline_end"] <= out["scope_start"]
    return dict(out)


def test_new_behavior_of_the_role_session(stack: Stack, asset: dict[str, Any]) -> None:
    facts = stack.facts
    out = _panel(
        stack, asset, "AWS_ROLE_SESSION", facts["role_session_id"], "NEW_BEHAVIOR"
    )
    new = out["new_behavior"]
    assert facts["attack_user_agent"] in {u["user_agent"] for u in new["user_agents"]}
    assert {"ListBuckets", "GetBucketAcl"} <= {a["value"] for a in new["api_calls"]}
    assert out["api_call_volume"] is None
    assert out["vpc_flow_volume"] is None


def test_api_call_volume_of_the_role_session(
    stack: Stack, asset: dict[str, Any]
) -> None:
    facts = stack.facts
    out = _panel(
        stack,
        asset,
        "AWS_ROLE_SESSION",
        facts["role_session_id"],
        "API_CALL_VOLUME",
        limit=50,
    )
    volume = out["api_call_volume"]
    assert volume["success"] >= facts["objects_read"]
    assert volume["failure"] >= 4  # the denied AuthorizeSecurityGroupIngress calls
    assert "s3.amazonaws.com" in {s["service"] for s in volume["services"]}
    get_object = [r for r in volume["by_api"] if r["api"] == "GetObject"]
    assert get_object
    assert facts["instance_public_ip"] in {r["ip"] for r in get_object}


def test_vpc_flow_volume_of_the_instance_shows_the_c2(
    stack: Stack, asset: dict[str, Any]
) -> None:
    facts = stack.facts
    instance = facts["instance_id"]
    everything = _panel(stack, asset, "EC2_INSTANCE", instance, "VPC_FLOW_VOLUME")
    total = everything["vpc_flow_volume"]
    assert total["peer_count"] > 1
    assert total["end_cursor"], "more rows than one page"
    cidr = f"{facts['c2_ip']}/32"
    out = _panel(
        stack, asset, "EC2_INSTANCE", instance, "VPC_FLOW_VOLUME", cidr=cidr, limit=200
    )
    flows = out["vpc_flow_volume"]
    assert flows["rows"]
    assert {r["peer"]["ip"] for r in flows["rows"]} == {facts["c2_ip"]}
    assert {r["remote_port"] for r in flows["rows"]} == {443}
    assert flows["peer_count"] == 1
    assert flows["flow_count"] < total["flow_count"]


def test_associated_findings_of_the_instance(
    stack: Stack, asset: dict[str, Any]
) -> None:
    facts = stack.facts
    out = _panel(
        stack, asset, "EC2_INSTANCE", facts["instance_id"], "ASSOCIATED_FINDINGS"
    )
    (group,) = out["groups"]
    assert group["edge_type"] == "FINDING"
    types = {t for e in group["edges"] for t in e["finding_types"]}
    assert "Backdoor:EC2/C&CActivity.B" in types


def test_resource_interaction_of_the_role_session(
    stack: Stack, asset: dict[str, Any]
) -> None:
    facts = stack.facts
    out = _panel(
        stack,
        asset,
        "AWS_ROLE_SESSION",
        facts["role_session_id"],
        "RESOURCE_INTERACTION",
    )
    assert out["entity"]["role_session"] == facts["role_session_id"]
    for group in out["groups"]:
        assert group["total_count"] >= len(group["edges"])


def test_unknown_panel_is_an_invalid_request(
    stack: Stack, asset: dict[str, Any]
) -> None:
    params = {
        "entity_type": "EC2_INSTANCE",
        "entity_id": stack.facts["instance_id"],
        "panel": "weather",
    }
    run = run_action("get_profile_panel", asset, params)
    assert not run.success
    assert "INVALID_REQUEST: panel 'weather'" in run.message
