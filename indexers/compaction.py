"""Merge each complete day's index down to one segment (ILM's ``forcemerge``, done by us).

Why: a day backfilled in one go, or written all day long, is left with 20-30
segments.  Every aggregation sets itself up once per segment (doc values,
global-ordinal maps), so an uncached neighborhood over a 340k-document day cost
~3x what the same request costs once the day is one segment (measured in
bench/RESULTS.md).  The minimal Elasticsearch distribution has no ILM, so the
pipeline does this itself, and only for days that are over: a day still being
written would split again, and merging it would be wasted I/O.

An index is *settled* once its day ended ``grace`` ago (late CloudTrail and flow
deliveries arrive within minutes to hours).  Later writes into a merged day
(a backfill) leave a small new segment; the next compaction merges it again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import elasticsearch
from elasticsearch import Elasticsearch

from trailhound.ecs.indices import events_pattern
from trailhound.errors import BackendUnavailableError, CompactionError

__all__ = ["DEFAULT_GRACE", "CompactionReport", "compact_settled_days", "settled_day"]

DEFAULT_GRACE = timedelta(hours=6)
_DAY = re.compile(r"-(\d{4})\.(\d{2})\.(\d{2})$")
_MERGE_TIMEOUT_S = 3600  # one day's index of a busy account can take minutes


@dataclass(slots=True)
class CompactionReport:
    """What a compaction run did, index by index."""

    merged: list[str] = field(default_factory=list)
    already_compact: list[str] = field(default_factory=list)
    not_settled: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # index -> Elasticsearch's reason
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "merged": self.merged,
            "already_compact": len(self.already_compact),
            "not_settled": self.not_settled,
            "refused": self.refused,
            "seconds": round(self.seconds, 2),
        }


def settled_day(index: str, now: datetime, grace: timedelta = DEFAULT_GRACE) -> bool:
    """Whether ``index`` is a daily index whose day ended at least ``grace`` before ``now``.

    >>> settled_day("logs-aws.vpcflow-default-2026.03.10", datetime(2026, 3, 11, 6, tzinfo=UTC))
    True
    >>> settled_day("logs-aws.vpcflow-default-2026.03.10", datetime(2026, 3, 11, 5, tzinfo=UTC))
    False
    >>> settled_day("trailhound-deadletter-default", datetime(2026, 3, 11, tzinfo=UTC))
    False
    """
    m = _DAY.search(index)
    if m is None:
        return False
    day_end = datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC) + timedelta(days=1)
    return day_end + grace <= now


def _segment_counts(client: Elasticsearch, namespace: str) -> dict[str, int]:
    # Wildcards that match nothing are simply absent from the answer.
    stats = client.indices.stats(index=events_pattern(namespace), metric="segments")
    return {
        name: int(body["primaries"]["segments"]["count"])
        for name, body in stats.get("indices", {}).items()
    }


def compact_settled_days(
    client: Elasticsearch,
    namespace: str,
    *,
    now: datetime | None = None,
    grace: timedelta = DEFAULT_GRACE,
    progress: Callable[[str, int, int], None] | None = None,
) -> CompactionReport:
    """Merge every settled daily index of ``namespace`` that has more than one segment.

    ``progress(index, done, total)`` is called before each merge.  Indices are
    merged one at a time, oldest first, so the node never rewrites more than
    one day at once next to the searches it serves.
    """
    started = time.perf_counter()
    when = now or datetime.now(UTC)
    report = CompactionReport()
    try:
        counts = _segment_counts(client, namespace)
        todo: list[str] = []
        for index in sorted(counts, key=lambda n: (n[-10:], n)):
            if not settled_day(index, when, grace):
                report.not_settled.append(index)
            elif counts[index] <= 1:
                report.already_compact.append(index)
            else:
                todo.append(index)
        # No retries: a merge that outlives the timeout is still running in the
        # node, and sending it again would queue another one behind it.
        merging = client.options(
            request_timeout=_MERGE_TIMEOUT_S, max_retries=0, retry_on_timeout=False
        )
        for done, index in enumerate(todo):
            if progress is not None:
                progress(index, done, len(todo))
            try:
                merging.indices.forcemerge(index=index, max_num_segments=1)
            except elasticsearch.ApiError as exc:
                if exc.meta.status >= 500:
                    raise
                report.refused[index] = str(exc)  # e.g. closed or blocked: the others go on
                continue
            report.merged.append(index)
    except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout) as exc:
        raise BackendUnavailableError(f"Elasticsearch unavailable while compacting: {exc}") from exc
    except elasticsearch.ApiError as exc:
        if exc.meta.status >= 500:
            raise BackendUnavailableError(f"Elasticsearch failed while compacting: {exc}") from exc
        raise CompactionError(f"Elasticsearch refused to compact: {exc}") from exc
    report.seconds = time.perf_counter() - started
    return report
