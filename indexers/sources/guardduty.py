"""Amazon GuardDuty findings (finding schema 2.0), every resource type.

Accepted shapes: EventBridge events (``detail-type: GuardDuty Finding``, camelCase
``detail``), the GetFindings API / console export (``{"Findings": [...]}``, PascalCase,
normalized to camelCase first) and S3 exports (JSON lines or arrays).
Format: https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-format.html
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

from indexers.ecs import (
    EntityKeys,
    as_list,
    base_doc,
    ensure_str,
    flattened,
    flow_hash,
    parse_time,
    severity_bucket,
)
from indexers.enrich.enricher import canonical_ip
from indexers.findings import camelize_keys, finding_entities, threat_for
from indexers.records import EcsDoc, RawRecord
from indexers.registry import LogSource, ParseContext
from trailhound.ecs.entities import EntityKind as K
from trailhound.ecs.entities import iam_user_arn
from trailhound.ecs.fields import TimelineKind
from trailhound.errors import ParseError

DATASET = "aws.guardduty"
_SNIFF = re.compile(
    r'"detail-type"\s*:\s*"GuardDuty Finding"|"arn"\s*:\s*"arn:aws[a-z-]*:guardduty:'
    r'|"Arn"\s*:\s*"arn:aws[a-z-]*:guardduty:|"(?:s|S)chemaVersion"\s*:\s*"2\.0"'
)


def sniff(head: str, name: str) -> bool:
    """GuardDuty findings in any of the accepted shapes (and not ASFF)."""
    return bool(_SNIFF.search(head)) and '"ProductArn"' not in head


def claims(obj: dict[str, Any]) -> bool:
    """A GuardDuty finding, camelCase or PascalCase (ASFF has ``ProductArn`` and is not)."""
    if "ProductArn" in obj or "productArn" in obj:
        return False
    if "type" in obj and "service" in obj and ("schemaVersion" in obj or "arn" in obj):
        return True
    return "Type" in obj and "Service" in obj and ("SchemaVersion" in obj or "Arn" in obj)


def severity_label(score: float) -> str:
    """GuardDuty's bands: low < 4 <= medium < 7 <= high < 9 <= critical."""
    if score >= 9:
        return "Critical"
    if score >= 7:
        return "High"
    if score >= 4:
        return "Medium"
    return "Low"


