"""Outputs of the graph actions: search, entity, neighborhood, timeline.

Each ``*_output`` function flattens one GraphQL answer into the action's output
model; field names follow the SDL (snake_cased), and every identifier that
another app can act on carries its CEF ``contains`` type.
"""

from typing import Any

from soar_sdk.action_results import ActionOutput, OutputField

from .entities import INSTANCE_ID_CONTAINS, EntityOutput, entity_output

__all__ = [
    "EdgeGroupOutput",
    "EdgeOutput",
    "NeighborhoodOutput",
    "NodeOutput",
    "SearchOutput",
    "TimelineEventOutput",
    "TimelineOutput",
    "edge_output",
    "neighborhood_output",
    "search_output",
    "timeline_output",
]


class NodeOutput(EntityOutput):
    """A neighborhood node and its hop distance from the center."""

    distance: int = OutputField(example_values=[1, 2])


class EdgeOutput(ActionOutput):
    """One aggregated, typed, directed relationship."""

    edge_type: str = OutputField(
        example_values=["NETWORK", "INSTANCE_PROFILE", "API_CALL"]
    )
    source: EntityOutput
    target: EntityOutput
    count: int = OutputField(example_values=[42])
    first_seen: str | None = OutputField(example_values=["2026-12-01T08:05:00Z"])
    last_seen: str | None = OutputField(example_values=["2026-12-01T09:55:00Z"])
    bytes_in: float | None = OutputField(example_values=[1024.0])
    bytes_out: float | None = OutputField(example_values=[7340032.0])
    accepted: int | None = OutputField(example_values=[40])
    rejected: int | None = OutputField(example_values=[2])
    remote_ports: list[int] = OutputField(
        cef_types=["port"], example_values=[443, 4444]
    )
    local_ports: list[int] = OutputField(cef_types=["port"], example_values=[49152])
    success: int | None = OutputField(example_values=[12])
    failure: int | None = OutputField(example_values=[1])
    actions: list[str] = OutputField(example_values=["ListBuckets", "GetObject"])
    max_severity: int | None = OutputField(example_values=[73])
    finding_types: list[str] = OutputField(
        example_values=["Backdoor:EC2/C&CActivity.B"]
    )


class EdgeGroupOutput(ActionOutput):
    """How many edges of one type exist around a node, and how many are listed."""

    edge_type: str = OutputField(example_values=["NETWORK"])
    center_key: str = OutputField(example_values=["ec2_instance:i-0a1b2c3d4e5f60718"])
    listed_count: int = OutputField(example_values=[25])
    total_count: int = OutputField(example_values=[31])
    more_count: int = OutputField(example_values=[6])
    total_is_lower_bound: bool


class NeighborhoodOutput(ActionOutput):
    """The aggregated subgraph around an entity over the scope."""

    center: EntityOutput
    hops: int = OutputField(example_values=[1, 2])
    scope_start: str = OutputField(example_values=["2026-12-01T00:00:00Z"])
    scope_end: str = OutputField(example_values=["2026-12-02T00:00:00Z"])
    nodes: list[NodeOutput]
    edges: list[EdgeOutput]
    groups: list[EdgeGroupOutput]
    unexpanded_count: int = OutputField(example_values=[0])
    ips: list[str] = OutputField(cef_types=["ip"], example_values=["203.0.113.66"])
    instance_ids: list[str] = OutputField(
        cef_types=INSTANCE_ID_CONTAINS, example_values=["i-0a1b2c3d4e5f60718"]
    )
    arns: list[str] = OutputField(
        cef_types=["aws arn"], example_values=["arn:aws:iam::123456789012:role/web"]
    )
    access_key_ids: list[str] = OutputField(
        cef_types=["aws access key id"], example_values=["ASIAEXAMPLE0000000001"]
    )
    role_sessions: list[str] = OutputField(
        cef_types=["aws role session"],
        example_values=["AROAEXAMPLE:i-0a1b2c3d4e5f60718"],
    )
    bucket_names: list[str] = OutputField(
        cef_types=["aws s3 bucket name"], example_values=["corp-payroll"]
    )
    finding_ids: list[str] = OutputField(
        cef_types=["aws guardduty finding id"], example_values=["8ab2c1f0d9e8"]
    )


class SearchOutput(EntityOutput):
    """One entity matching a search (or, when none matched, an example of the type)."""

    is_example: bool


class TimelineEventOutput(ActionOutput):
    """One event of a behavior timeline."""

    event_id: str = OutputField(example_values=["c0ffee00-0000-4000-8000-000000000001"])
    timestamp: str = OutputField(example_values=["2026-12-01T08:05:12Z"])
    kinds: list[str] = OutputField(example_values=["NETWORK_OUTBOUND"])
    dataset: str | None = OutputField(example_values=["aws.vpcflow"])
    action: str | None = OutputField(example_values=["GetObject"])
    provider: str | None = OutputField(example_values=["s3.amazonaws.com"])
    outcome: str | None = OutputField(example_values=["success", "failure"])
    actor: str | None = OutputField(
        cef_types=["trailhound entity key"],
        example_values=["aws_role_session:AROAEXAMPLE:i-0a1b"],
    )
    source_ip: str | None = OutputField(cef_types=["ip"], example_values=["10.0.1.12"])
    remote_ip: str | None = OutputField(
        cef_types=["ip"], example_values=["203.0.113.66"]
    )
    local_port: int | None = OutputField(cef_types=["port"], example_values=[49152])
    remote_port: int | None = OutputField(cef_types=["port"], example_values=[4444])
    protocol: str | None = OutputField(example_values=["tcp"])
    direction: str | None = OutputField(example_values=["egress", "ingress"])
    bytes_in: float | None = OutputField(example_values=[512.0])
    bytes_out: float | None = OutputField(example_values=[1048576.0])
    rule_name: str | None = OutputField(example_values=["Backdoor:EC2/C&CActivity.B"])
    severity: int | None = OutputField(example_values=[73])
    message: str | None = OutputField(
        example_values=["EC2 instance is querying a C&C server"]
    )


