"""Investigations: a stored, background-computed anomaly report on one entity.

Detective's ``StartInvestigation`` / ``GetInvestigation`` / ``ListInvestigations``
/ ``UpdateInvestigationState`` (detective.md §5), for any principal (user, role,
role session, federated user, access key) and EC2 instances.  Documents live in
``trailhound-investigations-<namespace>``.  ``start`` writes a RUNNING document
and queues the work; a fixed pool of ``settings.analytics.investigation_workers``
asyncio workers drains a bounded queue, so a burst of requests waits (or is
refused with LIMIT_EXCEEDED when the queue is full) instead of flooding the
search pool, the OpenSearch lesson (peers.md §5).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from elasticsearch import AsyncElasticsearch

from resolvers.repository import backend_errors
from resolvers.scoring.codec import indicator_from_doc, indicator_to_doc
from resolvers.scoring.engine import ScoringEngine
from resolvers.scoring.model import Indicator, IndicatorType, Severity, Window
from trailhound.ecs.entities import EntityKind, EntityRef
from trailhound.ecs.indices import investigations_index
from trailhound.errors import (
    InvalidEntityError,
    LimitExceededError,
    NotFoundError,
    QueryError,
)

logger = logging.getLogger(__name__)

INVESTIGABLE = frozenset(
    {
        EntityKind.AWS_USER,
        EntityKind.AWS_ROLE,
        EntityKind.AWS_ROLE_SESSION,
        EntityKind.FEDERATED_USER,
        EntityKind.ACCESS_KEY,
        EntityKind.EC2_INSTANCE,
    }
)
QUEUE_LIMIT = 100
MAX_PAGE = 100

_KW = {"type": "keyword"}
MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "investigation_id": _KW,
        "entity": _KW,
        "entity_type": _KW,
        "status": _KW,
        "state": _KW,
        "severity": _KW,
        "severity_rank": {"type": "byte"},
        "score": {"type": "float"},
        "created_time": {"type": "date"},
        "updated_time": {"type": "date"},
        "scope_start": {"type": "date"},
        "scope_end": {"type": "date"},
        "baseline_start": {"type": "date"},
        "baseline_end": {"type": "date"},
        "error": {"type": "text"},
        "indicators": {"type": "object", "enabled": False},
        "method": {"type": "keyword", "index": False},
    },
}


class Status(StrEnum):
    """Detective's investigation status."""

    RUNNING = "RUNNING"
    SUCCESSFUL = "SUCCESSFUL"
    FAILED = "FAILED"


class State(StrEnum):
    """Detective's investigation state."""

    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class SortField(StrEnum):
    """``ListInvestigations`` sort fields."""

    SEVERITY = "SEVERITY"
    STATUS = "STATUS"
    CREATED_TIME = "CREATED_TIME"


