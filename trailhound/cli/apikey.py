"""``trailhound apikey``: create, list and revoke the GraphQL server's API keys."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from trailhound import apikeys
from trailhound.cli.app import ConfigOption, app, console, load_settings
from trailhound.es.client import sync_client

apikey_app = typer.Typer(help="Manage API keys for /graphql.", no_args_is_help=True)
app.add_typer(apikey_app, name="apikey")


@apikey_app.command("create")
def create(
    role: Annotated[str, typer.Option(help="reader (queries) or admin (also mutations).")],
    name: Annotated[str, typer.Option(help="A label to recognise the key by.")] = "",
    config: ConfigOption = None,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    settings = load_settings(config)
    with sync_client(settings) as client:
        created = apikeys.create_key(client, role, name, index=settings.server.api_keys_index)
    console.print(f"key id {created.key.key_id} ({created.key.role}); shown once, store it now:")
    print(created.token)
    console.print(f"use it as: Authorization: ApiKey {created.token[:12]}...")


@apikey_app.command("list")
def list_(config: ConfigOption = None) -> None:
    """List keys (ids, roles, names; never secrets)."""
    settings = load_settings(config)
    with sync_client(settings) as client:
        keys = apikeys.list_keys(client, index=settings.server.api_keys_index)
    table = Table("key id", "role", "name", "created", "revoked")
    for k in keys:
        table.add_row(k.key_id, k.role, k.name, k.created, "yes" if k.revoked else "")
    console.print(table)


@apikey_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key id shown by `apikey list`.")],
    config: ConfigOption = None,
) -> None:
    """Revoke a key; requests with it get 401 within 30 seconds."""
    settings = load_settings(config)
    with sync_client(settings) as client:
        apikeys.revoke_key(client, key_id, index=settings.server.api_keys_index)
    console.print(f"revoked {key_id}")
