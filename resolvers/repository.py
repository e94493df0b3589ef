"""The only read-path module that talks to Elasticsearch (async).

Methods are named after the intent, send one request built by
:mod:`resolvers.queries` and return domain values or small dicts, never raw
responses.  Transport failures become :class:`BackendUnavailableError`;
rejected requests become :class:`QueryError`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Generic, TypeVar

import elasticsearch
from elasticsearch import AsyncElasticsearch

from resolvers import parsing, queries
from resolvers.domain import EdgeGroup, EntityDetails
from resolvers.edges import EdgeSpec
from resolvers.index_window import datasets_of, namespace_indices, window_indices
from resolvers.scope import TimeWindow
from trailhound.ecs import fields as f
from trailhound.ecs.entities import EntityKind, EntityRef, entity_key, pathless_user_arn
from trailhound.ecs.indices import events_pattern
from trailhound.errors import BackendUnavailableError, QueryError

__all__ = ["ALIAS_TTL_S", "EventRepository", "backend_errors"]

ALIAS_TTL_S = 60.0
T = TypeVar("T")


@asynccontextmanager
async def backend_errors() -> AsyncIterator[None]:
    """Translate client exceptions into our error hierarchy at the I/O edge."""
    try:
        yield
    except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout) as exc:
        raise BackendUnavailableError("Elasticsearch cannot be reached") from exc
    except TimeoutError as exc:
        raise BackendUnavailableError("Elasticsearch did not answer in time") from exc
    except elasticsearch.ApiError as exc:
        status = exc.meta.status if exc.meta is not None else None
        if status is not None and status >= 500 and status != 501:
            raise BackendUnavailableError(f"Elasticsearch failed ({status})") from exc
        raise QueryError(
            f"Elasticsearch rejected the request: {exc.message}", status=status
        ) from exc


def _complete_or_raise(resp: Mapping[str, Any]) -> None:
    """A search that hit its ``timeout`` returns partial results: never pass them on."""
    if resp.get("timed_out"):
        raise BackendUnavailableError("Elasticsearch did not answer in time (partial results)")
    shards = resp.get("_shards", {})
    if shards.get("failed"):
        raise BackendUnavailableError(
            f"Elasticsearch answered from {shards.get('successful', 0)} of "
            f"{shards.get('total', 0)} shards"
        )


class _Recent(Generic[T]):
    """Values remembered for ``ttl_s`` seconds; bounded by dropping everything at
    ``max_size`` (the working set of a dashboard is a few hundred entities)."""

    def __init__(self, ttl_s: float, max_size: int = 10_000) -> None:
        self._ttl_s = ttl_s
        self._max_size = max_size
        self._items: dict[str, tuple[float, T]] = {}

    def get(self, key: str) -> T | None:
        hit = self._items.get(key)
        if hit is None or time.monotonic() - hit[0] >= self._ttl_s:
            return None
        return hit[1]

    def put(self, key: str, value: T) -> None:
        if len(self._items) >= self._max_size:
            self._items.clear()
        self._items[key] = (time.monotonic(), value)


def _no_shards(resp: Mapping[str, Any]) -> bool:
    """Whether no index matched at all: ES then answers without any ``aggregations``.

    A window's days may have no index yet (a quiet day, a scope before the
    first event).  Searching the whole namespace instead gives every
    aggregation its empty shape (the body's time range still matches nothing),
    so parsers never meet a half-formed answer.
    """
    return int(resp.get("_shards", {}).get("total", 1)) == 0


class EventRepository:
    """Reads over one namespace's event indices."""

    def __init__(
        self, client: AsyncElasticsearch, namespace: str, *, timeout_s: float = 10.0
    ) -> None:
        self._client = client
        self.namespace = namespace
        self.index = events_pattern(namespace)
        self._timeout = f"{int(timeout_s * 1000)}ms"
        self._request_timeout = timeout_s + 2
        self.took_ms = 0  # sum of ES "took" since the last reset (benchmarks read it)
        self.wall_ms = 0.0  # sum of the client round-trips of the same requests
        self.requests = 0  # ES requests sent since the last reset
        # ``options()`` builds a whole client (with ~40 namespace objects); once is enough.
        self._es = client.options(request_timeout=self._request_timeout)
        self._aliases: _Recent[tuple[str, ...]] = _Recent(ALIAS_TTL_S)
        self._found: _Recent[bool] = _Recent(ALIAS_TTL_S)  # keys an existence check found

    @property
    def client(self) -> AsyncElasticsearch:
        """The underlying client (for stores with their own index, e.g. investigations)."""
        return self._client

    def _opts(self) -> AsyncElasticsearch:
        return self._es

    @contextmanager
    def _clock(self) -> Iterator[None]:
        t0 = time.perf_counter()
        self.requests += 1
        try:
            yield
        finally:
            self.wall_ms += (time.perf_counter() - t0) * 1000

    def indices(
        self, window: TimeWindow | None = None, body: Mapping[str, Any] | None = None
    ) -> str:
        """The namespace's indices, or only those that can hold ``window``'s events,
        and only the datasets ``body`` keeps (see :mod:`resolvers.index_window`)."""
        datasets = datasets_of(body) if body is not None else None
        if window is None:
            return self.index if datasets is None else namespace_indices(self.namespace, datasets)
        return window_indices(self.namespace, window.start, window.end, datasets)

    async def search(
        self,
        body: Mapping[str, Any],
        *,
        window: TimeWindow | None = None,
        widen_when_empty: bool = True,
    ) -> Mapping[str, Any]:
        """One search over the namespace's indices (missing indices are empty).

        ``window``: the body matches only events in it, so only its days'
        indices are searched.  When none of them exists the search is repeated
        over the whole namespace (see :func:`_no_shards`) unless
        ``widen_when_empty`` is false.
        """
        async with backend_errors():
            with self._clock():
                resp = await self._opts().search(
                    index=self.indices(window, body),
                    body={**body, "timeout": self._timeout},
                    ignore_unavailable=True,
                    allow_no_indices=True,
                )
        self.took_ms += int(resp.get("took", 0))
        _complete_or_raise(resp.body)
        answer: Mapping[str, Any] = resp.body
        if window is not None and widen_when_empty and _no_shards(answer):
            return await self.search(body)
        return answer

    async def msearch(
        self, bodies: Sequence[Mapping[str, Any]], *, window: TimeWindow | None = None
    ) -> list[Mapping[str, Any]]:
        """Many searches in one round-trip; a failed item raises like a failed search."""
        if not bodies:
            return []
        lines: list[Mapping[str, Any]] = []
        for body in bodies:
            index = self.indices(window, body)
            lines.append({"index": index, "ignore_unavailable": True, "allow_no_indices": True})
            lines.append({**body, "timeout": self._timeout})
        async with backend_errors():
            with self._clock():
                resp = await self._opts().msearch(searches=lines)
        out: list[Mapping[str, Any]] = []
        for item in resp["responses"]:
            if "error" in item:
                status = int(item.get("status", 400))
                reason = (
                    item["error"].get("reason", "error")
                    if isinstance(item["error"], dict)
                    else item["error"]
                )
                if status >= 500:
                    raise BackendUnavailableError(f"Elasticsearch failed ({status})")
                raise QueryError(f"Elasticsearch rejected the request: {reason}", status=status)
            _complete_or_raise(item)
            out.append(item)
        # Items run in parallel inside one msearch: its own "took" is the wall time.
        self.took_ms += int(resp.get("took", 0))
        if window is not None and all(_no_shards(item) for item in out):
            return await self.msearch(bodies)
        return out

    async def aliases(self, ref: EntityRef) -> tuple[str, ...]:
        """Other keys an entity's records may carry: an instance's interfaces (flow
        records without an instance id), a user's ARN without its path (GuardDuty).

        Interfaces are cached for a minute: they change rarely, and this saves a
        round-trip on every neighborhood, timeline and flow panel.
        """
        if ref.kind is EntityKind.AWS_USER:
            short = pathless_user_arn(ref.id)
            return (entity_key(EntityKind.AWS_USER, short),) if short else ()
        if ref.kind is not EntityKind.EC2_INSTANCE:
            return ()
        hit = self._aliases.get(ref.key)
        if hit is not None:
            return hit
        keys, _ = parsing.parse_keys(await self.search(queries.build_aliases_query(ref)))
        self._aliases.put(ref.key, keys)
        return keys

    async def edge_groups(
        self,
        centers: Sequence[EntityRef],
        window: TimeWindow,
        specs_by_center: Sequence[Sequence[tuple[EdgeSpec, bool]]],
        limit: int,
        aliases: Sequence[Sequence[str]] | None = None,
    ) -> list[tuple[EdgeGroup, ...]]:
        """Edge groups around each center; one msearch for all of them."""
        alias_lists = aliases if aliases is not None else [()] * len(centers)
        bodies = [
            queries.build_neighborhood_query(c, window, specs, limit, a)
            for c, specs, a in zip(centers, specs_by_center, alias_lists, strict=True)
        ]
        answers = await self.msearch(bodies, window=window)
        return [
            parsing.parse_edge_groups(a, c, specs, limit)
            for a, c, specs in zip(answers, centers, specs_by_center, strict=True)
        ]

    async def entity_details(self, keys: Sequence[str]) -> dict[str, EntityDetails]:
        """Details for many entity keys in one request (the DataLoader's batch)."""
        if not keys:
            return {}
        return parsing.parse_entities(await self.search(queries.build_entities_query(keys)))

    async def exists(self, key: str, *, near: TimeWindow | None = None) -> bool:
        """Whether any indexed event mentions the entity key.

        ``near``: look in that window's daily indices first.  An entity asked
        about is nearly always active in the scope asked about, and those few
        shards answer in ~1 ms where every shard of the namespace (one per
        day and source) costs 4-8 ms and competes with the request it guards.
        A key found is remembered for a minute (indexed events are not deleted
        but by retention, days later): a dashboard asks profile, neighborhood
        and timeline of the same entity one after the other.  Misses are not
        remembered, so an entity appears as soon as its first event is indexed.
        """
        if self._found.get(key):
            return True
        found = await self._exists_now(key, near)
        if found:
            self._found.put(key, True)
        return found

    async def _exists_now(self, key: str, near: TimeWindow | None) -> bool:
        body = queries.build_exists_query(key)
        if near is not None:
            # Not widened: on a miss the whole namespace is asked right below anyway.
            resp = await self.search(body, window=near, widen_when_empty=False)
            if int(resp.get("hits", {}).get("total", {}).get("value", 0)) > 0:
                return True
        resp = await self.search(body)
        return int(resp["hits"]["total"]["value"]) > 0

    async def matching_keys(self, pattern: str, size: int) -> tuple[tuple[str, ...], bool]:
        """Keys matching one regexp, at most ``size``, and whether there are more."""
        return parsing.parse_keys(await self.search(queries.build_resolve_query(pattern, size)))

    async def principal_keys(self, kind: EntityKind, principal_id: str) -> tuple[str, ...]:
        """Role or user keys behind a principal id (at most two: enough to spot ambiguity)."""
        keys, _ = parsing.parse_keys(
            await self.search(queries.build_principal_query(kind, principal_id))
        )
        return keys

    async def prefix_keys(self, prefix: str, size: int) -> tuple[tuple[str, ...], bool]:
        """Keys starting with ``prefix``, in key order, at most ``size``, and whether more exist.

        The terms-enum API reads the field's terms dictionaries instead of
        aggregating every event of every matching key: ~30 ms against
        110-170 ms uncached for an instance prefix at 1M events.  (It may
        list a key whose only events were deleted; events are append-only.)
        """
        async with backend_errors():
            with self._clock():
                resp = await self._opts().terms_enum(
                    index=self.index,
                    field=f.RELATED_ENTITY,
                    string=prefix,
                    size=size + 1,
                    timeout=self._timeout,
                )
        if not resp.get("complete", True):
            raise BackendUnavailableError("Elasticsearch did not list every key in time")
        terms = [str(t) for t in resp["terms"]]
        return tuple(terms[:size]), len(terms) > size

    async def search_keys(self, patterns: Sequence[str], size: int) -> tuple[tuple[str, ...], bool]:
        """Keys matching any pattern, in key order."""
        return parsing.parse_keys(await self.search(queries.build_search_query(patterns, size)))

    async def example_keys(self, kind: EntityKind, size: int) -> tuple[str, ...]:
        """The busiest keys of a kind."""
        keys, _ = parsing.parse_keys(await self.search(queries.build_examples_query(kind, size)))
        return keys

    async def open_pit(self, keep_alive: str = "5m", *, window: TimeWindow | None = None) -> str:
        """Open a point in time over the namespace's indices (or those of ``window``)."""
        async with backend_errors():
            with self._clock():
                resp = await self._opts().open_point_in_time(
                    index=self.indices(window), keep_alive=keep_alive, ignore_unavailable=True
                )
        return str(resp["id"])

    async def close_pit(self, pit_id: str) -> None:
        """Release a point in time (a missing one is fine: it expired)."""
        async with backend_errors():
            with self._clock():
                await self._opts().options(ignore_status=404).close_point_in_time(id=pit_id)

    async def pit_search(self, body: Mapping[str, Any]) -> Mapping[str, Any]:
        """A search inside a point in time (no index in the path, as ES requires)."""
        async with backend_errors():
            with self._clock():
                resp = await self._opts().search(body={**body, "timeout": self._timeout})
        self.took_ms += int(resp.get("took", 0))
        _complete_or_raise(resp.body)
        answer: Mapping[str, Any] = resp.body
        return answer
