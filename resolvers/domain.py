"""Read-side domain values returned by the services (no Elasticsearch, no GraphQL).

Every value is frozen; GraphQL types are a separate view built from these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Union

from trailhound.ecs.entities import EntityRef

__all__ = [
    "ApiRef",
    "Edge",
    "EdgeGroup",
    "EdgeType",
    "EntityDetails",
    "Neighborhood",
    "NodeRef",
    "PortFlow",
    "SearchPage",
]


@dataclass(frozen=True, slots=True, order=True)
class ApiRef:
    """An API operation as a graph node (``<provider>:<action>``); not an indexed entity.

    >>> ApiRef("s3.amazonaws.com", "GetObject").key
    'api_operation:s3.amazonaws.com:GetObject'
    """

    provider: str
    action: str

    @property
    def key(self) -> str:
        """The node key; never stored in ``related.entity``."""
        return f"api_operation:{self.provider}:{self.action}"


NodeRef = Union[EntityRef, ApiRef]  # noqa: UP007  (a runtime alias, used in isinstance checks)


class EdgeType(StrEnum):
    """Typed, directed relationships of the behavior graph (source -> target)."""

    NETWORK = "NETWORK"  # ec2_instance -> ip_address (flows, both directions as measures)
    INSTANCE_PROFILE = "INSTANCE_PROFILE"  # ec2_instance -> aws_role_session
    API_CALL = "API_CALL"  # principal -> api_operation
    S3_ACCESS = "S3_ACCESS"  # principal -> s3_bucket
    ASSUMED_ROLE = "ASSUMED_ROLE"  # principal -> aws_role (AssumeRole*, role chaining)
    ROLE_SESSION = "ROLE_SESSION"  # aws_role -> aws_role_session
    SOURCE_IP = "SOURCE_IP"  # principal -> ip_address (CloudTrail sourceIPAddress)
    USER_AGENT = "USER_AGENT"  # principal -> user_agent
    FINDING = "FINDING"  # finding -> involved entity
    ACCESS_KEY = "ACCESS_KEY"  # access_key -> principal


@dataclass(frozen=True, slots=True, kw_only=True)
class PortFlow:
    """One (direction, service port, protocol) row of a network edge.

    Outbound rows carry the remote port, inbound rows the local port; the
    other side (mostly ephemeral) is summarised as ``other_port_count``.
    """

    direction: str
    local_port: int | None
    remote_port: int | None
    protocol: str | None
    count: int
    other_port_count: int
    bytes_in: int
    bytes_out: int
    packets_in: int
    packets_out: int
    rejected: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Edge:
    """An aggregated relationship over the scope.

    ``weight`` orders edges of a type (flow records, calls, finding updates).
    ``measures`` holds the type-specific numbers (bytes, success/failure counts,
    severity, ...); ``labels`` the type-specific strings (top actions, country).
    """

    type: EdgeType
    source: NodeRef
    target: NodeRef
    count: int
    first_seen: datetime | None
    last_seen: datetime | None
    measures: Mapping[str, float] = field(default_factory=dict)
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ports: tuple[PortFlow, ...] = ()
    other_port_flows: int = 0

    @property
    def weight(self) -> float:
        """What top-N ranks on: the number of events behind the edge."""
        return float(self.count)


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeGroup:
    """The top-N edges of one type around one node, and how many were left out."""

    type: EdgeType
    center: NodeRef
    center_is_source: bool
    edges: tuple[Edge, ...]
    total: int
    total_is_lower_bound: bool = False
    total_is_approximate: bool = False

    @property
    def more(self) -> int:
        """Edges of this type that exist but are not in :attr:`edges`."""
        return max(0, self.total - len(self.edges))


@dataclass(frozen=True, slots=True, kw_only=True)
class Neighborhood:
    """Nodes and edges around a center, per edge type with truncation counts."""

    center: EntityRef
    nodes: tuple[NodeRef, ...]
    edges: tuple[Edge, ...]
    groups: tuple[EdgeGroup, ...]
    hops: int
    distances: Mapping[str, int]
    unexpanded: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityDetails:
    """What the indices say about one entity over all time."""

    ref: EntityRef
    first_seen: datetime | None
    last_seen: datetime | None
    account_id: str | None
    event_count: int
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchPage:
    """One page of entity search results."""

    refs: tuple[EntityRef, ...]
    cursors: tuple[str, ...]
    total: int
    total_is_lower_bound: bool
    has_next_page: bool
    examples: tuple[EntityRef, ...] = ()
