"""Simulated files have the shapes AWS delivers, checked against the real samples."""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from trailhound.simulator import SimulationResult
from trailhound.simulator.flows import V2_FIELDS

DATA = Path(__file__).resolve().parents[2] / "data"
CT_NAME = re.compile(
    r"^(?P<acct>\d{12})_CloudTrail_(?P<region>[a-z]{2}-[a-z]+-\d)_(?P<stamp>\d{8}T\d{4}Z)_"
    r"[A-Za-z0-9]{16}\.json\.gz$"
)
FLOW_NAME = re.compile(
    r"^(?P<acct>\d{12})_vpcflowlogs_(?P<region>[a-z]{2}-[a-z]+-\d)_fl-[0-9a-f]{17}_"
    r"\d{8}T\d{4}Z_[0-9a-f]{8}\.log\.gz$"
)
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
# userIdentity keys of the types the real samples lack, from the CloudTrail userIdentity docs
DOCUMENTED_IDENTITY = {
    "Root": {"type", "principalId", "arn", "accountId", "accessKeyId", "sessionContext"},
    "SAMLUser": {"type", "principalId", "userName", "identityProvider"},
    "WebIdentityUser": {"type", "principalId", "userName", "identityProvider"},
}
REQUIRED_CT = {
    "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
    "sourceIPAddress", "userAgent", "requestParameters", "responseElements", "requestID",
    "eventID", "readOnly", "eventType", "managementEvent", "recipientAccountId", "eventCategory",
}  # fmt: skip


def _real_ct_records() -> Iterator[dict[str, Any]]:
    for path in sorted((DATA / "cloudtrail" / "AWSLogs").rglob("*_CloudTrail_*.json.gz")):
        yield from json.loads(gzip.decompress(path.read_bytes()))["Records"]
    for path in sorted((DATA / "stratus-red-team").glob("*.json")):
        yield from json.loads(path.read_text())


@pytest.fixture(scope="module")
def real_shapes() -> tuple[set[str], dict[str, set[str]], set[str]]:
    top: set[str] = set()
    ident: dict[str, set[str]] = defaultdict(set)
    issuer: set[str] = set()
    for rec in _real_ct_records():
        top |= rec.keys()
        uid = rec["userIdentity"]
        ident[uid.get("type", "?")] |= uid.keys()
        issuer |= uid.get("sessionContext", {}).get("sessionIssuer", {}).keys()
    return top, ident, issuer


def _ct_files(corpus: SimulationResult) -> list[Path]:
    return sorted(corpus.logs_root.rglob("*_CloudTrail_*.json.gz"))


@pytest.fixture(scope="module")
def sim_records(corpus: SimulationResult) -> list[tuple[Path, dict[str, Any]]]:
    out: list[tuple[Path, dict[str, Any]]] = []
    for path in _ct_files(corpus):
        doc = json.loads(gzip.decompress(path.read_bytes()))
        assert list(doc) == ["Records"]
        out.extend((path, rec) for rec in doc["Records"])
    return out


def test_cloudtrail_keys_follow_the_s3_layout(corpus: SimulationResult) -> None:
    files = _ct_files(corpus)
    assert files
    for path in files:
        m = CT_NAME.match(path.name)
        assert m, path.name
        rel = path.relative_to(corpus.logs_root).parts
        assert rel[0] == m["acct"]
        assert rel[1] == "CloudTrail"
        assert rel[2] == m["region"]
        stamp = m["stamp"]
        assert rel[3:6] == (stamp[:4], stamp[4:6], stamp[6:8])


def test_cloudtrail_records_have_the_real_field_set(
    sim_records: list[tuple[Path, dict[str, Any]]],
    real_shapes: tuple[set[str], dict[str, set[str]], set[str]],
) -> None:
    top, ident, issuer = real_shapes
    seen_types: set[str] = set()
    for _, rec in sim_records:
        assert rec.keys() >= REQUIRED_CT, rec["eventName"]
        assert rec.keys() <= top | {"vpcEndpointAccountId"}, rec.keys() - top
        uid = rec["userIdentity"]
        kind = uid["type"]
        seen_types.add(kind)
        allowed = ident.get(kind) or DOCUMENTED_IDENTITY[kind]
        assert uid.keys() <= allowed | {"sessionContext"}, (kind, uid.keys() - allowed)
        if "sessionIssuer" in uid.get("sessionContext", {}):
            assert uid["sessionContext"]["sessionIssuer"].keys() <= issuer
        assert UUID4.match(rec["eventID"])
        assert TIME.match(rec["eventTime"])
        assert rec["managementEvent"] is (rec["eventCategory"] == "Management")
        assert isinstance(rec["readOnly"], bool)
    assert seen_types == {
        "IAMUser", "AssumedRole", "AWSService", "FederatedUser", "SAMLUser", "WebIdentityUser",
        "Root",
    }  # fmt: skip


