"""The simulator's inputs and outputs: :class:`SimulationConfig`, :class:`SimulationResult`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trailhound.errors import ConfigError
from trailhound.simulator.scenarios import get_scenario
from trailhound.simulator.writers import Totals

# Fixed so a seed alone determines the bytes; pass ``end`` for other windows.
DEFAULT_END = datetime(2026, 12, 1, tzinfo=UTC)
SCALES = {"tiny": 0.6, "small": 1.0, "medium": 5.0, "large": 20.0}


def parse_scale(value: float | int | str) -> float:
    """``small``/``medium``/``large``/``tiny`` or a positive number (org size multiplier)."""
    if isinstance(value, str):
        if value in SCALES:
            return SCALES[value]
        try:
            value = float(value)
        except ValueError:
            raise ConfigError(
                f"scale must be a number or one of {', '.join(SCALES)}, not {value!r}"
            ) from None
    if not value > 0:
        raise ConfigError(f"scale must be positive, not {value}")
    return float(value)


@dataclass(frozen=True, kw_only=True)
class SimulationConfig:
    """What to simulate.

    The window is ``[end - days, end)`` with ``end`` rounded down to the UTC hour;
    every scenario happens in its last 24 hours (``[end - 1 day, end)``, the "attack
    day"), so the earlier days are a clean baseline.  Scenario times are offsets
    from the attack day's start, so with a midnight ``end`` (the default) they fall
    at the UTC hours their stories name.
    """

    out: Path
    days: int = 7
    accounts: int = 2
    scale: float | str = "small"
    scenarios: Sequence[str] = ("ec2-compromise",)
    seed: int = 0
    end: datetime | None = None
    overwrite: bool = False
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)

    def window(self) -> tuple[int, int]:
        """(start, end) epoch seconds, hour aligned."""
        end = self.end or DEFAULT_END
        if end.tzinfo is None:
            end = end.replace(tzinfo=UTC)
        e = int(end.timestamp()) // 3600 * 3600
        return e - self.days * 86400, e

    def validate(self) -> None:
        """Raise :class:`ConfigError` on impossible settings."""
        if self.days < 2:
            raise ConfigError("days must be at least 2 (a baseline day and the attack day)")
        if not 1 <= self.accounts <= 64:
            raise ConfigError("accounts must be between 1 and 64")
        parse_scale(self.scale)
        for name in self.scenarios:
            get_scenario(name)
        if len(set(self.scenarios)) != len(self.scenarios):
            raise ConfigError("a scenario is named twice")


@dataclass(frozen=True, kw_only=True)
class SimulationResult:
    """Where everything went, what was written, and the ground truth."""

    out: Path
    logs_root: Path  # out/AWSLogs: pass it to the ingest pipeline
    ground_truth_path: Path
    geoip_city: Path
    geoip_asn: Path
    threat_intel_ips: Path
    threat_intel_stix: Path
    totals: Totals
    ground_truth: dict[str, Any]
    seconds: float

    @property
    def paths(self) -> dict[str, Path]:
        """Every output by name (``logs`` is what to hand to the ingest pipeline)."""
        return {
            "logs": self.logs_root,
            "ground_truth": self.ground_truth_path,
            "geoip_city": self.geoip_city,
            "geoip_asn": self.geoip_asn,
            "threat_intel_ips": self.threat_intel_ips,
            "threat_intel_stix": self.threat_intel_stix,
        }

    @property
    def records_per_second(self) -> float:
        """Generation speed over the whole run (including file writes)."""
        return self.totals.records / self.seconds if self.seconds else 0.0

    def scenario(self, name: str) -> dict[str, Any]:
        """The ground truth of one scenario."""
        return next(s for s in self.ground_truth["scenarios"] if s["name"] == name)
