"""Output of ``get profile panel``: one of Detective's profile panels for an entity.

Each panel has its own operation (``GetProfile<Panel>.graphql``) and its own
section of the output; the other sections stay empty.  Drill-down trees
(IP -> API -> caller) are flattened to rows, since SOAR data paths are not
recursive.
"""

from typing import Any

from soar_sdk.action_results import ActionOutput, OutputField

from .entities import EntityOutput, entity_output
from .graph_outputs import EdgeOutput, edge_output

__all__ = ["PANELS", "ProfilePanelOutput", "profile_panel_output"]

# panel parameter value -> (operation name, field of ``profile``)
PANELS = {
    "API_CALL_VOLUME": ("GetProfileApiCallVolume", "apiCallVolume"),
    "NEW_BEHAVIOR": ("GetProfileNewBehavior", "newBehavior"),
    "VPC_FLOW_VOLUME": ("GetProfileVpcFlowVolume", "vpcFlowVolume"),
    "RESOURCE_INTERACTION": ("GetProfileResourceInteraction", "resourceInteraction"),
    "ASSOCIATED_FINDINGS": ("GetProfileAssociatedFindings", "associatedFindings"),
}


class CallCountOutput(ActionOutput):
    """Successful and failed calls of one service."""

    service: str = OutputField(example_values=["s3.amazonaws.com"])
    success: int = OutputField(example_values=[71])
    failure: int = OutputField(example_values=[0])


class DrillRowOutput(ActionOutput):
    """One leaf of a drill-down: source IP, API and caller with call counts."""

    ip: str | None = OutputField(cef_types=["ip"], example_values=["3.208.3.233"])
    api: str | None = OutputField(example_values=["GetObject"])
    service: str | None = OutputField(example_values=["s3.amazonaws.com"])
    caller: str | None = OutputField(
        cef_types=["trailhound entity key"],
        example_values=["aws_role_session:AROA...:i-0a1b"],
    )
    success: int = OutputField(example_values=[60])
    failure: int = OutputField(example_values=[0])


class ApiCallVolumeOutput(ActionOutput):
    """The API call volume panel."""

    success: int = OutputField(example_values=[1450])
    failure: int = OutputField(example_values=[6])
    interval_seconds: int = OutputField(example_values=[3600])
    services: list[CallCountOutput]
    by_ip: list[DrillRowOutput]
    by_api: list[DrillRowOutput]


class NewValueOutput(ActionOutput):
    """A value seen in the scope and not in the baseline."""

    value: str = OutputField(example_values=["GetBucketAcl", "RU", "aws-cli/1.18.69"])
    count: int = OutputField(example_values=[4])
    first_seen: str | None = OutputField(example_values=["2026-11-30T13:17:00Z"])
    service: str | None = OutputField(example_values=["s3.amazonaws.com"])


class NewIpOutput(ActionOutput):
    """A remote IP seen in the scope and not in the baseline."""

    ip: str = OutputField(cef_types=["ip"], example_values=["185.177.59.195"])
    count: int = OutputField(example_values=[130])
    first_seen: str | None = OutputField(example_values=["2026-11-30T13:05:00Z"])


class NewUserAgentOutput(ActionOutput):
    """A user agent seen in the scope and not in the baseline."""

    user_agent: str = OutputField(
        cef_types=["user agent"], example_values=["aws-cli/1.18.69"]
    )
    count: int = OutputField(example_values=[78])
    first_seen: str | None = OutputField(example_values=["2026-11-30T13:17:00Z"])


class IncreasedCallOutput(ActionOutput):
    """An API call whose rate rose against the baseline."""

    action: str = OutputField(example_values=["GetObject"])
    service: str | None = OutputField(example_values=["s3.amazonaws.com"])
    scope_count: int = OutputField(example_values=[71])
    baseline_count: int = OutputField(example_values=[12])
    ratio: float = OutputField(example_values=[35.2])


