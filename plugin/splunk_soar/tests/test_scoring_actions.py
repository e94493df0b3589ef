"""Anomaly score, investigations and finding groups through the SDK's local runner.

The second half of the walkthrough: ``start investigation`` on the compromised
instance's role session ends SUCCESSFUL with HIGH or CRITICAL severity and its
indicators; the instance's finding group shows the C2 IP.
"""

from typing import Any


from tests.backend import parse_api_key, run_trailhound, trailhound_env
from tests.conftest import Stack
from tests.runner import run_action

HIGH = {"HIGH", "CRITICAL"}


def test_anomaly_score_of_the_role_session_is_high(
    stack: Stack, asset: dict[str, Any]
) -> None:
    facts = stack.facts
    params = stack.entity_params("AWS_ROLE_SESSION", "role_session_id")
    run = run_action("get_anomaly_score", asset, params)
    assert run.success, run.message
    (score,) = run.data
    assert score["severity"] in HIGH
    assert 0 < score["score"] <= 100
    assert score["entity"]["role_session"] == facts["role_session_id"]
    kinds = {i["indicator_type"] for i in score["indicators"]}
    assert {"NEW_USER_AGENT", "TTP_OBSERVED"} <= kinds
    agents = {
        i["user_agent"]
        for i in score["indicators"]
        if i["indicator_type"] == "NEW_USER_AGENT"
    }
    assert facts["attack_user_agent"] in agents
    assert score["top_factors"]
    assert score["top_factors"][0]["rank"] == 1


def test_anomaly_score_filters_indicator_types(
    stack: Stack, asset: dict[str, Any]
) -> None:
    params = stack.entity_params(
        "AWS_ROLE_SESSION", "role_session_id", indicator_types="ttp_observed"
    )
    run = run_action("get_anomaly_score", asset, params)
    assert run.success, run.message
    (score,) = run.data
    assert {i["indicator_type"] for i in score["indicators"]} == {"TTP_OBSERVED"}
    assert {"ListBuckets"} <= {i["api_name"] for i in score["indicators"]}


def test_investigation_of_the_role_session_is_successful_and_high(
    stack: Stack, investigation: dict[str, Any]
) -> None:
    assert investigation["status"] == "SUCCESSFUL"
    assert investigation["state"] == "ACTIVE"
    assert investigation["severity"] in HIGH
    assert (
        investigation["entity_key"]
        == f"aws_role_session:{stack.facts['role_session_id']}"
    )
    assert investigation["indicator_count"] == len(investigation["indicators"]) > 0
    kinds = {i["indicator_type"] for i in investigation["indicators"]}
    assert {"NEW_USER_AGENT", "TTP_OBSERVED"} <= kinds
    assert all(i["summary"] for i in investigation["indicators"])


def test_list_investigations_finds_it_by_entity_and_severity(
    stack: Stack, asset: dict[str, Any], investigation: dict[str, Any]
) -> None:
    params = {
        "entity_type": "AWS_ROLE_SESSION",
        "entity_id": stack.facts["role_session_id"],
        "severities": "HIGH, CRITICAL",
        "statuses": "SUCCESSFUL",
    }
    run = run_action("list_investigations", asset, params)
    assert run.success, run.message
    assert investigation["investigation_id"] in {
        r["investigation_id"] for r in run.data
    }
    none = run_action("list_investigations", asset, {**params, "severities": "LOW"})
    assert none.success, none.message
    assert investigation["investigation_id"] not in {
        r["investigation_id"] for r in none.data
    }


def test_finding_groups_of_the_attack_include_the_instance(
    stack: Stack, asset: dict[str, Any]
) -> None:
    facts = stack.facts
    run = run_action(
        "list_finding_groups", asset, {"severities": "HIGH,CRITICAL", **stack.scope()}
    )
    assert run.success, run.message
    groups = [g for g in run.data if facts["instance_id"] in g["instance_ids"]]
    assert groups, "no finding group involves the compromised instance"
    group = run_action("get_finding_group", asset, {"group_id": groups[0]["group_id"]})
    assert group.success, group.message
    (detail,) = group.data
    assert detail["severity"] in HIGH
    assert facts["instance_id"] in detail["instance_ids"]
    assert detail["findings"]
    c2 = {
        f["id"]
        for f in stack.truth["findings"]
        if f["type"] == "Backdoor:EC2/C&CActivity.B"
    }
    assert c2, "the scenario has a C2 finding"
    assert c2 <= {f["finding_id"] for f in detail["findings"]}


def test_unknown_investigation_is_not_found(asset: dict[str, Any]) -> None:
    run = run_action(
        "get_investigation", asset, {"investigation_id": "no-such-investigation"}
    )
    assert not run.success
    assert "NOT_FOUND: " in run.message


def test_unknown_finding_group_is_not_found(asset: dict[str, Any]) -> None:
    run = run_action("get_finding_group", asset, {"group_id": "fg-0000000000000000"})
    assert not run.success
    assert "NOT_FOUND: " in run.message


def test_reader_key_reads_investigations(
    stack: Stack, asset: dict[str, Any], investigation: dict[str, Any]
) -> None:
    env = trailhound_env(stack.namespace)
    reader = parse_api_key(
        run_trailhound(
            [
                "apikey",
                "create",
                "--role",
                "reader",
                "--name",
                f"soar-{stack.namespace}",
            ],
            env,
        )
    )
    try:
        params = {"investigation_id": investigation["investigation_id"]}
        run = run_action("get_investigation", {**asset, "api_key": reader}, params)
        assert run.success, run.message
        assert run.data[0]["status"] == "SUCCESSFUL"
    finally:
        run_trailhound(["apikey", "revoke", reader.split("_")[1]], env)


def test_wait_seconds_is_bounded(asset: dict[str, Any]) -> None:
    run = run_action(
        "get_investigation", asset, {"investigation_id": "x", "wait_seconds": 100_000}
    )
    assert not run.success
    assert "INVALID_REQUEST: wait_seconds" in run.message
