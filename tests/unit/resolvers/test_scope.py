"""Scope and baseline validation: exact windows, and errors rather than clamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from resolvers.scope import build_scope
from trailhound.errors import InvalidScopeError

NOW = datetime(2026, 3, 10, 14, 25, tzinfo=UTC)


def _dt(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)  # type: ignore[misc]


def test_default_scope_is_last_24h_and_45_day_baseline() -> None:
    s = build_scope(None, None, now=NOW, baseline_days=45)
    assert (s.window.start, s.window.end) == (_dt(2026, 3, 9, 15), _dt(2026, 3, 10, 15))
    assert (s.baseline.start, s.baseline.end) == (_dt(2026, 1, 23, 15), _dt(2026, 3, 9, 15))


def test_explicit_scope_in_another_zone_is_converted_to_utc() -> None:
    plus2 = timezone(timedelta(hours=2))
    s = build_scope(
        datetime(2026, 3, 10, 2, tzinfo=plus2),
        datetime(2026, 3, 10, 5, tzinfo=plus2),
        now=NOW,
        baseline_days=7,
    )
    assert (s.window.start, s.window.end) == (_dt(2026, 3, 10, 0), _dt(2026, 3, 10, 3))
    assert s.baseline.start == _dt(2026, 3, 3, 0)
    assert s.window.as_range() == {
        "gte": "2026-03-10T00:00:00.000Z",
        "lt": "2026-03-10T03:00:00.000Z",
    }


def test_explicit_baseline_is_kept() -> None:
    s = build_scope(
        _dt(2026, 3, 10),
        _dt(2026, 3, 11),
        now=NOW,
        baseline_days=45,
        baseline_start=_dt(2026, 2, 1),
        baseline_end=_dt(2026, 2, 8),
    )
    assert (s.baseline.start, s.baseline.end) == (_dt(2026, 2, 1), _dt(2026, 2, 8))


def test_one_hour_and_one_year_are_the_bounds() -> None:
    build_scope(_dt(2026, 3, 10), _dt(2026, 3, 10, 1), now=NOW, baseline_days=1)
    build_scope(_dt(2025, 3, 10), _dt(2026, 3, 10), now=NOW, baseline_days=1)
    with pytest.raises(InvalidScopeError, match="outside"):
        build_scope(_dt(2025, 3, 1), _dt(2026, 3, 10), now=NOW, baseline_days=1)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (_dt(2026, 3, 10, 0, 30), _dt(2026, 3, 10, 2), "aligned"),
        (_dt(2026, 3, 10, 2), _dt(2026, 3, 10, 2), "not after"),
        (_dt(2026, 3, 10, 3), _dt(2026, 3, 10, 2), "not after"),
        (_dt(2026, 3, 10), None, "both"),
    ],
)
def test_malformed_scopes_raise(start: datetime, end: datetime | None, message: str) -> None:
    with pytest.raises(InvalidScopeError, match=message):
        build_scope(start, end, now=NOW, baseline_days=45)


def test_baseline_overlapping_the_scope_raises() -> None:
    with pytest.raises(InvalidScopeError, match="before the scope"):
        build_scope(
            _dt(2026, 3, 10),
            _dt(2026, 3, 11),
            now=NOW,
            baseline_days=45,
            baseline_start=_dt(2026, 3, 9),
            baseline_end=_dt(2026, 3, 10, 1),
        )


def test_baseline_days_out_of_range_raise() -> None:
    with pytest.raises(InvalidScopeError, match="baselineDays"):
        build_scope(None, None, now=NOW, baseline_days=400)