class NewBehaviorOutput(ActionOutput):
    """The newly observed behavior panel."""

    approximate: bool
    baseline_empty: bool
    api_calls: list[NewValueOutput]
    countries: list[NewValueOutput]
    cities: list[NewValueOutput]
    as_organizations: list[NewValueOutput]
    user_agents: list[NewUserAgentOutput]
    remote_ips: list[NewIpOutput]
    increased_api_calls: list[IncreasedCallOutput]


class FlowRowOutput(ActionOutput):
    """One (peer, local port, remote port, protocol, direction) row of flow volume."""

    peer: EntityOutput
    local_port: int | None = OutputField(cef_types=["port"], example_values=[49152])
    remote_port: int | None = OutputField(cef_types=["port"], example_values=[443])
    protocol: str | None = OutputField(example_values=["tcp"])
    direction: str | None = OutputField(example_values=["OUTBOUND", "INBOUND"])
    count: int = OutputField(example_values=[130])
    bytes_in: float = OutputField(example_values=[312000.0])
    bytes_out: float = OutputField(example_values=[234000.0])
    accepted: int = OutputField(example_values=[130])
    rejected: int = OutputField(example_values=[0])
    first_seen: str | None = OutputField(example_values=["2026-11-30T13:05:00Z"])
    last_seen: str | None = OutputField(example_values=["2026-11-30T23:35:00Z"])
    annotated: bool


class VpcFlowVolumeOutput(ActionOutput):
    """The VPC flow volume panel."""

    peer_count: int = OutputField(example_values=[14])
    flow_count: int = OutputField(example_values=[2211])
    bytes_in: float = OutputField(example_values=[9.1e6])
    bytes_out: float = OutputField(example_values=[7.6e8])
    rejected: int = OutputField(example_values=[3])
    end_cursor: str | None = OutputField(example_values=["eyJrIjpb..."])
    finding_ips: list[str] = OutputField(
        cef_types=["ip"], example_values=["185.177.59.195"]
    )
    rows: list[FlowRowOutput]


class PanelGroupOutput(ActionOutput):
    """Edges of one type around the entity, and how many more exist."""

    edge_type: str = OutputField(example_values=["ASSUMED_ROLE", "FINDING"])
    total_count: int = OutputField(example_values=[3])
    more_count: int = OutputField(example_values=[0])
    edges: list[EdgeOutput]


class ProfilePanelOutput(ActionOutput):
    """One profile panel of an entity over the scope, against its baseline."""

    panel: str = OutputField(example_values=list(PANELS))
    entity: EntityOutput
    scope_start: str = OutputField(example_values=["2026-11-30T13:00:00Z"])
    scope_end: str = OutputField(example_values=["2026-12-01T00:00:00Z"])
    baseline_start: str = OutputField(example_values=["2026-10-16T13:00:00Z"])
    baseline_end: str = OutputField(example_values=["2026-11-30T13:00:00Z"])
    api_call_volume: ApiCallVolumeOutput | None
    new_behavior: NewBehaviorOutput | None
    vpc_flow_volume: VpcFlowVolumeOutput | None
    groups: list[PanelGroupOutput]


def _leaves(
    rows: list[dict[str, Any]], first: str, second: str
) -> list[DrillRowOutput]:
    """Flatten a 3-level drill tree (first -> second -> caller) into its deepest rows."""

    def row(
        top: dict[str, Any], mid: dict[str, Any] | None, leaf: dict[str, Any] | None
    ) -> DrillRowOutput:
        counts = leaf or mid or top
        names = {first: top["value"], second: mid["value"] if mid else None}
        return DrillRowOutput(
            ip=names.get("ip"),
            api=names.get("api"),
            service=top.get("service") or (mid or {}).get("service"),
            caller=leaf["value"] if leaf else None,
            success=counts["success"],
            failure=counts["failure"],
        )

    out: list[DrillRowOutput] = []
    for top in rows:
        mids = top.get("children") or []
        if not mids:
            out.append(row(top, None, None))
        for mid in mids:
            leaves = mid.get("children") or []
            if not leaves:
                out.append(row(top, mid, None))
            out.extend(row(top, mid, leaf) for leaf in leaves)
    return out


