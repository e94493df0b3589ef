"""Outputs of the scoring actions: anomaly score, investigations, finding groups.

Indicators arrive as a GraphQL union (one detail type per indicator type);
:func:`indicator_output` flattens every detail into one row whose IPs, user
agents and ARNs carry their CEF types.
"""

from typing import Any

from soar_sdk.action_results import ActionOutput, OutputField

from .entities import INSTANCE_ID_CONTAINS, EntityOutput, entity_output

__all__ = [
    "AnomalyOutput",
    "FindingGroupOutput",
    "IndicatorOutput",
    "InvestigationOutput",
    "StartedInvestigationOutput",
    "anomaly_output",
    "finding_group_output",
    "indicator_output",
    "investigation_output",
]

SEVERITIES = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"]


class IndicatorOutput(ActionOutput):
    """One indicator with its detail flattened and its evidence numbers."""

    indicator_type: str = OutputField(
        example_values=["TTP_OBSERVED", "FLAGGED_IP_ADDRESS"]
    )
    entity_key: str = OutputField(
        cef_types=["trailhound entity key"],
        example_values=["aws_role_session:AROA...:i-0a1b"],
    )
    risk: float = OutputField(example_values=[40.0])
    summary: str = OutputField(
        example_values=["ListBuckets (Discovery, T1619) from 3.208.3.233"]
    )
    ip: str | None = OutputField(cef_types=["ip"], example_values=["185.177.59.195"])
    ending_ip: str | None = OutputField(
        cef_types=["ip"], example_values=["203.0.113.7"]
    )
    port: int | None = OutputField(cef_types=["port"], example_values=[443])
    api_name: str | None = OutputField(example_values=["ListBuckets"])
    service: str | None = OutputField(example_values=["s3.amazonaws.com"])
    user_agent: str | None = OutputField(
        cef_types=["user agent"], example_values=["aws-cli/1.18"]
    )
    location: str | None = OutputField(example_values=["Frankfurt, DE"])
    aso: str | None = OutputField(example_values=["Example Hosting"])
    tactic: str | None = OutputField(example_values=["Discovery"])
    technique: str | None = OutputField(example_values=["T1619"])
    finding_arn: str | None = OutputField(
        cef_types=["aws arn"], example_values=["arn:aws:guardduty:..."]
    )
    finding_type: str | None = OutputField(
        example_values=["Backdoor:EC2/C&CActivity.B"]
    )
    reason: str | None = OutputField(example_values=["listed in attacker_ips.txt"])
    is_new_for_entire_account: bool | None
    measure: str = OutputField(example_values=["api_calls"])
    scope_count: float = OutputField(example_values=[61.0])
    baseline_count: float = OutputField(example_values=[0.0])


class FactorOutput(ActionOutput):
    """One of the top contributions to a score."""

    rank: int = OutputField(example_values=[1])
    points: float = OutputField(example_values=[35.5])
    indicator_type: str = OutputField(example_values=["FLAGGED_IP_ADDRESS"])
    summary: str = OutputField(
        example_values=["185.177.59.195 is on SimulatedThreatIntel"]
    )


class AnomalyOutput(ActionOutput):
    """An entity's anomaly score over the scope, its top factors and indicators."""

    entity: EntityOutput
    score: float = OutputField(example_values=[87.5])
    severity: str = OutputField(example_values=SEVERITIES)
    method: str = OutputField(example_values=["zeta-sum"])
    scope_start: str = OutputField(example_values=["2026-11-30T13:00:00Z"])
    scope_end: str = OutputField(example_values=["2026-12-01T00:00:00Z"])
    baseline_start: str = OutputField(example_values=["2026-10-16T13:00:00Z"])
    baseline_end: str = OutputField(example_values=["2026-11-30T13:00:00Z"])
    top_factors: list[FactorOutput]
    indicators: list[IndicatorOutput]
    ips: list[str] = OutputField(cef_types=["ip"], example_values=["185.177.59.195"])


class StartedInvestigationOutput(ActionOutput):
    """The id of an investigation that was started."""

    investigation_id: str = OutputField(
        cef_types=["trailhound investigation id"], example_values=["inv-4f2a9c"]
    )
    entity_type: str = OutputField(example_values=["AWS_ROLE_SESSION"])
    entity_id: str = OutputField(
        cef_types=["trailhound entity id"], example_values=["AROA...:i-0a1b"]
    )


