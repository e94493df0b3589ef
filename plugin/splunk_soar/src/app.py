"""Trailhound for Splunk SOAR: playbook actions over Trailhound's GraphQL API.

Each action is thin: it turns its parameters into the variables of one named
operation (``src/operations/<Name>.graphql``), runs it, and flattens the answer
into output fields whose data paths carry CEF ``contains`` types, so playbooks
can chain them into other apps' actions.  No analytics happen here.  The action
functions live in ``src/actions/``; this module builds the App and registers
them (the SDK derives each action's name from its function name).
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

from soar_sdk.app import App
from soar_sdk.logging import getLogger

from .actions import graph, poll, scoring
from .asset import Asset, client_for

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


# Read-only lookups; list-shaped answers render as tables in SOAR.
for _action, _table in (
    (graph.search_entities, True),
    (graph.get_entity, False),
    (graph.get_neighborhood, False),
    (graph.get_timeline, False),
    (graph.get_profile_panel, False),
    (scoring.get_anomaly_score, False),
    (scoring.get_investigation, False),
    (scoring.list_investigations, True),
    (scoring.list_finding_groups, True),
    (scoring.get_finding_group, False),
):
    app.register_action(
        _action,
        action_type="investigate",
        read_only=True,
        render_as="table" if _table else None,
    )
# The one action that changes state on the server (needs an admin API key).
app.register_action(scoring.start_investigation, action_type="generic", read_only=False)
app.on_poll()(poll.on_poll)


if __name__ == "__main__":
    app.cli()
