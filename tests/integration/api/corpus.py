"""A small hand-built corpus of ECS documents for exact-value API tests.

The story (scope day 2026-03-10, baseline 2026-02-20):

* instance ``i-0abc1234`` (instance-profile role ``web-app``, session
  ``AROAWEBAPP0001:i-0abc1234``) talks to the C2 IP ``198.51.100.7:443`` twice, to
  ``203.0.113.9:3333`` once (also seen in the baseline) and rejects an inbound
  SSH attempt from ``192.0.2.50``;
* its session lists buckets (also in the baseline), reads ``bucket-a`` twice
  and ``bucket-b`` once, and fails ``AuthorizeSecurityGroupIngress``;
* IAM user ``alice`` (key ``AKIAALICE``) lists roles from ``203.0.113.77`` and
  assumes role ``admin``;
* two GuardDuty findings name the instance (one also the C2 IP).

Documents follow ``trailhound/ecs/fields.py``; the index template is the
real one from ``trailhound.ecs.indices.event_template``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch, helpers

from trailhound.ecs.indices import event_index, event_template

ACCOUNT = "111122223333"
INSTANCE = "i-0abc1234"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/web-app"
ADMIN_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/admin"
ROLE_PRINCIPAL_ID = "AROAWEBAPP0001"
SESSION = f"{ROLE_PRINCIPAL_ID}:{INSTANCE}"
ALICE_ARN = f"arn:aws:iam::{ACCOUNT}:user/alice"
ALICE_KEY = "AKIAALICE"
SESSION_KEY = "ASIAWEBSESSION"
C2_IP = "198.51.100.7"
POOL_IP = "203.0.113.9"
SCANNER_IP = "192.0.2.50"
ALICE_IP = "203.0.113.77"
INSTANCE_PUBLIC_IP = "54.0.0.10"
UA_CLI = "aws-cli/2.15.0 Python/3.11"
UA_SDK = "Boto3/1.34.0 Python/3.11 md/instance-profile"
FINDING_C2 = "f-c2-0001"
ENI = "eni-0abc1234"
ENI_ONLY_IP = "198.51.100.99"
FEDERATED = "cognito:alice-fed"
FED_IP = "192.0.2.77"
UA_FED = "Mozilla/5.0 (console)"
FINDING_BTC = "f-btc-0002"

SCOPE_START = datetime(2026, 3, 10, tzinfo=UTC)
SCOPE_END = datetime(2026, 3, 11, tzinfo=UTC)


def _ts(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _common(dataset: str, when: datetime, kinds: list[str]) -> dict[str, Any]:
    return {
        "@timestamp": _iso(when),
        "ecs": {"version": "8.11.0"},
        "event": {"dataset": dataset, "module": "aws"},
        "cloud": {"provider": "aws", "account": {"id": ACCOUNT}, "region": "us-east-1"},
        "trailhound": {"kind": kinds},
    }


def flow(
    when: datetime,
    remote: str,
    *,
    local_port: int,
    remote_port: int,
    direction: str,
    bytes_in: int,
    bytes_out: int,
    packets_in: int,
    packets_out: int,
    accepted: bool = True,
    with_instance: bool = True,
) -> dict[str, Any]:
    """One VPC flow record of the instance's interface, from its point of view.

    With ``with_instance`` the record names the instance (v5 ``instance-id``);
    without, only the interface (the default v2 format).
    """
    kinds = ["NETWORK_OUTBOUND" if direction == "outbound" else "NETWORK_INBOUND"]
    if not accepted:
        kinds.append("NETWORK_REJECTED")
    doc = _common("aws.vpcflow", when, kinds)
    doc["event"] |= {
        "kind": "event",
        "category": ["network"],
        "type": ["connection", "allowed" if accepted else "denied"],
        "outcome": "success" if accepted else "failure",
    }
    doc["network"] = {
        "transport": "tcp",
        "direction": direction,
        "bytes": bytes_in + bytes_out,
        "packets": packets_in + packets_out,
    }
    doc["aws"] = {"vpcflow": {"action": "ACCEPT" if accepted else "REJECT", "interface_id": ENI}}
    entities = [f"network_interface:{ENI}", f"ip_address:{remote}"]
    if with_instance:
        doc["aws"]["vpcflow"]["instance_id"] = INSTANCE
        doc["trailhound"]["instance"] = f"ec2_instance:{INSTANCE}"
        entities.append(f"ec2_instance:{INSTANCE}")
    doc["related"] = {"ip": [remote], "entity": sorted(entities)}
    doc["trailhound"] |= {
        "remote_ip": remote,
        "flow": {
            "local_ip": "10.0.0.5",
            "remote_ip": remote,
            "local_port": local_port,
            "remote_port": remote_port,
            "bytes_in": bytes_in,
            "bytes_out": bytes_out,
            "packets_in": packets_in,
            "packets_out": packets_out,
        },
    }
    return doc


def call(
    when: datetime,
    action: str,
    provider: str,
    *,
    actor: str,
    chain: list[str],
    source_ip: str,
    user_agent: str,
    access_key: str,
    targets: tuple[str, ...] = (),
    failed: bool = False,
    instance: str | None = None,
    geo: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One CloudTrail management event."""
    kinds = ["API_CALL"] + (["FAILED_API_CALL"] if failed else [])
    if action.startswith("AssumeRole"):
        kinds.append("ROLE_ASSUMPTION")
    doc = _common("aws.cloudtrail", when, kinds)
    doc["event"] |= {
        "kind": "event",
        "action": action,
        "provider": provider,
        "outcome": "failure" if failed else "success",
        "id": hashlib.sha1(f"{when}{action}{actor}{targets}".encode()).hexdigest(),
    }
    doc["source"] = {"ip": source_ip, "address": source_ip}
    if geo:
        doc["source"] |= geo
    doc["user_agent"] = {"original": user_agent}
    entities = [actor, *chain, f"ip_address:{source_ip}", f"user_agent:{user_agent}"]
    entities += [f"access_key:{access_key}", *targets]
    doc["trailhound"] |= {
        "actor": actor,
        "actor_chain": [actor, *chain],
        "access_key": f"access_key:{access_key}",
        "targets": list(targets),
        "remote_ip": source_ip,
    }
    if instance:
        doc["trailhound"]["instance"] = f"ec2_instance:{instance}"
        entities.append(f"ec2_instance:{instance}")
    if failed:
        doc["aws"] = {"cloudtrail": {"error_code": "Client.UnauthorizedOperation"}}
    doc["related"] = {"ip": [source_ip], "entity": sorted(set(entities))}
    return doc


