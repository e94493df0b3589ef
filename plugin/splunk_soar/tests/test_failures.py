"""Failures a playbook can act on: each is a failed action with a coded one-line message."""

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.backend import Server, free_port, serve_without_elasticsearch
from tests.conftest import Stack
from tests.runner import run_action


def _assert_failed(run_message: str, success: bool, code: str) -> None:
    assert not success
    assert f"{code}: " in run_message
    assert "Traceback" not in run_message


def test_unreachable_server() -> None:
    asset = {
        "graphql_url": f"http://127.0.0.1:{free_port()}/graphql",
        "timeout_seconds": 5,
    }
    run = run_action("test_connectivity", asset)
    _assert_failed(run.message, run.success, "UNREACHABLE")
    assert "Connection refused" in run.message


def test_unreachable_server_fails_other_actions_too() -> None:
    asset = {
        "graphql_url": f"http://127.0.0.1:{free_port()}/graphql",
        "timeout_seconds": 5,
    }
    run = run_action(
        "get_entity", asset, {"entity_type": "IP_ADDRESS", "entity_id": "203.0.113.9"}
    )
    _assert_failed(run.message, run.success, "UNREACHABLE")


def test_bad_api_key_is_an_auth_failure(stack: Stack, asset: dict[str, Any]) -> None:
    assert stack.server.api_key, "the server runs with API keys"
    bad = {**asset, "api_key": "thk_0123456789abcdef_" + "A" * 43}
    run = run_action("test_connectivity", bad)
    _assert_failed(run.message, run.success, "AUTH_FAILED")
    assert "HTTP 401" in run.message


def test_missing_api_key_is_an_auth_failure(asset: dict[str, Any]) -> None:
    anonymous = {k: v for k, v in asset.items() if k != "api_key"}
    run = run_action("search_entities", anonymous, {"entity_type": "EC2_INSTANCE"})
    _assert_failed(run.message, run.success, "AUTH_FAILED")


def test_unknown_entity_is_not_found(asset: dict[str, Any]) -> None:
    run = run_action(
        "get_entity",
        asset,
        {"entity_type": "EC2_INSTANCE", "entity_id": "i-00000000000000000"},
    )
    _assert_failed(run.message, run.success, "NOT_FOUND")
    assert "i-00000000000000000" in run.message


def test_limit_above_the_server_cap_is_limit_exceeded(
    stack: Stack, asset: dict[str, Any]
) -> None:
    params = {
        "entity_type": "EC2_INSTANCE",
        "entity_id": stack.facts["instance_id"],
        "limit": 100_000,
    }
    run = run_action("get_timeline", asset, params)
    _assert_failed(run.message, run.success, "LIMIT_EXCEEDED")
    assert "100000" in run.message


def test_neighborhood_limit_above_cap_is_limit_exceeded(
    stack: Stack, asset: dict[str, Any]
) -> None:
    params = stack.entity_params(
        "EC2_INSTANCE", "instance_id", limit_per_edge_type=100_000
    )
    run = run_action("get_neighborhood", asset, params)
    _assert_failed(run.message, run.success, "LIMIT_EXCEEDED")


def test_unaligned_scope_is_an_invalid_request(
    stack: Stack, asset: dict[str, Any]
) -> None:
    params = {
        "entity_type": "EC2_INSTANCE",
        "entity_id": stack.facts["instance_id"],
        "scope_start": "2026-01-01T00:30:00Z",
        "scope_end": "2026-01-01T02:00:00Z",
    }
    run = run_action("get_neighborhood", asset, params)
    _assert_failed(run.message, run.success, "INVALID_REQUEST")


def test_unknown_entity_type_fails_before_calling_the_server() -> None:
    # An unreachable URL proves no request was needed to reject the parameter.
    asset = {"graphql_url": f"http://127.0.0.1:{free_port()}/graphql"}
    run = run_action("get_entity", asset, {"entity_type": "laptop", "entity_id": "x"})
    _assert_failed(run.message, run.success, "INVALID_REQUEST")
    assert "EC2_INSTANCE" in run.message


def test_bad_url_is_an_asset_misconfiguration() -> None:
    run = run_action("test_connectivity", {"graphql_url": "trailhound.example:8080"})
    assert not run.success
    assert "graphql_url must be an http(s) URL" in run.message


@pytest.fixture(scope="module")
def server_without_es(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve_without_elasticsearch(tmp_path_factory.mktemp("no-es")) as server:
        yield server


def test_server_without_elasticsearch_is_backend_unavailable(
    server_without_es: Server,
) -> None:
    asset = {"graphql_url": server_without_es.url, "timeout_seconds": 60}
    run = run_action(
        "get_entity", asset, {"entity_type": "EC2_INSTANCE", "entity_id": "i-0abc"}
    )
    _assert_failed(run.message, run.success, "BACKEND_UNAVAILABLE")


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


def test_server_that_never_answers_is_unreachable_after_the_timeout(
    silent_port: int,
) -> None:
    asset = {
        "graphql_url": f"http://127.0.0.1:{silent_port}/graphql",
        "timeout_seconds": 1,
    }
    started = time.monotonic()
    run = run_action("test_connectivity", asset)
    _assert_failed(run.message, run.success, "UNREACHABLE")
    assert "did not answer within 1 s" in run.message
    assert time.monotonic() - started < 30
