"""Instance-profile credentials used outside AWS raise TTP_OBSERVED T1552.005."""

from __future__ import annotations

from datetime import timedelta

import pytest
from elasticsearch import Elasticsearch, helpers

from resolvers.scoring.engine import ScoringEngine
from resolvers.scoring.model import IndicatorType, TtpObserved
from tests.integration.scoring import corpus
from tests.integration.scoring.corpus import ACCOUNT, INSTANCE, ROLE, SESSION, WINDOW
from trailhound.ecs.entities import EntityRef
from trailhound.ecs.indices import event_index

pytestmark = pytest.mark.es


@pytest.fixture(scope="module", autouse=True)
def stolen(es: Elasticsearch, loaded: str) -> None:
    at = corpus.SCOPE_START + timedelta(hours=5)
    chain = [SESSION, ROLE, f"aws_account:{ACCOUNT}"]
    outside = {
        "ip": "1.2.3.4",
        "as": {"number": 64510, "organization": {"name": "Residential"}},
    }
    aws_nat = {"ip": "3.208.3.233", "as": {"number": 14618, "organization": {"name": "AMAZON-AES"}}}
    docs = [
        corpus.call(
            "k1", at, "ListBuckets", chain, outside, "aws-cli/1.18 Darwin", instance=INSTANCE
        ),
        corpus.call(
            "k2",
            at + timedelta(minutes=1),
            "GetObject",
            chain,
            outside,
            "aws-cli/1.18 Darwin",
            instance=INSTANCE,
        ),
        corpus.call(
            "k3",
            at + timedelta(minutes=2),
            "GetObject",
            chain,
            aws_nat,
            "Boto3/1.34",
            instance=INSTANCE,
        ),
    ]
    for d in docs:
        d.pop("_dataset")
        d["_index"] = event_index("aws.cloudtrail", loaded, at)
    helpers.bulk(es, docs, refresh="wait_for")


async def test_outside_use_is_flagged_and_nat_is_not(engine: ScoringEngine) -> None:
    found = await engine.indicators(EntityRef.parse(SESSION), WINDOW, {IndicatorType.TTP_OBSERVED})
    stolen = [
        i
        for i in found
        if isinstance(i.detail, TtpObserved) and i.detail.technique.startswith("T1552.005")
    ]
    assert len(stolen) == 1
    d = stolen[0].detail
    assert isinstance(d, TtpObserved)
    assert (d.tactic, d.ip_address, d.api_success_count, d.api_failure_count) == (
        "Credential Access",
        "1.2.3.4",
        2,
        0,
    )
    assert stolen[0].risk == 70.0
    assert set(stolen[0].evidence.document_ids) == {"k1", "k2"}
