from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from trailhound.errors import ConfigError
from trailhound.simulator import DEFAULT_END, SimulationConfig
from trailhound.simulator.config import parse_scale


@pytest.mark.parametrize(
    ("value", "expected"), [("small", 1.0), ("large", 20.0), ("2.5", 2.5), (3, 3.0)]
)
def test_scale_names_and_numbers(value: str | int, expected: float) -> None:
    assert parse_scale(value) == expected


@pytest.mark.parametrize("value", ["huge", "-1", 0])
def test_bad_scale(value: str | int) -> None:
    with pytest.raises(ConfigError):
        parse_scale(value)


def test_window_is_hour_aligned_and_ends_at_end() -> None:
    cfg = SimulationConfig(out=Path("x"), days=3, end=datetime(2026, 6, 1, 13, 45))
    start, end = cfg.window()
    assert end == int(datetime(2026, 6, 1, 13, tzinfo=UTC).timestamp())
    assert end - start == 3 * 86400
    default = SimulationConfig(out=Path("x")).window()
    assert default[1] == int(DEFAULT_END.timestamp())


@pytest.mark.parametrize(("days", "accounts"), [(1, 1), (7, 0), (7, 65)])
def test_impossible_settings_are_refused(days: int, accounts: int) -> None:
    with pytest.raises(ConfigError):
        SimulationConfig(out=Path("x"), days=days, accounts=accounts).validate()