class TimelineOutput(ActionOutput):
    """One page of a behavior timeline, with the cursor of the next page."""

    total_count: int = OutputField(example_values=[1873])
    has_next_page: bool
    end_cursor: str | None = OutputField(example_values=["eyJzIjpbMTcz..."])
    interval_seconds: int = OutputField(example_values=[3600])
    events: list[TimelineEventOutput]


def _entities_of(nodes: list[EntityOutput], field: str) -> list[str]:
    values = (getattr(n, field) for n in nodes)
    return sorted({v for v in values if v})


def edge_output(edge: dict[str, Any]) -> EdgeOutput:
    network = edge.get("network") or {}
    calls = edge.get("calls") or {}
    finding = edge.get("finding") or {}
    ports = network.get("ports") or []
    return EdgeOutput(
        edge_type=edge["type"],
        source=entity_output(edge["source"]),
        target=entity_output(edge["target"]),
        count=edge["count"],
        first_seen=edge.get("firstSeen"),
        last_seen=edge.get("lastSeen"),
        bytes_in=network.get("bytesIn"),
        bytes_out=network.get("bytesOut"),
        accepted=network.get("accepted"),
        rejected=network.get("rejected"),
        remote_ports=sorted(
            {p["remotePort"] for p in ports if p.get("remotePort") is not None}
        ),
        local_ports=sorted(
            {p["localPort"] for p in ports if p.get("localPort") is not None}
        ),
        success=calls.get("success"),
        failure=calls.get("failure"),
        actions=list(calls.get("actions") or []),
        max_severity=finding.get("maxSeverity"),
        finding_types=list(finding.get("findingTypes") or []),
    )


def neighborhood_output(hood: dict[str, Any]) -> NeighborhoodOutput:
    """Flatten a ``neighborhood`` answer."""
    nodes = [
        NodeOutput(**entity_output(n["entity"]).model_dump(), distance=n["distance"])
        for n in hood["nodes"]
    ]
    everything: list[EntityOutput] = [*nodes]
    return NeighborhoodOutput(
        center=entity_output(hood["center"]),
        hops=hood["hops"],
        scope_start=hood["scopeStart"],
        scope_end=hood["scopeEnd"],
        nodes=nodes,
        edges=[edge_output(e) for e in hood["edges"]],
        groups=[
            EdgeGroupOutput(
                edge_type=g["type"],
                center_key=g["centerKey"],
                listed_count=len(g["edges"]),
                total_count=g["totalCount"],
                more_count=g["moreCount"],
                total_is_lower_bound=g["totalIsLowerBound"],
            )
            for g in hood["groups"]
        ],
        unexpanded_count=hood["unexpandedCount"],
        ips=_entities_of(everything, "ip"),
        instance_ids=_entities_of(everything, "instance_id"),
        arns=_entities_of(everything, "arn"),
        access_key_ids=_entities_of(everything, "access_key_id"),
        role_sessions=_entities_of(everything, "role_session"),
        bucket_names=_entities_of(everything, "bucket_name"),
        finding_ids=_entities_of(everything, "finding_id"),
    )


def search_output(connection: dict[str, Any]) -> list[SearchOutput]:
    """Flatten a ``search`` connection: matches, else the server's examples."""
    matches = [e["node"] for e in connection["edges"]]
    if matches:
        return [
            SearchOutput(**entity_output(n).model_dump(), is_example=False)
            for n in matches
        ]
    return [
        SearchOutput(**entity_output(n).model_dump(), is_example=True)
        for n in connection.get("examples") or []
    ]


def timeline_output(connection: dict[str, Any]) -> TimelineOutput:
    """Flatten a ``timeline`` connection page."""
    events = []
    for edge in connection["edges"]:
        node = edge["node"]
        events.append(
            TimelineEventOutput(
                event_id=node["id"],
                timestamp=node["timestamp"],
                kinds=list(node.get("kinds") or []),
                dataset=node.get("dataset"),
                action=node.get("action"),
                provider=node.get("provider"),
                outcome=node.get("outcome"),
                actor=node.get("actor"),
                source_ip=node.get("sourceIp"),
                remote_ip=node.get("remoteIp"),
                local_port=node.get("localPort"),
                remote_port=node.get("remotePort"),
                protocol=node.get("protocol"),
                direction=node.get("direction"),
                bytes_in=node.get("bytesIn"),
                bytes_out=node.get("bytesOut"),
                rule_name=node.get("ruleName"),
                severity=node.get("severity"),
                message=node.get("message"),
            )
        )
    page = connection["pageInfo"]
    return TimelineOutput(
        total_count=connection["totalCount"],
        has_next_page=page["hasNextPage"],
        end_cursor=page.get("endCursor"),
        interval_seconds=connection["intervalSeconds"],
        events=events,
    )
