from __future__ import annotations

from pathlib import Path

import pytest

from trailhound.simulator import SCENARIOS, SimulationConfig, SimulationResult, simulate


@pytest.fixture(scope="package")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    """A small corpus with every scenario (shared by the simulator unit tests)."""
    out: Path = tmp_path_factory.mktemp("sim")
    return simulate(
        SimulationConfig(
            out=out, days=4, accounts=3, scale="small", seed=7, scenarios=tuple(SCENARIOS)
        )
    )
