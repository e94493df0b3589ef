"""Action parameters, and their conversion to GraphQL variables.

Only shape checks happen here (an entity type from the enum, positive limits,
comma lists); what the server validates itself (scope alignment and length,
caps on limits) is left to it, so its error codes reach the playbook.
"""

from typing import Any

from soar_sdk.params import Param, Params

from .client import InvalidRequestError
from .entities import ENTITY_ID_CONTAINS, ENTITY_TYPES

__all__ = [
    "EDGE_TYPES",
    "TIMELINE_KINDS",
    "EntityParams",
    "NeighborhoodParams",
    "ScopedEntityParams",
    "SearchParams",
    "TimelineParams",
    "entity_type",
    "enum_list",
    "scope",
]

EDGE_TYPES = [
    "NETWORK",
    "INSTANCE_PROFILE",
    "API_CALL",
    "S3_ACCESS",
    "ASSUMED_ROLE",
    "ROLE_SESSION",
    "SOURCE_IP",
    "USER_AGENT",
    "FINDING",
    "ACCESS_KEY",
]
TIMELINE_KINDS = [
    "NETWORK_OUTBOUND",
    "NETWORK_INBOUND",
    "NETWORK_REJECTED",
    "API_CALL",
    "FAILED_API_CALL",
    "ROLE_ASSUMPTION",
    "LOGIN",
    "FINDING",
]


def _enum_value(text: str) -> str:
    """``ec2 instance`` / ``ec2-instance`` / ``EC2_INSTANCE`` -> ``EC2_INSTANCE``."""
    return "_".join(text.replace("-", " ").replace("_", " ").split()).upper()


def entity_type(text: str) -> str:
    """The server's EntityType enum value for a parameter, or a clear failure."""
    value = _enum_value(text)
    if value not in ENTITY_TYPES:
        raise InvalidRequestError(
            f"entity_type {text!r} is not one of {', '.join(ENTITY_TYPES)}"
        )
    return value


def enum_list(text: str | None, allowed: list[str], name: str) -> list[str] | None:
    """A comma-separated list of enum values (``None`` when empty: the server's default)."""
    if not text or not text.strip():
        return None
    values = [_enum_value(part) for part in text.split(",") if part.strip()]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise InvalidRequestError(
            f"{name} has unknown values {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )
    return values


def scope(start: str | None, end: str | None) -> dict[str, Any] | None:
    """The ScopeInput variable (``None``: the server's default, the last 24 hours)."""
    result = {
        k: v.strip() for k, v in (("start", start), ("end", end)) if v and v.strip()
    }
    return result or None


class EntityParams(Params):
    """An entity by type and identifier."""

    entity_type: str = Param(
        description="Entity type (Trailhound EntityType)",
        required=True,
        value_list=ENTITY_TYPES,
        default="EC2_INSTANCE",
    )
    entity_id: str = Param(
        description="Identifier: instance id, IP, ARN, access key id, role session, bucket, ...",
        required=True,
        primary=True,
        cef_types=ENTITY_ID_CONTAINS,
    )


class ScopedEntityParams(EntityParams):
    """An entity and a scope window."""

    scope_start: str | None = Param(
        description="Scope start, ISO 8601 UTC on the hour (default: 24 hours before the end)",
        required=False,
    )
    scope_end: str | None = Param(
        description="Scope end, ISO 8601 UTC on the hour (default: the current hour)",
        required=False,
    )


class SearchParams(Params):
    """Entity search."""

    entity_type: str = Param(
        description="Entity type to search",
        required=True,
        value_list=ENTITY_TYPES,
        default="EC2_INSTANCE",
    )
    text: str | None = Param(
        description="Identifier or its prefix (empty: examples from your data)",
        required=False,
        primary=True,
        cef_types=ENTITY_ID_CONTAINS,
    )
    limit: int = Param(description="Maximum results", required=False, default=20)


class NeighborhoodParams(ScopedEntityParams):
    """Neighborhood options."""

    hops: int = Param(
        description="1 or 2", required=False, default=1, value_list=[1, 2]
    )
    edge_types: str | None = Param(
        description=f"Comma-separated edge types (default all): {', '.join(EDGE_TYPES)}",
        required=False,
    )
    limit_per_edge_type: int = Param(
        description="Top edges returned per edge type (the rest are counted)",
        required=False,
        default=10,
    )


class TimelineParams(ScopedEntityParams):
    """Timeline options."""

    kinds: str | None = Param(
        description=f"Comma-separated event kinds (default all): {', '.join(TIMELINE_KINDS)}",
        required=False,
    )
    limit: int = Param(description="Events per page", required=False, default=50)
    cursor: str | None = Param(
        description="end_cursor of the previous page, to continue", required=False
    )
