"""GraphQL view of neighborhoods: nodes, typed edges with measures, per-type truncation."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from resolvers import domain
from schema.entity import Entity, node_from_ref
from schema.enums import EdgeType

__all__ = ["Edge", "EdgeGroup", "Neighborhood", "group_from_domain"]


@strawberry.type(
    description="Flows of one direction, service port and protocol: outbound rows carry the "
    "remote port, inbound rows the local port."
)
class PortFlow:
    direction: str
    local_port: int | None
    remote_port: int | None
    protocol: str | None
    count: int
    other_port_count: int = strawberry.field(
        description="Distinct ports on the other (usually ephemeral) side."
    )
    bytes_in: float
    bytes_out: float
    packets_in: float
    packets_out: float
    rejected: int


@strawberry.type(description="Measures of a NETWORK edge (instance <-> IP).")
class NetworkMeasures:
    bytes_in: float
    bytes_out: float
    packets_in: float
    packets_out: float
    accepted: int
    rejected: int
    ports: list[PortFlow] = strawberry.field(description="Busiest port rows first.")
    other_port_flows: int = strawberry.field(
        description="Flow records of this edge not covered by the listed port rows."
    )


@strawberry.type(description="Measures of an edge made of API calls.")
class CallMeasures:
    success: int
    failure: int
    actions: list[str] = strawberry.field(description="Top API actions behind the edge.")
    countries: list[str]
    as_organizations: list[str]


@strawberry.type(description="Measures of a FINDING edge.")
class FindingMeasures:
    max_severity: int | None
    finding_types: list[str]


@strawberry.type(description="An aggregated, typed, directed relationship over the scope.")
class Edge:
    type: EdgeType
    source: Entity
    target: Entity
    source_key: str
    target_key: str
    count: int = strawberry.field(description="Events behind the edge (its weight).")
    first_seen: datetime | None
    last_seen: datetime | None
    network: NetworkMeasures | None
    calls: CallMeasures | None
    finding: FindingMeasures | None

    @classmethod
    def from_domain(cls, e: domain.Edge) -> Edge:
        m, labels = e.measures, e.labels
        network = calls = finding = None
        if e.type is domain.EdgeType.NETWORK:
            network = NetworkMeasures(
                bytes_in=m.get("bytesIn", 0.0),
                bytes_out=m.get("bytesOut", 0.0),
                packets_in=m.get("packetsIn", 0.0),
                packets_out=m.get("packetsOut", 0.0),
                accepted=int(m.get("accepted", 0)),
                rejected=int(m.get("rejected", 0)),
                ports=[
                    PortFlow(
                        direction=p.direction,
                        local_port=p.local_port,
                        remote_port=p.remote_port,
                        protocol=p.protocol,
                        count=p.count,
                        other_port_count=p.other_port_count,
                        bytes_in=float(p.bytes_in),
                        bytes_out=float(p.bytes_out),
                        packets_in=float(p.packets_in),
                        packets_out=float(p.packets_out),
                        rejected=p.rejected,
                    )
                    for p in e.ports
                ],
                other_port_flows=e.other_port_flows,
            )
        elif e.type is domain.EdgeType.FINDING:
            sev = m.get("maxSeverity")
            finding = FindingMeasures(
                max_severity=None if sev is None else int(sev),
                finding_types=list(labels.get("types", ())),
            )
        else:
            calls = CallMeasures(
                success=int(m.get("success", 0)),
                failure=int(m.get("failure", 0)),
                actions=list(labels.get("actions", ())),
                countries=list(labels.get("countries", ())),
                as_organizations=list(labels.get("asOrganizations", ())),
            )
        return cls(
            type=EdgeType(e.type.value),
            source=node_from_ref(e.source),
            target=node_from_ref(e.target),
            source_key=e.source.key,
            target_key=e.target.key,
            count=e.count,
            first_seen=e.first_seen,
            last_seen=e.last_seen,
            network=network,
            calls=calls,
            finding=finding,
        )


@strawberry.enum(description="Whether the group's center is the edges' source or target.")
class EdgeDirection(Enum):
    OUTGOING = "OUTGOING"
    INCOMING = "INCOMING"


@strawberry.type(description="Top edges of one type around one node, and how many exist.")
class EdgeGroup:
    type: EdgeType
    center_key: str
    direction: EdgeDirection
    edges: list[Edge]
    total_count: int = strawberry.field(description="Edges of this type around the node.")
    more_count: int = strawberry.field(description="Edges that exist but are not listed.")
    total_is_lower_bound: bool = strawberry.field(
        description="True when more than 10,000 exist (totalCount is then a lower bound)."
    )
    total_is_approximate: bool = strawberry.field(
        description="True when 3,000 or more exist (totalCount is a HyperLogLog estimate)."
    )


@strawberry.type(description="A node with its hop distance from the center.")
class NeighborhoodNode:
    entity: Entity
    distance: int


@strawberry.type(description="The aggregated subgraph around an entity over the scope.")
class Neighborhood:
    center: Entity
    hops: int
    nodes: list[NeighborhoodNode]
    edges: list[Edge]
    groups: list[EdgeGroup]
    unexpanded_count: int = strawberry.field(
        description="Hop-1 nodes not expanded at hop 2 (only the heaviest are)."
    )
    scope_start: datetime
    scope_end: datetime

    @classmethod
    def from_domain(cls, n: domain.Neighborhood, start: datetime, end: datetime) -> Neighborhood:
        edges = {(e.type, e.source, e.target): Edge.from_domain(e) for e in n.edges}
        return cls(
            center=node_from_ref(n.center),
            hops=n.hops,
            nodes=[
                NeighborhoodNode(entity=node_from_ref(x), distance=n.distances.get(x.key, 0))
                for x in n.nodes
            ],
            edges=list(edges.values()),
            groups=[group_from_domain(g, edges) for g in n.groups],
            unexpanded_count=n.unexpanded,
            scope_start=start,
            scope_end=end,
        )


def group_from_domain(
    g: domain.EdgeGroup,
    known: dict[tuple[domain.EdgeType, domain.NodeRef, domain.NodeRef], Edge] | None = None,
) -> EdgeGroup:
    """A domain edge group as GraphQL (reusing already converted edges)."""
    known = known or {}
    return EdgeGroup(
        type=EdgeType(g.type.value),
        center_key=g.center.key,
        direction=EdgeDirection.OUTGOING if g.center_is_source else EdgeDirection.INCOMING,
        edges=[known.get((e.type, e.source, e.target)) or Edge.from_domain(e) for e in g.edges],
        total_count=g.total,
        more_count=g.more,
        total_is_lower_bound=g.total_is_lower_bound,
        total_is_approximate=g.total_is_approximate,
    )
