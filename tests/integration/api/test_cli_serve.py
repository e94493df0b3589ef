"""The real commands: ``trailhound apikey create/list/revoke`` and ``trailhound serve``."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from trailhound.config import Settings

pytestmark = pytest.mark.es

BIN = Path(sys.executable).with_name("trailhound")
QUERY = {"query": "{ search(type: S3_BUCKET) { totalCount } }"}


@pytest.fixture
def env(api_settings: Settings, corpus_namespace: str, tmp_path: Path) -> dict[str, str]:
    assert api_settings.elasticsearch.url is not None
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TRAILHOUND_", "ELASTIC"))}
    return {
        **clean,
        "ELASTICSEARCH_URL": api_settings.elasticsearch.url,
        "TRAILHOUND_INGEST_NAMESPACE": corpus_namespace,
        "TRAILHOUND_SERVER_API_KEYS_INDEX": f"trailhound-apikeys-{corpus_namespace}",
        "HOME": str(tmp_path),
    }


def _run(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [str(BIN), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # A bounded wait that sleeps between every probe (a 503 while the node warms up
        # must not burn the attempts in a tight loop).
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                pytest.fail(f"trailhound serve exited with {proc.returncode}")
            if time.monotonic() > deadline:
                pytest.fail("trailhound serve did not come up within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_apikey_commands_and_a_served_request(
    env: dict[str, str], tmp_path: Path, server: str
) -> None:
    out = _run(env, tmp_path, "apikey", "create", "--role", "reader", "--name", "soar")
    (token,) = re.findall(r"^thk_[0-9a-f]{16}_\S{43}$", out, flags=re.M)
    key_id = token.split("_")[1]
    listing = _run(env, tmp_path, "apikey", "list")
    assert key_id in listing
    assert "soar" in listing
    assert token.split("_", 2)[2] not in listing

    assert httpx.post(f"{server}/graphql", json=QUERY).status_code == 401
    ok = httpx.post(f"{server}/graphql", json=QUERY, headers={"Authorization": f"ApiKey {token}"})
    assert ok.status_code == 200
    assert ok.json() == {"data": {"search": {"totalCount": 2}}}
    page = httpx.get(f"{server}/graphiql")
    assert page.status_code == 200
    assert "/static/graphiql/graphiql.min.js" in page.text

    _run(env, tmp_path, "apikey", "revoke", key_id)
    assert re.search(rf"{key_id}.*yes", _run(env, tmp_path, "apikey", "list"))


def test_serve_help_names_the_demo_flag(env: dict[str, str], tmp_path: Path) -> None:
    assert "--demo-no-auth" in _run(env, tmp_path, "serve", "--help")