_SORT_FIELDS = {
    SortField.SEVERITY: "severity_rank",
    SortField.STATUS: "status",
    SortField.CREATED_TIME: "created_time",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Investigation:
    """One stored investigation."""

    id: str
    entity: EntityRef
    created_time: datetime
    updated_time: datetime
    window: Window
    status: Status
    state: State
    severity: Severity | None
    score: float | None
    indicators: tuple[Indicator, ...]
    error: str | None = None

    def indicators_of(self, types: Sequence[IndicatorType] | None) -> tuple[Indicator, ...]:
        """``ListIndicators`` with an optional type filter."""
        if not types:
            return self.indicators
        return tuple(i for i in self.indicators if i.type in set(types))


@dataclass(frozen=True, slots=True, kw_only=True)
class InvestigationFilter:
    """``ListInvestigations`` filter criteria (all optional, ANDed)."""

    severities: frozenset[Severity] = frozenset()
    statuses: frozenset[Status] = frozenset()
    states: frozenset[State] = frozenset()
    entity: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


@dataclass(frozen=True, slots=True)
class InvestigationPage:
    """One page of investigations and the cursor of the next (None at the end)."""

    items: tuple[Investigation, ...]
    next_cursor: str | None


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _from_doc(src: Mapping[str, Any]) -> Investigation:
    sev = src.get("severity")
    return Investigation(
        id=src["investigation_id"],
        entity=EntityRef.parse(src["entity"]),
        created_time=_parse_time(src["created_time"]),
        updated_time=_parse_time(src["updated_time"]),
        window=Window(
            scope_start=_parse_time(src["scope_start"]),
            scope_end=_parse_time(src["scope_end"]),
            baseline_start=_parse_time(src["baseline_start"]),
            baseline_end=_parse_time(src["baseline_end"]),
        ),
        status=Status(src["status"]),
        state=State(src["state"]),
        severity=Severity(sev) if sev else None,
        score=src.get("score"),
        indicators=tuple(indicator_from_doc(d) for d in src.get("indicators") or ()),
        error=src.get("error"),
    )


def build_list_query(
    flt: InvestigationFilter, sort: SortField, descending: bool, size: int, after: list[Any] | None
) -> dict[str, Any]:
    """The ``ListInvestigations`` search body (``search_after`` paging)."""
    clauses: list[dict[str, Any]] = []
    for name, values in (
        ("severity", flt.severities),
        ("status", flt.statuses),
        ("state", flt.states),
    ):
        if values:
            clauses.append({"terms": {name: sorted(v.value for v in values)}})
    if flt.entity:
        clauses.append({"term": {"entity": flt.entity}})
    if flt.created_from or flt.created_to:
        rng: dict[str, str] = {}
        if flt.created_from:
            rng["gte"] = _iso(flt.created_from)
        if flt.created_to:
            rng["lte"] = _iso(flt.created_to)
        clauses.append({"range": {"created_time": rng}})
    order = "desc" if descending else "asc"
    body: dict[str, Any] = {
        "size": size,
        "query": {"bool": {"filter": clauses}},
        "sort": [{_SORT_FIELDS[sort]: {"order": order}}, {"investigation_id": {"order": order}}],
    }
    if after is not None:
        body["search_after"] = after
    return body


def _encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def _decode_cursor(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, json.JSONDecodeError) as exc:
        raise QueryError(f"invalid cursor {cursor!r}") from exc
    if not isinstance(values, list):
        raise QueryError(f"invalid cursor {cursor!r}")
    return values


@dataclass(slots=True)
class InvestigationService:
    """Start, run, read, list and archive investigations."""

    client: AsyncElasticsearch
    namespace: str
    engine: ScoringEngine
    workers: int = 2
    queue_limit: int = QUEUE_LIMIT
    _queue: asyncio.Queue[tuple[str, EntityRef, Window]] | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _ready: bool = False

    @property
    def index(self) -> str:
        """The investigations index of this namespace."""
        return investigations_index(self.namespace)

    async def ensure_index(self) -> None:
        """Create the index with its mapping when absent."""
        if self._ready:
            return
        async with backend_errors():
            await self.client.options(ignore_status=400).indices.create(
                index=self.index,
                mappings=MAPPINGS,
                settings={"number_of_shards": 1, "number_of_replicas": 0},
            )
        self._ready = True

    def _start_workers(self) -> None:
        if self._queue is None:
            self._queue = asyncio.Queue(maxsize=self.queue_limit)
        self._tasks = [t for t in self._tasks if not t.done()]
        while len(self._tasks) < max(1, self.workers):
            self._tasks.append(asyncio.create_task(self._work(), name="investigation-worker"))

    async def start(self, entity: EntityRef, window: Window) -> str:
        """Store a RUNNING investigation, queue it, return its 21-digit id."""
        if entity.kind not in INVESTIGABLE:
            kinds = ", ".join(sorted(k.value for k in INVESTIGABLE))
            raise InvalidEntityError(f"cannot investigate a {entity.kind.value}; one of: {kinds}")
        await self.ensure_index()
        self._start_workers()
        assert self._queue is not None
        if self._queue.full():
            raise LimitExceededError(
                f"{self._queue.qsize()} investigations are queued; try again later"
            )
        inv_id = str(secrets.randbelow(10**21)).zfill(21)
        now = datetime.now(UTC)
        doc: dict[str, Any] = {
            "investigation_id": inv_id,
            "entity": entity.key,
            "entity_type": entity.kind.value,
            "status": Status.RUNNING.value,
            "state": State.ACTIVE.value,
            "created_time": _iso(now),
            "updated_time": _iso(now),
            "scope_start": _iso(window.scope_start),
            "scope_end": _iso(window.scope_end),
            "baseline_start": _iso(window.baseline_start),
            "baseline_end": _iso(window.baseline_end),
            "indicators": [],
        }
        async with backend_errors():
            await self.client.index(index=self.index, id=inv_id, document=doc, refresh=True)
        self._queue.put_nowait((inv_id, entity, window))
        return inv_id

    async def _work(self) -> None:
        assert self._queue is not None
        while True:
            inv_id, entity, window = await self._queue.get()
            try:
                await self.run(inv_id, entity, window)
            finally:
                self._queue.task_done()

    async def run(self, inv_id: str, entity: EntityRef, window: Window) -> None:
        """Compute one investigation and store the outcome (never raises)."""
        try:
            score = await self.engine.score(entity, window)
            update: dict[str, Any] = {
                "status": Status.SUCCESSFUL.value,
                "severity": score.severity.value,
                "severity_rank": score.severity.rank,
                "score": score.score,
                "method": score.method,
                "indicators": [indicator_to_doc(i) for i in score.indicators],
            }
        except Exception as exc:  # a failed investigation is recorded, not lost
            logger.warning("investigation %s failed: %s", inv_id, exc)
            update = {"status": Status.FAILED.value, "error": str(exc) or type(exc).__name__}
        update["updated_time"] = _iso(datetime.now(UTC))
        try:
            async with backend_errors():
                await self.client.update(index=self.index, id=inv_id, doc=update, refresh=True)
        except Exception:  # the worker must survive a lost update
            logger.exception("investigation %s: could not store the outcome", inv_id)

    async def drain(self) -> None:
        """Wait until every queued investigation has finished (tests, shutdown)."""
        if self._queue is not None:
            await self._queue.join()

    async def close(self) -> None:
        """Stop the workers."""
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    async def get(self, inv_id: str) -> Investigation:
        """One investigation by id."""
        await self.ensure_index()
        async with backend_errors():
            resp = await self.client.options(ignore_status=404).get(index=self.index, id=inv_id)
        if not resp.get("found"):
            raise NotFoundError(f"investigation {inv_id} does not exist")
        return _from_doc(resp["_source"])

    async def list(
        self,
        flt: InvestigationFilter | None = None,
        sort: SortField = SortField.CREATED_TIME,
        descending: bool = True,
        first: int = 20,
        after: str | None = None,
    ) -> InvestigationPage:
        """A page of investigations matching the filter."""
        if not 1 <= first <= MAX_PAGE:
            raise LimitExceededError(f"first must be 1..{MAX_PAGE}, got {first}")
        await self.ensure_index()
        body = build_list_query(
            flt or InvestigationFilter(),
            sort,
            descending,
            first + 1,
            _decode_cursor(after) if after else None,
        )
        async with backend_errors():
            resp = await self.client.search(index=self.index, body=body)
        hits = resp["hits"]["hits"]
        items = tuple(_from_doc(h["_source"]) for h in hits[:first])
        cursor = _encode_cursor(hits[first - 1]["sort"]) if len(hits) > first else None
        return InvestigationPage(items, cursor)

    async def update_state(self, inv_id: str, state: State) -> Investigation:
        """Archive or re-activate an investigation."""
        await self.get(inv_id)
        async with backend_errors():
            await self.client.update(
                index=self.index,
                id=inv_id,
                doc={"state": state.value, "updated_time": _iso(datetime.now(UTC))},
                refresh=True,
            )
        return await self.get(inv_id)
