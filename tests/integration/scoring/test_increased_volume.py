"""INCREASED_VOLUME per API: a habitual API called far more often than in its baseline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from elasticsearch import Elasticsearch, helpers

from resolvers.scoring.engine import ScoringEngine
from resolvers.scoring.model import IndicatorType, VolumeDeviation
from tests.integration.scoring import corpus
from tests.integration.scoring.corpus import ACCOUNT, ALICE, ALICE_KEY, BERLIN, WINDOW
from trailhound.ecs.entities import EntityRef
from trailhound.ecs.indices import event_index

pytestmark = pytest.mark.es


@pytest.fixture(scope="module", autouse=True)
def burst(es: Elasticsearch, loaded: str) -> None:
    at = corpus.SCOPE_START + timedelta(hours=12)
    chain = [ALICE, f"aws_account:{ACCOUNT}"]
    docs = [
        corpus.call(
            f"v{i}", at + timedelta(minutes=i), "ListBuckets", chain, BERLIN, access_key=ALICE_KEY
        )
        for i in range(25)
    ]
    for d in docs:
        d.pop("_dataset")
        d["_index"] = event_index("aws.cloudtrail", loaded, at)
    helpers.bulk(es, docs, refresh="wait_for")


async def test_per_api_spike_replaces_the_total(engine: ScoringEngine) -> None:
    found = await engine.indicators(
        EntityRef.parse(ALICE), WINDOW, {IndicatorType.INCREASED_VOLUME}
    )
    assert len(found) == 1
    d = found[0].detail
    assert isinstance(d, VolumeDeviation)
    # ListBuckets once a day in the baseline (from 05-01 09:00, 207 hours): median 0,
    # spread floored at 1 call; 25 in the 12:00 hour of the scope (+1 at 09:10)
    assert (d.api_name, d.scope_peak, d.scope_total, d.baseline_median, d.z_score) == (
        "ListBuckets",
        25.0,
        26.0,
        0.0,
        25.0,
    )
    assert (found[0].risk, found[0].evidence.baseline_count) == (50.0, 9.0)
