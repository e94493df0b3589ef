"""Pure Elasticsearch request bodies shared by the indicators.

Every indicator's evidence carries the exact body it ran, so these builders
return plain dicts and never touch the network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from trailhound.ecs import fields as F
from trailhound.ecs.entities import EntityKind, EntityRef

Body = dict[str, Any]
Clause = dict[str, Any]

CLOUDTRAIL = "aws.cloudtrail"
VPCFLOW = "aws.vpcflow"
FINDING_DATASETS = ("aws.guardduty", "aws.securityhub_findings")

# Which field says "this entity did it": the actor chain for principals (a role's
# activity is all of its sessions), the key/instance fields for those kinds.
_ACTIVITY_FIELD: Mapping[EntityKind, str] = {
    EntityKind.AWS_USER: F.ACTOR_CHAIN,
    EntityKind.AWS_ROLE: F.ACTOR_CHAIN,
    EntityKind.AWS_ROLE_SESSION: F.ACTOR_CHAIN,
    EntityKind.FEDERATED_USER: F.ACTOR_CHAIN,
    EntityKind.AWS_ACCOUNT: F.ACTOR_CHAIN,
    EntityKind.ACCESS_KEY: F.ACCESS_KEY,
    EntityKind.EC2_INSTANCE: F.INSTANCE,
}


def iso(value: datetime) -> str:
    """UTC ISO-8601 with milliseconds, as the bodies carry it."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def activity_field(ref: EntityRef) -> str:
    """The field whose term selects ``ref``'s own activity."""
    return _ACTIVITY_FIELD.get(ref.kind, F.RELATED_ENTITY)


def activity_of(ref: EntityRef) -> Clause:
    """A filter clause for the entity's activity."""
    return {"term": {activity_field(ref): ref.key}}


def between(start: datetime, end: datetime) -> Clause:
    """``@timestamp`` in ``[start, end)``."""
    return {"range": {F.TIMESTAMP: {"gte": iso(start), "lt": iso(end)}}}


def dataset(name: str | Sequence[str]) -> Clause:
    """Documents of one or several datasets."""
    if isinstance(name, str):
        return {"term": {F.EVENT_DATASET: name}}
    return {"terms": {F.EVENT_DATASET: list(name)}}


def filtered(*clauses: Clause, must_not: Sequence[Clause] = ()) -> Clause:
    """A bool filter of clauses (and optional exclusions)."""
    body: dict[str, Any] = {"filter": list(clauses)}
    if must_not:
        body["must_not"] = list(must_not)
    return {"bool": body}


def any_of(*clauses: Clause) -> Clause:
    """At least one of the clauses."""
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def all_of_terms(values: Mapping[str, Any]) -> Clause:
    """Every field equals its value (one composite key)."""
    return {"bool": {"filter": [{"term": {f: v}} for f, v in values.items()]}}


def agg_body(query: Clause, aggs: Mapping[str, Any], *, size: int = 0) -> Body:
    """A search body: a query and aggregations, no hits unless asked."""
    return {"size": size, "track_total_hits": False, "query": query, "aggs": dict(aggs)}


def top_ids(size: int = 3) -> dict[str, Any]:
    """A top_hits sub-aggregation returning only document ids (newest first)."""
    return {"top_hits": {"size": size, "_source": False, "sort": [{F.TIMESTAMP: "desc"}]}}


def hit_ids(agg: Mapping[str, Any]) -> tuple[str, ...]:
    """The ``_id``s of a :func:`top_ids` result."""
    return tuple(str(h["_id"]) for h in agg.get("hits", {}).get("hits", []))
