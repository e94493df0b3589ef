"""The storage layer works end to end on the real node: template, bulk, search, aggregate."""

from __future__ import annotations

from datetime import UTC, datetime

from elasticsearch import Elasticsearch, helpers

from trailhound.ecs.indices import dataset_pattern, event_index, event_template
from trailhound.es.capabilities import probe


def test_bulk_search_and_aggregate(es: Elasticsearch, fresh_namespace: str) -> None:
    es.indices.put_index_template(
        name=f"trailhound-events-{fresh_namespace}", **event_template(fresh_namespace)
    )
    when = datetime(2024, 5, 1, 12, tzinfo=UTC)
    index = event_index("aws.vpcflow", fresh_namespace, when)
    docs = [
        {
            "_index": index,
            "_id": f"flow-{i}",
            "_op_type": "create",
            "_source": {
                "@timestamp": when.isoformat(),
                "event": {"dataset": "aws.vpcflow", "outcome": "success" if i % 3 else "failure"},
                "trailhound": {"flow": {"remote_ip": f"198.51.100.{i % 5}", "bytes_out": 100 * i}},
            },
        }
        for i in range(30)
    ]
    ok, errors = helpers.bulk(es, docs, refresh="wait_for")
    assert (ok, errors) == (30, [])

    # a second create of the same ids is refused per item: that is our duplicate signal
    ok, errors = helpers.bulk(es, docs, refresh="wait_for", raise_on_error=False)
    assert ok == 0
    assert {e["create"]["status"] for e in errors} == {409}

    resp = es.search(
        index=dataset_pattern("aws.vpcflow", fresh_namespace),
        size=0,
        query={"term": {"event.outcome": "failure"}},
        aggs={
            "remote": {
                "terms": {"field": "trailhound.flow.remote_ip", "size": 10},
                "aggs": {"bytes": {"sum": {"field": "trailhound.flow.bytes_out"}}},
            }
        },
    )
    assert resp["hits"]["total"]["value"] == 10  # i divisible by 3 in 0..29
    buckets = {
        b["key"]: (b["doc_count"], b["bytes"]["value"])
        for b in resp["aggregations"]["remote"]["buckets"]
    }
    expected: dict[str, tuple[int, float]] = {}
    for i in range(0, 30, 3):
        count, total = expected.get(f"198.51.100.{i % 5}", (0, 0.0))
        expected[f"198.51.100.{i % 5}"] = (count + 1, total + 100 * i)
    assert buckets == expected

    # the mapping is explicit: the ip field really is an ip (CIDR term query works)
    cidr = es.count(index=index, query={"term": {"trailhound.flow.remote_ip": "198.51.100.0/30"}})[
        "count"
    ]
    assert cidr == sum(1 for i in range(30) if i % 5 < 4)


def test_probe_reports_version_and_modules(es: Elasticsearch) -> None:
    caps = probe(es)
    assert caps.major == 8
    assert "transport-netty4" in caps.modules
