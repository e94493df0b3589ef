"""The edge catalogue: which indexed fields connect which entity kinds.

Each :class:`EdgeSpec` says, for one :class:`EdgeType`, which documents carry
the relationship and which field holds each side.  A center entity matches a
side by a ``term`` on that side's ``filter_field``; its peers are a ``terms``
aggregation on the other side's ``group_field``.  Principals are matched on
``trailhound.actor_chain`` (so a role sees its sessions' activity) and grouped
on ``trailhound.actor`` (the most specific caller).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from resolvers.domain import EdgeType
from trailhound.ecs import fields as f
from trailhound.ecs.entities import PRINCIPAL_KINDS, EntityKind, EntityRef

__all__ = ["EDGE_SPECS", "EdgeSpec", "Family", "Side", "ValueForm", "specs_for"]


class ValueForm(StrEnum):
    """How a field stores an entity: a ``<kind>:<id>`` key or the bare id."""

    KEY = "key"
    BARE = "bare"
    API = "api"  # event.provider + event.action, not an entity


class Family(StrEnum):
    """Which set of measures an edge type aggregates."""

    NETWORK = "network"
    CALLS = "calls"
    FINDINGS = "findings"


@dataclass(frozen=True, slots=True, kw_only=True)
class Side:
    """One end of an edge type."""

    kinds: frozenset[EntityKind]
    filter_field: str
    group_field: str
    form: ValueForm = ValueForm.KEY
    include: str | None = None  # regexp restricting grouped keys (multi-valued key fields)
    exclude: str | None = None

    def filter_value(self, ref: EntityRef) -> str:
        """The value a center takes in :attr:`filter_field`."""
        return ref.key if self.form is ValueForm.KEY else ref.id


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeSpec:
    """Where one relationship lives in the indices."""

    type: EdgeType
    docs: tuple[dict[str, Any], ...]
    source: Side
    target: Side
    family: Family
    labels: tuple[tuple[str, str], ...] = ()  # (label name, keyword field) top values
    variant: str = ""  # distinguishes two specs of one type (aggregation names)

    @property
    def name(self) -> str:
        """Unique name of the spec in the catalogue."""
        return f"{self.type.value}{'_' + self.variant if self.variant else ''}"


def _ds(dataset: str) -> dict[str, Any]:
    return {"term": {f.EVENT_DATASET: dataset}}


_CT = (_ds("aws.cloudtrail"),)
_FLOW = (_ds("aws.vpcflow"),)
_FINDINGS = ({"exists": {"field": f.FINDING}},)
_PRINCIPAL = Side(kinds=PRINCIPAL_KINDS, filter_field=f.ACTOR_CHAIN, group_field=f.ACTOR)
_ACTIONS = (("actions", f.EVENT_ACTION),)


def _keys(kind: EntityKind, field: str) -> Side:
    return Side(
        kinds=frozenset({kind}), filter_field=field, group_field=field, include=f"{kind.value}:.*"
    )


def _bare(kind: EntityKind, field: str) -> Side:
    return Side(kinds=frozenset({kind}), filter_field=field, group_field=field, form=ValueForm.BARE)


_INSTANCE = Side(
    kinds=frozenset({EntityKind.EC2_INSTANCE}), filter_field=f.INSTANCE, group_field=f.INSTANCE
)

EDGE_SPECS: tuple[EdgeSpec, ...] = (
    EdgeSpec(
        type=EdgeType.NETWORK,
        docs=_FLOW,
        source=_INSTANCE,
        target=_bare(EntityKind.IP_ADDRESS, f.FLOW_REMOTE_IP),
        family=Family.NETWORK,
    ),
    # Flow records that name only the interface (default v2 format, no instance-id):
    # the interface is the local end.  An instance's own neighborhood folds in
    # its interfaces' flows (see ``aliases`` in the query builders).
    EdgeSpec(
        type=EdgeType.NETWORK,
        variant="ENI",
        docs=(*_FLOW, {"bool": {"must_not": [{"exists": {"field": f.INSTANCE}}]}}),
        source=_keys(EntityKind.NETWORK_INTERFACE, f.RELATED_ENTITY),
        target=_bare(EntityKind.IP_ADDRESS, f.FLOW_REMOTE_IP),
        family=Family.NETWORK,
    ),
    EdgeSpec(
        type=EdgeType.INSTANCE_PROFILE,
        docs=_CT,
        source=_INSTANCE,
        target=_keys(EntityKind.AWS_ROLE_SESSION, f.ACTOR),
        family=Family.CALLS,
        labels=_ACTIONS,
    ),
    EdgeSpec(
        type=EdgeType.API_CALL,
        docs=_CT,
        source=_PRINCIPAL,
        target=Side(
            kinds=frozenset(),
            filter_field=f.EVENT_ACTION,
            group_field=f.EVENT_ACTION,
            form=ValueForm.API,
        ),
        family=Family.CALLS,
    ),
    EdgeSpec(
        type=EdgeType.S3_ACCESS,
        docs=_CT,
        source=_PRINCIPAL,
        target=_keys(EntityKind.S3_BUCKET, f.TARGETS),
        family=Family.CALLS,
        labels=_ACTIONS,
    ),
    EdgeSpec(
        type=EdgeType.ASSUMED_ROLE,
        docs=(*_CT, {"prefix": {f.EVENT_ACTION: "AssumeRole"}}),
        source=_PRINCIPAL,
        target=_keys(EntityKind.AWS_ROLE, f.TARGETS),
        family=Family.CALLS,
        labels=_ACTIONS,
    ),
    EdgeSpec(
        type=EdgeType.ROLE_SESSION,
        docs=_CT,
        source=_keys(EntityKind.AWS_ROLE, f.ACTOR_CHAIN),
        target=_keys(EntityKind.AWS_ROLE_SESSION, f.ACTOR),
        family=Family.CALLS,
    ),
    EdgeSpec(
        type=EdgeType.SOURCE_IP,
        docs=_CT,
        source=_PRINCIPAL,
        target=_bare(EntityKind.IP_ADDRESS, f.SOURCE_IP),
        family=Family.CALLS,
        labels=(("countries", f.SOURCE_GEO_COUNTRY), ("asOrganizations", f.SOURCE_AS_ORG)),
    ),
    EdgeSpec(
        type=EdgeType.USER_AGENT,
        docs=_CT,
        source=_PRINCIPAL,
        target=_bare(EntityKind.USER_AGENT, f.USER_AGENT_ORIGINAL),
        family=Family.CALLS,
    ),
    EdgeSpec(
        type=EdgeType.FINDING,
        docs=_FINDINGS,
        source=_keys(EntityKind.FINDING, f.FINDING),
        target=Side(
            kinds=frozenset(EntityKind) - {EntityKind.FINDING},
            filter_field=f.RELATED_ENTITY,
            group_field=f.RELATED_ENTITY,
            exclude="finding:.*",
        ),
        family=Family.FINDINGS,
        labels=(("types", f.RULE_NAME),),
    ),
    EdgeSpec(
        type=EdgeType.ACCESS_KEY,
        docs=_CT,
        source=_keys(EntityKind.ACCESS_KEY, f.ACCESS_KEY),
        target=Side(kinds=PRINCIPAL_KINDS, filter_field=f.ACTOR, group_field=f.ACTOR),
        family=Family.CALLS,
    ),
)


def specs_for(
    kind: EntityKind, types: frozenset[EdgeType] | None = None
) -> tuple[tuple[EdgeSpec, bool], ...]:
    """The (spec, center_is_source) pairs a center of ``kind`` takes part in.

    >>> [(s.name, src) for s, src in specs_for(EntityKind.S3_BUCKET)]
    [('S3_ACCESS', False), ('FINDING', False)]
    >>> [(s.name, src) for s, src in specs_for(EntityKind.IP_ADDRESS)][:2]
    [('NETWORK', False), ('NETWORK_ENI', False)]
    """
    found: list[tuple[EdgeSpec, bool]] = []
    for spec in EDGE_SPECS:
        if types is not None and spec.type not in types:
            continue
        if kind in spec.source.kinds:
            found.append((spec, True))
        if kind in spec.target.kinds:
            found.append((spec, False))
    return tuple(found)
