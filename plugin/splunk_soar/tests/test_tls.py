"""The asset's TLS settings, against a real handshake in front of the real server."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import Stack
from tests.runner import run_action
from tests.tls_proxy import self_signed_certificate, tls_proxy


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def https_asset(
    stack: Stack, asset: dict[str, Any], certificate: tuple[Path, Path]
) -> Iterator[dict[str, Any]]:
    upstream = urlsplit(stack.server.url).port
    assert upstream is not None
    cert_file, key_file = certificate
    with tls_proxy(upstream, cert_file, key_file) as port:
        yield {**asset, "graphql_url": f"https://127.0.0.1:{port}/graphql"}


def test_untrusted_certificate_is_refused(https_asset: dict[str, Any]) -> None:
    run = run_action("test_connectivity", https_asset)
    assert not run.success
    assert "UNREACHABLE: " in run.message
    assert "CERTIFICATE_VERIFY_FAILED" in run.message


def test_ca_bundle_makes_the_certificate_trusted(
    stack: Stack, https_asset: dict[str, Any], certificate: tuple[Path, Path]
) -> None:
    trusted = {**https_asset, "ca_bundle": str(certificate[0])}
    assert run_action("test_connectivity", trusted).success
    params = {"entity_type": "EC2_INSTANCE", "entity_id": stack.facts["instance_id"]}
    run = run_action("get_entity", trusted, params)
    assert run.success, run.message
    assert run.data[0]["instance_id"] == stack.facts["instance_id"]


def test_verification_can_be_turned_off(https_asset: dict[str, Any]) -> None:
    run = run_action("test_connectivity", {**https_asset, "verify_tls": False})
    assert run.success, run.message


def test_missing_ca_bundle_is_an_asset_misconfiguration(
    https_asset: dict[str, Any],
) -> None:
    run = run_action(
        "test_connectivity", {**https_asset, "ca_bundle": "/nonexistent/ca.pem"}
    )
    assert not run.success
    assert "ca_bundle '/nonexistent/ca.pem' cannot be loaded" in run.message
    assert "Traceback" not in run.message
