"""The ingest account: every record read ends up indexed, duplicate, skipped or dead-lettered.

``failed`` is the fifth bucket that only fills when the cluster could not be
written even after all retries (an outage): those records are *not* in
Elasticsearch, and the run is reported as failed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IngestReport", "SourceCounts"]


@dataclass(slots=True)
class SourceCounts:
    """Counters of one source."""

    read: int = 0
    indexed: int = 0
    duplicate: int = 0
    skipped: int = 0
    dead_lettered: int = 0
    failed: int = 0

    @property
    def balanced(self) -> bool:
        """``read == indexed + duplicate + skipped + dead_lettered + failed``."""
        return self.read == (
            self.indexed + self.duplicate + self.skipped + self.dead_lettered + self.failed
        )

    def as_dict(self) -> dict[str, int]:
        """Plain counters (for JSON output)."""
        return {
            "read": self.read,
            "indexed": self.indexed,
            "duplicate": self.duplicate,
            "skipped": self.skipped,
            "dead_lettered": self.dead_lettered,
            "failed": self.failed,
        }


@dataclass(slots=True)
class IngestReport:
    """What one run did, per source; thread-safe counter updates via :meth:`add`."""

    namespace: str
    sources: dict[str, SourceCounts] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    aborted: str | None = None
    bulk_retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, source: str, counter: str, n: int = 1) -> None:
        """Add ``n`` to one counter of one source."""
        with self._lock:
            counts = self.sources.get(source)
            if counts is None:
                counts = self.sources[source] = SourceCounts()
            setattr(counts, counter, getattr(counts, counter) + n)

    def total(self) -> SourceCounts:
        """All sources summed."""
        out = SourceCounts()
        for c in self.sources.values():
            for k, v in c.as_dict().items():
                setattr(out, k, getattr(out, k) + v)
        return out

    @property
    def balanced(self) -> bool:
        """Every source's account balances."""
        return all(c.balanced for c in self.sources.values())

    @property
    def ok(self) -> bool:
        """Nothing dead-lettered, nothing failed, the account balances, no abort."""
        t = self.total()
        return self.balanced and self.aborted is None and t.dead_lettered == 0 and t.failed == 0

    @property
    def records_per_s(self) -> float:
        """Read throughput of the run."""
        return self.total().read / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {
            "namespace": self.namespace,
            "sources": {k: v.as_dict() for k, v in sorted(self.sources.items())},
            "total": self.total().as_dict(),
            "balanced": self.balanced,
            "ok": self.ok,
            "files": len(self.files),
            "errors": list(self.errors),
            "aborted": self.aborted,
            "bulk_retries": self.bulk_retries,
            "elapsed_s": round(self.elapsed_s, 3),
            "records_per_s": round(self.records_per_s, 1),
        }
