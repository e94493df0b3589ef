"""GraphQL view of profile panels: ``profile(entity, scope)`` with one field per panel.

Each panel field is resolved on its own (one Elasticsearch request each), so
a client asks only for the panels it shows and they run concurrently.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import datetime
from typing import TypeVar

import strawberry

from resolvers import profile as domain
from resolvers.scope import Scope
from schema.context import Info
from schema.described import described
from schema.entity import Entity, entity_from_ref
from schema.graph import EdgeGroup, group_from_domain
from trailhound.ecs.entities import EntityRef

__all__ = ["PANEL_FIELDS", "Profile"]

T = TypeVar("T")


@strawberry.type(description="One interval of a panel's time series.")
class SeriesPoint:
    start: datetime
    count: int
    failed: int = strawberry.field(description="Failed API calls, or rejected flows.")
    bytes_in: float
    bytes_out: float


def _points(points: tuple[domain.SeriesPoint, ...]) -> list[SeriesPoint]:
    return [
        SeriesPoint(
            start=p.start,
            count=p.count,
            failed=p.failed,
            bytes_in=p.bytes_in,
            bytes_out=p.bytes_out,
        )
        for p in points
    ]


@strawberry.type
class CallCount:
    value: str
    success: int
    failure: int


@strawberry.type(description="A drill-down row: IP -> API -> caller, or API -> IP -> caller.")
class DrillRow:
    value: str
    service: str | None
    success: int
    failure: int
    children: list[DrillRow]

    @classmethod
    def from_domain(cls, d: domain.Drill) -> DrillRow:
        return cls(
            value=d.value,
            service=d.service,
            success=d.success,
            failure=d.failure,
            children=[cls.from_domain(c) for c in d.children],
        )


@strawberry.type(description="Overall API call volume (success/failure, by service).")
class ApiCallVolume:
    success: int
    failure: int
    interval_seconds: int
    series: list[SeriesPoint]
    services: list[CallCount]
    by_ip: list[DrillRow] = strawberry.field(description="Observed IP -> API -> caller.")
    by_api: list[DrillRow] = strawberry.field(description="API method -> IP -> caller.")
    by_caller: list[DrillRow] = strawberry.field(
        description="Caller -> IP -> API method; the caller is the access key for users and "
        "role sessions, the acting principal otherwise."
    )


@strawberry.type(description="A value seen in the scope and not in the baseline.")
class NewValue:
    value: str
    count: int
    first_seen: datetime | None
    service: str | None


def _new(values: tuple[domain.NewValue, ...]) -> list[NewValue]:
    return [
        NewValue(value=v.value, count=v.count, first_seen=v.first_seen, service=v.service)
        for v in values
    ]


@strawberry.type(description="An API call whose hourly rate rose against the baseline.")
class IncreasedApiCall:
    action: str
    service: str | None
    scope_count: int
    baseline_count: int
    scope_rate_per_hour: float
    baseline_rate_per_hour: float
    ratio: float


@strawberry.type(description="Newly observed behavior and API calls with increased volume.")
class NewBehavior:
    api_calls: list[NewValue]
    countries: list[NewValue]
    cities: list[NewValue]
    as_organizations: list[NewValue]
    user_agents: list[NewValue]
    remote_ips: list[NewValue]
    increased_api_calls: list[IncreasedApiCall]
    approximate: bool = strawberry.field(
        description="More than 2,000 distinct values in a dimension: lists may miss some."
    )
    baseline_empty: bool = strawberry.field(
        description="No events in the baseline (training period): everything looks new."
    )


@strawberry.type(description="One (peer, local port, remote port, protocol, direction) row.")
class FlowRow:
    peer: Entity | None = strawberry.field(
        description="The remote IP (instance profile) or the instance (IP profile); null for "
        "interface-only flow records."
    )
    local_port: int | None
    remote_port: int | None
    protocol: str | None
    direction: str | None = strawberry.field(description="INBOUND, OUTBOUND or UNKNOWN.")
    count: int
    bytes_in: float
    bytes_out: float
    accepted: int
    rejected: int
    first_seen: datetime | None
    last_seen: datetime | None
    annotated: bool = strawberry.field(description="The peer (or entity) is named by a finding.")
    series: list[SeriesPoint] = strawberry.field(
        description="Sparse: only the intervals with flows (the panel's own series is dense)."
    )


@strawberry.type(description="Overall VPC flow volume, a page of rows plus overall traffic.")
class VpcFlowVolume:
    rows: list[FlowRow]
    end_cursor: str | None
    peer_count: int
    flow_count: int
    bytes_in: float
    bytes_out: float
    rejected: int
    interval_seconds: int
    series: list[SeriesPoint]
    finding_ips: list[str]


def _asks_row_series(info: Info) -> bool:
    """Whether the selection asks for ``rows { series }`` (else ES skips building it)."""
    for field in info.selected_fields:
        for sub in getattr(field, "selections", []):
            if getattr(sub, "name", None) == "rows":
                return any(getattr(s, "name", None) == "series" for s in sub.selections)
    return True  # fragments or unusual shapes: be safe and compute it


# The panel fields (GraphQL names): each awaits ``Profile.existence`` itself.
PANEL_FIELDS = frozenset(
    {"apiCallVolume", "newBehavior", "vpcFlowVolume", "resourceInteraction", "associatedFindings"}
)


@strawberry.type(description="Detective's profile panels for one entity and scope.")
class Profile:
    ref: strawberry.Private[EntityRef]
    # The entity-existence check, started by the root resolver; every panel
    # awaits it together with its own request (NOT_FOUND wins over the panel).
    existence: strawberry.Private[Awaitable[None]]
    scope: strawberry.Private[Scope]
    scope_start: datetime
    scope_end: datetime
    baseline_start: datetime
    baseline_end: datetime

    @strawberry.field
    def entity(self) -> Entity:
        return entity_from_ref(self.ref)

    async def _checked(self, work: Awaitable[T]) -> T:
        _, result = await asyncio.gather(self.existence, work)
        return result

    @described("Overall API call volume; filters: source CIDR, API-name substring.")
    async def api_call_volume(
        self,
        info: Info,
        cidr: str | None = None,
        api_substring: str | None = None,
        rows: int = 20,
    ) -> ApiCallVolume:
        v = await self._checked(
            info.context.services.profiles.api_volume(
                self.ref, self.scope, rows=rows, cidr=cidr, api_substring=api_substring
            )
        )
        return ApiCallVolume(
            success=v.success,
            failure=v.failure,
            interval_seconds=v.interval_seconds,
            series=_points(v.series),
            services=[
                CallCount(value=c.value, success=c.success, failure=c.failure) for c in v.services
            ],
            by_ip=[DrillRow.from_domain(d) for d in v.by_ip],
            by_api=[DrillRow.from_domain(d) for d in v.by_api],
            by_caller=[DrillRow.from_domain(d) for d in v.by_caller],
        )

    @described("Newly observed API calls, geolocations, ASOs, user agents, remote IPs.")
    async def new_behavior(self, info: Info, min_ratio: float = 2.0) -> NewBehavior:
        b = await self._checked(
            info.context.services.profiles.behavior(self.ref, self.scope, min_ratio=min_ratio)
        )
        return NewBehavior(
            api_calls=_new(b.new["apiCalls"]),
            countries=_new(b.new["countries"]),
            cities=_new(b.new["cities"]),
            as_organizations=_new(b.new["asOrganizations"]),
            user_agents=_new(b.new["userAgents"]),
            remote_ips=_new(b.new["remoteIps"]),
            increased_api_calls=[
                IncreasedApiCall(
                    action=r.action,
                    service=r.service,
                    scope_count=r.scope_count,
                    baseline_count=r.baseline_count,
                    scope_rate_per_hour=r.scope_rate,
                    baseline_rate_per_hour=r.baseline_rate,
                    ratio=r.ratio,
                )
                for r in b.increased
            ],
            approximate=b.approximate,
            baseline_empty=b.baseline_empty,
        )

    @described("Overall VPC flow volume (EC2 instances and IP addresses); paged rows.")
    async def vpc_flow_volume(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        remote_cidr: str | None = None,
    ) -> VpcFlowVolume:
        v = await self._checked(
            info.context.services.profiles.flow_volume(
                self.ref,
                self.scope,
                rows=first,
                after=after,
                remote_cidr=remote_cidr,
                row_series=_asks_row_series(info),
            )
        )
        return VpcFlowVolume(
            rows=[
                FlowRow(
                    peer=None if r.peer is None else entity_from_ref(r.peer),
                    local_port=r.local_port,
                    remote_port=r.remote_port,
                    protocol=r.protocol,
                    direction=r.direction,
                    count=r.count,
                    bytes_in=r.bytes_in,
                    bytes_out=r.bytes_out,
                    accepted=r.accepted,
                    rejected=r.rejected,
                    first_seen=r.first_seen,
                    last_seen=r.last_seen,
                    annotated=r.annotated,
                    series=_points(r.series),
                )
                for r in v.rows
            ],
            end_cursor=v.cursor,
            peer_count=v.peer_count,
            flow_count=v.flow_count,
            bytes_in=v.bytes_in,
            bytes_out=v.bytes_out,
            rejected=v.rejected,
            interval_seconds=v.interval_seconds,
            series=_points(v.series),
            finding_ips=list(v.finding_ips),
        )

    @described("Roles assumed, assumed by, role sessions and instance profiles.")
    async def resource_interaction(self, info: Info, limit: int = 20) -> list[EdgeGroup]:
        groups = await self._checked(
            info.context.services.profiles.resource_interaction(self.ref, self.scope, limit=limit)
        )
        return [group_from_domain(g) for g in groups]

    @described("Findings involving the entity in the scope.")
    async def associated_findings(self, info: Info, limit: int = 20) -> EdgeGroup | None:
        g = await self._checked(
            info.context.services.profiles.findings(self.ref, self.scope, limit=limit)
        )
        return None if g is None else group_from_domain(g)
