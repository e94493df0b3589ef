"""A small hand-built corpus with known answers for the indicator tests.

Documents have the shape the indexers write (trailhound/ecs/fields.py); the
real index template is installed first so the mappings are the real ones.

Account 111122223333.  Scope 2024-05-10, baseline 2024-05-01 .. 2024-05-10.
* alice (access key AKIAALICE): every baseline day at 09:00-09:02 three calls
  (ListBuckets, DescribeInstances, GetCallerIdentity) from Berlin (DTAG, aws-cli);
  in scope one ListBuckets from Berlin at 09:10, then from New York
  (203.0.113.50, ExampleHosting, python-requests) at 10:00-10:33: CreateAccessKey,
  AttachUserPolicy (denied), GetCallerIdentity and 30 denied ListUsers.
* bob0..bob9: one DescribeInstances and one ListBuckets each on 2024-05-05 from Berlin.
* instance i-0abc: hourly flows to 52.94.1.1:443 in baseline and scope; in scope a
  beacon to 185.220.101.7:8443 every 10 minutes (144 flows, 400 B) and five 50 MB
  flows to 185.220.101.8:443 at 14:00-14:04.
* role session AROAAPP:i-0abc of role app (instance profile of i-0abc): baseline
  GetObject by an older session AROAAPP:i-0old; in scope GetObject and PutBucketPolicy.
* one GuardDuty finding (severity 7.3) on alice's access key in scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch, helpers

from resolvers.scoring.model import Window
from trailhound.ecs.indices import event_index, event_template

ACCOUNT = "111122223333"
ALICE = f"aws_user:arn:aws:iam::{ACCOUNT}:user/alice"
ALICE_KEY = "access_key:AKIAALICE"
ROLE = f"aws_role:arn:aws:iam::{ACCOUNT}:role/app"
SESSION = "aws_role_session:AROAAPP:i-0abc"
OLD_SESSION = "aws_role_session:AROAAPP:i-0old"
INSTANCE = "ec2_instance:i-0abc"
SCOPE_START = datetime(2024, 5, 10, tzinfo=UTC)
WINDOW = Window(
    scope_start=SCOPE_START,
    scope_end=SCOPE_START + timedelta(days=1),
    baseline_start=datetime(2024, 5, 1, tzinfo=UTC),
    baseline_end=SCOPE_START,
)
BERLIN = {
    "ip": "198.51.100.10",
    "geo": {
        "country_iso_code": "DE",
        "city_name": "Berlin",
        "location": {"lat": 52.52, "lon": 13.405},
    },
    "as": {"number": 3320, "organization": {"name": "Deutsche Telekom AG"}},
}
NEW_YORK = {
    "ip": "203.0.113.50",
    "geo": {
        "country_iso_code": "US",
        "city_name": "New York",
        "location": {"lat": 40.7128, "lon": -74.006},
    },
    "as": {"number": 64501, "organization": {"name": "ExampleHosting"}},
}
CLI = "aws-cli/2.15.0 Python/3.11.6 Linux/6.1"
SCRIPT = "python-requests/2.31.0"
PROVIDERS = {
    "ListBuckets": "s3.amazonaws.com",
    "GetObject": "s3.amazonaws.com",
    "PutBucketPolicy": "s3.amazonaws.com",
    "DescribeInstances": "ec2.amazonaws.com",
    "GetCallerIdentity": "sts.amazonaws.com",
    "CreateAccessKey": "iam.amazonaws.com",
    "AttachUserPolicy": "iam.amazonaws.com",
    "ListUsers": "iam.amazonaws.com",
}


def _doc(dataset: str, at: datetime, body: dict[str, Any], doc_id: str) -> dict[str, Any]:
    source = {"@timestamp": at.isoformat(), **body}
    source.setdefault("event", {})["dataset"] = dataset
    source.setdefault("cloud", {})["account"] = {"id": ACCOUNT}
    return {"_op_type": "create", "_id": doc_id, "_source": source, "_dataset": dataset}


def call(
    doc_id: str,
    at: datetime,
    action: str,
    chain: list[str],
    where: dict[str, Any],
    ua: str = CLI,
    *,
    failed: bool = False,
    access_key: str | None = None,
    instance: str | None = None,
) -> dict[str, Any]:
    """One CloudTrail call as the indexer writes it."""
    kinds = ["API_CALL"] + (["FAILED_API_CALL"] if failed else [])
    th: dict[str, Any] = {"actor": chain[0], "actor_chain": chain, "kind": kinds}
    th["remote_ip"] = where["ip"]
    if access_key:
        th["access_key"] = access_key
    if instance:
        th["instance"] = instance
    keys = [*chain, f"ip_address:{where['ip']}", f"user_agent:{ua}"]
    keys += [k for k in (access_key, instance) if k]
    return _doc(
        "aws.cloudtrail",
        at,
        {
            "event": {
                "action": action,
                "provider": PROVIDERS[action],
                "outcome": "failure" if failed else "success",
                "kind": "event",
            },
            "source": dict(where),
            "user_agent": {"original": ua},
            "trailhound": th,
            "related": {"entity": keys, "ip": [where["ip"]]},
        },
        doc_id,
    )


def flow(doc_id: str, at: datetime, remote: str, port: int, sent: int) -> dict[str, Any]:
    """One outbound accepted flow of i-0abc."""
    return _doc(
        "aws.vpcflow",
        at,
        {
            "event": {"action": "ACCEPT", "kind": "event", "outcome": "success"},
            "network": {"direction": "egress", "bytes": sent},
            "trailhound": {
                "instance": INSTANCE,
                "remote_ip": remote,
                "kind": ["NETWORK_OUTBOUND"],
                "flow": {
                    "local_ip": "10.0.1.5",
                    "remote_ip": remote,
                    "local_port": 40000,
                    "remote_port": port,
                    "bytes_out": sent,
                    "bytes_in": 0,
                },
            },
            "related": {"entity": [INSTANCE, f"ip_address:{remote}"]},
        },
        doc_id,
    )


def finding(doc_id: str, at: datetime) -> dict[str, Any]:
    """A GuardDuty finding on alice's access key."""
    return _doc(
        "aws.guardduty",
        at,
        {
            "event": {"kind": "alert", "severity": 73, "risk_score": 73.0, "id": "gd-1"},
            "rule": {"name": "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"},
            "aws": {
                "guardduty": {
                    "arn": f"arn:aws:guardduty:us-east-1:{ACCOUNT}:detector/d/finding/gd-1"
                }
            },
            "trailhound": {
                "finding": "finding:gd-1",
                "remote_ip": ["203.0.113.50"],
                "kind": ["FINDING"],
                "access_key": ALICE_KEY,
            },
            "related": {
                "entity": ["finding:gd-1", ALICE_KEY, ALICE, "ip_address:203.0.113.50"],
            },
        },
        doc_id,
    )


