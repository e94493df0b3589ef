"""``trailhound serve``: the GraphQL API (and GraphiQL) under uvicorn."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from trailhound.cli.app import ConfigOption, NamespaceOption, app, console, load_settings
from trailhound.config import Settings


@app.command("serve")
def serve(
    config: ConfigOption = None,
    namespace: NamespaceOption = None,
    host: Annotated[
        str | None, typer.Option(help="Bind address (default: the server settings).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="HTTP port (default: the server settings).")
    ] = None,
    demo_no_auth: Annotated[
        bool,
        typer.Option(
            "--demo-no-auth",
            help="Local demo only: accept requests without an API key (admin role).",
        ),
    ] = False,
) -> None:
    """Serve /graphql (API key required), /graphiql and /healthz."""
    run_server(
        load_settings(config, namespace=namespace),
        host=host,
        port=port,
        demo_no_auth=demo_no_auth or None,
    )


def run_server(
    settings: Settings,
    *,
    host: str | None = None,
    port: int | None = None,
    demo_no_auth: bool | None = None,
    log_level: str = "info",
) -> None:
    """Apply the overrides to ``settings.server`` and serve the app under uvicorn (blocks)."""
    import uvicorn

    from trailhound.app import create_app

    server = dataclasses.replace(
        settings.server,
        host=host or settings.server.host,
        port=port if port is not None else settings.server.port,
        demo_no_auth=settings.server.demo_no_auth if demo_no_auth is None else demo_no_auth,
    )
    settings = dataclasses.replace(settings, server=server)
    if server.demo_no_auth:
        console.print("[yellow]demo mode: /graphql accepts requests without an API key[/]")
    console.print(
        f"GraphQL on http://{server.host}:{server.port}/graphql "
        f"(GraphiQL: /graphiql, console: /console/, namespace {settings.ingest.namespace})"
    )
    uvicorn.run(create_app(settings), host=server.host, port=server.port, log_level=log_level)
