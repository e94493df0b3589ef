"""Golden tests on GuardDuty (PascalCase and camelCase) and ASFF findings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from indexers.registry import ParseContext

from .conftest import DATA, docs, pick


def test_guardduty_getfindings_pascalcase(ctx: ParseContext) -> None:
    (doc,) = docs(DATA / "guardduty/guardduty.json", ctx)
    assert pick(
        doc,
        "@timestamp",
        "event.kind",
        "event.severity",
        "event.risk_score",
        "event.action",
        "rule.name",
        "rule.ruleset",
        "threat.tactic.id",
        "trailhound.finding",
        "trailhound.instance",
        "trailhound.kind",
        "dns.question.name",
        "cloud.account.id",
        "host.id",
        "aws.guardduty.severity.label",
    ) == {
        "@timestamp": datetime(2023, 4, 16, 6, 11, 53, 438000, tzinfo=UTC),
        "event.kind": "alert",
        "event.severity": 73,
        "event.risk_score": 80.0,
        "event.action": "DNS_REQUEST",
        "rule.name": "Trojan:EC2/DropPoint!DNS",
        "rule.ruleset": "Trojan:EC2",
        "threat.tactic.id": "TA0011",
        "trailhound.finding": "finding:034f3664616c49cb85349d0511ecd306",
        "trailhound.instance": "ec2_instance:i-99999999",
        "trailhound.kind": ["FINDING"],
        "dns.question.name": "GeneratedFindingDomainName",
        "cloud.account.id": "783957204773",
        "host.id": "i-99999999",
        "aws.guardduty.severity.label": "High",
    }
    assert "ec2_instance:i-99999999" in doc["trailhound"]["targets"]
    assert doc["message"].startswith("EC2 instance i-99999999 is querying")


def test_guardduty_pascal_and_camel_case_normalize_alike(ctx: ParseContext) -> None:
    (pascal,) = docs(DATA / "guardduty/data.json", ctx)
    service = pascal["aws"]["guardduty"]["service"]
    assert "action" in service
    assert "Action" not in service
    camel = docs(DATA / "guardduty/panther-camelcase.jsonl", ctx)
    assert len(camel) == 8
    assert {d["event"]["severity"] for d in camel} == {21, 47, 73, 99}
    (wrapped,) = docs(DATA / "guardduty/eventbridge-finding.json", ctx)
    assert wrapped == camel[0]


def test_guardduty_remote_ip_and_access_key(ctx: ParseContext) -> None:
    got = docs(DATA / "guardduty/panther-camelcase.jsonl", ctx) + docs(
        DATA / "guardduty/aws_guardduty_example.json", ctx
    )
    with_ip = [d for d in got if d["trailhound"].get("remote_ip")]
    assert with_ip
    for d in with_ip:
        for ip in d["trailhound"]["remote_ip"]:
            assert f"ip_address:{ip}" in d["related"]["entity"]


def test_asff_control_finding(ctx: ParseContext) -> None:
    (doc,) = docs(DATA / "asff/afsbp-iam.8.json", ctx)
    assert pick(
        doc,
        "event.kind",
        "event.severity",
        "rule.id",
        "trailhound.targets",
        "aws.securityhub_findings.compliance_status",
        "cloud.account.id",
    ) == {
        "event.kind": "alert",
        "event.severity": 47,
        "rule.id": "IAM.8",
        "trailhound.targets": ["aws_user:arn:aws:iam::111111111111:user/sharrtest"],
        "aws.securityhub_findings.compliance_status": "FAILED",
        "cloud.account.id": "111111111111",
    }


def test_asff_guardduty_import_keys_access_key_session_and_ip(ctx: ParseContext) -> None:
    (doc,) = docs(DATA / "asff/sechub-guardduty.raw", ctx)
    th = doc["trailhound"]
    assert th["access_key"] == "access_key:ASIATMJPC7EXAMPLE"
    assert th["actor"] == "aws_role_session:AROATMJPC7YEXAMPLE:example"
    assert th["remote_ip"] == ["52.94.133.131"]
    assert doc["threat"]["tactic"]["name"] == "Defense Evasion"
    assert doc["event"]["severity"] == 21


def test_asff_shapes(ctx: ParseContext) -> None:
    assert len(docs(DATA / "asff/asff_sample.json", ctx)) == 18
    assert len(docs(DATA / "asff/prowler-sample.asff-json", ctx)) == 10
    imported = docs(DATA / "asff/eventbridge-imported.json", ctx)
    assert [d["event"]["id"] for d in imported] == [
        d["event"]["id"] for d in docs(DATA / "asff/asff_sample.json", ctx)[:2]
    ]


def test_guardduty_user_key_keeps_the_partition(ctx: ParseContext, tmp_path: Path) -> None:
    # The real example is in the aws partition; the same finding in GovCloud must
    # name the user in aws-us-gov, as CloudTrail does there.
    example = json.loads((DATA / "guardduty/aws_guardduty_example.json").read_text())
    (aws,) = docs(DATA / "guardduty/aws_guardduty_example.json", ctx)
    assert aws["trailhound"]["actor"] == "aws_user:arn:aws:iam::111122223333:user/testuser"
    example["Findings"][0]["Partition"] = "aws-us-gov"
    gov_file = tmp_path / "gov.json"
    gov_file.write_text(json.dumps(example))
    (gov,) = docs(gov_file, ctx)
    assert gov["trailhound"]["actor"] == "aws_user:arn:aws-us-gov:iam::111122223333:user/testuser"
