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
    "INDICATOR_TYPES",
    "MAX_WAIT_SECONDS",
    "PROFILE_PANELS",
    "SEVERITIES",
    "STATES",
    "STATUSES",
    "TIMELINE_KINDS",
    "AnomalyParams",
    "EntityParams",
    "FindingGroupIdParams",
    "InvestigationIdParams",
    "ListFindingGroupsParams",
    "ListInvestigationsParams",
    "NeighborhoodParams",
    "ProfilePanelParams",
    "ScopedEntityParams",
    "SearchParams",
    "TimelineParams",
    "entity_type",
    "enum_list",
    "enum_value",
    "optional_entity",
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


def enum_value(text: str, allowed: list[str], name: str) -> str:
    """One enum value (e.g. a sort field), or a clear failure."""
    value = _enum_value(text)
    if value not in allowed:
        raise InvalidRequestError(f"{name} {text!r} is not one of {', '.join(allowed)}")
    return value


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


INDICATOR_TYPES = [
    "TTP_OBSERVED",
    "IMPOSSIBLE_TRAVEL",
    "FLAGGED_IP_ADDRESS",
    "NEW_GEOLOCATION",
    "NEW_ASO",
    "NEW_USER_AGENT",
    "RELATED_FINDING",
    "RELATED_FINDING_GROUP",
    "NEW_API_CALL",
    "INCREASED_VOLUME",
    "FAILED_CALL_SPIKE",
    "RARE_API_FOR_ACCOUNT",
    "NEW_REMOTE_ENDPOINT",
    "BEACONING",
    "DATA_EXFILTRATION_VOLUME",
]
SEVERITIES = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
STATUSES = ["RUNNING", "SUCCESSFUL", "FAILED"]
STATES = ["ACTIVE", "ARCHIVED"]
MAX_WAIT_SECONDS = 600


def optional_entity(
    entity_type_text: str | None, entity_id: str | None
) -> dict[str, str] | None:
    """An EntityInput filter when both parts are given, else ``None``."""
    if not entity_id or not entity_id.strip():
        return None
    if not entity_type_text:
        raise InvalidRequestError("entity_type is required with entity_id")
    return {"type": entity_type(entity_type_text), "id": entity_id.strip()}


class AnomalyParams(ScopedEntityParams):
    """Anomaly score options."""

    indicator_types: str | None = Param(
        description=f"Comma-separated indicator types (default all): {', '.join(INDICATOR_TYPES)}",
        required=False,
    )


class InvestigationIdParams(Params):
    """One investigation, optionally waiting until it finishes."""

    investigation_id: str = Param(
        description="Investigation id (from start investigation)",
        required=True,
        primary=True,
        cef_types=["trailhound investigation id"],
    )
    wait_seconds: int = Param(
        description=f"Wait up to this long (max {MAX_WAIT_SECONDS}) while the status is RUNNING",
        required=False,
        default=0,
    )


class ListInvestigationsParams(Params):
    """Investigation filters, sort and page."""

    severities: str | None = Param(
        description=f"Comma-separated: {', '.join(SEVERITIES)}", required=False
    )
    statuses: str | None = Param(
        description=f"Comma-separated: {', '.join(STATUSES)}", required=False
    )
    states: str | None = Param(
        description=f"Comma-separated: {', '.join(STATES)}", required=False
    )
    entity_type: str | None = Param(
        description="Only investigations of this entity (with entity_id)",
        required=False,
        value_list=ENTITY_TYPES,
    )
    entity_id: str | None = Param(
        description="Only investigations of this entity",
        required=False,
        cef_types=ENTITY_ID_CONTAINS,
    )
    created_from: str | None = Param(
        description="Created at or after (ISO 8601)", required=False
    )
    created_to: str | None = Param(
        description="Created before (ISO 8601)", required=False
    )
    sort_field: str = Param(
        description="Sort by",
        required=False,
        default="CREATED_TIME",
        value_list=["CREATED_TIME", "SEVERITY", "STATUS"],
    )
    sort_order: str = Param(
        description="ASC or DESC",
        required=False,
        default="DESC",
        value_list=["DESC", "ASC"],
    )
    limit: int = Param(description="Maximum results", required=False, default=20)
    cursor: str | None = Param(
        description="end_cursor of the previous page", required=False
    )


class ListFindingGroupsParams(Params):
    """Finding group filters and page."""

    scope_start: str | None = Param(
        description="Scope start, ISO 8601 UTC on the hour (default: 24 hours before the end)",
        required=False,
    )
    scope_end: str | None = Param(
        description="Scope end, ISO 8601 UTC on the hour (default: the current hour)",
        required=False,
    )
    severities: str | None = Param(
        description=f"Comma-separated: {', '.join(SEVERITIES)}", required=False
    )
    entity_type: str | None = Param(
        description="Only groups involving this entity (with entity_id)",
        required=False,
        value_list=ENTITY_TYPES,
    )
    entity_id: str | None = Param(
        description="Only groups involving this entity",
        required=False,
        cef_types=ENTITY_ID_CONTAINS,
    )
    limit: int = Param(description="Maximum results", required=False, default=20)
    cursor: str | None = Param(
        description="end_cursor of the previous page", required=False
    )


class FindingGroupIdParams(Params):
    """One finding group."""

    group_id: str = Param(
        description="Finding group id",
        required=True,
        primary=True,
        cef_types=["trailhound finding group id"],
    )


PROFILE_PANELS = [
    "API_CALL_VOLUME",
    "NEW_BEHAVIOR",
    "VPC_FLOW_VOLUME",
    "RESOURCE_INTERACTION",
    "ASSOCIATED_FINDINGS",
]


class ProfilePanelParams(ScopedEntityParams):
    """Which profile panel, and its filters."""

    panel: str = Param(
        description="Profile panel",
        required=True,
        value_list=PROFILE_PANELS,
        default="NEW_BEHAVIOR",
    )
    limit: int = Param(description="Rows per table", required=False, default=20)
    cidr: str | None = Param(
        description="API_CALL_VOLUME: only calls from this CIDR; VPC_FLOW_VOLUME: remote CIDR",
        required=False,
    )
    api_substring: str | None = Param(
        description="API_CALL_VOLUME: only APIs whose name contains this",
        required=False,
    )
    cursor: str | None = Param(
        description="VPC_FLOW_VOLUME: end_cursor of the previous page", required=False
    )
