"""``on poll``: one container per HIGH/CRITICAL investigation or finding group, across polls.

The SDK's local runner has no SOAR behind it (its container store always
answers "saved"), so the repeated-poll test drives the same entry point the
runner uses (``AppCliRunner`` -> ``App.handle``) in one process and records
containers the way SOAR stores them: deduplicated on ``source_data_identifier``.
The asset's ingest state lives in that process between polls, as it does in SOAR.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from soar_sdk.app_cli_runner import AppCliRunner

from src.app import app
from tests.conftest import Stack, _epoch
from tests.runner import run_action


class RecordingSoar:
    """Stores containers and artifacts like SOAR: one container per source_data_identifier."""

    def __init__(self) -> None:
        self.containers: list[dict[str, Any]] = []
        self.artifacts: list[dict[str, Any]] = []

    def save_container(
        self, container: dict[str, Any], fail_on_duplicate: bool = False
    ) -> tuple[bool, str, int | None]:
        for n, existing in enumerate(self.containers, start=1):
            if (
                existing["source_data_identifier"]
                == container["source_data_identifier"]
            ):
                return False, "Duplicate container found", n
        self.containers.append(container)
        return True, "Container saved", len(self.containers)

    def save_artifacts(
        self, artifacts: list[dict[str, Any]]
    ) -> tuple[bool, str, list[int]]:
        known = {
            (a["container_id"], a["source_data_identifier"]) for a in self.artifacts
        }
        fresh = [
            a
            for a in artifacts
            if (a["container_id"], a["source_data_identifier"]) not in known
        ]
        self.artifacts.extend(fresh)
        return True, "Artifacts saved", list(range(len(fresh)))


def _poll_params(stack: Stack) -> dict[str, int]:
    scope = stack.scope()
    return {
        "start_time": int(_epoch(scope["scope_start"]) * 1000),
        "end_time": int(_epoch(scope["scope_end"]) * 1000),
    }


@pytest.fixture
def soar(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingSoar]:
    recorder = RecordingSoar()
    monkeypatch.setattr(app.actions_manager, "save_container", recorder.save_container)
    monkeypatch.setattr(app.actions_manager, "save_artifacts", recorder.save_artifacts)
    app.actions_manager.save_state({})
    yield recorder
    app.actions_manager.save_state({})


def _poll_input(tmp_path: Path, asset: dict[str, Any], params: dict[str, Any]) -> str:
    """The runner's input for one asset: SOAR keeps the asset id (the state's salt) stable."""
    asset_file = tmp_path / "asset.json"
    asset_file.write_text(json.dumps(asset))
    param_file = tmp_path / "params.json"
    param_file.write_text(json.dumps(params))
    args = AppCliRunner(app).parse_args(
        ["action", "on_poll", "-a", str(asset_file), "-p", str(param_file)]
    )
    return str(args.raw_input_data)


def _poll(raw_input: str) -> None:
    app.actions_manager.action_results = []
    # SOAR runs each action in a fresh process; the App caches its asset per process.
    if hasattr(app, "_asset"):
        del app._asset
    app.handle(raw_input)
    (result,) = app.actions_manager.get_action_results()
    assert result.get_status(), result.get_message()


def test_on_poll_creates_exactly_one_container_across_polls(
    stack: Stack,
    asset: dict[str, Any],
    investigation: dict[str, Any],
    soar: RecordingSoar,
    tmp_path: Path,
) -> None:
    sdi = f"trailhound:investigation:{investigation['investigation_id']}"
    raw = _poll_input(tmp_path, asset, _poll_params(stack))
    _poll(raw)
    mine = [c for c in soar.containers if c["source_data_identifier"] == sdi]
    assert len(mine) == 1
    assert mine[0]["severity"] == "high"
    assert "trailhound" in mine[0]["tags"]
    after_first = len(soar.containers)
    artifacts = [
        a for a in soar.artifacts if a["source_data_identifier"].startswith(sdi)
    ]
    entity = [a for a in artifacts if a["label"] == "entity"]
    assert [a["cef"]["roleSession"] for a in entity] == [stack.facts["role_session_id"]]
    assert entity[0]["cef_types"]["roleSession"] == ["aws role session"]
    indicators = [a for a in artifacts if a["label"] == "indicator"]
    assert len(indicators) == investigation["indicator_count"]

    # The checkpoint in the ingest state: a second poll offers nothing new.
    _poll(raw)
    assert len(soar.containers) == after_first

    # Even without the checkpoint, SOAR's dedup on source_data_identifier keeps one container.
    app.actions_manager.save_state({})
    _poll(raw)
    assert len([c for c in soar.containers if c["source_data_identifier"] == sdi]) == 1
    assert len(soar.containers) == after_first


def test_on_poll_turns_the_instance_finding_group_into_a_container(
    stack: Stack, asset: dict[str, Any], soar: RecordingSoar, tmp_path: Path
) -> None:
    _poll(_poll_input(tmp_path, asset, _poll_params(stack)))
    groups = [c for c in soar.containers if "finding-group" in c["tags"]]
    assert groups
    instance = stack.facts["instance_id"]
    group_artifacts = [
        a
        for a in soar.artifacts
        if a["source_data_identifier"].startswith("trailhound:finding-group:")
        and a["cef"].get("instanceId") == instance
    ]
    assert group_artifacts
    assert group_artifacts[0]["cef_types"]["instanceId"] == [
        "aws ec2 instance id",
        "aws instance id",
    ]


def test_on_poll_runs_through_the_local_runner(
    stack: Stack,
    asset: dict[str, Any],
    investigation: dict[str, Any],
) -> None:
    run = run_action("on_poll", asset, _poll_params(stack))
    assert run.success, run.message
    assert run.message == "Polling complete"
    assert f"Trailhound investigation {investigation['severity']}" in run.output
    assert "Creating container: Trailhound finding group" in run.output


def test_on_poll_with_higher_threshold_skips_high(
    stack: Stack,
    asset: dict[str, Any],
    investigation: dict[str, Any],
    soar: RecordingSoar,
    tmp_path: Path,
) -> None:
    _poll(
        _poll_input(
            tmp_path, {**asset, "poll_min_severity": "CRITICAL"}, _poll_params(stack)
        )
    )
    sdi = f"trailhound:investigation:{investigation['investigation_id']}"
    created = {c["source_data_identifier"] for c in soar.containers}
    assert (sdi in created) == (investigation["severity"] == "CRITICAL")
    assert all("critical" in c["tags"] for c in soar.containers)