class InvestigationOutput(ActionOutput):
    """One investigation: status, severity, and (for get investigation) its indicators."""

    investigation_id: str = OutputField(
        cef_types=["trailhound investigation id"], example_values=["inv-4f2a9c"]
    )
    entity_key: str = OutputField(
        cef_types=["trailhound entity key"],
        example_values=["aws_role_session:AROA...:i-0a1b"],
    )
    entity: EntityOutput | None
    created_time: str = OutputField(example_values=["2026-12-03T21:40:00Z"])
    updated_time: str = OutputField(example_values=["2026-12-03T21:40:03Z"])
    scope_start: str = OutputField(example_values=["2026-11-30T13:00:00Z"])
    scope_end: str = OutputField(example_values=["2026-12-01T00:00:00Z"])
    status: str = OutputField(example_values=["RUNNING", "SUCCESSFUL", "FAILED"])
    state: str = OutputField(example_values=["ACTIVE", "ARCHIVED"])
    severity: str | None = OutputField(example_values=SEVERITIES)
    score: float | None = OutputField(example_values=[91.0])
    error: str | None = OutputField(example_values=["Elasticsearch cannot be reached"])
    indicator_count: int = OutputField(example_values=[12])
    indicators: list[IndicatorOutput]
    ips: list[str] = OutputField(cef_types=["ip"], example_values=["185.177.59.195"])


class GroupFindingOutput(ActionOutput):
    """A finding inside a finding group."""

    finding_id: str = OutputField(
        cef_types=["aws guardduty finding id"], example_values=["268e896175949cde"]
    )
    finding_type: str = OutputField(example_values=["Backdoor:EC2/C&CActivity.B"])
    severity: str = OutputField(example_values=SEVERITIES)
    first_seen: str = OutputField(example_values=["2026-11-30T13:05:00Z"])
    last_seen: str = OutputField(example_values=["2026-11-30T14:00:00Z"])
    tactics: list[str] = OutputField(example_values=["CommandAndControl"])


class FindingGroupOutput(ActionOutput):
    """Related findings that share a session, access key, instance or external IP."""

    group_id: str = OutputField(
        cef_types=["trailhound finding group id"], example_values=["fg-9b1e"]
    )
    title: str = OutputField(
        example_values=["3 findings: Backdoor (1), CryptoCurrency (2)"]
    )
    severity: str = OutputField(example_values=SEVERITIES)
    first_seen: str = OutputField(example_values=["2026-11-30T13:05:00Z"])
    last_seen: str = OutputField(example_values=["2026-11-30T23:40:00Z"])
    tactics: list[str] = OutputField(example_values=["CommandAndControl", "Impact"])
    findings: list[GroupFindingOutput]
    entities: list[EntityOutput]
    shared_entity_keys: list[str] = OutputField(
        cef_types=["trailhound entity key"], example_values=["ec2_instance:i-0a1b"]
    )
    ips: list[str] = OutputField(cef_types=["ip"], example_values=["185.177.59.195"])
    instance_ids: list[str] = OutputField(
        cef_types=INSTANCE_ID_CONTAINS, example_values=["i-0a1b2c3d4e5f60718"]
    )
    arns: list[str] = OutputField(
        cef_types=["aws arn"], example_values=["arn:aws:iam::1:role/x"]
    )
    access_key_ids: list[str] = OutputField(
        cef_types=["aws access key id"], example_values=["ASIAEXAMPLE0000000001"]
    )
    role_sessions: list[str] = OutputField(
        cef_types=["aws role session"], example_values=["AROAEXAMPLE:i-0a1b"]
    )


