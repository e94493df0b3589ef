"""Trailhound for Splunk SOAR: playbook actions over Trailhound's GraphQL API.

Each action is thin: it turns its parameters into the variables of one named
operation (``src/operations/<Name>.graphql``), runs it, and flattens the answer
into output fields whose data paths carry CEF ``contains`` types, so playbooks
can chain them into other apps' actions.  No analytics happen here.
"""

import sys
from pathlib import Path

if __package__ in (None, ""):
    # The SDK's local runner starts this file as a script (python src/app.py ...);
    # SOAR imports it as ``src.app``.  Make ``src.*`` importable in both cases.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from soar_sdk.app import App
from soar_sdk.logging import getLogger

from src.asset import Asset, client_for

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


if __name__ == "__main__":
    app.cli()
