"""Shared helpers of the finding sources (GuardDuty, Security Hub ASFF)."""

from __future__ import annotations

from typing import Any

from indexers.ecs import EntityKeys
from trailhound.ecs.entities import EntityKind

__all__ = ["TACTICS", "camelize_keys", "finding_entities", "threat_for"]

# GuardDuty threat purposes -> MITRE ATT&CK tactics (the purposes AWS documents at
# https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-format.html).
TACTICS: dict[str, tuple[str, str]] = {
    "Backdoor": ("TA0011", "Command and Control"),
    "CredentialAccess": ("TA0006", "Credential Access"),
    "Cryptocurrency": ("TA0040", "Impact"),
    "DefenseEvasion": ("TA0005", "Defense Evasion"),
    "Discovery": ("TA0007", "Discovery"),
    "Execution": ("TA0002", "Execution"),
    "Exfiltration": ("TA0010", "Exfiltration"),
    "Impact": ("TA0040", "Impact"),
    "InitialAccess": ("TA0001", "Initial Access"),
    "Persistence": ("TA0003", "Persistence"),
    "PrivilegeEscalation": ("TA0004", "Privilege Escalation"),
    "Recon": ("TA0043", "Reconnaissance"),
    "Stealth": ("TA0005", "Defense Evasion"),
    "Trojan": ("TA0011", "Command and Control"),
    "UnauthorizedAccess": ("TA0001", "Initial Access"),
    "AttackSequence": ("TA0001", "Initial Access"),
}


def threat_for(purpose: str) -> dict[str, Any] | None:
    """ECS ``threat`` for a threat purpose, when it maps to an ATT&CK tactic."""
    tactic = TACTICS.get(purpose)
    if tactic is None:
        return None
    tid, name = tactic
    return {
        "framework": "MITRE ATT&CK",
        "tactic": {
            "id": tid,
            "name": name,
            "reference": f"https://attack.mitre.org/tactics/{tid}/",
        },
    }


def _lower_first(key: str) -> str:
    return key[:1].lower() + key[1:] if key[:1].isupper() else key


def camelize_keys(value: Any) -> Any:
    """GetFindings PascalCase (``Resource.InstanceDetails``) to the camelCase of EventBridge."""
    if isinstance(value, dict):
        return {_lower_first(str(k)): camelize_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camelize_keys(v) for v in value]
    return value


def finding_entities(
    finding_id: str,
    account: str | None,
    targets: EntityKeys,
    remote_ips: list[str],
    th: dict[str, Any],
) -> list[str]:
    """``related.entity`` of a finding; also records its keys in ``trailhound`` (``th``).

    The finding itself, the remote IPs, the affected resources, then the account: both
    finding sources link a finding to the graph the same way.
    """
    entities = EntityKeys()
    th["finding"] = entities.add(EntityKind.FINDING, finding_id)
    if remote_ips:
        th["remote_ip"] = remote_ips
        for ip in remote_ips:
            entities.add(EntityKind.IP_ADDRESS, ip)
    if targets:
        th["targets"] = targets.keys()
        for key in th["targets"]:
            entities.add_key(key)
    entities.add(EntityKind.AWS_ACCOUNT, account)
    return entities.keys()
