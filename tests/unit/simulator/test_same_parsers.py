"""Real samples and simulated records go through the same parsers to the same ECS fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from indexers.pipeline import process_file
from indexers.registry import ParseContext
from trailhound.simulator import SimulationResult

DATA = Path(__file__).resolve().parents[2] / "data"
CTX = ParseContext(now=datetime(2026, 12, 3, tzinfo=UTC))
# free-form request/response maps: their inner keys are data, not schema
OPAQUE = ("aws.cloudtrail.request_parameters", "aws.cloudtrail.response_elements",
          "aws.cloudtrail.additional_eventdata")  # fmt: skip


def _paths(doc: dict[str, Any], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for k, v in doc.items():
        p = f"{prefix}{k}"
        if v in ({}, [], None):  # empty containers carry no field
            continue
        if isinstance(v, dict) and not p.startswith(OPAQUE):
            out |= _paths(v, p + ".")
        else:
            out.add(p)
    return out


def _fields(files: Iterable[Path], source: str) -> tuple[set[str], int]:
    fields: set[str] = set()
    docs = 0
    for f in files:
        for outcome in process_file(str(f), CTX, source):
            assert outcome.reason is None, (f, outcome.reason)
            if outcome.doc is not None:
                fields |= _paths(outcome.doc.body)
                docs += 1
    return fields, docs


@pytest.mark.parametrize(
    ("source", "real_glob", "sim_glob", "allowed_missing"),
    [
        ("cloudtrail", "cloudtrail/AWSLogs/**/*_CloudTrail_*.json.gz", "**/*_CloudTrail_*.json.gz",
         {"aws.cloudtrail.api_version"}),
        ("vpcflow", "vpcflow/awsdocs-v5-traffic-path.log.gz", "**/*_vpcflowlogs_*.log.gz",
         set()),
        ("guardduty", "guardduty/eventbridge-finding.json", "**/GuardDuty/**/*.jsonl.gz",
         set()),
    ],
)  # fmt: skip
def test_simulated_docs_carry_every_field_the_real_ones_do(
    corpus: SimulationResult,
    source: str,
    real_glob: str,
    sim_glob: str,
    allowed_missing: set[str],
) -> None:
    real, n_real = _fields(sorted(DATA.glob(real_glob)), source)
    sim, n_sim = _fields(sorted(corpus.logs_root.glob(sim_glob)), source)
    assert n_real > 0
    assert n_sim > 0
    assert real - sim <= allowed_missing, sorted(real - sim)
