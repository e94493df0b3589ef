"""Profile panels (Detective's set), each one Elasticsearch request.

* overall API call volume (success/failure over time, by service) with the
  drill-downs IP -> API -> caller and API -> IP -> caller;
* newly observed API calls, countries, cities, ASOs, user agents and remote
  IPs (seen in the scope, absent from the baseline) and API calls with
  increased volume (per-hour rate in the scope vs the baseline);
* overall VPC flow volume rows with the overall series and finding annotations;
* resource interaction and associated findings are neighborhood edge groups.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers import queries
from resolvers.cursor import decode_cursor, encode_cursor
from resolvers.domain import EdgeGroup, EdgeType
from resolvers.limits import Limits, check_limit
from resolvers.neighborhood import NeighborhoodService
from resolvers.parsing import direction_of, ts_from_millis
from resolvers.repository import EventRepository
from resolvers.scope import Scope, TimeWindow
from resolvers.timeline import histogram_interval
from trailhound.ecs.entities import EntityKind, EntityRef
from trailhound.errors import InvalidArgumentError

__all__ = [
    "ApiVolume",
    "Behavior",
    "Count",
    "Drill",
    "FlowVolume",
    "NewValue",
    "ProfileService",
    "RateChange",
    "SeriesPoint",
    "parse_api_volume",
    "parse_behavior",
    "parse_flow_volume",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class SeriesPoint:
    """One interval: success/failure calls, or bytes in/out and rejected flows."""

    start: datetime
    count: int
    failed: int = 0
    bytes_in: float = 0.0
    bytes_out: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Count:
    """A labelled success/failure count."""

    value: str
    success: int
    failure: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Drill:
    """A drill-down row (IP or API) with its nested level and callers."""

    value: str
    success: int
    failure: int
    service: str | None
    children: tuple[Drill, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiVolume:
    """The overall API call volume panel."""

    success: int
    failure: int
    interval_seconds: int
    series: tuple[SeriesPoint, ...]
    services: tuple[Count, ...]
    by_ip: tuple[Drill, ...]
    by_api: tuple[Drill, ...]
    by_caller: tuple[Drill, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class NewValue:
    """A value observed in the scope and not in the baseline."""

    value: str
    count: int
    first_seen: datetime | None
    service: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RateChange:
    """An API call whose hourly rate rose from the baseline to the scope."""

    action: str
    service: str | None
    scope_count: int
    baseline_count: int
    scope_rate: float
    baseline_rate: float
    ratio: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Behavior:
    """Newly observed values per dimension and API calls with increased volume."""

    new: Mapping[str, tuple[NewValue, ...]]
    increased: tuple[RateChange, ...]
    approximate: bool
    baseline_empty: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowRow:
    """One (peer, local port, remote port, protocol, direction) row."""

    peer: EntityRef | None  # None: an interface-only flow record of an IP's peer
    local_port: int | None
    remote_port: int | None
    protocol: str | None
    direction: str | None
    count: int
    bytes_in: float
    bytes_out: float
    accepted: int
    rejected: int
    first_seen: datetime | None
    last_seen: datetime | None
    annotated: bool
    series: tuple[SeriesPoint, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowVolume:
    """The overall VPC flow volume panel (one composite page of rows)."""

    rows: tuple[FlowRow, ...]
    cursor: str | None
    peer_count: int
    flow_count: int
    bytes_in: float
    bytes_out: float
    rejected: int
    interval_seconds: int
    series: tuple[SeriesPoint, ...]
    finding_ips: tuple[str, ...]


def _failed(b: Mapping[str, Any]) -> int:
    return int(b["failed"]["doc_count"])


def _series_calls(agg: Mapping[str, Any]) -> tuple[SeriesPoint, ...]:
    return tuple(
        SeriesPoint(
            start=ts_from_millis(float(b["key"])) or datetime.min,
            count=int(b["doc_count"]),
            failed=_failed(b),
        )
        for b in agg["buckets"]
    )


def _drill(b: Mapping[str, Any], *levels: str, service: str | None = None) -> Drill:
    """A drill-down row; ``levels`` name the nested aggregations below it, in order."""
    count, failed = int(b["doc_count"]), _failed(b)
    children: tuple[Drill, ...] = ()
    if levels:
        children = tuple(_drill(c, *levels[1:]) for c in b[levels[0]]["buckets"])
    return Drill(
        value=str(b["key"]),
        success=count - failed,
        failure=failed,
        service=service,
        children=children,
    )


def parse_api_volume(resp: Mapping[str, Any], interval: int) -> ApiVolume:
    """The API volume panel from :func:`queries.build_api_volume_query`'s answer."""
    aggs = resp.get("aggregations", {})
    total = sum(int(b["doc_count"]) for b in aggs["services"]["buckets"])
    failed = int(aggs["failed"]["doc_count"])
    by_api = []
    for b in aggs["by_api"]["buckets"]:
        providers = b["provider"]["buckets"]
        by_api.append(
            _drill(b, "ip", "caller", service=str(providers[0]["key"]) if providers else None)
        )
    return ApiVolume(
        success=total - failed,
        failure=failed,
        interval_seconds=interval,
        series=_series_calls(aggs["series"]),
        services=tuple(
            Count(
                value=str(b["key"]),
                success=int(b["doc_count"]) - _failed(b),
                failure=_failed(b),
            )
            for b in aggs["services"]["buckets"]
        ),
        by_ip=tuple(_drill(b, "api", "caller") for b in aggs["by_ip"]["buckets"]),
        by_api=tuple(by_api),
        by_caller=tuple(_drill(b, "ip", "api") for b in aggs["by_caller"]["buckets"]),
    )


