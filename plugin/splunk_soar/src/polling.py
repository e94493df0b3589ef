"""``on poll``: new HIGH/CRITICAL investigations and finding groups as SOAR containers.

Idempotent twice over: every container has a stable ``source_data_identifier``
(``trailhound:investigation:<id>`` / ``trailhound:finding-group:<id>``), which
SOAR deduplicates on, and the identifiers already ingested are kept in the
asset's ingest state so a later poll does not even offer them again.
"""

import math
from collections.abc import Iterable, Iterator, MutableMapping
from datetime import UTC, datetime
from typing import Any

from soar_sdk.models.artifact import Artifact
from soar_sdk.models.container import Container

from .entities import INSTANCE_ID_CONTAINS, EntityOutput
from .params import SEVERITIES
from .scoring_outputs import FindingGroupOutput, IndicatorOutput, InvestigationOutput

__all__ = [
    "SEEN_KEY",
    "finding_group_records",
    "investigation_records",
    "mark_seen",
    "poll_scope",
    "severities_at_least",
    "unseen",
]

SEEN_KEY = "ingested"
_SOAR_SEVERITY = {
    "CRITICAL": "high",
    "HIGH": "high",
    "MEDIUM": "medium",
    "LOW": "low",
    "INFORMATIONAL": "low",
}
# Our CEF field names and their contains types, so SOAR offers follow-up actions.
_CEF_TYPES: dict[str, list[str]] = {
    "ipAddress": ["ip"],
    "instanceId": INSTANCE_ID_CONTAINS,
    "awsArn": ["aws arn"],
    "accessKeyId": ["aws access key id"],
    "accountId": ["aws account id"],
    "bucketName": ["aws s3 bucket name"],
    "roleSession": ["aws role session"],
    "userAgent": ["user agent"],
    "findingId": ["aws guardduty finding id"],
    "trailhoundEntityId": ["trailhound entity id"],
}
_CEF_FROM_ENTITY = {
    "ip": "ipAddress",
    "instance_id": "instanceId",
    "arn": "awsArn",
    "access_key_id": "accessKeyId",
    "account_id": "accountId",
    "bucket_name": "bucketName",
    "role_session": "roleSession",
    "user_agent": "userAgent",
    "finding_id": "findingId",
}


def severities_at_least(minimum: str) -> list[str]:
    """``HIGH`` -> ``[HIGH, CRITICAL]``."""
    value = minimum.strip().upper()
    if value not in SEVERITIES:
        value = "HIGH"
    return SEVERITIES[SEVERITIES.index(value) :]


def poll_scope(
    start_ms: int | None, end_ms: int | None, *, now: datetime, lookback_hours: int
) -> dict[str, str]:
    """An hour-aligned scope covering SOAR's poll window (or the last ``lookback_hours``)."""
    end = end_ms / 1000 if end_ms else now.timestamp()
    start = start_ms / 1000 if start_ms else end - lookback_hours * 3600
    start_h = math.floor(start / 3600) * 3600
    end_h = max(math.ceil(end / 3600) * 3600, start_h + 3600)

    def iso(epoch: float) -> str:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return {"start": iso(start_h), "end": iso(end_h)}


def unseen(identifiers: Iterable[str], state: MutableMapping[str, Any]) -> list[str]:
    """The identifiers not yet ingested (by the asset's ingest state)."""
    seen = set(state.get(SEEN_KEY) or [])
    return [i for i in identifiers if i not in seen]


def mark_seen(identifiers: Iterable[str], state: MutableMapping[str, Any]) -> None:
    """Remember ingested identifiers (bounded, newest last)."""
    seen = list(state.get(SEEN_KEY) or [])
    seen.extend(i for i in identifiers if i not in seen)
    state[SEEN_KEY] = seen[-5000:]


def _entity_artifact(sdi: str, entity: EntityOutput, severity: str) -> Artifact:
    cef: dict[str, Any] = {
        "trailhoundEntityId": entity.entity_id,
        "entityType": entity.entity_type,
    }
    for field, cef_name in _CEF_FROM_ENTITY.items():
        if value := getattr(entity, field):
            cef[cef_name] = value
    return Artifact(
        name=f"{entity.entity_type} {entity.display_name or entity.entity_id}",
        label="entity",
        type="entity",
        severity=severity,
        source_data_identifier=f"{sdi}:entity:{entity.entity_type}:{entity.entity_id}",
        cef=cef,
        cef_types={k: v for k, v in _CEF_TYPES.items() if k in cef},
    )


def _indicator_artifact(
    sdi: str, n: int, indicator: IndicatorOutput, severity: str
) -> Artifact:
    cef: dict[str, Any] = {
        "indicatorType": indicator.indicator_type,
        "risk": indicator.risk,
        "summary": indicator.summary,
    }
    for field, cef_name in (
        ("ip", "ipAddress"),
        ("user_agent", "userAgent"),
        ("finding_arn", "awsArn"),
    ):
        if value := getattr(indicator, field):
            cef[cef_name] = value
    if indicator.api_name:
        cef["apiName"] = indicator.api_name
    return Artifact(
        name=f"{indicator.indicator_type}: {indicator.summary}"[:200],
        label="indicator",
        type="indicator",
        severity=severity,
        source_data_identifier=f"{sdi}:indicator:{n}",
        cef=cef,
        cef_types={k: v for k, v in _CEF_TYPES.items() if k in cef},
    )


def investigation_records(inv: InvestigationOutput) -> Iterator[Container | Artifact]:
    """One container per investigation, then its entity and indicators as artifacts."""
    sdi = f"trailhound:investigation:{inv.investigation_id}"
    severity = _SOAR_SEVERITY.get(inv.severity or "", "medium")
    subject = inv.entity.display_name if inv.entity else inv.entity_key
    yield Container(
        name=f"Trailhound investigation {inv.severity}: {subject}",
        description=f"Trailhound investigation {inv.investigation_id} of {inv.entity_key} "
        f"({inv.scope_start} to {inv.scope_end}): score {inv.score}, "
        f"{inv.indicator_count} indicators",
        source_data_identifier=sdi,
        severity=severity,
        tags=["trailhound", "investigation", (inv.severity or "").lower()],
        data={"trailhound": inv.model_dump(exclude={"indicators"})},
    )
    if inv.entity:
        yield _entity_artifact(sdi, inv.entity, severity)
    for n, indicator in enumerate(inv.indicators):
        yield _indicator_artifact(sdi, n, indicator, severity)


def finding_group_records(group: FindingGroupOutput) -> Iterator[Container | Artifact]:
    """One container per finding group, then its entities as artifacts."""
    sdi = f"trailhound:finding-group:{group.group_id}"
    severity = _SOAR_SEVERITY.get(group.severity, "medium")
    yield Container(
        name=f"Trailhound finding group {group.severity}: {group.title}"[:250],
        description=f"{len(group.findings)} related findings, tactics: "
        f"{', '.join(group.tactics) or 'none'}",
        source_data_identifier=sdi,
        severity=severity,
        tags=["trailhound", "finding-group", group.severity.lower()],
        data={"trailhound": group.model_dump(exclude={"entities"})},
    )
    for entity in group.entities:
        yield _entity_artifact(sdi, entity, severity)
