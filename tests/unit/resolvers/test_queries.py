"""Query builders as dicts: the requests the repository sends are visible and pinned."""

from __future__ import annotations

from datetime import UTC, datetime

from resolvers import queries
from resolvers.edges import EDGE_SPECS, specs_for
from resolvers.scope import TimeWindow
from trailhound.ecs.entities import EntityKind, EntityRef

W = TimeWindow(datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 3, 11, tzinfo=UTC))
INSTANCE = EntityRef(EntityKind.EC2_INSTANCE, "i-1")


def test_neighborhood_query_filters_on_the_center_sides() -> None:
    body = queries.build_neighborhood_query(INSTANCE, W, specs_for(INSTANCE.kind), 7)
    assert body["size"] == 0
    assert body["query"]["bool"]["filter"] == [
        {
            "range": {
                "@timestamp": {
                    "gte": "2026-03-10T00:00:00.000Z",
                    "lt": "2026-03-11T00:00:00.000Z",
                    "format": "strict_date_optional_time",
                }
            }
        }
    ]
    assert body["query"]["bool"]["should"] == [
        {"term": {"trailhound.instance": "ec2_instance:i-1"}},
        {"term": {"related.entity": "ec2_instance:i-1"}},
    ]
    assert list(body["aggs"]) == ["NETWORK.out", "INSTANCE_PROFILE.out", "FINDING.in"]
    net = body["aggs"]["NETWORK.out"]
    assert net["filter"] == {
        "bool": {
            "filter": [
                {"term": {"event.dataset": "aws.vpcflow"}},
                {"term": {"trailhound.instance": "ec2_instance:i-1"}},
            ]
        }
    }
    assert net["aggs"]["peers"]["terms"] == {
        "field": "trailhound.flow.remote_ip",
        "size": 7,
        "order": [{"_count": "desc"}, {"_key": "asc"}],
    }
    assert net["aggs"]["peer_count"] == {
        "cardinality": {"field": "trailhound.flow.remote_ip", "precision_threshold": 3000}
    }
    prof_count = body["aggs"]["INSTANCE_PROFILE.out"]["aggs"]["peer_count"]
    assert prof_count == {
        "terms": {
            "field": "trailhound.actor",
            "size": queries.COUNT_CAP,
            "include": "aws_role_session:.*",
        }
    }
    sums = {k: v for k, v in net["aggs"]["peers"]["aggs"].items() if "sum" in v}
    assert sums == {
        "bytes_in": {"sum": {"field": "trailhound.flow.bytes_in"}},
        "bytes_out": {"sum": {"field": "trailhound.flow.bytes_out"}},
        "packets_in": {"sum": {"field": "trailhound.flow.packets_in"}},
        "packets_out": {"sum": {"field": "trailhound.flow.packets_out"}},
    }
    prof = body["aggs"]["INSTANCE_PROFILE.out"]["aggs"]["peers"]["terms"]
    assert prof["field"] == "trailhound.actor"
    assert prof["include"] == "aws_role_session:.*"
    finding = body["aggs"]["FINDING.in"]["aggs"]["peers"]["terms"]
    assert finding["field"] == "trailhound.finding"


def test_principals_match_on_actor_chain_and_group_on_actor() -> None:
    role = EntityRef(EntityKind.AWS_ROLE, "arn:aws:iam::1:role/r")
    pairs = [(s.type.value, src) for s, src in specs_for(role.kind)]
    assert pairs == [
        ("API_CALL", True),
        ("S3_ACCESS", True),
        ("ASSUMED_ROLE", True),
        ("ASSUMED_ROLE", False),
        ("ROLE_SESSION", True),
        ("SOURCE_IP", True),
        ("USER_AGENT", True),
        ("FINDING", False),
        ("ACCESS_KEY", False),
    ]
    body = queries.build_neighborhood_query(role, W, specs_for(role.kind), 5)
    api = body["aggs"]["API_CALL.out"]
    assert api["filter"]["bool"]["filter"][-1] == {
        "term": {"trailhound.actor_chain": "aws_role:arn:aws:iam::1:role/r"}
    }
    assert api["aggs"]["peers"]["terms"]["field"] == "event.action"
    assert "provider" in api["aggs"]["peers"]["aggs"]
    assumed_by = body["aggs"]["ASSUMED_ROLE.in"]
    assert assumed_by["filter"]["bool"]["filter"] == [
        {"term": {"event.dataset": "aws.cloudtrail"}},
        {"prefix": {"event.action": "AssumeRole"}},
        {"term": {"trailhound.targets": "aws_role:arn:aws:iam::1:role/r"}},
    ]
    assert assumed_by["aggs"]["peers"]["terms"]["field"] == "trailhound.actor"


def test_every_edge_spec_has_a_unique_name() -> None:
    assert len({s.name for s in EDGE_SPECS}) == len(EDGE_SPECS) == 11
    assert len({s.type for s in EDGE_SPECS}) == 10


def test_entities_query_batches_keys() -> None:
    body = queries.build_entities_query(["a:1", "b:2"])
    assert body["query"] == {"terms": {"related.entity": ["a:1", "b:2"]}}
    terms = body["aggs"]["by_key"]["terms"]
    assert terms == {
        "field": "related.entity",
        "include": ["a:1", "b:2"],
        "size": 2,
    }  # global ordinals: "map" read every value of every matching event (bench/RESULTS.md)


def test_timeline_query_pages_inside_a_pit() -> None:
    body = queries.build_timeline_query(
        INSTANCE,
        W,
        ["NETWORK_OUTBOUND"],
        size=51,
        pit_id="PIT",
        search_after=[1, 2],
        interval_seconds=None,
    )
    assert body["sort"] == [{"@timestamp": {"order": "asc"}}, {"_shard_doc": "asc"}]
    assert body["pit"] == {"id": "PIT", "keep_alive": "5m"}
    assert body["search_after"] == [1, 2]
    assert body["query"]["bool"]["filter"][1:] == [
        {"term": {"related.entity": "ec2_instance:i-1"}},
        {"terms": {"trailhound.kind": ["NETWORK_OUTBOUND"]}},
    ]
    assert "aggs" not in body
    first = queries.build_timeline_query(
        INSTANCE, W, [], size=5, pit_id="P", search_after=None, interval_seconds=900
    )
    hist = first["aggs"]["histogram"]["date_histogram"]
    assert hist["fixed_interval"] == "900s"
    assert hist["extended_bounds"] == {"min": 1773100800000, "max": 1773187199999}
    assert len(first["query"]["bool"]["filter"]) == 2


def test_exists_query_stops_at_the_first_match_per_shard() -> None:
    body = queries.build_exists_query("ec2_instance:i-1")
    assert body["query"] == {"term": {"related.entity": "ec2_instance:i-1"}}
    assert (body["size"], body["terminate_after"], body["track_total_hits"]) == (0, 1, 1)
    assert "aggs" not in body
