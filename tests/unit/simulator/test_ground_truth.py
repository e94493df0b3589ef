"""ground_truth.json agrees with the files it describes."""

from __future__ import annotations

import gzip
import ipaddress
import itertools
import json
from collections import Counter
from datetime import datetime
from typing import Any

import maxminddb
import pytest

from trailhound.ecs.entities import EntityRef
from trailhound.simulator import SCENARIOS, SimulationResult
from trailhound.simulator.scenarios.base import INDICATORS


@pytest.fixture(scope="module")
def ct(corpus: SimulationResult) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted(corpus.logs_root.rglob("*_CloudTrail_*.json.gz")):
        out.extend(json.loads(gzip.decompress(path.read_bytes()))["Records"])
    return out


@pytest.fixture(scope="module")
def flows(corpus: SimulationResult) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(corpus.logs_root.rglob("*_vpcflowlogs_*.log.gz")):
        lines = gzip.decompress(path.read_bytes()).decode().splitlines()
        fields = lines[0].split()
        rows.extend(dict(zip(fields, line.split(), strict=True)) for line in lines[1:])
    return rows


@pytest.fixture(scope="module")
def findings(corpus: SimulationResult) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted(corpus.logs_root.rglob("GuardDuty/**/*.jsonl.gz")):
        out.extend(json.loads(x) for x in gzip.decompress(path.read_bytes()).splitlines())
    return out


def _scenario(corpus: SimulationResult, name: str) -> dict[str, Any]:
    return corpus.scenario(name)


def test_file_on_disk_matches_the_result(corpus: SimulationResult) -> None:
    assert json.loads(corpus.ground_truth_path.read_text()) == corpus.ground_truth
    assert [s["name"] for s in corpus.ground_truth["scenarios"]] == list(SCENARIOS)


def test_totals_count_what_was_written(
    corpus: SimulationResult,
    ct: list[dict[str, Any]],
    flows: list[dict[str, str]],
    findings: list[dict[str, Any]],
) -> None:
    t = corpus.ground_truth["totals"]
    status = Counter(r["log-status"] for r in flows)
    assert t["cloudtrail_events"] == len(ct)
    assert t["flow_records"] == len(flows)
    assert t["flow_nodata"] == status["NODATA"] > 0
    assert t["flow_skipdata"] == status["SKIPDATA"]
    assert t["flow_records_ok"] == status["OK"]
    assert t["findings"] == len(findings)
    assert t["records"] == len(ct) + len(flows) + len(findings)
    assert sum(a["cloudtrail_events"] for a in t["per_account"].values()) == len(ct)


def test_scenarios_happen_on_the_attack_day(corpus: SimulationResult) -> None:
    day = corpus.ground_truth["attack_day"]
    assert day["end"] == corpus.ground_truth["window"]["end"]
    for s in corpus.ground_truth["scenarios"]:
        assert day["start"] <= s["start"] <= s["end"] < day["end"], s["name"]


def test_listed_ids_exist_in_the_files(
    corpus: SimulationResult,
    ct: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    flows: list[dict[str, str]],
) -> None:
    event_ids = {r["eventID"] for r in ct}
    finding_ids = {f["detail"]["id"] for f in findings}
    keys = {
        (r["interface-id"], r["srcaddr"], r["dstaddr"], r["srcport"], r["dstport"], r["start"])
        for r in flows
    }
    for s in corpus.ground_truth["scenarios"]:
        assert set(s["event_ids"]) <= event_ids, s["name"]
        assert len(set(s["event_ids"])) == len(s["event_ids"])
        assert set(s["finding_ids"]) <= finding_ids, s["name"]
        for f in s["flow_tuples"]:
            key = (
                f["interface_id"],
                f["srcaddr"],
                f["dstaddr"],
                str(f["srcport"]),
                str(f["dstport"]),
                str(f["start"]),
            )
            assert key in keys, (s["name"], f)
        for e in s["entities"]:
            ref = EntityRef.parse(e["key"])
            assert (ref.kind.value, ref.id) == (e["kind"], e["id"])
        for ind in s["expected_indicators"]:
            assert ind["indicator"] in INDICATORS
            assert any(ind["entity"] == e["key"] for e in s["entities"])
        assert s["benign"] == (s["name"] == "benign-change")
        assert (s["malicious_event_ids"] == []) == s["benign"] or not s["event_ids"]