def finding(
    when: datetime, fid: str, ftype: str, severity: int, entities: list[str], remote: str | None
) -> dict[str, Any]:
    """One GuardDuty finding document."""
    doc = _common("aws.guardduty", when, ["FINDING"])
    doc["event"] |= {"kind": "alert", "id": fid, "severity": severity, "category": ["threat"]}
    doc["rule"] = {"name": ftype}
    doc["message"] = f"{ftype} on {INSTANCE}"
    doc["aws"] = {"guardduty": {"id": fid, "type": ftype, "title": f"Title of {ftype}"}}
    doc["related"] = {"entity": sorted({f"finding:{fid}", *entities})}
    doc["trailhound"] |= {"finding": f"finding:{fid}", "instance": f"ec2_instance:{INSTANCE}"}
    if remote:
        doc["trailhound"]["remote_ip"] = remote
        doc["related"]["ip"] = [remote]
    return doc


_S = f"aws_role_session:{SESSION}"
_SESSION_CHAIN = [f"aws_role:{ROLE_ARN}", f"aws_account:{ACCOUNT}"]
_ALICE = f"aws_user:{ALICE_ARN}"
_ALICE_GEO = {
    "geo": {"country_iso_code": "US", "city_name": "Ashburn"},
    "as": {"number": 64500, "organization": {"name": "Example ISP"}},
}


def _session_call(when: datetime, action: str, provider: str, **kw: Any) -> dict[str, Any]:
    return call(
        when,
        action,
        provider,
        actor=_S,
        chain=_SESSION_CHAIN,
        source_ip=INSTANCE_PUBLIC_IP,
        user_agent=UA_SDK,
        access_key=SESSION_KEY,
        instance=INSTANCE,
        **kw,
    )


def _alice_call(when: datetime, action: str, provider: str, **kw: Any) -> dict[str, Any]:
    return call(
        when,
        action,
        provider,
        actor=_ALICE,
        chain=[f"aws_account:{ACCOUNT}"],
        source_ip=ALICE_IP,
        user_agent=UA_CLI,
        access_key=ALICE_KEY,
        geo=_ALICE_GEO,
        **kw,
    )


