"""The event indices that can hold a time window's events.

Events live in daily indices ``logs-<dataset>-<namespace>-YYYY.MM.DD`` named
after the UTC day of their ``@timestamp`` (the ECS contract).  Naming only the
days of a window spares Elasticsearch the fan-out to every daily shard of the
namespace: at a month of data a one-day neighborhood touched 86 shards, and
setting up its aggregations on each cost more than the search itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from trailhound.ecs.indices import DATASETS, dataset_pattern, events_pattern

__all__ = ["MAX_NAMES", "window_indices"]

DAY_NAMES_UP_TO = 8  # days: name each day; longer windows name months (``YYYY.MM.*``)
MAX_NAMES = 64  # beyond this the request line gets long: fall back to every index


def _days(start: datetime, end: datetime) -> list[date]:
    last = (end - timedelta(microseconds=1)).date()
    out, day = [], start.date()
    while day <= last:
        out.append(day)
        day += timedelta(days=1)
    return out


def window_indices(namespace: str, start: datetime, end: datetime) -> str:
    """A comma-separated index expression covering ``[start, end)`` (UTC datetimes).

    >>> from datetime import UTC
    >>> s = datetime(2026, 3, 10, 6, tzinfo=UTC)
    >>> window_indices("ns", s, s + timedelta(hours=24)).split(",")[:2]
    ['logs-aws.cloudtrail-ns-2026.03.10', 'logs-aws.cloudtrail-ns-2026.03.11']
    >>> window_indices("ns", s, s + timedelta(days=40)).split(",")[:2]
    ['logs-aws.cloudtrail-ns-2026.03.*', 'logs-aws.cloudtrail-ns-2026.04.*']
    """
    if end <= start:
        return events_pattern(namespace)
    days = _days(start, end)
    if len(days) <= DAY_NAMES_UP_TO:
        suffixes = [f"{d:%Y.%m.%d}" for d in days]
    else:
        months = sorted({(d.year, d.month) for d in days})
        suffixes = [f"{y:04d}.{m:02d}.*" for y, m in months]
    if len(suffixes) * len(DATASETS) > MAX_NAMES:
        return events_pattern(namespace)
    prefixes = [dataset_pattern(d, namespace)[:-1] for d in DATASETS]  # drop the "*"
    return ",".join(p + s for p in prefixes for s in suffixes)
