"""``trailhound simulate`` end to end (no Elasticsearch involved)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from trailhound.cli.app import app
from trailhound.errors import ConfigError
from trailhound.simulator import SCENARIOS


def test_list_scenarios_names_them_all() -> None:
    res = CliRunner().invoke(app, ["simulate", "--list-scenarios"])
    assert res.exit_code == 0, res.output
    for name in SCENARIOS:
        assert name in res.output


def test_simulate_writes_the_chosen_scenarios(tmp_path: Path) -> None:
    args = ["simulate", "--out", str(tmp_path), "--days", "2", "--accounts", "1",
            "--scale", "tiny", "-s", "beacon", "-s", "leaked-key", "--seed", "9",
            "--end", "2026-06-01"]  # fmt: skip
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "records" in res.output
    gt = json.loads((tmp_path / "ground_truth.json").read_text())
    assert [s["name"] for s in gt["scenarios"]] == ["beacon", "leaked-key"]
    assert gt["window"] == {"start": "2026-05-30T00:00:00Z", "end": "2026-06-01T00:00:00Z"}
    assert gt["seed"] == 9
    again = CliRunner().invoke(app, args)
    assert isinstance(again.exception, ConfigError)  # AWSLogs/ exists and no --force
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0


def test_bad_scale_is_a_config_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["simulate", "--out", str(tmp_path), "--scale", "huge"])
    assert isinstance(res.exception, ConfigError)
    assert "scale" in str(res.exception)