def indicator_output(indicator: dict[str, Any]) -> IndicatorOutput:
    """Flatten one indicator (any detail type of the union)."""
    d = indicator.get("detail") or {}
    evidence = indicator.get("evidence") or {}
    remote = d.get("remote")
    return IndicatorOutput(
        indicator_type=indicator["type"],
        entity_key=indicator["entityKey"],
        risk=indicator["risk"],
        summary=indicator["summary"],
        ip=d.get("ipAddress")
        or d.get("ip")
        or d.get("startingIpAddress")
        or _ip_of(remote),
        ending_ip=d.get("endingIpAddress"),
        port=d.get("port"),
        api_name=d.get("apiName") or d.get("volumeApiName"),
        service=d.get("service"),
        user_agent=d.get("userAgent"),
        location=d.get("location") or d.get("startingLocation"),
        aso=d.get("aso"),
        tactic=d.get("tactic"),
        technique=d.get("technique"),
        finding_arn=d.get("arn"),
        finding_type=d.get("findingType"),
        reason=d.get("reason"),
        is_new_for_entire_account=d.get("isNewForEntireAccount"),
        measure=evidence.get("measure", ""),
        scope_count=evidence.get("scopeCount", 0.0),
        baseline_count=evidence.get("baselineCount", 0.0),
    )


def _ip_of(remote: Any) -> str | None:
    """A beaconing remote is ``ip_address:<ip>`` or a bare address; keep IPs only."""
    if not isinstance(remote, str):
        return None
    value = remote.removeprefix("ip_address:")
    return value if value.replace(".", "").isdigit() or ":" in value else None


def _ips(indicators: list[IndicatorOutput]) -> list[str]:
    return sorted({ip for i in indicators for ip in (i.ip, i.ending_ip) if ip})


def anomaly_output(entity: dict[str, Any]) -> AnomalyOutput:
    """Flatten ``entity { anomaly { ... } }``."""
    score = entity["anomaly"]
    indicators = [indicator_output(i) for i in score["indicators"]]
    return AnomalyOutput(
        entity=entity_output(entity),
        score=score["score"],
        severity=score["severity"],
        method=score["method"],
        scope_start=score["scopeStart"],
        scope_end=score["scopeEnd"],
        baseline_start=score["baselineStart"],
        baseline_end=score["baselineEnd"],
        top_factors=[
            FactorOutput(
                rank=f["rank"],
                points=f["points"],
                indicator_type=f["indicator"]["type"],
                summary=f["indicator"]["summary"],
            )
            for f in score["topFactors"]
        ],
        indicators=indicators,
        ips=_ips(indicators),
    )


def investigation_output(inv: dict[str, Any]) -> InvestigationOutput:
    """Flatten one investigation (indicators only when the operation asked for them)."""
    indicators = [indicator_output(i) for i in inv.get("indicators") or []]
    return InvestigationOutput(
        investigation_id=inv["id"],
        entity_key=inv["entityKey"],
        entity=entity_output(inv["entity"]) if inv.get("entity") else None,
        created_time=inv["createdTime"],
        updated_time=inv["updatedTime"],
        scope_start=inv["scopeStart"],
        scope_end=inv["scopeEnd"],
        status=inv["status"],
        state=inv["state"],
        severity=inv.get("severity"),
        score=inv.get("score"),
        error=inv.get("error"),
        indicator_count=len(indicators),
        indicators=indicators,
        ips=_ips(indicators),
    )


def finding_group_output(group: dict[str, Any]) -> FindingGroupOutput:
    """Flatten one finding group."""
    entities = [entity_output(e) for e in group["entities"]]

    def values(field: str) -> list[str]:
        return sorted({v for e in entities if (v := getattr(e, field))})

    return FindingGroupOutput(
        group_id=group["id"],
        title=group["title"],
        severity=group["severity"],
        first_seen=group["firstSeen"],
        last_seen=group["lastSeen"],
        tactics=list(group["tactics"]),
        findings=[
            GroupFindingOutput(
                finding_id=f["key"].partition(":")[2] or f["key"],
                finding_type=f["type"],
                severity=f["severity"],
                first_seen=f["firstSeen"],
                last_seen=f["lastSeen"],
                tactics=list(f["tactics"]),
            )
            for f in group["findings"]
        ],
        entities=entities,
        shared_entity_keys=list(group["sharedEntityKeys"]),
        ips=values("ip"),
        instance_ids=values("instance_id"),
        arns=values("arn"),
        access_key_ids=values("access_key_id"),
        role_sessions=values("role_session"),
    )
