"""Start, stop and inspect the project's single-node local Elasticsearch.

One *instance* (``default`` for the demo, ``test`` for the test-suite) owns a
directory ``<data_dir>/es/<instance>/`` with ``config/``, ``data/``, ``logs/``,
``tmp/`` and ``node.json`` (pid, port, version).  When we are root the JVM runs
as an unprivileged system user (Elasticsearch refuses root) that owns those
directories; the distribution itself stays root-owned and read-only.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trailhound.config import LocalNodeSettings
from trailhound.errors import ElasticsearchSetupError, NodeStartError, PortInUseError
from trailhound.es.distribution import Distribution, install
from trailhound.es.java import JavaRuntime, find_java
from trailhound.es.version import ES_VERSION, MIN_JAVA_MAJOR

_LAUNCHED: list[subprocess.Popen[bytes]] = []


@dataclass(frozen=True, slots=True)
class NodeStatus:
    """What ``trailhound es status`` reports."""

    running: bool
    url: str
    pid: int | None
    version: str | None = None
    heap_max_bytes: int | None = None
    modules: tuple[str, ...] = ()
    cluster_status: str | None = None
    log_file: Path | None = None
    java: str | None = None


@dataclass(frozen=True, slots=True)
class NodePaths:
    """Directories and files of one local instance."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def state(self) -> Path:
        return self.root / "node.json"

    @property
    def pid_file(self) -> Path:
        return self.root / "logs" / "es.pid"

    @property
    def console(self) -> Path:
        return self.root / "logs" / "console.log"

    def server_log(self, cluster: str) -> Path:
        return self.logs / f"{cluster}.log"


def paths_for(settings: LocalNodeSettings) -> NodePaths:
    """Paths of the configured instance."""
    return NodePaths(settings.data_dir / "es" / settings.instance)


def _cluster_name(settings: LocalNodeSettings) -> str:
    return f"trailhound-{settings.instance}"


def _url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _http_json(url: str, timeout: float) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.loads(resp.read())


def _health(port: int, timeout: float = 2.0) -> str | None:
    try:
        body = _http_json(
            f"{_url(port)}/_cluster/health?wait_for_status=yellow&timeout={int(timeout)}s",
            timeout + 1,
        )
    except (OSError, urllib.error.URLError, ValueError):
        return None
    status = body.get("status")
    return status if status in ("green", "yellow") and not body.get("timed_out") else None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child still answers kill(0); check /proc for its state
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        fields = stat.read_text().rsplit(")", 1)[-1].split()
        return not fields or fields[0] != "Z"
    return True


def _read_state(paths: NodePaths) -> dict[str, Any]:
    try:
        return dict(json.loads(paths.state.read_text()))
    except (OSError, ValueError):
        return {}


def _read_pid(paths: NodePaths) -> int | None:
    try:
        return int(paths.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 5) -> str:
    try:
        with path.open(errors="replace") as fh:
            return " | ".join(line.rstrip() for line in deque(fh, maxlen=lines))
    except OSError:
        return "(no log)"


