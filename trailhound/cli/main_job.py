"""``trailhound up``: the README's main job, one command from nothing to a running stack.

Install and start the local Elasticsearch (unless ``ELASTICSEARCH_URL`` points
elsewhere), install the index templates, generate and ingest the demo corpus
once, then serve the GraphQL API, GraphiQL and the console.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import typer

from trailhound.cli.app import ConfigOption, NamespaceOption, app, console, load_settings
from trailhound.cli.es import es_install, es_start
from trailhound.cli.serve import run_server


def _story_entities(directory: Path) -> list[tuple[str, str, str]]:
    """(scenario, kind, id) of the first compromised entity of each attack story."""
    try:
        truth = json.loads((directory / "ground_truth.json").read_text())
    except (OSError, ValueError):
        return []
    out = []
    for scenario in truth.get("scenarios", []):
        entities = scenario.get("compromised_entities") or []
        if entities and not scenario.get("benign"):
            out.append((scenario["name"], entities[0]["kind"], entities[0]["id"]))
    return out


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@app.command("up")
def up(
    config: ConfigOption = None,
    namespace: NamespaceOption = None,
    days: Annotated[int, typer.Option(help="Days of simulated demo activity.")] = 14,
    scale: Annotated[str, typer.Option(help="Demo org size: tiny, small, medium.")] = "small",
    seed: Annotated[int, typer.Option(help="Seed of the demo corpus.")] = 7,
    reload_demo: Annotated[
        bool, typer.Option("--reload-demo", help="Regenerate and re-ingest the demo corpus.")
    ] = False,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the API and console at the end.")
    ] = True,
    port: Annotated[int | None, typer.Option(help="HTTP port of the API/console.")] = None,
) -> None:
    """Start Elasticsearch, load the demo data, and serve the API and console."""
    from trailhound.demo import demo_settings, load_demo
    from trailhound.es.client import sync_client

    settings = load_settings(config, namespace=namespace)
    if settings.elasticsearch.url:
        console.print(f"using the configured cluster {settings.elasticsearch.url}")
    else:
        es_install(config)
        es_start(config)
    client = sync_client(settings)
    try:
        demo = load_demo(
            settings,
            client,
            days=days,
            seed=seed,
            scale=scale,
            reload=reload_demo,
            say=lambda text: console.print(f"[cyan]demo[/] {text}"),
        )
    finally:
        client.close()
    if demo.report is not None:
        t = demo.report.total()
        console.print(
            f"ingested: read {t.read:,} = indexed {t.indexed:,} + duplicate {t.duplicate:,} "
            f"+ skipped {t.skipped:,} + dead-lettered {t.dead_lettered:,} "
            f"({demo.report.elapsed_s:.1f}s)"
        )
    console.print(
        f"demo corpus {demo.directory}: {demo.events_in_index:,} events in namespace "
        f"{settings.ingest.namespace}; attack stories in {demo.directory / 'ground_truth.json'}"
    )
    if not serve:
        return
    settings = demo_settings(settings, demo.directory)
    host = settings.server.host
    port = port if port is not None else settings.server.port
    # Without a key only on loopback: a demo must not open an unauthenticated API to a network.
    demo_no_auth = _loopback(host)
    base = f"http://{host}:{port}"
    console.print(f"console  {base}/console/\nGraphQL  {base}/graphql   GraphiQL {base}/graphiql")
    for name, kind, ident in _story_entities(demo.directory):
        link = f"{base}/console/?type={kind.upper()}&q={quote(ident, safe='')}"
        console.print(f"  {name:<16} {link}", soft_wrap=True)
    if not demo_no_auth:
        console.print("API key required: trailhound apikey create --role reader")
    run_server(settings, port=port, demo_no_auth=demo_no_auth, log_level="warning")
