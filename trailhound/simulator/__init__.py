"""The simulator: weeks of realistic AWS activity with injected attack stories.

Writes CloudTrail, VPC Flow Logs and GuardDuty (EventBridge) files exactly as
AWS delivers them to S3, plus ``ground_truth.json``, a threat-intel feed and
MaxMind-format GeoIP databases.  Deterministic for a seed.

>>> from trailhound.simulator import SimulationConfig, simulate   # doctest: +SKIP
>>> result = simulate(SimulationConfig(out=Path("/tmp/sim"), days=7, seed=1))  # doctest: +SKIP
"""

from __future__ import annotations

from trailhound.simulator.config import DEFAULT_END, SimulationConfig, SimulationResult
from trailhound.simulator.engine import simulate
from trailhound.simulator.scenarios import SCENARIOS
from trailhound.simulator.writers import Totals

__all__ = [
    "DEFAULT_END",
    "SCENARIOS",
    "SimulationConfig",
    "SimulationResult",
    "Totals",
    "simulate",
]
