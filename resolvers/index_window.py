"""The event indices that can hold a time window's events.

Events live in daily indices ``logs-<dataset>-<namespace>-YYYY.MM.DD`` named
after the UTC day of their ``@timestamp`` (the ECS contract).  Naming only the
days of a window spares Elasticsearch the fan-out to every daily shard of the
namespace: at a month of data a one-day neighborhood touched 86 shards, and
setting up its aggregations on each cost more than the search itself.

A body that itself keeps only some datasets (a top-level ``event.dataset``
filter, and no ``global`` aggregation reading past the query) names only those
datasets' indices as well: documents of a dataset live in its indices alone, so
this never changes an answer, and an API-call panel no longer asks the day's flow
and GuardDuty shards for nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from trailhound.ecs import fields as f
from trailhound.ecs.indices import DATASETS, dataset_pattern, events_pattern

__all__ = ["MAX_NAMES", "datasets_of", "namespace_indices", "window_indices"]

DAY_NAMES_UP_TO = 8  # days: name each day; longer windows name months (``YYYY.MM.*``)
MAX_NAMES = 64  # beyond this the request line gets long: fall back to every index


def _days(start: datetime, end: datetime) -> list[date]:
    last = (end - timedelta(microseconds=1)).date()
    out, day = [], start.date()
    while day <= last:
        out.append(day)
        day += timedelta(days=1)
    return out


def datasets_of(body: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The datasets a body's top-level filters keep, or ``None`` (any dataset).

    >>> datasets_of({"query": {"bool": {"filter": [{"term": {"event.dataset": "aws.vpcflow"}}]}}})
    ('aws.vpcflow',)
    >>> datasets_of({"query": {"term": {"related.entity": "ec2_instance:i-1"}}}) is None
    True
    >>> datasets_of({"query": {"bool": {"filter": [{"term": {"event.dataset": "aws.vpcflow"}}]}},
    ...              "aggs": {"all": {"global": {}, "aggs": {}}}}) is None
    True
    """
    query = body.get("query")
    clauses = query.get("bool", {}).get("filter") if isinstance(query, Mapping) else None
    if not isinstance(clauses, Sequence) or _escapes_query(body.get("aggs")):
        return None
    kept: set[str] | None = None
    for clause in clauses:
        if not isinstance(clause, Mapping):
            continue
        for op in ("term", "terms"):
            value = clause.get(op, {}).get(f.EVENT_DATASET) if op in clause else None
            if value is None:
                continue
            values = {str(v) for v in value} if isinstance(value, list) else {str(value)}
            kept = values if kept is None else kept & values
    return tuple(sorted(kept)) if kept is not None else None


def _escapes_query(aggs: Any) -> bool:
    """Whether an aggregation (at any depth) is ``global``: it reads every document
    of the searched indices whatever the query keeps, so they must all be named."""
    if not isinstance(aggs, Mapping):
        return False
    return any(
        isinstance(spec, Mapping) and ("global" in spec or _escapes_query(spec.get("aggs")))
        for spec in aggs.values()
    )


def namespace_indices(namespace: str, datasets: Sequence[str] | None = None) -> str:
    """Every index of the namespace, or of some of its datasets."""
    if datasets is None:
        return events_pattern(namespace)
    return ",".join(dataset_pattern(d, namespace) for d in datasets) or events_pattern(namespace)


def window_indices(
    namespace: str, start: datetime, end: datetime, datasets: Sequence[str] | None = None
) -> str:
    """A comma-separated index expression covering ``[start, end)`` (UTC datetimes).

    >>> from datetime import UTC
    >>> s = datetime(2026, 3, 10, 6, tzinfo=UTC)
    >>> window_indices("ns", s, s + timedelta(hours=24)).split(",")[:2]
    ['logs-aws.cloudtrail-ns-2026.03.10', 'logs-aws.cloudtrail-ns-2026.03.11']
    >>> window_indices("ns", s, s + timedelta(days=40)).split(",")[:2]
    ['logs-aws.cloudtrail-ns-2026.03.*', 'logs-aws.cloudtrail-ns-2026.04.*']
    >>> window_indices("ns", s, s + timedelta(hours=1), ["aws.vpcflow"])
    'logs-aws.vpcflow-ns-2026.03.10'
    """
    chosen = DATASETS if not datasets else tuple(datasets)
    if end <= start:
        return namespace_indices(namespace, datasets)
    days = _days(start, end)
    if len(days) <= DAY_NAMES_UP_TO:
        suffixes = [f"{d:%Y.%m.%d}" for d in days]
    else:
        months = sorted({(d.year, d.month) for d in days})
        suffixes = [f"{y:04d}.{m:02d}.*" for y, m in months]
    if len(suffixes) * len(chosen) > MAX_NAMES:
        return namespace_indices(namespace, datasets)
    prefixes = [dataset_pattern(d, namespace)[:-1] for d in chosen]  # drop the "*"
    return ",".join(p + s for p in prefixes for s in suffixes)