def _walk_remote_ips(value: Any) -> Iterator[str]:
    """Every ``remoteIpDetails.ipAddressV4/V6`` anywhere under ``service.action``."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "remoteIpDetails" and isinstance(v, dict):
                for f in ("ipAddressV4", "ipAddressV6"):
                    if isinstance(v.get(f), str):
                        yield v[f]
            else:
                yield from _walk_remote_ips(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk_remote_ips(v)


def _domains(action: dict[str, Any]) -> list[str]:
    out: list[str] = []
    dns = action.get("dnsRequestAction")
    if isinstance(dns, dict) and isinstance(dns.get("domain"), str):
        out.append(dns["domain"])
    api = action.get("awsApiCallAction")
    if isinstance(api, dict):
        dd = api.get("domainDetails")
        if isinstance(dd, dict) and isinstance(dd.get("domain"), str):
            out.append(dd["domain"])
    return out


def _resource_entities(
    resource: dict[str, Any],
    account: str | None,
    targets: EntityKeys,
    th: dict[str, Any],
    partition: str = "aws",
) -> list[str]:
    """Affected resources into targets/instance/access_key; returns host names/ids."""
    hosts: list[str] = []
    inst = resource.get("instanceDetails")
    if isinstance(inst, dict):
        key = targets.add(K.EC2_INSTANCE, inst.get("instanceId"))
        if key is not None:
            th["instance"] = key
            hosts.append(inst["instanceId"])
        for nic in as_list(inst.get("networkInterfaces")):
            if isinstance(nic, dict):
                targets.add(K.NETWORK_INTERFACE, nic.get("networkInterfaceId"))
    akd = resource.get("accessKeyDetails")
    if isinstance(akd, dict):
        key = targets.add(K.ACCESS_KEY, akd.get("accessKeyId"))
        if key is not None:
            th["access_key"] = key
        actor = _access_key_principal(akd, account, partition)
        if actor is not None:
            th["actor"] = actor
            targets.add_key(actor)
    for bucket in as_list(resource.get("s3BucketDetails")):
        if isinstance(bucket, dict):
            targets.add(K.S3_BUCKET, bucket.get("name"))
    for section, fields in (
        ("eksClusterDetails", ("name",)),
        ("rdsDbInstanceDetails", ("dbInstanceIdentifier",)),
        ("lambdaDetails", ("functionName",)),
        ("ecsClusterDetails", ("name",)),
    ):
        details = resource.get(section)
        if isinstance(details, dict):
            hosts.extend(details[f] for f in fields if isinstance(details.get(f), str))
    return hosts


def _access_key_principal(
    akd: dict[str, Any], account: str | None, partition: str = "aws"
) -> str | None:
    """The principal behind an AccessKey finding, in our entity keys.

    GuardDuty gives no user ARN; for IAM users it is rebuilt as
    ``arn:aws:iam::<account>:user/<userName>``.  A user with a path has a longer
    ARN in CloudTrail; the read path folds this short form into it
    (:func:`trailhound.ecs.entities.pathless_user_arn`).
    """
    user_type = akd.get("userType")
    principal = akd.get("principalId")
    name = akd.get("userName")
    if user_type == "AssumedRole" and isinstance(principal, str) and ":" in principal:
        return f"{K.AWS_ROLE_SESSION.value}:{principal}"
    if user_type == "IAMUser" and isinstance(name, str) and name and account:
        return f"{K.AWS_USER.value}:{iam_user_arn(partition, account, name)}"
    if user_type == "Root" and account:
        return f"{K.AWS_USER.value}:arn:{partition}:iam::{account}:root"
    if user_type == "FederatedUser" and isinstance(principal, str) and principal:
        return f"{K.FEDERATED_USER.value}:{principal}"
    return None


def parse(record: RawRecord, ctx: ParseContext) -> EcsDoc | None:
    """One GuardDuty finding to an ECS alert."""
    f = record.payload
    if "Type" in f and "type" not in f:
        f = camelize_keys(f)
    finding_id = ensure_str(f.get("id"), "id")
    assert finding_id is not None
    ftype = ensure_str(f.get("type"), "type")
    assert ftype is not None
    updated = parse_time(f.get("updatedAt") or f.get("createdAt"), "updatedAt", ctx.now)
    created = parse_time(f["createdAt"], "createdAt", ctx.now) if f.get("createdAt") else updated
    raw_sev = f.get("severity")
    if isinstance(raw_sev, bool) or not isinstance(raw_sev, int | float | str):
        raise ParseError(f"severity is not a number: {raw_sev!r}", field="severity")
    try:
        score = float(raw_sev)
    except ValueError:
        raise ParseError(f"severity is not a number: {raw_sev!r}", field="severity") from None
    label = severity_label(score)
    service = f.get("service") if isinstance(f.get("service"), dict) else {}
    resource = f.get("resource") if isinstance(f.get("resource"), dict) else {}
    assert isinstance(service, dict)
    assert isinstance(resource, dict)
    action = service.get("action") if isinstance(service.get("action"), dict) else {}
    assert isinstance(action, dict)
    account = f.get("accountId") if isinstance(f.get("accountId"), str) else None

    doc = base_doc(DATASET, "alert", ctx.now)
    doc["@timestamp"] = updated
    event = doc["event"]
    event.update(
        id=finding_id,
        category=["threat"],
        type=["indicator"],
        created=created,
        severity=severity_bucket(label),
        risk_score=round(score * 10, 1),
        action=action.get("actionType") if isinstance(action.get("actionType"), str) else None,
    )
    if event["action"] is None:
        del event["action"]
    for src, dst in (("eventFirstSeen", "start"), ("eventLastSeen", "end")):
        if service.get(src):
            # a sample finding's odd first/last-seen must not lose the finding
            with contextlib.suppress(ParseError):
                event[dst] = parse_time(service[src], f"service.{src}", ctx.now)
    cloud = doc["cloud"]
    if account:
        cloud["account"] = {"id": account}
    if isinstance(f.get("region"), str):
        cloud["region"] = f["region"]
    purpose = ftype.partition(":")[0]
    doc["rule"] = {"name": ftype, "category": purpose, "ruleset": ftype.split("/", 1)[0]}
    if isinstance(f.get("title"), str):
        doc["rule"]["description"] = f["title"]
    threat = threat_for(purpose)
    if threat is not None:
        doc["threat"] = threat
    if isinstance(f.get("description"), str):
        doc["message"] = f["description"]
    elif isinstance(f.get("title"), str):
        doc["message"] = f["title"]

    th: dict[str, Any] = {"kind": [TimelineKind.FINDING.value]}
    targets = EntityKeys()
    partition = f.get("partition") if isinstance(f.get("partition"), str) else "aws"
    hosts = _resource_entities(resource, account, targets, th, str(partition))
    remote_ips = list(dict.fromkeys(ip for ip in map(canonical_ip, _walk_remote_ips(action)) if ip))
    related: dict[str, Any] = {
        "entity": finding_entities(finding_id, account, targets, remote_ips, th)
    }
    if "instance" in th:
        doc["cloud"]["instance"] = {"id": th["instance"].partition(":")[2]}
        doc["host"] = {"id": th["instance"].partition(":")[2]}
    domains = _domains(action)
    if domains:
        doc["dns"] = {"question": {"name": domains[0]}}
    doc["trailhound"] = th
    if remote_ips:
        related["ip"] = remote_ips
    if hosts or domains:
        related["hosts"] = list(dict.fromkeys(hosts + domains))
    akd = resource.get("accessKeyDetails")
    if isinstance(akd, dict) and isinstance(akd.get("userName"), str):
        related["user"] = [akd["userName"]]
        doc["user"] = {"name": akd["userName"]}
    doc["related"] = related
    gd: dict[str, Any] = {
        "id": finding_id,
        "type": ftype,
        "severity": {"code": score, "label": label},
    }
    for src, dst in (
        ("arn", "arn"),
        ("title", "title"),
        ("schemaVersion", "schema_version"),
        ("partition", "partition"),
        ("region", "region"),
        ("accountId", "account_id"),
    ):
        if isinstance(f.get(src), str):
            gd[dst] = f[src]
    if isinstance(resource.get("resourceType"), str):
        gd["resource"] = {"type": resource["resourceType"]}
    if service:
        gd["service"] = flattened(service)
    if resource:
        gd["resource_details"] = flattened(resource)
    doc["aws"] = {"guardduty": gd}
    doc_id = flow_hash(finding_id, updated.isoformat())
    return EcsDoc(id=doc_id, dataset=DATASET, timestamp=updated, body=doc)


SOURCE = LogSource(
    name="guardduty",
    dataset=DATASET,
    description="Amazon GuardDuty findings: EventBridge, GetFindings (PascalCase), S3 exports",
    sniff=sniff,
    claims=claims,
    parse=parse,
    priority=20,
)
