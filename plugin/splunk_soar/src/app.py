"""Trailhound for Splunk SOAR: playbook actions over Trailhound's GraphQL API.

Each action is thin: it turns its parameters into the variables of one named
operation (``src/operations/<Name>.graphql``), runs it, and flattens the answer
into output fields whose data paths carry CEF ``contains`` types, so playbooks
can chain them into other apps' actions.  No analytics happen here.
"""

import sys
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

from .asset import Asset, client_for
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
    TIMELINE_KINDS,
    EntityParams,
    NeighborhoodParams,
    SearchParams,
    TimelineParams,
    entity_type,
    enum_list,
    scope,
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


if __name__ == "__main__":
    app.cli()
