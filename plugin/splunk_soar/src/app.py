"""Trailhound for Splunk SOAR: playbook actions over Trailhound's GraphQL API.

Each action is thin: it turns its parameters into the variables of one named
operation (``src/operations/<Name>.graphql``), runs it, and flattens the answer
into output fields whose data paths carry CEF ``contains`` types, so playbooks
can chain them into other apps' actions.  No analytics happen here.
"""

import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    # The SDK's local runner starts this file as a script (python src/app.py ...),
    # while SOAR and the SDK's manifest builder import it as ``<app dir>.src.app``.
    # As a script, make the relative imports below resolve against package ``src``
    # (PEP 366).
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "src"

from soar_sdk.abstract import SOARClient
from soar_sdk.action_results import ActionOutput
from soar_sdk.app import App
from soar_sdk.logging import getLogger
from soar_sdk.models.artifact import Artifact
from soar_sdk.models.container import Container
from soar_sdk.params import OnPollParams

from .asset import Asset, client_for
from .client import InvalidRequestError, NotFoundError
from .entities import EntityDetailOutput, entity_detail_output
from .graph_outputs import (
    NeighborhoodOutput,
    SearchOutput,
    TimelineOutput,
    neighborhood_output,
    search_output,
    timeline_output,
)
from .params import (
    EDGE_TYPES,
    INDICATOR_TYPES,
    MAX_WAIT_SECONDS,
    PROFILE_PANELS,
    SEVERITIES,
    STATES,
    STATUSES,
    TIMELINE_KINDS,
    AnomalyParams,
    EntityParams,
    FindingGroupIdParams,
    InvestigationIdParams,
    ListFindingGroupsParams,
    ListInvestigationsParams,
    NeighborhoodParams,
    ProfilePanelParams,
    ScopedEntityParams,
    SearchParams,
    TimelineParams,
    entity_type,
    enum_list,
    enum_value,
    optional_entity,
    scope,
)
from .polling import (
    finding_group_records,
    investigation_records,
    mark_seen,
    poll_scope,
    severities_at_least,
    unseen,
)
from .profile_outputs import PANELS, ProfilePanelOutput, profile_panel_output
from .scoring_outputs import (
    AnomalyOutput,
    FindingGroupOutput,
    InvestigationOutput,
    StartedInvestigationOutput,
    anomaly_output,
    finding_group_output,
    investigation_output,
)

logger = getLogger()

app = App(
    name="trailhound",
    app_type="investigative",
    logo="logo.svg",
    logo_dark="logo_dark.svg",
    product_vendor="Trailhound",
    product_name="Trailhound",
    publisher="Trailhound",
    appid="f7d105b7-b8cd-483a-9dfc-8f351fb678a1",
    fips_compliant=False,
    encrypt_cache_state=True,
    encrypt_ingest_state=True,
    asset_cls=Asset,
)


@app.test_connectivity()
def test_connectivity(asset: Asset) -> None:
    """Check that the Trailhound endpoint answers and accepts the API key."""
    with client_for(asset) as client:
        client.execute("TestConnectivity")
    logger.info(f"Trailhound at {asset.graphql_url} answered")


@app.action(action_type="investigate", read_only=True, render_as="table")
def search_entities(
    params: SearchParams, soar: SOARClient[ActionOutput], asset: Asset
) -> list[SearchOutput]:
    """Find entities whose identifier equals or starts with the text (examples when none match)."""
    variables = {
        "type": entity_type(params.entity_type),
        "text": params.text or "",
        "first": params.limit,
    }
    with client_for(asset) as client:
        connection = client.execute("SearchEntities", variables)["search"]
    results = search_output(connection)
    matched = sum(not r.is_example for r in results)
    soar.set_message(
        f"{matched} of {connection['totalCount']} matching entities"
        if matched
        else f"no match; {len(results)} examples of {variables['type']} from your data"
    )
    return results


@app.action(action_type="investigate", read_only=True)
def get_entity(
    params: EntityParams, soar: SOARClient[ActionOutput], asset: Asset
) -> EntityDetailOutput:
    """Get one entity by type and identifier, with its first/last seen, account and details."""
    variables = {"type": entity_type(params.entity_type), "id": params.entity_id}
    with client_for(asset) as client:
        node = client.execute("GetEntity", variables)["entity"]
    soar.set_message(
        f"{node['type']} {node['displayName']}: {node.get('eventCount', 0)} events"
    )
    return entity_detail_output(node)


@app.action(action_type="investigate", read_only=True)
def get_neighborhood(
    params: NeighborhoodParams, soar: SOARClient[ActionOutput], asset: Asset
) -> NeighborhoodOutput:
    """Get the entities an entity interacted with over the scope, as typed edges with measures."""
    variables = {
        "entity": {"type": entity_type(params.entity_type), "id": params.entity_id},
        "scope": scope(params.scope_start, params.scope_end),
        "hops": params.hops,
        "edgeTypes": enum_list(params.edge_types, EDGE_TYPES, "edge_types"),
        "limitPerEdgeType": params.limit_per_edge_type,
    }
    with client_for(asset) as client:
        hood = neighborhood_output(
            client.execute("GetNeighborhood", variables)["neighborhood"]
        )
    more = sum(g.more_count for g in hood.groups)
    soar.set_message(
        f"{len(hood.nodes)} nodes, {len(hood.edges)} edges"
        + (
            f"; {more} more edges not listed (raise limit_per_edge_type)"
            if more
            else ""
        )
    )
    return hood


