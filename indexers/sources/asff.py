"""AWS Security Hub findings in the AWS Security Finding Format (ASFF, 2018-10-08).

Accepted shapes: BatchImportFindings / GetFindings (``{"Findings": [...]}``), the
EventBridge "Security Hub Findings - Imported" envelope (``detail.findings``),
arrays and JSON lines (e.g. Prowler's ``.asff-json``).
Format: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format.html
"""

from __future__ import annotations

import contextlib
import re
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
from indexers.findings import finding_entities, threat_for
from indexers.records import EcsDoc, RawRecord
from indexers.registry import LogSource, ParseContext
from trailhound.ecs.entities import EntityKind as K
from trailhound.ecs.fields import TimelineKind
from trailhound.errors import ParseError

DATASET = "aws.securityhub_findings"
_SNIFF = re.compile(r'"ProductArn"\s*:|"detail-type"\s*:\s*"Security Hub Findings')
_LABELS = frozenset({"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"})
_INSTANCE = re.compile(r"(?:^|instance/)(i-[0-9a-fA-F]{8,17})$")
_ACCOUNT = re.compile(r"(\d{12})$")


def sniff(head: str, name: str) -> bool:
    """ASFF findings in any of the accepted shapes."""
    return bool(_SNIFF.search(head))


def claims(obj: dict[str, Any]) -> bool:
    """An ASFF finding."""
    return "ProductArn" in obj and ("AwsAccountId" in obj or "GeneratorId" in obj)


def _label(sev: dict[str, Any]) -> str:
    label = sev.get("Label")
    if isinstance(label, str) and label.upper() in _LABELS:
        return label.upper()
    normalized = sev.get("Normalized")
    if isinstance(normalized, int | float) and not isinstance(normalized, bool):
        if normalized >= 90:
            return "CRITICAL"
        if normalized >= 70:
            return "HIGH"
        if normalized >= 40:
            return "MEDIUM"
        return "LOW" if normalized >= 1 else "INFORMATIONAL"
    return "INFORMATIONAL"


def _resource_keys(res: dict[str, Any], targets: EntityKeys, th: dict[str, Any]) -> str | None:
    """Entity keys of one ASFF resource; returns an instance id for ``host.id``."""
    rtype, rid = res.get("Type"), res.get("Id")
    if not isinstance(rtype, str) or not isinstance(rid, str):
        return None
    details = res.get("Details") if isinstance(res.get("Details"), dict) else {}
    assert isinstance(details, dict)
    if rtype == "AwsEc2Instance":
        m = _INSTANCE.search(rid)
        if m:
            key = targets.add(K.EC2_INSTANCE, m.group(1))
            th.setdefault("instance", key)
            return m.group(1)
    elif rtype == "AwsS3Bucket":
        targets.add(K.S3_BUCKET, rid.split(":s3:::", 1)[-1].split("/", 1)[0])
    elif rtype == "AwsIamRole":
        targets.add(K.AWS_ROLE, rid)
    elif rtype == "AwsIamUser":
        targets.add(K.AWS_USER, rid)
    elif rtype == "AwsIamAccessKey":
        akd = (
            details.get("AwsIamAccessKey")
            if isinstance(details.get("AwsIamAccessKey"), dict)
            else {}
        )
        assert isinstance(akd, dict)
        tail = rid.rsplit(":", 1)[-1]  # "AWS::IAM::AccessKey:ASIA..." or the bare id
        key_id = akd.get("AccessKeyId") or (tail if tail.startswith(("AKIA", "ASIA")) else None)
        key = targets.add(K.ACCESS_KEY, key_id)
        if key is not None:
            th.setdefault("access_key", key)
        principal = akd.get("PrincipalId")
        if akd.get("PrincipalType") == "AssumedRole" and isinstance(principal, str):
            th.setdefault("actor", targets.add(K.AWS_ROLE_SESSION, principal))
    elif rtype == "AwsAccount":
        m = _ACCOUNT.search(rid)
        if m:
            targets.add(K.AWS_ACCOUNT, m.group(1))
    elif rtype == "AwsEc2NetworkInterface":
        eni = rid.rsplit("/", 1)[-1]
        if eni.startswith("eni-"):
            targets.add(K.NETWORK_INTERFACE, eni)
    return None


def _remote_ips(f: dict[str, Any]) -> list[str]:
    ips: list[str] = []
    net = f.get("Network")
    if isinstance(net, dict):
        direction = net.get("Direction")
        fields = (
            ("DestinationIpV4", "DestinationIpV6")
            if direction == "OUT"
            else ("SourceIpV4", "SourceIpV6")
        )
        ips.extend(net[k] for k in fields if isinstance(net.get(k), str))
    action = f.get("Action")
    if isinstance(action, dict):
        for section in action.values():
            if isinstance(section, dict):
                rid = section.get("RemoteIpDetails")
                if isinstance(rid, dict) and isinstance(rid.get("IpAddressV4"), str):
                    ips.append(rid["IpAddressV4"])
    product = f.get("ProductFields")
    if isinstance(product, dict):
        # GuardDuty findings imported into Security Hub flatten the remote IP into a key.
        ips.extend(
            v for k, v in product.items() if k.endswith("ipAddressV4") and isinstance(v, str)
        )
    return list(dict.fromkeys(ip for ip in map(canonical_ip, ips) if ip))