def _run_as_user(name: str) -> pwd.struct_passwd | None:
    """The unprivileged account to run ES as, created if needed; None when not root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    useradd = shutil.which("useradd")
    if useradd is None:
        raise ElasticsearchSetupError(f"running as root and no `useradd` to create user {name}")
    proc = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 9):  # 9: already exists (a concurrent start)
        raise ElasticsearchSetupError(f"useradd {name} failed: {proc.stderr.strip()}")
    return pwd.getpwnam(name)


def _node_config(
    settings: LocalNodeSettings, dist: Distribution, paths: NodePaths, port: int
) -> str:
    lines = {
        "cluster.name": _cluster_name(settings),
        "node.name": f"trailhound-{settings.instance}-node",
        "path.data": str(paths.data),
        "path.logs": str(paths.logs),
        "network.host": "127.0.0.1",
        "http.port": str(port),
        "transport.port": "0",
        "discovery.type": "single-node",
        "cluster.routing.allocation.disk.threshold_enabled": "false",
        # tests and retention delete indices by pattern
        "action.destructive_requires_name": "false",
    }
    if dist.has_module("x-pack-security"):
        lines["xpack.security.enabled"] = "false"
    if dist.has_module("x-pack-ml"):
        lines["xpack.ml.enabled"] = "false"
    return "".join(f"{k}: {v}\n" for k, v in lines.items())


def _prepare(settings: LocalNodeSettings, dist: Distribution, port: int) -> NodePaths:
    paths = paths_for(settings)
    for d in (paths.root, paths.config, paths.data, paths.logs, paths.tmp):
        d.mkdir(parents=True, exist_ok=True)
    for name in ("jvm.options", "log4j2.properties"):
        shutil.copyfile(dist.home / "config" / name, paths.config / name)
    (paths.config / "jvm.options.d").mkdir(exist_ok=True)
    (paths.config / "jvm.options.d" / "heap.options").write_text(
        f"-Xms{settings.heap}\n-Xmx{settings.heap}\n"
    )
    (paths.config / "elasticsearch.yml").write_text(_node_config(settings, dist, paths, port))
    user = _run_as_user(settings.run_user)
    if user is not None:
        for d in (paths.root, paths.config, paths.data, paths.logs, paths.tmp):
            for sub in (d, *d.rglob("*")):
                os.chown(sub, user.pw_uid, user.pw_gid)
        # the unprivileged user must be able to reach the dirs above the instance
        for parent in (paths.root.parent, *paths.root.parents):
            if parent == Path("/"):
                break
            parent.chmod(parent.stat().st_mode | 0o011)
    return paths


def status(settings: LocalNodeSettings) -> NodeStatus:
    """Report whether the instance is up, and what it runs."""
    paths = paths_for(settings)
    state = _read_state(paths)
    port = int(state.get("port", settings.port))
    pid = _read_pid(paths)
    alive = pid is not None and _pid_alive(pid)
    log = paths.server_log(_cluster_name(settings))
    health = _health(port, 1.0) if alive else None
    if not alive or health is None:
        return NodeStatus(
            False, _url(port), pid if alive else None, log_file=log, java=state.get("java")
        )
    try:
        nodes = _http_json(f"{_url(port)}/_nodes/_local/jvm,plugins", 5)["nodes"]
        node = next(iter(nodes.values()))
    except (OSError, urllib.error.URLError, ValueError, KeyError, StopIteration):
        node = {}
    return NodeStatus(
        running=True,
        url=_url(port),
        pid=pid,
        version=node.get("version"),
        heap_max_bytes=node.get("jvm", {}).get("mem", {}).get("heap_max_in_bytes"),
        modules=tuple(sorted(m["name"] for m in node.get("modules", []))),
        cluster_status=health,
        log_file=log,
        java=state.get("java"),
    )


def start(settings: LocalNodeSettings) -> NodeStatus:
    """Start (or reuse) the instance and wait until it is healthy.

    Raises:
        PortInUseError: the port is taken by something that is not this instance.
        NodeStartError: the JVM exited, or was not healthy within ``start_timeout``.
    """
    current = status(settings)
    if current.running:
        return current
    dist = install(settings.cache_dir, settings.version or ES_VERSION)
    java = find_java(MIN_JAVA_MAJOR, settings.java_home)
    port = settings.port or _free_port()
    if not _port_free(port):
        raise PortInUseError(
            f"port {port} on 127.0.0.1 is in use by another process; "
            "set TRAILHOUND_LOCAL_NODE_PORT (0 = any free port) or stop it"
        )
    paths = _prepare(settings, dist, port)
    paths.pid_file.unlink(missing_ok=True)
    _launch(settings, dist, java, paths)
    paths.state.write_text(
        json.dumps({"port": port, "version": dist.version, "java": f"{java.home} ({java.major})"})
    )
    return _wait_healthy(settings, paths, port)


def _launch(
    settings: LocalNodeSettings, dist: Distribution, java: JavaRuntime, paths: NodePaths
) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ES_JAVA_HOME": str(java.home),
        "ES_PATH_CONF": str(paths.config),
        "ES_TMPDIR": str(paths.tmp),
        "HOME": str(paths.root),
        "LANG": "C.UTF-8",
    }
    cmd = [str(dist.home / "bin" / "elasticsearch"), "-p", str(paths.pid_file)]
    if os.geteuid() == 0:
        runuser = shutil.which("runuser") or shutil.which("setpriv")
        if runuser is None:
            raise ElasticsearchSetupError("running as root and neither runuser nor setpriv exists")
        if runuser.endswith("runuser"):
            cmd = [runuser, "-u", settings.run_user, "--", *cmd]
        else:
            user = pwd.getpwnam(settings.run_user)
            cmd = [
                runuser,
                f"--reuid={user.pw_uid}",
                f"--regid={user.pw_gid}",
                "--clear-groups",
                *cmd,
            ]
    with paths.console.open("ab") as console:
        # Keep the handle: the node outlives this call, and dropping a running Popen
        # emits a ResourceWarning.
        _LAUNCHED.append(
            subprocess.Popen(
                cmd,
                cwd=paths.root,
                env=env,
                stdout=console,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        )


def _wait_healthy(settings: LocalNodeSettings, paths: NodePaths, port: int) -> NodeStatus:
    log = paths.server_log(_cluster_name(settings))
    started = time.monotonic()
    while time.monotonic() - started < settings.start_timeout:
        pid = _read_pid(paths)
        launcher_done = all(proc.poll() is not None for proc in _LAUNCHED[-1:])
        # The launcher exits early only on failure; the server JVM writes the pid file.
        if (pid is not None and not _pid_alive(pid)) or (pid is None and launcher_done):
            raise NodeStartError(
                f"Elasticsearch exited during start-up; log {paths.console}: "
                f"{_tail(paths.console)} | {log}: {_tail(log, 3)}"
            )
        if _health(port, 1.0):
            return status(settings)
        time.sleep(0.5)
    raise NodeStartError(
        f"Elasticsearch not healthy on {_url(port)} after {settings.start_timeout:.0f}s; "
        f"log {log}: {_tail(log)}"
    )


def stop(settings: LocalNodeSettings, timeout: float = 60.0) -> bool:
    """Stop the instance cleanly (SIGTERM, then SIGKILL after ``timeout``); False if not running."""
    paths = paths_for(settings)
    pid = _read_pid(paths)
    if pid is None or not _pid_alive(pid):
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.3)
    os.kill(pid, signal.SIGKILL)
    return True
