"""Error paths of the local node, against the real distribution and real sockets."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from trailhound.config import Settings
from trailhound.errors import NodeStartError, PortInUseError
from trailhound.es import node


def _isolated(settings: Settings, tmp_path: Path, **changes: object) -> Settings:
    # A throwaway instance under its own data dir; the distribution cache is shared.
    local = dataclasses.replace(
        settings.local_node,
        instance=f"err{tmp_path.name[-6:]}",
        data_dir=tmp_path,
        **changes,  # type: ignore[arg-type]
    )
    return dataclasses.replace(settings, local_node=local)


def test_port_taken_is_a_one_line_error(
    settings: Settings, tmp_path: Path, es_node: object
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        s = _isolated(settings, tmp_path, port=port)
        with pytest.raises(PortInUseError, match=f"port {port} on 127.0.0.1 is in use"):
            node.start(s.local_node)


def test_jvm_exiting_during_startup_reports_log(
    settings: Settings, tmp_path: Path, es_node: object
) -> None:
    tmp_path.chmod(0o755)
    s = _isolated(settings, tmp_path, port=0, heap="1zz", start_timeout=60.0)
    with pytest.raises(NodeStartError, match=r"exited during start-up; log .*console\.log"):
        node.start(s.local_node)
    assert not node.status(s.local_node).running


def test_status_of_running_test_node(settings: Settings, es_node: object) -> None:
    st = node.status(settings.local_node)
    assert st.running
    assert st.version == "8.19.21"
    assert st.heap_max_bytes == 2**30
    assert "x-pack-security" in st.modules


def test_killed_node_reports_down_and_restarts_with_its_data(
    settings: Settings, tmp_path: Path, es_node: object
) -> None:
    tmp_path.chmod(0o755)
    s = _isolated(settings, tmp_path, port=0, heap="256m")
    first = node.start(s.local_node)
    try:
        assert first.running
        assert first.pid is not None
        req = urllib.request.Request(
            f"{first.url}/crash-check/_doc/1?refresh=true",
            data=b'{"kept": true}',
            method="PUT",
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            assert resp.status == 201
        if os.geteuid() == 0:
            assert Path(f"/proc/{first.pid}").stat().st_uid != 0, "ES must not run as root"

        os.kill(first.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while node.status(s.local_node).running:
            assert time.monotonic() < deadline, "status still says up after SIGKILL"
            time.sleep(0.3)

        again = node.start(s.local_node)
        assert again.running
        assert again.pid != first.pid
        with urllib.request.urlopen(f"{again.url}/crash-check/_doc/1", timeout=30) as resp:
            assert json.loads(resp.read())["_source"] == {"kept": True}
    finally:
        node.stop(s.local_node)
    assert not node.status(s.local_node).running