def _group(group: dict[str, Any]) -> PanelGroupOutput:
    return PanelGroupOutput(
        edge_type=group["type"],
        total_count=group["totalCount"],
        more_count=group["moreCount"],
        edges=[edge_output(e) for e in group["edges"]],
    )


def _new(values: list[dict[str, Any]]) -> list[NewValueOutput]:
    return [
        NewValueOutput(
            value=v["value"],
            count=v["count"],
            first_seen=v.get("firstSeen"),
            service=v.get("service"),
        )
        for v in values
    ]


def profile_panel_output(panel: str, profile: dict[str, Any]) -> ProfilePanelOutput:
    """Flatten a ``profile { <panel> }`` answer."""
    section = profile[PANELS[panel][1]]
    api = new = flows = None
    groups: list[PanelGroupOutput] = []
    if panel == "API_CALL_VOLUME":
        api = ApiCallVolumeOutput(
            success=section["success"],
            failure=section["failure"],
            interval_seconds=section["intervalSeconds"],
            services=[
                CallCountOutput(
                    service=s["value"], success=s["success"], failure=s["failure"]
                )
                for s in section["services"]
            ],
            by_ip=_leaves(section["byIp"], "ip", "api"),
            by_api=_leaves(section["byApi"], "api", "ip"),
        )
    elif panel == "NEW_BEHAVIOR":
        new = NewBehaviorOutput(
            approximate=section["approximate"],
            baseline_empty=section["baselineEmpty"],
            api_calls=_new(section["apiCalls"]),
            countries=_new(section["countries"]),
            cities=_new(section["cities"]),
            as_organizations=_new(section["asOrganizations"]),
            user_agents=[
                NewUserAgentOutput(
                    user_agent=v["value"],
                    count=v["count"],
                    first_seen=v.get("firstSeen"),
                )
                for v in section["userAgents"]
            ],
            remote_ips=[
                NewIpOutput(
                    ip=v["value"], count=v["count"], first_seen=v.get("firstSeen")
                )
                for v in section["remoteIps"]
            ],
            increased_api_calls=[
                IncreasedCallOutput(
                    action=c["action"],
                    service=c.get("service"),
                    scope_count=c["scopeCount"],
                    baseline_count=c["baselineCount"],
                    ratio=c["ratio"],
                )
                for c in section["increasedApiCalls"]
            ],
        )
    elif panel == "VPC_FLOW_VOLUME":
        flows = VpcFlowVolumeOutput(
            peer_count=section["peerCount"],
            flow_count=section["flowCount"],
            bytes_in=section["bytesIn"],
            bytes_out=section["bytesOut"],
            rejected=section["rejected"],
            end_cursor=section.get("endCursor"),
            finding_ips=list(section["findingIps"]),
            rows=[
                FlowRowOutput(
                    peer=entity_output(r["peer"]),
                    local_port=r.get("localPort"),
                    remote_port=r.get("remotePort"),
                    protocol=r.get("protocol"),
                    direction=r.get("direction"),
                    count=r["count"],
                    bytes_in=r["bytesIn"],
                    bytes_out=r["bytesOut"],
                    accepted=r["accepted"],
                    rejected=r["rejected"],
                    first_seen=r.get("firstSeen"),
                    last_seen=r.get("lastSeen"),
                    annotated=r["annotated"],
                )
                for r in section["rows"]
            ],
        )
    elif panel == "RESOURCE_INTERACTION":
        groups = [_group(g) for g in section]
    elif section is not None:  # ASSOCIATED_FINDINGS: one group, or none
        groups = [_group(section)]
    return ProfilePanelOutput(
        panel=panel,
        entity=entity_output(profile["entity"]),
        scope_start=profile["scopeStart"],
        scope_end=profile["scopeEnd"],
        baseline_start=profile["baselineStart"],
        baseline_end=profile["baselineEnd"],
        api_call_volume=api,
        new_behavior=new,
        vpc_flow_volume=flows,
        groups=groups,
    )