def documents() -> Iterator[dict[str, Any]]:
    """The whole corpus."""
    alice = [ALICE, f"aws_account:{ACCOUNT}"]
    for day in range(1, 10):
        base = datetime(2024, 5, day, 9, tzinfo=UTC)
        for i, api in enumerate(("ListBuckets", "DescribeInstances", "GetCallerIdentity")):
            yield call(
                f"a{day}{i}", base + timedelta(minutes=i), api, alice, BERLIN, access_key=ALICE_KEY
            )
    for n in range(10):
        bob = [f"aws_user:arn:aws:iam::{ACCOUNT}:user/bob{n}", f"aws_account:{ACCOUNT}"]
        at = datetime(2024, 5, 5, 12, n, tzinfo=UTC)
        yield call(f"b{n}d", at, "DescribeInstances", bob, BERLIN)
        yield call(f"b{n}l", at + timedelta(seconds=10), "ListBuckets", bob, BERLIN)
    s = SCOPE_START
    yield call(
        "s0", s + timedelta(hours=9, minutes=10), "ListBuckets", alice, BERLIN, access_key=ALICE_KEY
    )
    ny = s + timedelta(hours=10)
    yield call("s1", ny, "CreateAccessKey", alice, NEW_YORK, SCRIPT, access_key=ALICE_KEY)
    yield call(
        "s2",
        ny + timedelta(minutes=1),
        "AttachUserPolicy",
        alice,
        NEW_YORK,
        SCRIPT,
        failed=True,
        access_key=ALICE_KEY,
    )
    yield call(
        "s3",
        ny + timedelta(minutes=2),
        "GetCallerIdentity",
        alice,
        NEW_YORK,
        SCRIPT,
        access_key=ALICE_KEY,
    )
    for i in range(30):
        yield call(
            f"s4{i}",
            ny + timedelta(minutes=3 + i),
            "ListUsers",
            alice,
            NEW_YORK,
            SCRIPT,
            failed=True,
            access_key=ALICE_KEY,
        )
    yield finding("f1", ny + timedelta(minutes=40))
    # instance flows
    for hour in range(9 * 24 + 24):
        at = WINDOW.baseline_start + timedelta(hours=hour, minutes=30)
        yield flow(f"e{hour}", at, "52.94.1.1", 443, 5000)
    for i in range(144):
        at = s + timedelta(minutes=10 * i, seconds=(i * 7) % 20)
        yield flow(f"c{i}", at, "185.220.101.7", 8443, 400)
    for i in range(5):
        yield flow(f"x{i}", s + timedelta(hours=14, minutes=i), "185.220.101.8", 443, 50_000_000)
    # instance-profile sessions of role app
    old = [OLD_SESSION, ROLE, f"aws_account:{ACCOUNT}"]
    new = [SESSION, ROLE, f"aws_account:{ACCOUNT}"]
    aws_ip = {"ip": "10.0.1.5"}
    for day in range(1, 10):
        yield call(
            f"r{day}",
            datetime(2024, 5, day, 3, tzinfo=UTC),
            "GetObject",
            old,
            aws_ip,
            "Boto3/1.34",
            instance="ec2_instance:i-0old",
        )
    yield call(
        "r10", s + timedelta(hours=3), "GetObject", new, aws_ip, "Boto3/1.34", instance=INSTANCE
    )
    yield call(
        "r11",
        s + timedelta(hours=3, minutes=1),
        "PutBucketPolicy",
        new,
        aws_ip,
        "Boto3/1.34",
        instance=INSTANCE,
    )


def load(es: Elasticsearch, namespace: str) -> int:
    """Install the real template and bulk-load the corpus; returns the count."""
    es.indices.put_index_template(
        name=f"trailhound-events-{namespace}", **event_template(namespace)
    )
    actions = []
    for d in documents():
        dataset = d.pop("_dataset")
        at = datetime.fromisoformat(d["_source"]["@timestamp"])
        actions.append({**d, "_index": event_index(dataset, namespace, at)})
    ok, errors = helpers.bulk(es, actions, refresh="wait_for")
    assert errors == []
    return int(ok)
