"""The console in a real headless Chromium against a real server over a simulated compromise.

The walkthrough a person does: open the console with the compromised instance in
the URL; the graph shows the C2 IP and the instance-profile session, the details
panel lists their edges and an anomaly severity, the timeline lists events.
Chromium is Debian's; if it is missing the test fails (scripts/bootstrap installs it).
"""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from indexers.pipeline import ingest_paths
from trailhound.app import create_app
from trailhound.config import Settings
from trailhound.simulator import SimulationConfig, SimulationResult, simulate

pytestmark = pytest.mark.es

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
]


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    return simulate(
        SimulationConfig(
            out=tmp_path_factory.mktemp("console"),
            days=3,
            scale="tiny",
            seed=11,
            scenarios=("ec2-compromise",),
        )
    )


@pytest.fixture(scope="module")
def server(sim: SimulationResult, settings: Settings, namespace: str) -> Iterator[str]:
    analytics = dataclasses.replace(
        settings.analytics, geoip_city_db=sim.geoip_city, geoip_asn_db=sim.geoip_asn
    )
    s = dataclasses.replace(
        settings,
        analytics=analytics,
        ingest=dataclasses.replace(settings.ingest, namespace=namespace),
    )
    report = ingest_paths([str(sim.logs_root)], s, namespace=namespace)
    assert report.ok
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(s, namespace=namespace, demo_no_auth=True),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "console server did not start"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def _dump_dom(url: str, tmp_path: Path) -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is required for the console test (scripts/bootstrap)"
    proc = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=20000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_console_shows_the_compromised_instance(
    server: str, sim: SimulationResult, tmp_path: Path
) -> None:
    truth = sim.ground_truth["scenarios"][0]
    instance = next(e["id"] for e in truth["compromised_entities"] if e["kind"] == "ec2_instance")
    session = next(
        e["key"] for e in truth["compromised_entities"] if e["kind"] == "aws_role_session"
    )
    start, end = sim.ground_truth["attack_day"]["start"], sim.ground_truth["attack_day"]["end"]
    dom = _dump_dom(
        f"{server}/console/?type=EC2_INSTANCE&q={instance}&start={start}&end={end}", tmp_path
    )

    title = re.search(r'id="graph-title"[^>]*>([^<]*)<', dom)
    assert title
    assert title.group(1) == f"EC2_INSTANCE {instance}"
    node_keys = re.search(r'data-node-keys="([^"]*)"', dom)
    assert node_keys
    keys = set(html.unescape(node_keys.group(1)).split())
    assert session in keys
    flagged = {f"ip_address:{ip}" for ip in truth["attacker_ips"]}
    assert keys & flagged, "no attacker IP in the instance's neighborhood graph"
    assert re.search(r'class="severity sev-(HIGH|CRITICAL)"', dom), "no HIGH/CRITICAL anomaly shown"
    rows = re.findall(r"<tr[^>]*>\s*<td>(2\d{3}-\d\d-\d\d [0-9:]+)</td>", dom)
    assert len(rows) == 50  # the first timeline page
    assert rows == sorted(rows)