def test_ec2_compromise_story(
    corpus: SimulationResult,
    ct: list[dict[str, Any]],
    flows: list[dict[str, str]],
    findings: list[dict[str, Any]],
) -> None:
    f = _scenario(corpus, "ec2-compromise")["facts"]
    c2_rows = [r for r in flows if f["c2_ip"] in (r["srcaddr"], r["dstaddr"])]
    assert len(c2_rows) > 20
    eni = {r["interface-id"] for r in c2_rows}
    assert len(eni) == 1
    assert {r.get("instance-id", f["instance_id"]) for r in c2_rows} == {f["instance_id"]}
    assert any(r["dstaddr"] == f["mining_pool_ip"] and r["dstport"] == "3333" for r in flows)
    exfil = sum(int(r["bytes"]) for r in flows if r["dstaddr"] == f["exfil_ip"])
    assert exfil > 500_000_000
    session = [r for r in ct if r["userIdentity"].get("principalId") == f["role_session_id"]]
    baseline = [r for r in session if r["userAgent"] != f["attack_user_agent"]]
    attack = [r for r in session if r["userAgent"] == f["attack_user_agent"]]
    assert baseline, "the session has a benign history"
    assert Counter(r["eventName"] for r in attack)["GetObject"] == f["objects_read"]
    assert {"ListBuckets", "GetBucketAcl"} <= {r["eventName"] for r in attack}
    assert not {"ListBuckets", "GetBucketAcl"} & {r["eventName"] for r in baseline}
    asg = [r for r in attack if r["eventName"] == "AuthorizeSecurityGroupIngress"]
    assert asg
    assert all(r.get("errorCode") for r in asg)
    types = {
        x["detail"]["type"]
        for x in findings
        if x["detail"]["resource"].get("instanceDetails", {}).get("instanceId") == f["instance_id"]
    }
    assert {"CryptoCurrency:EC2/BitcoinTool.B!DNS", "Backdoor:EC2/C&CActivity.B"} <= types
    # the C2 address is never contacted before the attack day
    day = corpus.ground_truth["attack_day"]["start"]
    first = min(int(r["start"]) for r in c2_rows)
    assert first >= _epoch(day)


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def test_leaked_key_story(corpus: SimulationResult, ct: list[dict[str, Any]]) -> None:
    f = _scenario(corpus, "leaked-key")["facts"]
    key = [r for r in ct if r["userIdentity"].get("accessKeyId") == f["access_key_id"]]
    from_attacker = [r for r in key if r["sourceIPAddress"] in f["attacker_ips"]]
    assert {"AttachUserPolicy", "CreateAccessKey", "CreateLoginProfile"} <= {
        r["eventName"] for r in from_attacker
    }
    assert (
        sum(1 for r in from_attacker if r.get("errorCode") == "AccessDenied") == f["denied_calls"]
    )
    legit = [r for r in key if r["eventID"] in set(f["legit_event_ids"])]
    assert legit
    assert all(r["sourceIPAddress"] == f["legit_ip"] for r in legit)
    gap = _epoch(from_attacker[0]["eventTime"]) - _epoch(legit[-1]["eventTime"])
    assert 0 < gap < 3600  # Seattle/London/... to Bucharest in under an hour
    before = {
        r["sourceIPAddress"]
        for r in key
        if r["eventTime"] < corpus.ground_truth["attack_day"]["start"]
    }
    assert not before & set(f["attacker_ips"])


def test_role_chain_story(corpus: SimulationResult, ct: list[dict[str, Any]]) -> None:
    s = _scenario(corpus, "role-chain")
    chain = s["facts"]["chain"]
    assumed = [
        (r["userIdentity"].get("principalId"), r["requestParameters"]["roleArn"])
        for r in ct
        if r["eventID"] in set(s["event_ids"]) and r["eventName"] == "AssumeRole"
    ]
    assert (chain[0]["session_id"], chain[1]["role_arn"]) in assumed
    assert (chain[1]["session_id"], chain[2]["role_arn"]) in assumed
    admin = [r for r in ct if r["userIdentity"].get("principalId") == chain[2]["session_id"]]
    assert {"CreateUser", "AttachUserPolicy", "CreateAccessKey"} <= {r["eventName"] for r in admin}
    # the admin role is never assumed in the baseline
    others = [
        r
        for r in ct
        if r["eventName"] == "AssumeRole"
        and r["requestParameters"]["roleArn"] == chain[2]["role_arn"]
    ]
    assert {r["eventID"] for r in others} <= set(s["event_ids"])
    assert s["facts"]["cross_account"] is True


def test_beacon_is_periodic(corpus: SimulationResult, flows: list[dict[str, str]]) -> None:
    f = _scenario(corpus, "beacon")["facts"]
    starts = sorted(
        int(r["start"])
        for r in flows
        if r["dstaddr"] == f["beacon_ip"] and r["interface-id"] == f["interface_id"]
    )
    assert len(starts) == f["callbacks"] > 200
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(0.85 * f["period_seconds"] <= g <= 1.15 * f["period_seconds"] for g in gaps)
    assert not [
        r
        for r in flows
        if r["dstaddr"] == f["beacon_ip"] and r["interface-id"] != f["interface_id"]
    ]


