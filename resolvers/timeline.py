"""Behavior timelines: time-ordered events of an entity; first page a plain search, later
pages PIT + search_after."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, overload

from resolvers.cursor import decode_cursor, encode_cursor
from resolvers.limits import Limits, check_limit
from resolvers.parsing import ts_from_millis
from resolvers.queries import build_timeline_query
from resolvers.repository import EventRepository
from resolvers.scope import Scope, TimeWindow
from trailhound.ecs.entities import EntityRef
from trailhound.errors import InvalidArgumentError, QueryError

__all__ = [
    "HistogramBucket",
    "LazyCursors",
    "TimelineEvent",
    "TimelinePage",
    "TimelineService",
    "histogram_interval",
]

# Fixed intervals that divide an hour-aligned window evenly.
_INTERVALS = (300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400)
TARGET_BUCKETS = 96


def histogram_interval(window: TimeWindow) -> int:
    """The smallest standard interval giving at most ~96 buckets.

    >>> from datetime import UTC, timedelta
    >>> s = datetime(2026, 1, 1, tzinfo=UTC)
    >>> histogram_interval(TimeWindow(s, s + timedelta(hours=24)))
    900
    >>> histogram_interval(TimeWindow(s, s + timedelta(days=365)))
    604800
    """
    seconds = window.duration.total_seconds()
    for interval in _INTERVALS:
        if seconds / interval <= TARGET_BUCKETS:
            return interval
    return _INTERVALS[-1]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEvent:
    """One event of a timeline, flattened to what a timeline row shows."""

    id: str
    timestamp: datetime
    kinds: tuple[str, ...]
    dataset: str | None
    action: str | None
    provider: str | None
    outcome: str | None
    actor: str | None
    targets: tuple[str, ...]
    source_ip: str | None
    remote_ip: str | None
    local_port: int | None
    remote_port: int | None
    protocol: str | None
    direction: str | None
    bytes_in: int | None
    bytes_out: int | None
    rule_name: str | None
    severity: int | None
    message: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class HistogramBucket:
    """Event counts in one interval, by timeline kind."""

    start: datetime
    count: int
    by_kind: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelinePage:
    """A page of events, their cursors, and (first page only) the histogram."""

    events: tuple[TimelineEvent, ...]
    cursors: Sequence[str]  # lazily encoded (see LazyCursors)
    total: int
    has_next_page: bool
    interval_seconds: int
    histogram: tuple[HistogramBucket, ...] | None


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def _dig(source: Mapping[str, Any], path: str) -> Any:
    node: Any = source
    for part in path.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, Mapping) and path in node:
            return node[path]
        else:
            return None
    return node


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value is None else str(value)


def to_event(hit: Mapping[str, Any]) -> TimelineEvent:
    """A hit from :func:`build_timeline_query` as a :class:`TimelineEvent`."""
    s = hit.get("_source", {})
    flow = _dig(s, "trailhound.flow") or {}
    return TimelineEvent(
        id=str(_dig(s, "event.id") or hit.get("_id")),
        timestamp=ts_from_millis(float(hit["sort"][0])) or datetime.min,
        kinds=_as_tuple(_dig(s, "trailhound.kind")),
        dataset=_str(_dig(s, "event.dataset")),
        action=_str(_dig(s, "event.action")),
        provider=_str(_dig(s, "event.provider")),
        outcome=_str(_dig(s, "event.outcome")),
        actor=_str(_dig(s, "trailhound.actor")),
        targets=_as_tuple(_dig(s, "trailhound.targets")),
        source_ip=_str(_dig(s, "source.ip")),
        remote_ip=_str(flow.get("remote_ip")),
        local_port=_int(flow.get("local_port")),
        remote_port=_int(flow.get("remote_port")),
        protocol=_str(_dig(s, "network.transport")),
        direction=_str(_dig(s, "network.direction")),
        bytes_in=_int(flow.get("bytes_in")),
        bytes_out=_int(flow.get("bytes_out")),
        rule_name=_str(_dig(s, "rule.name")),
        severity=_int(_dig(s, "event.severity")),
        message=_str(s.get("message")),
    )


def _histogram(response: Mapping[str, Any]) -> tuple[HistogramBucket, ...]:
    buckets = response.get("aggregations", {}).get("histogram", {}).get("buckets", [])
    return tuple(
        HistogramBucket(
            start=ts_from_millis(float(b["key"])) or datetime.min,
            count=int(b["doc_count"]),
            by_kind={str(k["key"]): int(k["doc_count"]) for k in b["kinds"]["buckets"]},
        )
        for b in buckets
    )


class LazyCursors(Sequence[str]):
    """Cursors encoded on first access.

    A point-in-time id holds an entry per shard (tens of KB over a month of
    daily indices) and every cursor of a page embeds it, while clients mostly
    read ``endCursor`` only: encoding all of them eagerly cost more than the
    Elasticsearch request.
    """

    def __init__(self, states: Sequence[Mapping[str, Any]]) -> None:
        self._states = states
        self._encoded: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._states)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = range(len(self))[index]  # normalizes negatives, raises IndexError
        if i not in self._encoded:
            self._encoded[i] = encode_cursor("timeline", self._states[i])
        return self._encoded[i]


def _first_page_cursors(hits: Sequence[Mapping[str, Any]]) -> LazyCursors:
    """Cursors of a first page: the time of each hit and its rank among equal times.

    The first page runs without a point in time (most timelines are looked at
    once); the next page opens one and skips the ``k`` hits at time ``t`` the
    first page already showed.
    """
    out: list[Mapping[str, Any]] = []
    prev, rank = None, 0
    for h in hits:
        t = h["sort"][0]
        rank = rank + 1 if t == prev else 1
        prev = t
        out.append({"t": t, "k": rank})
    return LazyCursors(out)


def _read_cursor(after: str) -> tuple[list[Any], str | None, int]:
    """``(search_after, pit id, hits to skip)`` of a cursor this service issued."""
    state = decode_cursor("timeline", after)
    if isinstance(state, dict) and isinstance(state.get("s"), list):
        return state["s"], state.get("p"), 0
    if isinstance(state, dict) and isinstance(state.get("k"), int) and "t" in state:
        # From a first page: restart at the first hit of time t (every
        # _shard_doc is above -1) and skip the ones already shown.
        return [state["t"], -1], None, max(0, state["k"])
    raise InvalidArgumentError("the cursor is not one this server issued")


class TimelineService:
    """Timeline pages; the first page is a plain search, later ones page a PIT.

    A later page's cursor carries the PIT id and the last sort values.
    """

    def __init__(self, repo: EventRepository, limits: Limits) -> None:
        self._repo = repo
        self._limits = limits

    async def timeline(
        self,
        center: EntityRef,
        scope: Scope,
        kinds: Sequence[str],
        first: int,
        after: str | None,
    ) -> TimelinePage:
        """One page; the first page (``after`` is ``None``) also carries the histogram."""
        check_limit("first", first, self._limits.max_page)
        window = scope.window
        interval = histogram_interval(window)
        aliases = await self._repo.aliases(center)
        if after is None:
            body = build_timeline_query(
                center,
                window,
                kinds,
                size=first + 1,
                pit_id=None,
                search_after=None,
                interval_seconds=interval,
                aliases=aliases,
            )
            resp = await self._repo.search(body, window=window)
            hits = resp["hits"]["hits"]
            page, more = hits[:first], len(hits) > first
            cursors = _first_page_cursors(page)
        else:
            search_after, pit_id, skip = _read_cursor(after)
            if pit_id is None:
                pit_id = await self._repo.open_pit(window=window)
            body = build_timeline_query(
                center,
                window,
                kinds,
                size=first + 1 + skip,
                pit_id=pit_id,
                search_after=search_after,
                interval_seconds=None,
                aliases=aliases,
            )
            try:
                resp = await self._repo.pit_search(body)
            except QueryError as exc:
                if exc.status != 404:
                    raise
                # The point in time expired between pages: continue in a new one.
                body["pit"] = {"id": await self._repo.open_pit(window=window), "keep_alive": "5m"}
                resp = await self._repo.pit_search(body)
            hits = resp["hits"]["hits"][skip:]
            page, more = hits[:first], len(hits) > first
            new_pit = str(resp.get("pit_id", pit_id))
            if not more:
                await self._repo.close_pit(new_pit)
            cursors = LazyCursors([{"s": h["sort"], "p": new_pit} for h in page])
        return TimelinePage(
            events=tuple(to_event(h) for h in page),
            cursors=cursors,
            total=int(resp["hits"]["total"]["value"]),
            has_next_page=more,
            interval_seconds=interval,
            histogram=_histogram(resp) if after is None else None,
        )
