"""A real Trailhound stack for the app's tests, driven through the backend's own CLI.

The app imports nothing from the backend: this module only runs the backend
venv's ``trailhound`` executable (simulate, setup, ingest, apikey, serve) and
talks HTTP to the test Elasticsearch node and to the server it started.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

APP_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = APP_DIR.parents[1]
ES_PORT = int(os.environ.get("TRAILHOUND_TEST_ES_PORT", "9201"))
ES_URL = os.environ.get(
    "TRAILHOUND_TEST_ELASTICSEARCH_URL", f"http://127.0.0.1:{ES_PORT}"
)


class BackendError(RuntimeError):
    """The backend could not be prepared; the tests fail (never skip) on it."""


def backend_venv() -> Path:
    """The backend's virtual environment: $TRAILHOUND_BACKEND_VENV or <repo>/.venv."""
    venv = Path(os.environ.get("TRAILHOUND_BACKEND_VENV", REPO_ROOT / ".venv"))
    if not (venv / "bin" / "trailhound").is_file():
        raise BackendError(
            f"no trailhound executable in {venv}/bin; install the backend first "
            "(scripts/up or scripts/test at the repository root)"
        )
    return venv


def trailhound_env(namespace: str) -> dict[str, str]:
    """Environment pointing every backend command at the test node and our namespace."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ELASTICSEARCH_", "TRAILHOUND_"))
    }
    env.update(
        {
            "ELASTICSEARCH_URL": ES_URL,
            "TRAILHOUND_INGEST_NAMESPACE": namespace,
            "TRAILHOUND_LOCAL_NODE_INSTANCE": "test",
            "TRAILHOUND_LOCAL_NODE_PORT": str(ES_PORT),
            "NO_COLOR": "1",
            "COLUMNS": "200",
        }
    )
    return env


def run_trailhound(args: list[str], env: dict[str, str], timeout: float = 600) -> str:
    """Run ``trailhound <args>`` from the backend venv; raise with its output on failure."""
    exe = str(backend_venv() / "bin" / "trailhound")
    proc = subprocess.run(
        [exe, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise BackendError(
            f"trailhound {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
        )
    return proc.stdout


def command_help(command: list[str], env: dict[str, str]) -> str:
    """The ``--help`` text of a backend command ('' if the command does not exist)."""
    try:
        return run_trailhound([*command, "--help"], env, timeout=120)
    except BackendError:
        return ""


def es_is_up() -> bool:
    """Whether the test node answers cluster health."""
    try:
        response = httpx.get(f"{ES_URL}/_cluster/health", timeout=5)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def ensure_es(env: dict[str, str]) -> None:
    """Reuse the test node, or start it the way the backend's test-suite does."""
    if es_is_up():
        return
    run_trailhound(
        ["es", "start", "--instance", "test", "--port", str(ES_PORT)], env, timeout=600
    )
    deadline = time.monotonic() + 120
    while not es_is_up():
        if time.monotonic() > deadline:
            raise BackendError(f"test Elasticsearch at {ES_URL} did not come up")
        time.sleep(1)


def drop_namespace(namespace: str) -> None:
    """Delete only our namespace's indices and templates on the shared test node."""
    with httpx.Client(base_url=ES_URL, timeout=60) as es:
        es.delete(
            f"/*-{namespace}-*,*-{namespace}",
            params={"expand_wildcards": "all", "ignore_unavailable": "true"},
        )
        es.delete(f"/_index_template/*-{namespace}")


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running ``trailhound serve`` and how to reach it."""

    process: subprocess.Popen[str]
    url: str
    api_key: str | None
    log: Path

    def stop(self) -> None:
        """Terminate the server process we started."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


def wait_for_graphql(
    url: str, api_key: str | None, process: subprocess.Popen[str], log: Path
) -> None:
    """Poll the endpoint until it answers a trivial query."""
    headers = {"Authorization": f"ApiKey {api_key}"} if api_key else {}
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BackendError(
                f"trailhound serve exited {process.returncode}:\n{log.read_text()}"
            )
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.post(
                url, json={"query": "{ __typename }"}, headers=headers, timeout=5
            )
            if response.status_code == 200:
                return
        time.sleep(0.5)
    raise BackendError(f"trailhound serve never answered at {url}:\n{log.read_text()}")


_TOKEN = re.compile(r"thk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")


def parse_api_key(output: str) -> str:
    """The one-time token printed by ``trailhound apikey create`` (``thk_<id>_<secret>``)."""
    found = _TOKEN.search(output)
    if not found:
        raise BackendError(
            f"no API key in the output of trailhound apikey create:\n{output}"
        )
    return found.group(0)


@contextlib.contextmanager
def serve(namespace: str, workdir: Path) -> Iterator[Server]:
    """Start ``trailhound serve`` on a free loopback port, with an API key when auth exists."""
    env = trailhound_env(namespace)
    port = free_port()
    serve_help = command_help(["serve"], env)
    if not serve_help:
        raise BackendError("this backend has no `trailhound serve` command yet")
    api_key: str | None = None
    args = [
        "serve",
        "--namespace",
        namespace,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if command_help(["apikey", "create"], env):
        api_key = parse_api_key(
            run_trailhound(
                [
                    "apikey",
                    "create",
                    "--role",
                    "admin",
                    "--name",
                    f"soar-tests-{namespace}",
                ],
                env,
            )
        )
    elif "--demo-no-auth" in serve_help:
        args.append("--demo-no-auth")
    try:
        with _running(args, env, workdir, api_key) as server:
            yield server
    finally:
        if api_key and command_help(["apikey", "revoke"], env):
            with contextlib.suppress(BackendError):
                run_trailhound(["apikey", "revoke", api_key.split("_")[1]], env)


@contextlib.contextmanager
def _running(
    args: list[str], env: dict[str, str], workdir: Path, api_key: str | None
) -> Iterator[Server]:
    """Run ``trailhound <args>`` (a serve command) until the block ends."""
    port = args[args.index("--port") + 1]
    log = workdir / f"serve-{port}.log"
    exe = str(backend_venv() / "bin" / "trailhound")
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [exe, *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
    server = Server(
        process=process,
        url=f"http://127.0.0.1:{port}/graphql",
        api_key=api_key,
        log=log,
    )
    try:
        wait_for_graphql(server.url, api_key, process, log)
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def serve_without_elasticsearch(workdir: Path) -> Iterator[Server]:
    """A real ``trailhound serve`` whose Elasticsearch URL points at a closed port.

    Demo mode (no API key), since verifying keys needs Elasticsearch too; the
    shared test node is left alone.
    """
    env = trailhound_env("soarnoes")
    env["ELASTICSEARCH_URL"] = f"http://127.0.0.1:{free_port()}"
    args = [
        "serve",
        "--demo-no-auth",
        "--host",
        "127.0.0.1",
        "--port",
        str(free_port()),
    ]
    with _running(args, env, workdir, None) as server:
        yield server