def documents() -> list[dict[str, Any]]:
    """Every document of the corpus (scope day first, then the baseline)."""
    inst = f"ec2_instance:{INSTANCE}"
    s3 = "s3.amazonaws.com"
    return [
        flow(
            _ts(10, 10),
            C2_IP,
            local_port=50000,
            remote_port=443,
            direction="outbound",
            bytes_in=200,
            bytes_out=1000,
            packets_in=4,
            packets_out=10,
        ),
        flow(
            _ts(10, 10, 5),
            C2_IP,
            local_port=50001,
            remote_port=443,
            direction="outbound",
            bytes_in=400,
            bytes_out=3000,
            packets_in=6,
            packets_out=20,
        ),
        flow(
            _ts(10, 11),
            POOL_IP,
            local_port=50002,
            remote_port=3333,
            direction="outbound",
            bytes_in=100,
            bytes_out=500,
            packets_in=2,
            packets_out=3,
        ),
        flow(
            _ts(10, 12),
            SCANNER_IP,
            local_port=22,
            remote_port=40000,
            direction="inbound",
            bytes_in=60,
            bytes_out=0,
            packets_in=1,
            packets_out=0,
            accepted=False,
        ),
        _session_call(_ts(10, 10, 10), "ListBuckets", s3),
        _session_call(_ts(10, 10, 11), "GetBucketAcl", s3, targets=("s3_bucket:bucket-a",)),
        _session_call(_ts(10, 10, 12), "GetObject", s3, targets=("s3_bucket:bucket-a",)),
        _session_call(_ts(10, 10, 13), "GetObject", s3, targets=("s3_bucket:bucket-b",)),
        _session_call(
            _ts(10, 10, 20), "AuthorizeSecurityGroupIngress", "ec2.amazonaws.com", failed=True
        ),
        _alice_call(_ts(10, 9), "ListRoles", "iam.amazonaws.com"),
        _alice_call(
            _ts(10, 9, 30),
            "AssumeRole",
            "sts.amazonaws.com",
            targets=(f"aws_role:{ADMIN_ROLE_ARN}",),
        ),
        finding(
            _ts(10, 10, 30),
            FINDING_C2,
            "Backdoor:EC2/C&CActivity.B",
            73,
            [inst, f"ip_address:{C2_IP}"],
            C2_IP,
        ),
        finding(
            _ts(10, 10, 40), FINDING_BTC, "CryptoCurrency:EC2/BitcoinTool.B!DNS", 73, [inst], None
        ),
        # Baseline (2026-02-20): known behavior.
        _session_call(_ts(20, 8, month=2), "ListBuckets", s3),
        flow(
            _ts(20, 8, 30, month=2),
            POOL_IP,
            local_port=50100,
            remote_port=3333,
            direction="outbound",
            bytes_in=10,
            bytes_out=20,
            packets_in=1,
            packets_out=1,
        ),
        _alice_call(_ts(20, 9, month=2), "ListRoles", "iam.amazonaws.com"),
        # 2026-03-12: an interface-only flow record (no instance id) and a federated user.
        flow(
            _ts(12, 6),
            ENI_ONLY_IP,
            local_port=50200,
            remote_port=8443,
            direction="outbound",
            bytes_in=70,
            bytes_out=900,
            packets_in=1,
            packets_out=2,
            with_instance=False,
        ),
        call(
            _ts(12, 7),
            "GetCallerIdentity",
            "sts.amazonaws.com",
            actor=f"federated_user:{FEDERATED}",
            chain=[],
            source_ip=FED_IP,
            user_agent=UA_FED,
            access_key="ASIAFEDERATED",
        ),
    ]


def load(es: Elasticsearch, namespace: str) -> int:
    """Install the real template and bulk-index the corpus; returns the document count."""
    es.indices.put_index_template(name=f"logs-aws-{namespace}", body=event_template(namespace))
    docs = documents()
    actions = [
        {
            "_op_type": "create",
            "_index": event_index(
                d["event"]["dataset"],
                namespace,
                datetime.fromisoformat(d["@timestamp"].replace("Z", "+00:00")),
            ),
            "_id": hashlib.sha1(repr(sorted(d.items())).encode()).hexdigest(),
            "_source": d,
        }
        for d in docs
    ]
    ok, errors = helpers.bulk(es, actions, refresh="wait_for", raise_on_error=True)
    assert not errors
    return ok