@app.action(action_type="investigate", read_only=True)
def get_timeline(
    params: TimelineParams, soar: SOARClient[ActionOutput], asset: Asset
) -> TimelineOutput:
    """Get one page of an entity's time-ordered events (flows, API calls, findings, ...)."""
    variables = {
        "entity": {"type": entity_type(params.entity_type), "id": params.entity_id},
        "scope": scope(params.scope_start, params.scope_end),
        "kinds": enum_list(params.kinds, TIMELINE_KINDS, "kinds"),
        "first": params.limit,
        "after": params.cursor or None,
    }
    with client_for(asset) as client:
        page = timeline_output(client.execute("GetTimeline", variables)["timeline"])
    soar.set_message(
        f"{len(page.events)} of {page.total_count} events"
        + ("; pass end_cursor as cursor for more" if page.has_next_page else "")
    )
    return page


@app.action(action_type="investigate", read_only=True)
def get_profile_panel(
    params: ProfilePanelParams, soar: SOARClient[ActionOutput], asset: Asset
) -> ProfilePanelOutput:
    """Get one of Detective's profile panels for an entity over the scope vs its baseline."""
    panel = enum_value(params.panel, PROFILE_PANELS, "panel")
    operation, _ = PANELS[panel]
    variables: dict[str, object] = {
        "entity": {"type": entity_type(params.entity_type), "id": params.entity_id},
        "scope": scope(params.scope_start, params.scope_end),
    }
    if panel == "API_CALL_VOLUME":
        variables |= {
            "cidr": params.cidr,
            "apiSubstring": params.api_substring,
            "rows": params.limit,
        }
    elif panel == "VPC_FLOW_VOLUME":
        variables |= {
            "first": params.limit,
            "after": params.cursor or None,
            "remoteCidr": params.cidr,
        }
    elif panel != "NEW_BEHAVIOR":
        variables["limit"] = params.limit
    with client_for(asset) as client:
        profile = client.execute(operation, variables)["profile"]
    result = profile_panel_output(panel, profile)
    soar.set_message(
        f"{panel} of {result.entity.entity_type} {result.entity.entity_id}"
    )
    return result


@app.action(action_type="investigate", read_only=True)
def get_anomaly_score(
    params: AnomalyParams, soar: SOARClient[ActionOutput], asset: Asset
) -> AnomalyOutput:
    """Get an entity's anomaly score 0-100 and severity over the scope, with its indicators."""
    types = enum_list(params.indicator_types, INDICATOR_TYPES, "indicator_types")
    variables = {
        "type": entity_type(params.entity_type),
        "id": params.entity_id,
        "scope": scope(params.scope_start, params.scope_end),
        "types": types,
    }
    with client_for(asset) as client:
        entity = client.execute("GetAnomalyScore", variables)["entity"]
    if entity.get("anomaly") is None:
        raise NotFoundError(
            f"no anomaly score for {variables['type']} {params.entity_id}"
        )
    result = anomaly_output(entity)
    soar.set_message(
        f"score {result.score:.1f} ({result.severity}), {len(result.indicators)} indicators"
    )
    return result


@app.action(action_type="generic", read_only=False)
def start_investigation(
    params: ScopedEntityParams, soar: SOARClient[ActionOutput], asset: Asset
) -> StartedInvestigationOutput:
    """Start an investigation of a principal or EC2 instance over the scope (needs an admin key)."""
    kind = entity_type(params.entity_type)
    variables = {
        "entity": {"type": kind, "id": params.entity_id},
        "scope": scope(params.scope_start, params.scope_end),
    }
    with client_for(asset) as client:
        investigation_id = client.execute("StartInvestigation", variables)[
            "startInvestigation"
        ]
    soar.set_message(
        f"investigation {investigation_id} started; poll it with get investigation"
    )
    return StartedInvestigationOutput(
        investigation_id=investigation_id, entity_type=kind, entity_id=params.entity_id
    )


@app.action(action_type="investigate", read_only=True)
def get_investigation(
    params: InvestigationIdParams, soar: SOARClient[ActionOutput], asset: Asset
) -> InvestigationOutput:
    """Get an investigation's status, severity and indicators (optionally wait while RUNNING)."""
    if not 0 <= params.wait_seconds <= MAX_WAIT_SECONDS:
        raise InvalidRequestError(
            f"wait_seconds must be between 0 and {MAX_WAIT_SECONDS}"
        )
    deadline = time.monotonic() + params.wait_seconds
    with client_for(asset) as client:
        while True:
            inv = client.execute("GetInvestigation", {"id": params.investigation_id})
            node = inv["investigation"]
            if node["status"] != "RUNNING" or time.monotonic() >= deadline:
                break
            time.sleep(min(2.0, max(0.1, deadline - time.monotonic())))
    result = investigation_output(node)
    soar.set_message(
        f"{result.status}, severity {result.severity or 'not yet known'}, "
        f"{result.indicator_count} indicators"
    )
    return result


