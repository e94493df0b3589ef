"""GraphQL view of timelines: a Relay-style connection plus a histogram."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import strawberry

from resolvers import timeline as domain

__all__ = ["TimelineConnection"]


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="One event of a behavior timeline.")
class TimelineEvent:
    id: str
    timestamp: datetime
    kinds: list[str]
    dataset: str | None
    action: str | None
    provider: str | None
    outcome: str | None
    actor: str | None
    targets: list[str]
    source_ip: str | None
    remote_ip: str | None
    local_port: int | None
    remote_port: int | None
    protocol: str | None
    direction: str | None
    bytes_in: float | None
    bytes_out: float | None
    rule_name: str | None
    severity: int | None
    message: str | None


def _edge_cursor(root: TimelineEdge) -> str:
    return root.cursors[root.index]


@strawberry.type
class TimelineEdge:
    # Cursors embed the point-in-time id: encoded only when a client asks.
    cursors: strawberry.Private[Sequence[str]]
    index: strawberry.Private[int]
    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: TimelineEvent


@strawberry.type
class KindCount:
    kind: str
    count: int


@strawberry.type(description="Event count in one histogram interval.")
class HistogramBucket:
    start: datetime
    count: int
    by_kind: list[KindCount]


@strawberry.type(description="Time-ordered events (PIT + search_after pages).")
class TimelineConnection:
    edges: list[TimelineEdge]
    page_info: PageInfo
    total_count: int
    interval_seconds: int
    histogram: list[HistogramBucket] | None = strawberry.field(
        description="Bucketed counts for the same filter (first page only)."
    )

    @classmethod
    def from_domain(cls, page: domain.TimelinePage) -> TimelineConnection:
        edges = [
            TimelineEdge(
                cursors=page.cursors,
                index=i,
                node=TimelineEvent(
                    id=e.id,
                    timestamp=e.timestamp,
                    kinds=list(e.kinds),
                    dataset=e.dataset,
                    action=e.action,
                    provider=e.provider,
                    outcome=e.outcome,
                    actor=e.actor,
                    targets=list(e.targets),
                    source_ip=e.source_ip,
                    remote_ip=e.remote_ip,
                    local_port=e.local_port,
                    remote_port=e.remote_port,
                    protocol=e.protocol,
                    direction=e.direction,
                    bytes_in=None if e.bytes_in is None else float(e.bytes_in),
                    bytes_out=None if e.bytes_out is None else float(e.bytes_out),
                    rule_name=e.rule_name,
                    severity=e.severity,
                    message=e.message,
                ),
            )
            for i, e in enumerate(page.events)
        ]
        histogram = (
            None
            if page.histogram is None
            else [
                HistogramBucket(
                    start=b.start,
                    count=b.count,
                    by_kind=[KindCount(kind=k, count=v) for k, v in sorted(b.by_kind.items())],
                )
                for b in page.histogram
            ]
        )
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page, end_cursor=page.cursors[-1] if edges else None
            ),
            total_count=page.total,
            interval_seconds=page.interval_seconds,
            histogram=histogram,
        )