def parse_behavior(
    resp: Mapping[str, Any], scope: TimeWindow, baseline: TimeWindow, min_ratio: float
) -> Behavior:
    """Newly observed values and increased API volume from one behavior answer."""
    aggs = resp.get("aggregations", {})
    providers = {
        str(b["key"]): str(b["provider"]["buckets"][0]["key"])
        for b in aggs.get("providers", {}).get("buckets", [])
        if b["provider"]["buckets"]
    }
    approximate = False
    baseline_total = 0
    new: dict[str, tuple[NewValue, ...]] = {}
    for name in queries.NEW_BEHAVIOR_FIELDS:
        agg = aggs[name]
        approximate |= bool(agg["sum_other_doc_count"])
        rows = []
        for b in agg["buckets"]:
            in_scope, in_base = int(b["in_scope"]["doc_count"]), int(b["in_baseline"]["doc_count"])
            baseline_total += in_base
            if in_scope and not in_base:
                rows.append(
                    NewValue(
                        value=str(b["key"]),
                        count=in_scope,
                        first_seen=ts_from_millis(b["first"]["value"]),
                        service=providers.get(str(b["key"])) if name == "apiCalls" else None,
                    )
                )
        rows.sort(key=lambda r: (r.first_seen or datetime.min, r.value))
        new[name] = tuple(rows)
    scope_h = scope.duration.total_seconds() / 3600
    base_h = baseline.duration.total_seconds() / 3600
    increased = []
    for b in aggs["apiCalls"]["buckets"]:
        s, bl = int(b["in_scope"]["doc_count"]), int(b["in_baseline"]["doc_count"])
        if not s or not bl:
            continue  # absent from one window: "new" or "gone", not "increased"
        s_rate, b_rate = s / scope_h, bl / base_h
        ratio = s_rate / b_rate
        if ratio >= min_ratio:
            increased.append(
                RateChange(
                    action=str(b["key"]),
                    service=providers.get(str(b["key"])),
                    scope_count=s,
                    baseline_count=bl,
                    scope_rate=s_rate,
                    baseline_rate=b_rate,
                    ratio=ratio,
                )
            )
    increased.sort(key=lambda r: (-r.ratio, r.action))
    return Behavior(
        new=new,
        increased=tuple(increased),
        approximate=approximate,
        baseline_empty=baseline_total == 0,
    )


def _series_bytes(agg: Mapping[str, Any]) -> tuple[SeriesPoint, ...]:
    return tuple(
        SeriesPoint(
            start=ts_from_millis(float(b["key"])) or datetime.min,
            count=int(b["doc_count"]),
            failed=int(b["rejected"]["doc_count"]),
            bytes_in=float(b["bytes_in"]["value"] or 0),
            bytes_out=float(b["bytes_out"]["value"] or 0),
        )
        for b in agg["buckets"]
    )


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def parse_flow_volume(
    resp: Mapping[str, Any], center: EntityRef, interval: int, rows: int
) -> FlowVolume:
    """The VPC flow volume panel from :func:`queries.build_flow_volume_query`'s answer."""
    aggs = resp.get("aggregations", {})
    finding_ips = tuple(str(b["key"]) for b in aggs["finding_ips"]["of_entity"]["ips"]["buckets"])
    out: list[FlowRow] = []
    for b in aggs["rows"]["buckets"]:
        k = b["key"]
        peer: EntityRef | None = None
        if k["peer"] is None:
            pass  # flows that name no instance (interface-only records)
        elif center.kind is EntityKind.IP_ADDRESS:
            peer = EntityRef.parse(str(k["peer"]))
        else:
            peer = EntityRef(EntityKind.IP_ADDRESS, str(k["peer"]))
        rejected = int(b["rejected"]["doc_count"])
        out.append(
            FlowRow(
                peer=peer,
                local_port=_opt_int(k["local_port"]),
                remote_port=_opt_int(k["remote_port"]),
                protocol=k["protocol"],
                direction=None if k["direction"] is None else direction_of(str(k["direction"])),
                count=int(b["doc_count"]),
                bytes_in=float(b["bytes_in"]["value"] or 0),
                bytes_out=float(b["bytes_out"]["value"] or 0),
                accepted=int(b["doc_count"]) - rejected,
                rejected=rejected,
                first_seen=ts_from_millis(b["first"]["value"]),
                last_seen=ts_from_millis(b["last"]["value"]),
                annotated=(peer is not None and peer.id in finding_ips)
                or (center.id in finding_ips),
                series=_series_bytes(b["series"]) if "series" in b else (),
            )
        )
    after = aggs["rows"].get("after_key")
    totals = aggs["totals"]
    return FlowVolume(
        rows=tuple(out),
        cursor=encode_cursor("flows", after) if after is not None and len(out) == rows else None,
        peer_count=int(aggs["row_count"]["value"]),
        flow_count=int(totals["doc_count"]),
        bytes_in=float(totals["bytes_in"]["value"] or 0),
        bytes_out=float(totals["bytes_out"]["value"] or 0),
        rejected=int(totals["rejected"]["doc_count"]),
        interval_seconds=interval,
        series=_series_bytes(aggs["series"]),
        finding_ips=finding_ips,
    )


