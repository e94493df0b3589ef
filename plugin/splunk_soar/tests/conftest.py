"""Session fixtures: a real Trailhound server over the test Elasticsearch node.

Once per session: simulate the ``ec2-compromise`` scenario with the backend's
own CLI, ingest it into a fresh namespace on the test node (127.0.0.1:9201),
start ``trailhound serve`` on a free loopback port with a new API key, and
hand the tests an asset pointing at it plus the scenario's ground truth.
Everything is torn down afterwards (only our namespace is deleted).  If any
step fails, the tests fail: nothing is skipped and nothing is mocked.
"""

import json
import math
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.runner import run_action
from tests.backend import (
    Server,
    drop_namespace,
    ensure_es,
    run_trailhound,
    serve,
    trailhound_env,
)

SCENARIO = "ec2-compromise"
SEED = "7"
DAYS = "3"


@dataclass(frozen=True)
class Stack:
    """The running server, its namespace and the scenario's ground truth."""

    server: Server
    namespace: str
    truth: dict[str, Any]

    @property
    def facts(self) -> dict[str, Any]:
        """The scenario's named facts (instance_id, c2_ip, role_session_id, ...)."""
        return dict(self.truth["facts"])

    def scope(self) -> dict[str, str]:
        """The attack window widened to whole hours, as action parameters."""
        start = math.floor(_epoch(self.truth["start"]) / 3600) * 3600
        end = math.ceil(_epoch(self.truth["end"]) / 3600) * 3600
        return {"scope_start": _iso(start), "scope_end": _iso(end)}

    def entity_params(
        self, entity_type: str, fact: str, **extra: Any
    ) -> dict[str, Any]:
        """Action parameters for the entity named by a scenario fact, over the attack scope."""
        return {
            "entity_type": entity_type,
            "entity_id": self.facts[fact],
            **extra,
            **self.scope(),
        }


def _epoch(value: str | float) -> float:
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return float(value)


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _scenario_truth(out: Path) -> dict[str, Any]:
    data = json.loads((out / "ground_truth.json").read_text())
    truth: dict[str, Any] = next(s for s in data["scenarios"] if s["name"] == SCENARIO)
    return truth


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    namespace = f"soar{uuid.uuid4().hex[:10]}"
    env = trailhound_env(namespace)
    ensure_es(env)
    work = tmp_path_factory.mktemp("trailhound")
    out = work / "simulated"
    run_trailhound(
        [
            "simulate",
            "--days",
            DAYS,
            "--scenario",
            SCENARIO,
            "--seed",
            SEED,
            "--out",
            str(out),
        ],
        env,
    )
    truth = _scenario_truth(out)
    try:
        run_trailhound(["setup", "--namespace", namespace], env)
        run_trailhound(
            ["ingest", "--namespace", namespace, str(out / "AWSLogs")], env, timeout=900
        )
        with serve(namespace, work) as server:
            yield Stack(server=server, namespace=namespace, truth=truth)
    finally:
        drop_namespace(namespace)


@pytest.fixture(scope="session")
def asset(stack: Stack) -> dict[str, Any]:
    """The SOAR asset configuration for the running server."""
    config: dict[str, Any] = {"graphql_url": stack.server.url, "timeout_seconds": 60}
    if stack.server.api_key:
        config["api_key"] = stack.server.api_key
    return config


@pytest.fixture(scope="session")
def investigation(stack: Stack, asset: dict[str, Any]) -> dict[str, Any]:
    """A finished investigation of the compromised role session."""
    params = stack.entity_params("AWS_ROLE_SESSION", "role_session_id")
    started = run_action("start_investigation", asset, params)
    assert started.success, started.message
    (row,) = started.data
    done = run_action(
        "get_investigation",
        asset,
        {"investigation_id": row["investigation_id"], "wait_seconds": 180},
    )
    assert done.success, done.message
    (inv,) = done.data
    return dict(inv)
