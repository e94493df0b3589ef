"""Graph actions: search, entity details, neighborhood, timeline, profile panels.

Each turns its parameters into the variables of one named operation, runs it,
and flattens the answer into its output model.  Registered in ``src/app.py``.
"""

from soar_sdk.abstract import SOARClient
from soar_sdk.action_results import ActionOutput

from ..asset import Asset, client_for
from ..entities import EntityDetailOutput, entity_detail_output
from ..graph_outputs import (
    NeighborhoodOutput,
    SearchOutput,
    TimelineOutput,
    neighborhood_output,
    search_output,
    timeline_output,
)
from ..params import (
    EDGE_TYPES,
    PROFILE_PANELS,
    TIMELINE_KINDS,
    EntityParams,
    NeighborhoodParams,
    ProfilePanelParams,
    SearchParams,
    TimelineParams,
    entity_type,
    enum_list,
    enum_value,
    scope,
)
from ..profile_outputs import PANELS, ProfilePanelOutput, profile_panel_output

__all__ = [
    "get_entity",
    "get_neighborhood",
    "get_profile_panel",
    "get_timeline",
    "search_entities",
]


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