def _covering(a: TimeWindow, b: TimeWindow) -> TimeWindow:
    """The smallest window holding both (the baseline and the scope)."""
    return TimeWindow(min(a.start, b.start), max(a.end, b.end))


def _cidr(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return str(ipaddress.ip_network(value.strip(), strict=False))
    except ValueError as exc:
        raise InvalidArgumentError(f"{value!r} is not an IP address or CIDR block") from exc


class ProfileService:
    """One method per panel; each sends one request."""

    def __init__(
        self, repo: EventRepository, neighborhoods: NeighborhoodService, limits: Limits
    ) -> None:
        self._repo = repo
        self._nb = neighborhoods
        self._limits = limits

    async def api_volume(
        self,
        center: EntityRef,
        scope: Scope,
        *,
        rows: int = 20,
        cidr: str | None = None,
        api_substring: str | None = None,
    ) -> ApiVolume:
        """Overall API call volume with drill-downs (filters: source CIDR, API substring)."""
        check_limit("rows", rows, self._limits.max_panel_rows)
        interval = histogram_interval(scope.window)
        body = queries.build_api_volume_query(
            center, scope.window, interval, rows, queries.api_filters(_cidr(cidr), api_substring)
        )
        return parse_api_volume(await self._repo.search(body, window=scope.window), interval)

    async def behavior(self, center: EntityRef, scope: Scope, *, min_ratio: float) -> Behavior:
        """Newly observed values and increased API volume against the baseline."""
        if min_ratio <= 1.0:
            raise InvalidArgumentError(f"minRatio={min_ratio} must be above 1")
        aliases = await self._repo.aliases(center)
        body = queries.build_behavior_query(center, scope.window, scope.baseline, aliases)
        return parse_behavior(
            await self._repo.search(body, window=_covering(scope.baseline, scope.window)),
            scope.window,
            scope.baseline,
            min_ratio,
        )

    async def flow_volume(
        self,
        center: EntityRef,
        scope: Scope,
        *,
        rows: int = 50,
        after: str | None = None,
        remote_cidr: str | None = None,
        row_series: bool = True,
    ) -> FlowVolume:
        """Overall VPC flow volume rows (instances and IPs), paged by composite key."""
        if center.kind not in (EntityKind.EC2_INSTANCE, EntityKind.IP_ADDRESS):
            raise InvalidArgumentError("VPC flow volume exists for EC2 instances and IP addresses")
        check_limit("first", rows, self._limits.max_panel_rows)
        after_key = None
        if after is not None:
            after_key = decode_cursor("flows", after)
            if not isinstance(after_key, dict):
                raise InvalidArgumentError("the cursor is not one this server issued")
        interval = histogram_interval(scope.window)
        body = queries.build_flow_volume_query(
            center,
            scope.window,
            interval,
            rows=rows,
            after=after_key,
            remote_cidr=_cidr(remote_cidr),
            aliases=await self._repo.aliases(center),
            row_series=row_series,
        )
        resp = await self._repo.search(body, window=scope.window)
        return parse_flow_volume(resp, center, interval, rows)

    async def resource_interaction(
        self, center: EntityRef, scope: Scope, *, limit: int
    ) -> tuple[EdgeGroup, ...]:
        """Roles assumed, assumed by, and role sessions (edge groups)."""
        types = frozenset({EdgeType.ASSUMED_ROLE, EdgeType.ROLE_SESSION, EdgeType.INSTANCE_PROFILE})
        nb = await self._nb.neighborhood(
            center, scope, hops=1, edge_types=types, limit_per_edge_type=limit
        )
        return nb.groups

    async def findings(self, center: EntityRef, scope: Scope, *, limit: int) -> EdgeGroup | None:
        """Findings involving the entity in the scope (the FINDING edge group)."""
        nb = await self._nb.neighborhood(
            center,
            scope,
            hops=1,
            edge_types=frozenset({EdgeType.FINDING}),
            limit_per_edge_type=limit,
        )
        return nb.groups[0] if nb.groups else None
