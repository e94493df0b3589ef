"""``trailhound anomaly`` on the corpus."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.integration.scoring.corpus import ALICE
from trailhound.cli import app
from trailhound.config import Settings

pytestmark = pytest.mark.es


def test_anomaly_command_prints_score_and_evidence(settings: Settings, loaded: str) -> None:
    assert settings.elasticsearch.url is not None
    env = {"ELASTICSEARCH_URL": settings.elasticsearch.url}
    args = ["anomaly", ALICE, "--start", "2024-05-10T00:00:00", "--end", "2024-05-11T00:00:00"]
    args += ["--baseline-days", "9", "-n", loaded]
    table = CliRunner().invoke(app, args, env=env)
    assert table.exit_code == 0, table.output
    assert "IMPOSSIBLE_TRAVEL" in table.output
    as_json = CliRunner().invoke(app, [*args, "--json"], env=env)
    assert as_json.exit_code == 0, as_json.output
    doc = json.loads(as_json.output)
    assert doc["entity"] == ALICE
    assert doc["severity"] == "HIGH"  # no threat-intel feed configured here: 51.5
    travel = [i for i in doc["indicators"] if i["type"] == "IMPOSSIBLE_TRAVEL"]
    assert travel[0]["detail"]["ending_location"] == "New York, US"
    assert travel[0]["evidence"]["query"]["size"] == 0
