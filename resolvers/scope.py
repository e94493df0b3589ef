"""Scope and baseline windows: validated, hour-aligned UTC intervals.

Detective's rule: a scope is 1 hour to 1 year, hour aligned, in UTC, and the
analytics compare it with a baseline (by default the 45 days before it).  A
malformed scope is an error with a code, never silently clamped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from trailhound.errors import InvalidScopeError

__all__ = ["MAX_SCOPE", "MIN_SCOPE", "Scope", "TimeWindow", "build_scope", "floor_hour"]

MIN_SCOPE = timedelta(hours=1)
MAX_SCOPE = timedelta(days=366)
DEFAULT_SCOPE = timedelta(hours=24)
MAX_BASELINE = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A half-open UTC interval ``[start, end)``.

    >>> w = TimeWindow(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))
    >>> w.duration
    datetime.timedelta(days=1)
    """

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        """Length of the window."""
        return self.end - self.start

    def as_range(self) -> dict[str, str]:
        """The Elasticsearch ``range`` body for ``@timestamp``."""
        return {"gte": _iso(self.start), "lt": _iso(self.end)}


@dataclass(frozen=True, slots=True)
class Scope:
    """The analysed window and the baseline it is compared with."""

    window: TimeWindow
    baseline: TimeWindow


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def floor_hour(value: datetime) -> datetime:
    """Round down to the hour.

    >>> floor_hour(datetime(2026, 1, 1, 5, 59, tzinfo=UTC)).hour
    5
    """
    return value.replace(minute=0, second=0, microsecond=0)


def _utc(value: datetime, name: str) -> datetime:
    # A naive datetime from a client is read as UTC: Detective's scopes are UTC only.
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if value != floor_hour(value):
        raise InvalidScopeError(f"{name} {_iso(value)} is not aligned to the hour (UTC)")
    return value


def _window(start: datetime, end: datetime, what: str) -> TimeWindow:
    s, e = _utc(start, f"{what} start"), _utc(end, f"{what} end")
    if e <= s:
        raise InvalidScopeError(f"{what} end {_iso(e)} is not after its start {_iso(s)}")
    return TimeWindow(s, e)


def build_scope(
    start: datetime | None,
    end: datetime | None,
    *,
    now: datetime,
    baseline_days: int,
    baseline_start: datetime | None = None,
    baseline_end: datetime | None = None,
) -> Scope:
    """Validate a client's scope (and optional baseline) or apply the defaults.

    Defaults: the last 24 hours ending at the next full hour after ``now``; the
    baseline is the ``baseline_days`` days before the scope start.

    >>> now = datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    >>> s = build_scope(None, None, now=now, baseline_days=45)
    >>> (s.window.start.isoformat(), s.window.end.isoformat(), s.baseline.start.date().isoformat())
    ('2026-02-28T11:00:00+00:00', '2026-03-01T11:00:00+00:00', '2026-01-14')
    """
    if (start is None) != (end is None):
        raise InvalidScopeError("give both scope start and end, or neither")
    if start is None or end is None:
        e = floor_hour(now.astimezone(UTC)) + timedelta(hours=1)
        window = TimeWindow(e - DEFAULT_SCOPE, e)
    else:
        window = _window(start, end, "scope")
    if not MIN_SCOPE <= window.duration <= MAX_SCOPE:
        raise InvalidScopeError(f"scope length {window.duration} is outside 1 hour .. 366 days")
    if (baseline_start is None) != (baseline_end is None):
        raise InvalidScopeError("give both baseline start and end, or neither")
    if baseline_start is not None and baseline_end is not None:
        baseline = _window(baseline_start, baseline_end, "baseline")
        if baseline.end > window.start:
            raise InvalidScopeError("the baseline must end at or before the scope start")
    else:
        if not 1 <= baseline_days <= 366:
            raise InvalidScopeError(f"baselineDays {baseline_days} is outside 1 .. 366")
        baseline = TimeWindow(window.start - timedelta(days=baseline_days), window.start)
    if baseline.duration > MAX_BASELINE:
        raise InvalidScopeError(f"baseline length {baseline.duration} is above 366 days")
    return Scope(window=window, baseline=baseline)
