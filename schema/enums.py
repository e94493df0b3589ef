"""GraphQL enums mirroring the domain enums (singular nouns)."""

from __future__ import annotations

from enum import Enum

import strawberry

from resolvers.domain import EdgeType as DomainEdgeType
from trailhound.ecs.entities import EntityKind
from trailhound.ecs.fields import TimelineKind as DomainTimelineKind
from trailhound.errors import InvalidArgumentError

__all__ = [
    "EdgeType",
    "EntityType",
    "TimelineKind",
    "to_edge_types",
    "to_kind",
    "to_timeline_kinds",
]


@strawberry.enum(description="Kinds of entity; API_OPERATION nodes exist only in graphs.")
class EntityType(Enum):
    AWS_ACCOUNT = "aws_account"
    AWS_USER = "aws_user"
    AWS_ROLE = "aws_role"
    AWS_ROLE_SESSION = "aws_role_session"
    FEDERATED_USER = "federated_user"
    EC2_INSTANCE = "ec2_instance"
    IP_ADDRESS = "ip_address"
    USER_AGENT = "user_agent"
    S3_BUCKET = "s3_bucket"
    ACCESS_KEY = "access_key"
    FINDING = "finding"
    NETWORK_INTERFACE = "network_interface"
    API_OPERATION = "api_operation"


def to_kind(value: EntityType) -> EntityKind:
    """The domain kind of an entity type (API_OPERATION is no searchable entity)."""
    if value is EntityType.API_OPERATION:
        raise InvalidArgumentError("API_OPERATION nodes cannot be looked up; use their caller")
    return EntityKind(value.value)


@strawberry.enum(description="Typed, directed relationships (source -> target).")
class EdgeType(Enum):
    NETWORK = "NETWORK"
    INSTANCE_PROFILE = "INSTANCE_PROFILE"
    API_CALL = "API_CALL"
    S3_ACCESS = "S3_ACCESS"
    ASSUMED_ROLE = "ASSUMED_ROLE"
    ROLE_SESSION = "ROLE_SESSION"
    SOURCE_IP = "SOURCE_IP"
    USER_AGENT = "USER_AGENT"
    FINDING = "FINDING"
    ACCESS_KEY = "ACCESS_KEY"


@strawberry.enum(description="What a timeline filters on (the trailhound.kind values).")
class TimelineKind(Enum):
    NETWORK_OUTBOUND = "NETWORK_OUTBOUND"
    NETWORK_INBOUND = "NETWORK_INBOUND"
    NETWORK_REJECTED = "NETWORK_REJECTED"
    API_CALL = "API_CALL"
    FAILED_API_CALL = "FAILED_API_CALL"
    ROLE_ASSUMPTION = "ROLE_ASSUMPTION"
    LOGIN = "LOGIN"
    FINDING = "FINDING"


def to_edge_types(values: list[EdgeType] | None) -> frozenset[DomainEdgeType] | None:
    """Domain edge types of a filter argument (``None``: every type)."""
    return None if values is None else frozenset(DomainEdgeType(v.value) for v in values)


def to_timeline_kinds(values: list[TimelineKind] | None) -> tuple[str, ...]:
    """``trailhound.kind`` values of a filter argument (empty: every kind)."""
    return () if not values else tuple(DomainTimelineKind(v.value).value for v in values)
