"""window_indices: the daily indices a time window's events can be in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from resolvers.index_window import window_indices
from trailhound.ecs.indices import DATASETS, event_index, events_pattern

START = datetime(2026, 3, 10, tzinfo=UTC)


def test_a_day_names_that_day_of_every_dataset_only() -> None:
    names = window_indices("ns", START, START + timedelta(days=1)).split(",")
    assert names == [event_index(d, "ns", START) for d in DATASETS]


def test_an_end_at_midnight_excludes_the_next_day() -> None:
    names = window_indices("ns", START + timedelta(hours=23), START + timedelta(days=2))
    assert "2026.03.10" in names
    assert "2026.03.11" in names
    assert "2026.03.12" not in names


def test_every_event_of_the_window_is_covered() -> None:
    """Each hour of a 45-day window falls in one of the named indices or month patterns."""
    start = START - timedelta(days=45)
    names = window_indices("ns", start, START).split(",")
    t = start
    while t < START:
        index = event_index("aws.vpcflow", "ns", t)
        assert any(n == index or (n.endswith("*") and index.startswith(n[:-1])) for n in names)
        t += timedelta(hours=1)
    assert len(names) == 3 * len(DATASETS)  # January, February and March 2026


def test_a_long_window_falls_back_to_every_index() -> None:
    assert window_indices("ns", START, START + timedelta(days=800)) == events_pattern("ns")
    assert window_indices("ns", START, START) == events_pattern("ns")