def parse(record: RawRecord, ctx: ParseContext) -> EcsDoc | None:
    """One ASFF finding to an ECS alert."""
    f = record.payload
    fid = ensure_str(f.get("Id"), "Id")
    assert fid is not None
    updated = parse_time(f.get("UpdatedAt") or f.get("CreatedAt"), "UpdatedAt", ctx.now)
    created = parse_time(f["CreatedAt"], "CreatedAt", ctx.now) if f.get("CreatedAt") else updated
    sev = f.get("Severity") if isinstance(f.get("Severity"), dict) else {}
    assert isinstance(sev, dict)
    label = _label(sev)
    account = f.get("AwsAccountId")
    if account is not None and not isinstance(account, str):
        raise ParseError("expected a string", field="AwsAccountId")
    types = (
        [t for t in f.get("Types") or [] if isinstance(t, str)]
        if isinstance(f.get("Types"), list)
        else []
    )
    product_fields = f.get("ProductFields") if isinstance(f.get("ProductFields"), dict) else {}
    assert isinstance(product_fields, dict)

    doc = base_doc(DATASET, "alert", ctx.now)
    doc["@timestamp"] = updated
    event = doc["event"]
    event.update(
        id=fid,
        category=["threat"]
        if any("TTPs" in t or "Threat" in t for t in types)
        else ["configuration"],
        type=["indicator"] if any("TTPs" in t for t in types) else ["info"],
        created=created,
        severity=severity_bucket(label),
    )
    normalized = sev.get("Normalized")
    if isinstance(normalized, int | float) and not isinstance(normalized, bool):
        event["risk_score"] = float(normalized)
    for src, dst in (("FirstObservedAt", "start"), ("LastObservedAt", "end")):
        if f.get(src):
            # an odd observation window must not lose the finding
            with contextlib.suppress(ParseError):
                event[dst] = parse_time(f[src], src, ctx.now)
    cloud = doc["cloud"]
    if account:
        cloud["account"] = {"id": account}
    if isinstance(f.get("Region"), str):
        cloud["region"] = f["Region"]
    rule: dict[str, Any] = {}
    if isinstance(f.get("Title"), str):
        rule["name"] = f["Title"]
    control = product_fields.get("ControlId") or product_fields.get("RuleId")
    gen = f.get("GeneratorId")
    rule_id = control if isinstance(control, str) else gen if isinstance(gen, str) else None
    if rule_id:
        rule["id"] = rule_id
    if types:
        rule["category"] = types[0]
    if isinstance(f.get("ProductName"), str):
        rule["ruleset"] = f["ProductName"]
    if rule:
        doc["rule"] = rule
    if isinstance(f.get("Description"), str):
        doc["message"] = f["Description"]
    elif isinstance(f.get("Title"), str):
        doc["message"] = f["Title"]
    gd_type = product_fields.get("aws/guardduty/service/type") or next(
        (t.rsplit("/", 1)[-1] for t in types if "TTPs" in t), None
    )
    if isinstance(gd_type, str):
        threat = threat_for(gd_type.split(":", 1)[0])
        if threat is not None:
            doc["threat"] = threat

    th: dict[str, Any] = {"kind": [TimelineKind.FINDING.value]}
    targets = EntityKeys()
    hosts: list[str] = []
    for res in as_list(f.get("Resources")):
        if isinstance(res, dict):
            host = _resource_keys(res, targets, th)
            if host:
                hosts.append(host)
    ips = _remote_ips(f)
    related: dict[str, Any] = {"entity": finding_entities(fid, account, targets, ips, th)}
    if hosts:
        doc["host"] = {"id": hosts[0]}
        doc["cloud"]["instance"] = {"id": hosts[0]}
    doc["trailhound"] = th
    if ips:
        related["ip"] = ips
    if hosts:
        related["hosts"] = hosts
    doc["related"] = related
    sh: dict[str, Any] = {"id": fid, "severity": {"label": label}}
    if isinstance(normalized, int) and not isinstance(normalized, bool):
        sh["severity"]["normalized"] = normalized
    for src, dst in (
        ("ProductArn", "product_arn"),
        ("GeneratorId", "generator_id"),
        ("AwsAccountId", "aws_account_id"),
        ("RecordState", "record_state"),
        ("ProductName", "product_name"),
        ("CompanyName", "company_name"),
    ):
        if isinstance(f.get(src), str):
            sh[dst] = f[src]
    for src, dst in (("Workflow", "workflow_status"), ("Compliance", "compliance_status")):
        sub = f.get(src)
        if isinstance(sub, dict) and isinstance(sub.get("Status"), str):
            sh[dst] = sub["Status"]
    if types:
        sh["types"] = types
    if isinstance(f.get("Resources"), list):
        sh["resources"] = flattened({"items": f["Resources"]})
    if product_fields:
        sh["product_fields"] = flattened(product_fields)
    doc["aws"] = {"securityhub_findings": sh}
    doc_id = flow_hash(fid, updated.isoformat())
    return EcsDoc(id=doc_id, dataset=DATASET, timestamp=updated, body=doc)


SOURCE = LogSource(
    name="asff",
    dataset=DATASET,
    description="AWS Security Hub findings (ASFF): GetFindings, BatchImportFindings, EventBridge",
    sniff=sniff,
    claims=claims,
    parse=parse,
    priority=10,
)
