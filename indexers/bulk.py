"""The bulk writer: NDJSON chunks, parallel workers, retry with backoff, dead letters.

Event documents are written with ``op_type=create`` and deterministic ids, so a
409 means "already indexed" and counts as a duplicate.  Whole requests failing
with a connection error, 429 or 5xx are retried with exponential backoff and
full jitter (the run pauses and resumes); items answered 429/5xx are retried
alone.  Other per-item failures (a mapping conflict, an over-long id) are
dead-lettered with Elasticsearch's reason.  When retries are exhausted the writer
aborts: the affected records count as ``failed`` and the run stops with an exact
report instead of claiming success.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from elasticsearch import ApiError, Elasticsearch, TransportError

from indexers.ecs import flow_hash
from indexers.records import EcsDoc, Origin
from indexers.report import IngestReport
from trailhound.ecs.indices import dead_letter_index, event_index

__all__ = ["BulkWriter"]

logger = logging.getLogger(__name__)

_FILTER = "errors,items.*.status,items.*.error.type,items.*.error.reason"
_MAX_RAW = 32768
_MAX_ID_BYTES = 512


@dataclass(slots=True)
class _Item:
    """One bulk operation and what to count when it settles."""

    action: bytes
    source: bytes
    name: str  # log source name (the report's key)
    origin: Origin
    dead_letter: bool  # a dead-letter document (counts dead_lettered on success)


class BulkWriter:
    """Accumulates operations into chunks sent by a pool of worker threads."""

    def __init__(
        self,
        client: Elasticsearch,
        report: IngestReport,
        namespace: str,
        *,
        chunk_size: int = 2000,
        workers: int = 2,
        max_retries: int = 8,
        backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
    ) -> None:
        """Start ``workers`` threads; call :meth:`close` to flush and join them."""
        self._client = client.options(max_retries=0)
        self._report = report
        self._namespace = namespace
        self._chunk_size = max(1, chunk_size)
        self._max_retries = max_retries
        self._backoff_s = backoff_s
        self._max_backoff_s = max_backoff_s
        self._dl_index = dead_letter_index(namespace)
        self._index_cache: dict[tuple[str, int, int, int], str] = {}
        self._buffer: list[_Item] = []
        self._queue: queue.Queue[list[_Item] | None] = queue.Queue(maxsize=max(2, workers * 2))
        self._abort = threading.Event()
        self.abort_reason: str | None = None
        self.retries = 0
        self._retry_lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._work, name=f"bulk-{i}", daemon=True)
            for i in range(max(1, workers))
        ]
        for t in self._threads:
            t.start()

    @property
    def aborted(self) -> bool:
        """Retries were exhausted; nothing more is sent."""
        return self._abort.is_set()

    def _index(self, dataset: str, when: datetime) -> str:
        key = (dataset, when.year, when.month, when.day)
        name = self._index_cache.get(key)
        if name is None:
            name = self._index_cache[key] = event_index(dataset, self._namespace, when)
        return name

    def add(self, name: str, doc: EcsDoc, origin: Origin) -> None:
        """Queue one event document for ``create``."""
        doc.body["data_stream"]["namespace"] = self._namespace
        if len(doc.id) > 128 and len(doc.id.encode()) > _MAX_ID_BYTES:
            # Elasticsearch fails the whole bulk request for one over-long id.
            self.dead_letter(
                name,
                origin,
                f"document id is {len(doc.id.encode())} bytes, over Elasticsearch's "
                f"{_MAX_ID_BYTES}-byte limit",
                "index",
                orjson.dumps(doc.body, default=str),
            )
            return
        index = self._index(doc.dataset, doc.timestamp)
        action = b'{"create":{"_index":"%s","_id":%s}}' % (index.encode(), orjson.dumps(doc.id))
        self._push(_Item(action, orjson.dumps(doc.body), name, origin, False))

    def dead_letter(
        self, name: str, origin: Origin, reason: str, error_type: str, raw: bytes | str
    ) -> None:
        """Queue a dead-letter document (idempotent id: origin + reason)."""
        self._push(self._dead_letter_item(name, origin, reason, error_type, raw))

    def _dead_letter_item(
        self, name: str, origin: Origin, reason: str, error_type: str, raw: bytes | str
    ) -> _Item:
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        body = {
            "@timestamp": datetime.now(UTC),
            "source": name,
            "origin": origin.as_doc(),
            "reason": reason[:4096],
            "error_type": error_type,
            "raw": text[:_MAX_RAW],
        }
        doc_id = flow_hash(
            name, origin.file, str(origin.record), str(origin.line), str(origin.offset), reason
        )
        action = orjson.dumps({"index": {"_index": self._dl_index, "_id": doc_id}})
        return _Item(action, orjson.dumps(body), name, origin, True)

    def _push(self, item: _Item) -> None:
        if self._abort.is_set():
            self._report.add(item.name, "failed")
            return
        self._buffer.append(item)
        if len(self._buffer) >= self._chunk_size:
            self.flush()

    def flush(self) -> None:
        """Hand the current buffer to a worker (blocks when all workers are busy)."""
        if self._buffer:
            chunk, self._buffer = self._buffer, []
            self._queue.put(chunk)

    def close(self) -> None:
        """Flush, stop the workers and wait for every outstanding request."""
        self.flush()
        for _ in self._threads:
            self._queue.put(None)
        for t in self._threads:
            t.join()

    # -- worker side -------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            chunk = self._queue.get()
            if chunk is None:
                return
            try:
                self._send(chunk)
            except Exception as exc:  # a bug here must not lose the account
                logger.exception("bulk worker failed")
                self._fail(chunk, f"bulk worker error: {type(exc).__name__}: {exc}")

    def _fail(self, items: list[_Item], reason: str) -> None:
        for item in items:
            self._report.add(item.name, "failed")
        if not self._abort.is_set():
            self.abort_reason = reason
            self._abort.set()

    def _sleep(self, attempt: int) -> None:
        # Full jitter (AWS architecture blog "Exponential Backoff And Jitter").
        cap = min(self._max_backoff_s, self._backoff_s * (2 ** (attempt - 1)))
        with self._retry_lock:
            self.retries += 1
        time.sleep(random.uniform(cap / 2, cap))

    def _send(self, items: list[_Item]) -> None:
        attempt = 0
        while items:
            if self._abort.is_set():
                self._fail(items, self.abort_reason or "aborted")
                return
            body = b"".join(b"%s\n%s\n" % (i.action, i.source) for i in items)
            try:
                # Pre-serialized NDJSON passes through the client's serializer untouched.
                resp = self._client.bulk(operations=body, filter_path=_FILTER)  # type: ignore[arg-type]
            except (ApiError, TransportError) as exc:
                status = getattr(exc, "status_code", None) or getattr(exc, "status", None)
                permanent = isinstance(status, int) and 400 <= status < 500 and status != 429
                if permanent:
                    self._bisect(items, f"bulk request rejected ({status}): {exc}")
                    return
                attempt += 1
                if attempt > self._max_retries:
                    self._fail(
                        items, f"Elasticsearch unavailable after {attempt - 1} retries: {exc}"
                    )
                    return
                logger.warning("bulk request failed (%s), retry %d", exc, attempt)
                self._sleep(attempt)
                continue
            retry, rejected = self._settle(items, dict(resp.body))
            items = retry + rejected
            # Only items answered 429/5xx wait; the dead letters of rejected ones go at once.
            if retry:
                attempt += 1
                if attempt > self._max_retries:
                    self._fail(items, f"items still rejected after {attempt - 1} retries")
                    return
                self._sleep(attempt)

    def _settle(self, items: list[_Item], resp: dict[str, Any]) -> tuple[list[_Item], list[_Item]]:
        """Count each item's outcome; returns the items to retry and the dead letters to send."""
        results = resp.get("items") or []
        if len(results) != len(items):
            raise RuntimeError(f"bulk answered {len(results)} items for {len(items)}")
        retry: list[_Item] = []
        rejected: list[_Item] = []
        counts: dict[tuple[str, str], int] = {}
        for item, result in zip(items, results, strict=True):
            outcome = next(iter(result.values()))
            status = outcome.get("status", 0)
            if 200 <= status < 300:
                key = (item.name, "dead_lettered" if item.dead_letter else "indexed")
            elif status == 409 and not item.dead_letter:
                key = (item.name, "duplicate")
            elif status == 429 or status >= 500:
                retry.append(item)
                continue
            else:
                error = outcome.get("error") or {}
                reason = f"{error.get('type', status)}: {error.get('reason', '')}"
                if item.dead_letter:
                    self._report.errors.append(f"dead letter rejected: {reason}")
                    key = (item.name, "failed")
                else:
                    rejected.append(
                        self._dead_letter_item(
                            item.name,
                            item.origin,
                            f"Elasticsearch rejected: {reason}",
                            "index",
                            item.source[:_MAX_RAW],
                        )
                    )
                    continue
            counts[key] = counts.get(key, 0) + 1
        for (name, counter), n in counts.items():
            self._report.add(name, counter, n)
        return retry, rejected

    def _bisect(self, items: list[_Item], reason: str) -> None:
        """Isolate the item(s) that make Elasticsearch refuse a whole request (400/413)."""
        if len(items) > 1:
            half = len(items) // 2
            self._send(items[:half])
            self._send(items[half:])
            return
        (item,) = items
        if item.dead_letter:
            self._report.errors.append(f"dead letter rejected: {reason}")
            self._report.add(item.name, "failed")
        else:
            self._send(
                [
                    self._dead_letter_item(
                        item.name, item.origin, reason, "index", item.source[:_MAX_RAW]
                    )
                ]
            )