def test_instance_profile_sessions_are_named_by_the_instance(
    sim_records: list[tuple[Path, dict[str, Any]]],
) -> None:
    sessions = [
        r["userIdentity"]
        for _, r in sim_records
        if r["userIdentity"].get("sessionContext", {}).get("ec2RoleDelivery")
    ]
    assert len(sessions) > 100
    for uid in sessions:
        role_id, _, name = uid["principalId"].partition(":")
        assert role_id.startswith("AROA")
        assert re.fullmatch(r"i-[0-9a-f]{17}", name)
        assert uid["arn"].endswith(f"/{name}")
        assert uid["accessKeyId"].startswith("ASIA")
        assert len(uid["accessKeyId"]) == 20
        assert uid["sessionContext"]["sessionIssuer"]["principalId"] == role_id


def test_each_file_holds_its_five_minutes(sim_records: list[tuple[Path, dict[str, Any]]]) -> None:
    for path, rec in sim_records:
        stamp = CT_NAME.match(path.name)["stamp"]  # type: ignore[index]
        end = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:{stamp[11:13]}:00Z"
        assert rec["eventTime"] < end
    times = [rec["eventTime"] for _, rec in sim_records]
    assert len(set(times)) > 100


def test_errors_and_vpc_endpoints_are_present(
    sim_records: list[tuple[Path, dict[str, Any]]],
) -> None:
    recs = [r for _, r in sim_records]
    failed = [r for r in recs if "errorCode" in r]
    assert failed
    assert all(r["responseElements"] is None and r["errorMessage"] for r in failed)
    vpce = [r for r in recs if "vpcEndpointId" in r]
    assert vpce
    assert all(r["eventSource"] == "s3.amazonaws.com" for r in vpce)
    services = {r["sourceIPAddress"] for r in recs if r["userIdentity"]["type"] == "AWSService"}
    assert {"ec2.amazonaws.com", "lambda.amazonaws.com"} <= services
    internal = [r for r in recs if r["sourceIPAddress"] == "AWS Internal"]
    assert internal
    assert all(r["userIdentity"]["invokedBy"] == "AWS Internal" for r in internal)


def _flow_files(corpus: SimulationResult) -> list[Path]:
    return sorted(corpus.logs_root.rglob("*_vpcflowlogs_*.log.gz"))


def test_flow_files_have_header_and_documented_fields(corpus: SimulationResult) -> None:
    headers: set[str] = set()
    statuses: set[str] = set()
    protocols: set[str] = set()
    documented = DATA / "vpcflow" / "awsdocs-v5-traffic-path.log.gz"
    v5_doc = gzip.decompress(documented.read_bytes()).decode().splitlines()[0].split()
    for path in _flow_files(corpus):
        assert FLOW_NAME.match(path.name), path.name
        lines = gzip.decompress(path.read_bytes()).decode().splitlines()
        header = lines[0]
        headers.add(header)
        fields = header.split()
        assert set(fields) <= set(v5_doc) | set(V2_FIELDS.split())
        for line in lines[1:]:
            values = line.split(" ")
            assert len(values) == len(fields), line
            row = dict(zip(fields, values, strict=True))
            statuses.add(row["log-status"])
            assert int(row["end"]) - int(row["start"]) <= 600
            if row["log-status"] == "OK":
                protocols.add(row["protocol"])
                if row["protocol"] == "1":  # ICMP has no ports
                    assert row["srcport"] == row["dstport"] == "0"
                assert row["action"] in ("ACCEPT", "REJECT")
                assert int(row["bytes"]) > 0
                assert int(row["packets"]) > 0
    # the default format exactly as AWS names it, and one custom v5 format
    assert V2_FIELDS in headers
    assert len(headers) == 2
    assert {"OK", "NODATA"} <= statuses
    assert protocols == {"6", "1"}


def test_findings_are_eventbridge_guardduty_events(corpus: SimulationResult) -> None:
    real = [
        json.loads(line)
        for line in (DATA / "guardduty" / "panther-camelcase.jsonl").read_text().splitlines()
    ]
    real_keys = set().union(*(r.keys() for r in real))
    files = sorted(corpus.logs_root.rglob("GuardDuty/**/*.jsonl.gz"))
    assert files
    n = 0
    for path in files:
        for line in gzip.decompress(path.read_bytes()).decode().splitlines():
            ev = json.loads(line)
            n += 1
            assert ev["detail-type"] == "GuardDuty Finding"
            assert ev["source"] == "aws.guardduty"
            d = ev["detail"]
            assert d.keys() <= real_keys
            assert {"id", "type", "severity", "resource", "service", "accountId"} <= d.keys()
            assert re.fullmatch(r"[0-9a-f]{32}", d["id"])
            assert d["arn"].endswith(f"/finding/{d['id']}")
            assert ev["account"] == d["accountId"]
            assert d["service"]["action"]["actionType"] in (
                "NETWORK_CONNECTION", "DNS_REQUEST", "AWS_API_CALL", "PORT_PROBE",
            )  # fmt: skip
    assert n == corpus.totals.findings
