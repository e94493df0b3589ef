from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trailhound.errors import ConfigError
from trailhound.simulator import SimulationConfig, simulate


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    a = simulate(SimulationConfig(out=tmp_path / "a", days=2, accounts=2, seed=3))
    b = simulate(SimulationConfig(out=tmp_path / "b", days=2, accounts=2, seed=3))
    da, db = _digest(a.out), _digest(b.out)
    assert len(da) > 100
    assert da == db


def test_other_seed_gives_other_files(tmp_path: Path) -> None:
    a = simulate(SimulationConfig(out=tmp_path / "a", days=2, accounts=1, seed=3))
    b = simulate(SimulationConfig(out=tmp_path / "b", days=2, accounts=1, seed=4))
    assert a.ground_truth["accounts"][0]["id"] != b.ground_truth["accounts"][0]["id"]
    assert (
        a.ground_truth["scenarios"][0]["malicious_event_ids"]
        != (b.ground_truth["scenarios"][0]["malicious_event_ids"])
    )


def test_existing_output_needs_overwrite(tmp_path: Path) -> None:
    simulate(SimulationConfig(out=tmp_path, days=2, accounts=1))
    with pytest.raises(ConfigError, match="exists"):
        simulate(SimulationConfig(out=tmp_path, days=2, accounts=1))
    simulate(SimulationConfig(out=tmp_path, days=2, accounts=1, overwrite=True))


def test_unknown_scenario_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ec2-compromise"):
        simulate(SimulationConfig(out=tmp_path, days=2, scenarios=("nope",)))


def test_bytes_do_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; "
        "from trailhound.simulator import SCENARIOS, SimulationConfig, simulate; "
        "simulate(SimulationConfig(out=Path(sys.argv[1]), days=2, accounts=2, seed=5, "
        "scale='tiny', scenarios=tuple(SCENARIOS)))"
    )
    for n in (1, 2):
        env = {**os.environ, "PYTHONHASHSEED": str(n)}
        subprocess.run([sys.executable, "-c", code, str(tmp_path / str(n))], check=True, env=env)
    one, two = _digest(tmp_path / "1"), _digest(tmp_path / "2")
    assert len(one) > 50
    assert one == two
