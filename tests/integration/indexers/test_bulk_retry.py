"""The bulk retry path: a loopback proxy in front of the real node answers 429/503 to bulks."""

from __future__ import annotations

import dataclasses
import http.client
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from elasticsearch import Elasticsearch

from indexers.pipeline import ingest_paths
from trailhound.config import Settings
from trailhound.ecs.indices import dataset_pattern, dead_letter_index

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = str(DATA / "cloudtrail/AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10")


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, upstream: str, fail_bulks: int, status: int, reject_marker: bytes | None = None
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reject_marker = reject_marker  # 400 for any create bulk containing it
        self.upstream = urlsplit(upstream)
        self.fail_bulks = fail_bulks  # answer this many _bulk requests with `status`
        self.status = status
        self.bulks_seen = 0
        self.bulks_failed = 0
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: _Proxy

    def log_message(self, format: str, *args: object) -> None:
        return

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        marker = self.server.reject_marker
        if "/_bulk" in self.path and marker and marker in body and b'{"create"' in body:
            payload = b'{"error":{"type":"illegal_argument_exception"},"status":400}'
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if "/_bulk" in self.path:
            with self.server.lock:
                self.server.bulks_seen += 1
                fail = self.server.bulks_failed < self.server.fail_bulks
                if fail:
                    self.server.bulks_failed += 1
            if fail:
                payload = b'{"error":{"type":"es_rejected_execution_exception"},"status":%d}' % (
                    self.server.status
                )
                self.send_response(self.server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
        up = self.server.upstream
        conn = http.client.HTTPConnection(up.hostname or "127.0.0.1", up.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        conn.request(self.command, self.path, body=body or None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward


@pytest.fixture
def proxy_factory(settings: Settings) -> Iterator[object]:
    servers: list[_Proxy] = []

    def make(
        fail_bulks: int, status: int = 429, reject_marker: bytes | None = None
    ) -> tuple[_Proxy, Settings]:
        assert settings.elasticsearch.url is not None
        server = _Proxy(settings.elasticsearch.url, fail_bulks, status, reject_marker)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        proxied = dataclasses.replace(
            settings,
            elasticsearch=dataclasses.replace(settings.elasticsearch, url=url),
            ingest=dataclasses.replace(
                settings.ingest, retry_backoff_s=0.01, max_retries=4, chunk_size=500
            ),
        )
        return server, proxied

    yield make
    for s in servers:
        s.shutdown()
        s.server_close()


def test_429_bulks_are_retried_and_everything_lands(
    proxy_factory: object, es: Elasticsearch, fresh_namespace: str
) -> None:
    server, proxied = proxy_factory(fail_bulks=3)  # type: ignore[operator]
    report = ingest_paths([FILES], proxied, namespace=fresh_namespace)
    assert server.bulks_failed == 3
    assert server.bulks_seen > 3
    assert report.bulk_retries == 3
    assert report.ok
    assert report.sources["cloudtrail"].indexed == 2900
    assert es.count(index=dataset_pattern("aws.cloudtrail", fresh_namespace))["count"] == 2900


def test_outage_stops_with_an_exact_report(
    proxy_factory: object, es: Elasticsearch, fresh_namespace: str
) -> None:
    _, proxied = proxy_factory(fail_bulks=10**6, status=503)  # type: ignore[operator]
    report = ingest_paths([FILES], proxied, namespace=fresh_namespace)
    counts = report.sources["cloudtrail"]
    assert report.aborted is not None
    assert "unavailable" in report.aborted
    assert not report.ok
    assert report.balanced
    assert counts.indexed == 0
    assert counts.failed == counts.read > 0
    es.indices.refresh(
        index=dataset_pattern("aws.cloudtrail", fresh_namespace), allow_no_indices=True
    )
    assert (
        es.count(index=dataset_pattern("aws.cloudtrail", fresh_namespace), allow_no_indices=True)[
            "count"
        ]
        == 0
    )


def test_a_request_rejected_as_a_whole_is_bisected_to_the_bad_record(
    proxy_factory: object, es: Elasticsearch, fresh_namespace: str, tmp_path: Path
) -> None:
    records = json.loads(
        (
            DATA / "cloudtrail/misc/aws.credential-access.ec2-steal-instance-credentials.json"
        ).read_text()
    )
    records[17]["userAgent"] = "POISON-PILL"
    path = tmp_path / "poison.json"
    path.write_text(json.dumps({"Records": records}))
    _, proxied = proxy_factory(fail_bulks=0, reject_marker=b"POISON-PILL")  # type: ignore[operator]
    report = ingest_paths([str(path)], proxied, namespace=fresh_namespace)
    counts = report.sources["cloudtrail"]
    assert report.balanced
    assert (counts.indexed, counts.dead_lettered, counts.failed) == (len(records) - 1, 1, 0)
    es.indices.refresh(index=dead_letter_index(fresh_namespace))
    (dead,) = [
        h["_source"] for h in es.search(index=dead_letter_index(fresh_namespace))["hits"]["hits"]
    ]
    assert dead["origin"]["record"] == 17
    assert dead["reason"].startswith("bulk request rejected (400)")
