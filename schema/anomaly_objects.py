"""GraphQL view of finding groups, investigations and propagated neighborhood ranks."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from resolvers.scoring import finding_groups as fg
from resolvers.scoring import investigations as inv
from resolvers.scoring.service import RankedNode
from schema.anomaly import AnomalyScore, Indicator, IndicatorType, Severity
from schema.described import described
from schema.entity import Entity, entity_from_ref
from schema.timeline import PageInfo
from trailhound.ecs.entities import EntityRef

__all__ = [
    "FindingGroup",
    "FindingGroupConnection",
    "Investigation",
    "InvestigationConnection",
    "InvestigationSortField",
    "InvestigationState",
    "InvestigationStatus",
    "NeighborRank",
    "SortOrder",
]

strawberry.enum(inv.Status, name="InvestigationStatus")
strawberry.enum(inv.State, name="InvestigationState")
strawberry.enum(inv.SortField, name="InvestigationSortField")
InvestigationStatus = inv.Status
InvestigationState = inv.State
InvestigationSortField = inv.SortField


@strawberry.enum
class SortOrder(Enum):
    ASC = "ASC"
    DESC = "DESC"


def _entity(key: str) -> Entity | None:
    try:
        return entity_from_ref(EntityRef.parse(key))
    except (ValueError, KeyError):
        return None


@strawberry.type(description="A member finding of a finding group.")
class GroupFinding:
    key: str
    type: str
    severity: Severity
    first_seen: datetime
    last_seen: datetime
    tactics: list[str]


@strawberry.type(description="Findings sharing a role session, access key, instance or public IP.")
class FindingGroup:
    id: str
    title: str
    severity: Severity
    first_seen: datetime
    last_seen: datetime
    tactics: list[str] = strawberry.field(description="ATT&CK tactics in order of appearance.")
    findings: list[GroupFinding]
    entity_keys: list[str]
    shared_entity_keys: list[str] = strawberry.field(
        description="The entities that link the findings."
    )

    @described("Involved entities.")
    def entities(self) -> list[Entity]:
        return [e for e in (_entity(k) for k in self.entity_keys) if e is not None]

    @classmethod
    def from_domain(cls, g: fg.FindingGroup) -> FindingGroup:
        return cls(
            id=g.id,
            title=g.title,
            severity=g.severity,
            first_seen=g.first_seen,
            last_seen=g.last_seen,
            tactics=list(g.tactics),
            findings=[
                GroupFinding(
                    key=f.key,
                    type=f.type,
                    severity=f.severity,
                    first_seen=f.first_seen,
                    last_seen=f.last_seen,
                    tactics=list(f.tactics),
                )
                for f in g.findings
            ],
            entity_keys=list(g.entities),
            shared_entity_keys=list(g.shared),
        )


@strawberry.type
class FindingGroupEdge:
    cursor: str
    node: FindingGroup


@strawberry.type
class FindingGroupConnection:
    edges: list[FindingGroupEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type(
    description="A stored investigation (Detective GetInvestigation + ListIndicators)."
)
class Investigation:
    id: str
    entity_key: str
    entity_type: str
    created_time: datetime
    updated_time: datetime
    scope_start: datetime
    scope_end: datetime
    baseline_start: datetime
    baseline_end: datetime
    status: InvestigationStatus
    state: InvestigationState
    severity: Severity | None
    score: float | None
    error: str | None
    indicator_list: strawberry.Private[tuple[object, ...]]

    @strawberry.field
    def entity(self) -> Entity | None:
        return _entity(self.entity_key)

    @described("ListIndicators, optionally of some types only.")
    def indicators(self, types: list[IndicatorType] | None = None) -> list[Indicator]:
        wanted = set(types or [])
        return [
            Indicator.from_domain(i)  # type: ignore[arg-type]
            for i in self.indicator_list
            if not wanted or getattr(i, "type", None) in wanted
        ]

    @classmethod
    def from_domain(cls, i: inv.Investigation) -> Investigation:
        w = i.window
        return cls(
            id=i.id,
            entity_key=i.entity.key,
            entity_type=i.entity.kind.value,
            created_time=i.created_time,
            updated_time=i.updated_time,
            scope_start=w.scope_start,
            scope_end=w.scope_end,
            baseline_start=w.baseline_start,
            baseline_end=w.baseline_end,
            status=i.status,
            state=i.state,
            severity=i.severity,
            score=i.score,
            error=i.error,
            indicator_list=i.indicators,
        )


@strawberry.type
class InvestigationConnection:
    nodes: list[Investigation]
    page_info: PageInfo


@strawberry.type(description="A neighbor whose contribution raised a node's score.")
class RaisedBy:
    entity_key: str
    points: float

    @strawberry.field
    def entity(self) -> Entity | None:
        return _entity(self.entity_key)


@strawberry.type(description="A neighborhood node ranked by its propagated anomaly score.")
class NeighborRank:
    entity_key: str
    base_score: float
    inherited: float
    score: float = strawberry.field(description="min(100, base + inherited).")
    raised_by: list[RaisedBy]
    anomaly: AnomalyScore

    @strawberry.field
    def entity(self) -> Entity | None:
        return _entity(self.entity_key)

    @classmethod
    def from_domain(cls, n: RankedNode) -> NeighborRank:
        p = n.propagated
        return cls(
            entity_key=n.ref.key,
            base_score=p.base,
            inherited=p.inherited,
            score=p.score,
            raised_by=[RaisedBy(entity_key=r.key, points=pts) for r, pts in p.raised_by],
            anomaly=AnomalyScore.from_domain(n.score),
        )