@app.action(action_type="investigate", read_only=True, render_as="table")
def list_investigations(
    params: ListInvestigationsParams, soar: SOARClient[ActionOutput], asset: Asset
) -> list[InvestigationOutput]:
    """List investigations by severity, status, state, entity and creation time."""
    created = {
        k: v.strip()
        for k, v in (
            ("createdFrom", params.created_from),
            ("createdTo", params.created_to),
        )
        if v
    }
    filters = {
        "severities": enum_list(params.severities, SEVERITIES, "severities"),
        "statuses": enum_list(params.statuses, STATUSES, "statuses"),
        "states": enum_list(params.states, STATES, "states"),
        "entity": optional_entity(params.entity_type, params.entity_id),
        **created,
    }
    variables = {
        "filter": {k: v for k, v in filters.items() if v is not None} or None,
        "sortField": enum_value(
            params.sort_field, ["CREATED_TIME", "SEVERITY", "STATUS"], "sort_field"
        ),
        "sortOrder": enum_value(params.sort_order, ["ASC", "DESC"], "sort_order"),
        "first": params.limit,
        "after": params.cursor or None,
    }
    with client_for(asset) as client:
        connection = client.execute("ListInvestigations", variables)["investigations"]
    results = [investigation_output(n) for n in connection["nodes"]]
    more = connection["pageInfo"]["hasNextPage"]
    soar.set_message(
        f"{len(results)} investigations" + ("; more with cursor" if more else "")
    )
    return results


@app.action(action_type="investigate", read_only=True, render_as="table")
def list_finding_groups(
    params: ListFindingGroupsParams, soar: SOARClient[ActionOutput], asset: Asset
) -> list[FindingGroupOutput]:
    """List finding groups active in the scope, most severe first."""
    filters = {
        "severities": enum_list(params.severities, SEVERITIES, "severities"),
        "entity": optional_entity(params.entity_type, params.entity_id),
    }
    variables = {
        "scope": scope(params.scope_start, params.scope_end),
        "filter": {k: v for k, v in filters.items() if v is not None} or None,
        "first": params.limit,
        "after": params.cursor or None,
    }
    with client_for(asset) as client:
        connection = client.execute("ListFindingGroups", variables)["findingGroups"]
    results = [finding_group_output(e["node"]) for e in connection["edges"]]
    soar.set_message(f"{len(results)} of {connection['totalCount']} finding groups")
    return results


@app.action(action_type="investigate", read_only=True)
def get_finding_group(
    params: FindingGroupIdParams, soar: SOARClient[ActionOutput], asset: Asset
) -> FindingGroupOutput:
    """Get one finding group: its findings, tactic chain and involved entities."""
    with client_for(asset) as client:
        group = finding_group_output(
            client.execute("GetFindingGroup", {"id": params.group_id})["findingGroup"]
        )
    soar.set_message(f"{group.severity}: {group.title}")
    return group


@app.on_poll()
def on_poll(params: OnPollParams, asset: Asset) -> Iterator[Container | Artifact]:
    """Turn new HIGH/CRITICAL investigations and finding groups into containers with artifacts."""
    severities = severities_at_least(asset.poll_min_severity)
    state = asset.ingest_state
    window = poll_scope(
        params.start_time,
        params.end_time,
        now=datetime.now(UTC),
        lookback_hours=asset.poll_lookback_hours,
    )
    limit = (
        params.container_count
        if params.is_manual_poll() and params.container_count
        else 100
    )
    with client_for(asset) as client:
        listed = client.execute(
            "ListInvestigations",
            {
                "filter": {
                    "severities": severities,
                    "statuses": ["SUCCESSFUL"],
                    "states": ["ACTIVE"],
                },
                "sortField": "CREATED_TIME",
                "sortOrder": "ASC",
                "first": min(limit, 100),
            },
        )["investigations"]["nodes"]
        fresh = unseen((f"investigation:{n['id']}" for n in listed), state)
        for key in fresh:
            inv = client.execute("GetInvestigation", {"id": key.partition(":")[2]})
            yield from investigation_records(investigation_output(inv["investigation"]))
        mark_seen(fresh, state)
        groups = client.execute(
            "ListFindingGroups",
            {
                "scope": window,
                "filter": {"severities": severities},
                "first": min(limit, 100),
            },
        )["findingGroups"]["edges"]
        by_key = {f"finding-group:{e['node']['id']}": e["node"] for e in groups}
        fresh_groups = unseen(by_key, state)
        for key in fresh_groups:
            yield from finding_group_records(finding_group_output(by_key[key]))
        mark_seen(fresh_groups, state)
    logger.info(
        f"on poll: {len(fresh)} investigations, {len(fresh_groups)} finding groups"
    )


if __name__ == "__main__":
    app.cli()
