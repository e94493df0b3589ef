from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from resolvers.scoring.finding_groups import (
    FindingFacts,
    group_findings,
    namespace_of,
    severity_from_ecs,
)
from resolvers.scoring.model import Severity

T0 = datetime(2024, 5, 10, tzinfo=UTC)


def _f(
    key: str,
    hours: float,
    ftype: str,
    sev: Severity,
    entities: tuple[str, ...],
    tactics: tuple[str, ...] = (),
    asff: tuple[str, ...] = (),
) -> FindingFacts:
    at = T0 + timedelta(hours=hours)
    return FindingFacts(
        key=f"finding:{key}",
        type=ftype,
        first_seen=at,
        last_seen=at + timedelta(minutes=30),
        severity=sev,
        entities=(f"finding:{key}", *entities),
        tactics=tactics,
        asff_types=asff,
    )


FINDINGS = [
    _f(
        "f1",
        0,
        "Backdoor:EC2/C&CActivity.B",
        Severity.HIGH,
        ("ec2_instance:i-1", "ip_address:185.220.101.7"),
        ("Command and Control",),
    ),
    _f(
        "f2",
        2,
        "CryptoCurrency:EC2/BitcoinTool.B!DNS",
        Severity.MEDIUM,
        ("ec2_instance:i-1",),
        ("Impact",),
    ),
    _f(
        "f3",
        5,
        "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
        Severity.HIGH,
        ("ip_address:185.220.101.7", "access_key:ASIA1", "aws_account:1"),
        ("Initial Access", "Command and Control"),
    ),
    _f(
        "f4",
        1,
        "Recon:EC2/PortProbeUnprotectedPort",
        Severity.LOW,
        ("ec2_instance:i-2", "ip_address:10.0.0.5", "aws_account:1"),
    ),
    _f("f5", 24 * 5, "Backdoor:EC2/C&CActivity.B", Severity.HIGH, ("ec2_instance:i-1",)),
    _f(
        "f6",
        1,
        "Policy:IAMUser/RootCredentialUsage",
        Severity.LOW,
        ("ip_address:10.0.0.5", "aws_account:1"),
    ),
    _f(
        "f7",
        6,
        "Data exposure",
        Severity.CRITICAL,
        ("access_key:ASIA1",),
        asff=("Effects/Data Exposure",),
    ),
]


def test_groups_link_shared_sessions_keys_instances_and_public_ips() -> None:
    groups = group_findings(FINDINGS)
    members = [[f.key.removeprefix("finding:") for f in g.findings] for g in groups]
    # the private IP and the account do not link; five days apart is beyond the 48 h window
    assert members == [["f1", "f2", "f3", "f7"], ["f5"], ["f4"], ["f6"]]
    g = groups[0]
    assert g.severity is Severity.CRITICAL
    assert g.title == "Group with: TTP (3), Effect (1)"
    assert g.tactics == ("Command and Control", "Impact", "Initial Access")
    assert g.shared == ("access_key:ASIA1", "ec2_instance:i-1", "ip_address:185.220.101.7")
    assert g.entities == (
        "access_key:ASIA1",
        "aws_account:1",
        "ec2_instance:i-1",
        "ip_address:185.220.101.7",
    )
    assert g.id == "fg-" + hashlib.sha1(b"finding:f1").hexdigest()[:16]
    assert (g.first_seen, g.last_seen) == (T0, T0 + timedelta(hours=6, minutes=30))
    assert groups[3].title == "Group with: Software and configuration check (1)"
    assert g.involves("access_key:ASIA1")
    assert g.involves("finding:f7")
    assert not g.involves("ec2_instance:i-2")


def test_group_id_is_stable_when_later_findings_join() -> None:
    first = group_findings(FINDINGS[:2])[0].id
    assert group_findings(FINDINGS)[0].id == first


def test_severity_and_namespace_mapping() -> None:
    assert [severity_from_ecs(v) for v in (None, 0, 21, 47, 73, 99)] == [
        Severity.INFORMATIONAL,
        Severity.INFORMATIONAL,
        Severity.LOW,
        Severity.MEDIUM,
        Severity.HIGH,
        Severity.CRITICAL,
    ]
    assert namespace_of(FINDINGS[6]) == "Effect"
    assert namespace_of(_f("x", 0, "Impact:EC2/WinRMBruteForce", Severity.LOW, ())) == "Effect"
    assert (
        namespace_of(_f("y", 0, "Behavior:EC2/NetworkPortUnusual", Severity.LOW, ()))
        == "Unusual behavior"
    )
