"""Golden tests on AWS's own flow-log examples (tests/data/vpcflow/awsdocs-*), hand-checked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from indexers.registry import ParseContext
from indexers.sources.vpcflow import format_fields

from .conftest import DATA, NOW, docs, outcomes, pick
from .test_all_samples import NO_TIME

FLOW = (
    "trailhound.kind",
    "trailhound.flow.local_ip",
    "trailhound.flow.local_port",
    "trailhound.flow.remote_ip",
    "trailhound.flow.remote_port",
    "trailhound.flow.bytes_in",
    "trailhound.flow.bytes_out",
    "trailhound.flow.packets_in",
    "trailhound.flow.packets_out",
)


def test_v2_default_ssh_accept_is_inbound_to_the_interface(ctx: ParseContext) -> None:
    doc = docs(DATA / "vpcflow/awsdocs-v2-default.log", ctx)[0]
    assert pick(doc, *FLOW) == {
        "trailhound.kind": ["NETWORK_INBOUND"],
        "trailhound.flow.local_ip": "172.31.16.21",
        "trailhound.flow.local_port": 22,
        "trailhound.flow.remote_ip": "172.31.16.139",
        "trailhound.flow.remote_port": 20641,
        "trailhound.flow.bytes_in": 4249,
        "trailhound.flow.bytes_out": 0,
        "trailhound.flow.packets_in": 20,
        "trailhound.flow.packets_out": 0,
    }
    assert doc["@timestamp"] == datetime(2014, 12, 14, 4, 7, 50, tzinfo=UTC)
    assert doc["event"]["start"] == datetime.fromtimestamp(1418530010, UTC)
    assert pick(doc, "cloud.account.id", "network.transport", "network.iana_number") == {
        "cloud.account.id": "123456789010",
        "network.transport": "tcp",
        "network.iana_number": "6",
    }
    assert doc["event"]["type"] == ["connection", "allowed"]
    assert doc["event"]["outcome"] == "success"
    # No instance-id in v2: the interface is the entity.
    assert "network_interface:eni-1235b8ca123456789" in doc["related"]["entity"]
    assert "trailhound.instance" not in doc
    assert "instance" not in doc["trailhound"]
    assert doc["network"]["community_id"].startswith("1:")


def test_v2_reject_nodata_skipdata_icmp_ipv6(ctx: ParseContext) -> None:
    out = outcomes(DATA / "vpcflow/awsdocs-v2-default.log", ctx)
    assert [o.skipped for o in out] == [False, False, True, True, False, False, False]
    rdp = out[1].doc
    assert rdp is not None
    assert rdp.body["trailhound"]["kind"] == ["NETWORK_INBOUND", "NETWORK_REJECTED"]
    assert rdp.body["event"]["type"] == ["connection", "denied"]
    assert rdp.body["event"]["outcome"] == "failure"
    ping_in, ping_reply = out[4].doc, out[5].doc
    assert ping_in is not None
    assert ping_reply is not None
    # Home computer 203.0.113.12 pings the instance 172.31.16.139 ...
    assert pick(
        ping_in.body, "trailhound.kind", "trailhound.flow.local_ip", "network.transport"
    ) == {
        "trailhound.kind": ["NETWORK_INBOUND"],
        "trailhound.flow.local_ip": "172.31.16.139",
        "network.transport": "icmp",
    }
    # ... and the NACL drops the instance's reply: outbound and rejected.
    assert ping_reply.body["trailhound"]["kind"] == ["NETWORK_OUTBOUND", "NETWORK_REJECTED"]
    assert ping_reply.body["trailhound"]["flow"]["remote_ip"] == "203.0.113.12"
    assert ping_reply.body["trailhound"]["flow"]["bytes_out"] == 336
    ipv6 = out[6].doc
    assert ipv6 is not None
    assert ipv6.body["network"]["type"] == "ipv6"
    assert ipv6.body["trailhound"]["flow"]["local_ip"] == "2001:db8:1234:a102:3304:8879:34cf:4071"
    assert ipv6.body["trailhound"]["flow"]["local_port"] == 22


def test_v3_tcp_flags_header_declared_order(ctx: ParseContext) -> None:
    got = docs(DATA / "vpcflow/awsdocs-v3-tcp-flags.log", ctx)
    assert len(got) == 8
    syn, synack = got[0], got[1]
    assert syn["aws"]["vpcflow"]["tcp_flags"] == 2
    assert synack["aws"]["vpcflow"]["tcp_flags"] == 18
    assert pick(syn, *FLOW[:5], "trailhound.instance", "aws.vpcflow.vpc_id") == {
        "trailhound.kind": ["NETWORK_INBOUND"],
        "trailhound.flow.local_ip": "10.0.0.62",
        "trailhound.flow.local_port": 5001,
        "trailhound.flow.remote_ip": "52.213.180.42",
        "trailhound.flow.remote_port": 43416,
        "trailhound.instance": "ec2_instance:i-01234567890123456",
        "aws.vpcflow.vpc_id": "vpc-abcdefab012345678",
    }
    assert synack["trailhound"]["kind"] == ["NETWORK_OUTBOUND"]
    assert synack["trailhound"]["flow"]["bytes_out"] == 376
    # Both directions of one connection share the community id.
    assert syn["network"]["community_id"] == synack["network"]["community_id"]
    assert [d["aws"]["vpcflow"]["tcp_flags"] for d in got[2:]] == [2, 18, 1, 1, 3, 19]


def test_v5_flow_direction_traffic_path_and_services_gz(ctx: ParseContext) -> None:
    ingress, egress = docs(DATA / "vpcflow/awsdocs-v5-traffic-path.log.gz", ctx)
    assert pick(ingress, *FLOW[:5], "aws.vpcflow.pkt_src_aws_service", "cloud.region") == {
        "trailhound.kind": ["NETWORK_INBOUND"],
        "trailhound.flow.local_ip": "10.0.0.71",
        "trailhound.flow.local_port": 34210,
        "trailhound.flow.remote_ip": "52.95.128.179",
        "trailhound.flow.remote_port": 80,
        "aws.vpcflow.pkt_src_aws_service": "S3",
        "cloud.region": "ap-southeast-2",
    }
    assert ingress["trailhound"]["flow"]["bytes_in"] == 15044
    assert ingress["cloud"]["availability_zone"] == "apse2-az3"
    assert egress["aws"]["vpcflow"]["traffic_path"] == "8"
    assert egress["aws"]["vpcflow"]["flow_direction"] == "egress"
    assert egress["network"]["direction"] == "egress"
    assert egress["trailhound"]["flow"]["bytes_out"] == 471
    assert egress["trailhound"]["remote_ip"] == "52.95.128.179"


def test_comma_separated_v8_header_and_json_records(ctx: ParseContext) -> None:
    (csv,) = docs(DATA / "vpcflow/ocsf-vpcflowlog.raw", ctx)
    assert csv["aws"]["vpcflow"]["version"] == "8"
    assert csv["aws"]["vpcflow"]["reject_reason"] == "Accepted"
    assert csv["aws"]["vpcflow"]["ecs_task_id"] == "k5ivh86ham2ic6vhiadec7190329gyov"
    assert csv["trailhound"]["kind"] == ["NETWORK_OUTBOUND"]
    (js,) = docs(DATA / "vpcflow/ocsf-vpcflowlog-dataprepper.raw", ctx)
    assert pick(js, "trailhound.kind", "trailhound.instance", "trailhound.flow.remote_ip") == {
        "trailhound.kind": ["NETWORK_INBOUND", "NETWORK_REJECTED"],
        "trailhound.instance": "ec2_instance:i-000000000000000000",
        "trailhound.flow.remote_ip": "1.2.3.4",
    }


def test_records_without_time_are_dead_lettered_with_line(ctx: ParseContext) -> None:
    out = outcomes(DATA / "vpcflow/awsdocs-nat-gateway-no-time.log", ctx)
    assert [o.reason for o in out] == [NO_TIME] * 4
    assert [o.origin.line for o in out] == [2, 3, 4, 5]


S3_NAME = "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d_20260301T0005Z_9f3c1a2b.log"


def test_records_without_time_take_the_delivery_time_of_their_s3_object(
    ctx: ParseContext, tmp_path: Path
) -> None:
    # AWS's NAT gateway example format has no start/end; under its S3 object name
    # the records are indexed at the delivery time and say so.
    path = tmp_path / S3_NAME
    path.write_bytes((DATA / "vpcflow/awsdocs-nat-gateway-no-time.log").read_bytes())
    out = outcomes(path, ctx)
    assert [o.reason for o in out] == [None] * 4
    bodies = [o.doc.body for o in out if o.doc is not None]
    assert {str(b["@timestamp"]) for b in bodies} == {"2026-03-01 00:05:00+00:00"}
    assert {b["trailhound"]["time_source"] for b in bodies} == {"delivery"}
    assert all("start" not in b["event"] and "end" not in b["event"] for b in bodies)
    # Lines 3 and 4 differ only in direction; every line keeps its own id, and the
    # same object read again gives the same ids (duplicates on re-ingest).
    ids = [o.doc.id for o in out if o.doc is not None]
    assert len(set(ids)) == 4
    assert ids == [o.doc.id for o in outcomes(path, ctx) if o.doc is not None]
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    (copy / S3_NAME).write_bytes(path.read_bytes())
    assert ids == [o.doc.id for o in outcomes(copy / S3_NAME, ctx) if o.doc is not None]


def test_configured_format_string_applies_without_header(tmp_path: Path) -> None:
    fmt = "${version} ${interface-id} ${srcaddr} ${dstaddr} ${start} ${end} ${action}"
    assert format_fields(fmt)[:2] == ["version", "interface-id"]
    path = tmp_path / "flows.log"
    path.write_text("4 eni-0a 10.0.0.5 8.8.8.8 1700000000 1700000060 ACCEPT\n")
    ctx = ParseContext(now=NOW, flow_format=fmt)
    (doc,) = docs(path, ctx, "vpcflow")
    assert doc["trailhound"]["kind"] == ["NETWORK_OUTBOUND"]
    assert doc["trailhound"]["flow"]["remote_ip"] == "8.8.8.8"


def test_interface_address_is_learned_within_a_file(ctx: ParseContext, tmp_path: Path) -> None:
    rows = [
        "10.0.0.9 10.0.0.5 40000 5432",  # ambiguous: both private
        "10.0.0.9 10.0.1.7 40010 443",  # second peer: the interface must be 10.0.0.9
        "10.0.0.9 10.0.0.5 40001 5432",  # now known: outbound from 10.0.0.9
        "10.0.0.5 10.0.0.9 5432 40001",
    ]
    path = tmp_path / "v2.log"
    path.write_text(
        "".join(
            f"2 123456789010 eni-0aa {r} 6 3 180 1700000000 1700000060 ACCEPT OK\n" for r in rows
        )
    )
    got = docs(path, ctx)
    assert [d["trailhound"]["kind"] for d in got] == [
        ["NETWORK_INBOUND"],  # fallback rule before the address is known
        ["NETWORK_OUTBOUND"],
        ["NETWORK_OUTBOUND"],
        ["NETWORK_INBOUND"],
    ]
    assert [d["trailhound"]["flow"]["local_ip"] for d in got[1:]] == ["10.0.0.9"] * 3
    assert "_interface_address" not in got[2]["aws"]["vpcflow"]


def test_ecs_fields_of_a_short_custom_format_are_kept(tmp_path: Path) -> None:
    fmt = "version interface-id srcaddr dstaddr start end action ecs-cluster-name ecs-task-id"
    path = tmp_path / "flows.log"
    path.write_text("7 eni-0a 10.0.0.5 8.8.8.8 1700000000 1700000060 ACCEPT prod 0f1e2d\n")
    (doc,) = docs(path, ParseContext(now=NOW, flow_format=fmt), "vpcflow")
    assert pick(doc["aws"]["vpcflow"], "ecs_cluster_name", "ecs_task_id") == {
        "ecs_cluster_name": "prod",
        "ecs_task_id": "0f1e2d",
    }