def test_benign_change_is_new_but_ordinary(
    corpus: SimulationResult, ct: list[dict[str, Any]], flows: list[dict[str, str]]
) -> None:
    s = _scenario(corpus, "benign-change")
    f = s["facts"]
    assert s["benign"]
    assert s["malicious_event_ids"] == []
    assert s["compromised_entities"] == []
    hire = [r for r in ct if r["userIdentity"].get("arn") == f["new_user"]]
    assert len(hire) > 10
    assert any(
        r["eventName"] == "RunInstances"
        and f["new_instance_id"] in json.dumps(r["responseElements"])
        for r in ct
    )
    mine = [r for r in flows if r["interface-id"] == f["new_interface_id"]]
    assert mine
    # new, but talking only to endpoints the fleet already talks to
    day = _epoch(corpus.ground_truth["attack_day"]["start"])
    known = {
        r[k]
        for r in flows
        if r["start"] != "-" and int(r["start"]) < day
        for k in ("srcaddr", "dstaddr")
    }
    remote = {r["dstaddr"] if r["srcaddr"] == f["new_instance_ip"] else r["srcaddr"] for r in mine}
    assert remote <= known


def _public(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_global
    except ValueError:
        return False


def test_geoip_databases_cover_every_public_ip(
    corpus: SimulationResult,
    ct: list[dict[str, Any]],
    flows: list[dict[str, str]],
) -> None:
    ips = {r["sourceIPAddress"] for r in ct if _public(r["sourceIPAddress"])}
    ips |= {r[k] for r in flows for k in ("srcaddr", "dstaddr") if _public(r[k])}
    assert len(ips) > 50
    with (
        maxminddb.open_database(str(corpus.geoip_city)) as city,
        maxminddb.open_database(str(corpus.geoip_asn)) as asn,
    ):
        assert city.metadata().database_type == "GeoLite2-City"
        for ip in ips:
            c: Any = city.get(ip)
            a: Any = asn.get(ip)
            assert c is not None, ip
            assert a is not None, ip
            assert c["country"]["iso_code"]
            assert c["location"]["latitude"] is not None
            assert a["autonomous_system_number"] > 0
        leaked = _scenario(corpus, "leaked-key")["facts"]
        got: Any = city.get(leaked["attacker_ips"][0])
        assert got["country"]["iso_code"] == leaked["attacker_location"]["country"]


def test_threat_feed_lists_the_attacker_ips(corpus: SimulationResult) -> None:
    expected = sorted(
        {
            ip
            for s in corpus.ground_truth["scenarios"]
            if not s["benign"]
            for ip in s["attacker_ips"]
        }
    )
    lines = [x for x in corpus.threat_intel_ips.read_text().splitlines() if not x.startswith("#")]
    assert lines == expected
    bundle = json.loads(corpus.threat_intel_stix.read_text())
    assert bundle["type"] == "bundle"
    patterns = [o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"]
    assert patterns == [f"[ipv4-addr:value = '{ip}']" for ip in expected]
    assert all(o["spec_version"] == "2.1" for o in bundle["objects"])


def test_paths_in_the_ground_truth_resolve(corpus: SimulationResult) -> None:
    gt = corpus.ground_truth
    for rel in (
        gt["threat_intel"]["ip_list"],
        gt["threat_intel"]["stix_bundle"],
        gt["geoip"]["city"],
        gt["geoip"]["asn"],
    ):
        assert (corpus.out / rel).is_file()
    assert all(p.exists() for p in corpus.paths.values())
    assert corpus.paths["logs"].name == "AWSLogs"


def test_baseline_routines_do_not_single_out_the_attack_day(
    corpus: SimulationResult, ct: list[dict[str, Any]]
) -> None:
    day = corpus.ground_truth["attack_day"]["start"]
    root = [r["eventTime"] for r in ct if r["userIdentity"]["type"] == "Root"]
    assert root
    assert max(root) < day
    # every benign identity active on the attack day was already active before it
    attack_ids = {e for s in corpus.ground_truth["scenarios"] for e in s["event_ids"]}
    before = {r["userIdentity"].get("arn") for r in ct if r["eventTime"] < day}
    new = {
        r["userIdentity"].get("arn")
        for r in ct
        if r["eventTime"] >= day and r["eventID"] not in attack_ids
    }
    assert new - before == set()
