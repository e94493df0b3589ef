"""Property test against the real node: mutated records always leave a balanced account."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexers.pipeline import ingest_paths
from tests.unit.indexers.test_properties import ASFF, CT, GD, mutated
from trailhound.config import Settings
from trailhound.ecs.indices import dead_letter_index, events_pattern


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(records=st.lists(st.one_of(mutated(CT), mutated(GD), mutated(ASFF)), min_size=1, max_size=6))
def test_mutated_records_balance_in_elasticsearch(
    records: list[dict[str, Any]], es: Elasticsearch, settings: Settings, namespace: str
) -> None:
    before_events = es.count(index=events_pattern(namespace), allow_no_indices=True)["count"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutated.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
        report = ingest_paths([str(path)], settings, source="cloudtrail", namespace=namespace)
    total = report.total()
    assert report.balanced
    assert total.read == len(records)
    assert total.failed == 0
    after = es.count(index=events_pattern(namespace), allow_no_indices=True)["count"]
    assert after - before_events == total.indexed
    if total.dead_lettered:
        assert es.count(index=dead_letter_index(namespace))["count"] >= 1
