"""The manifest the SDK builds for SOAR: actions, asset fields, and CEF types on data paths."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.runner import APP_DIR

EXPECTED_ACTIONS = {
    "test connectivity",
    "search entities",
    "get entity",
    "get neighborhood",
    "get timeline",
    "get profile panel",
    "get anomaly score",
    "start investigation",
    "get investigation",
    "list investigations",
    "list finding groups",
    "get finding group",
    "on poll",
}


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("manifest") / "trailhound.json"
    soarapps = Path(sys.executable).parent / "soarapps"
    subprocess.run(
        [str(soarapps), "manifests", "create", str(out), str(APP_DIR)],
        check=True,
        capture_output=True,
        cwd=APP_DIR,
    )
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def _action(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    return next(a for a in manifest["actions"] if a["action"] == name)


def _contains(action: dict[str, Any]) -> dict[str, list[str]]:
    return {
        o["data_path"]: o["contains"] for o in action["output"] if o.get("contains")
    }


def test_every_action_is_declared(manifest: dict[str, Any]) -> None:
    assert {a["action"] for a in manifest["actions"]} >= EXPECTED_ACTIONS


def test_asset_has_connection_settings(manifest: dict[str, Any]) -> None:
    config = manifest["configuration"]
    assert config["graphql_url"]["required"] is True
    assert config["api_key"]["data_type"] == "password"
    assert config["verify_tls"]["default"] is True
    assert config["timeout_seconds"]["data_type"] == "numeric"
    assert "ca_bundle" in config


def test_neighborhood_outputs_are_cef_typed(manifest: dict[str, Any]) -> None:
    paths = _contains(_action(manifest, "get neighborhood"))
    assert paths["action_result.data.*.ips.*"] == ["ip"]
    assert paths["action_result.data.*.instance_ids.*"] == [
        "aws ec2 instance id",
        "aws instance id",
    ]
    assert paths["action_result.data.*.arns.*"] == ["aws arn"]
    assert paths["action_result.data.*.access_key_ids.*"] == ["aws access key id"]
    assert paths["action_result.data.*.nodes.*.ip"] == ["ip"]
    assert (
        "aws ec2 instance id"
        in paths["action_result.data.*.edges.*.target.instance_id"]
    )


def test_entity_parameter_accepts_the_cef_types_playbooks_hold(
    manifest: dict[str, Any],
) -> None:
    for name in ("get entity", "get neighborhood", "get timeline"):
        param = _action(manifest, name)["parameters"]["entity_id"]
        assert param["primary"] is True
        assert {"ip", "aws instance id", "aws arn", "aws access key id"} <= set(
            param["contains"]
        )


def test_timeline_ips_are_cef_typed(manifest: dict[str, Any]) -> None:
    paths = _contains(_action(manifest, "get timeline"))
    assert paths["action_result.data.*.events.*.remote_ip"] == ["ip"]


def test_scoring_outputs_are_cef_typed(manifest: dict[str, Any]) -> None:
    inv = _contains(_action(manifest, "get investigation"))
    assert inv["action_result.data.*.indicators.*.ip"] == ["ip"]
    assert inv["action_result.data.*.ips.*"] == ["ip"]
    assert inv["action_result.data.*.indicators.*.user_agent"] == ["user agent"]
    group = _contains(_action(manifest, "get finding group"))
    assert "aws ec2 instance id" in group["action_result.data.*.instance_ids.*"]
    assert group["action_result.data.*.access_key_ids.*"] == ["aws access key id"]
    started = _contains(_action(manifest, "start investigation"))
    assert started["action_result.data.*.investigation_id"] == [
        "trailhound investigation id"
    ]
    param = _action(manifest, "get investigation")["parameters"]["investigation_id"]
    assert param["contains"] == ["trailhound investigation id"]


def test_only_start_investigation_changes_state(manifest: dict[str, Any]) -> None:
    writers = {a["action"] for a in manifest["actions"] if not a["read_only"]}
    assert writers == {"start investigation"}
