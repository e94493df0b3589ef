from __future__ import annotations

from pathlib import Path

from trailhound.cli.main_job import _loopback, _story_entities
from trailhound.simulator import SCENARIOS, SimulationConfig, simulate


def test_story_entities_lists_each_attack_story(tmp_path: Path) -> None:
    result = simulate(
        SimulationConfig(out=tmp_path, days=2, accounts=1, scale="tiny", scenarios=tuple(SCENARIOS))
    )
    stories = _story_entities(tmp_path)
    attacks = [s for s in result.ground_truth["scenarios"] if not s["benign"]]
    assert [name for name, _, _ in stories] == [s["name"] for s in attacks]
    assert {"ec2-compromise", "leaked-key", "role-chain", "beacon"} <= {n for n, _, _ in stories}
    for (_, kind, ident), truth in zip(stories, attacks, strict=True):
        first = truth["compromised_entities"][0]
        assert (kind, ident) == (first["kind"], first["id"])


def test_story_entities_without_ground_truth(tmp_path: Path) -> None:
    assert _story_entities(tmp_path) == []


def test_only_loopback_serves_without_a_key() -> None:
    assert _loopback("127.0.0.1")
    assert _loopback("::1")
    assert _loopback("localhost")
    assert not _loopback("0.0.0.0")
    assert not _loopback("10.1.2.3")
