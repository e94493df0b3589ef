"""The shared Typer application and the helpers every command module uses."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from trailhound.config import Settings

app = typer.Typer(
    name="trailhound",
    help="Investigate AWS activity as a graph, on Elasticsearch.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="TOML settings file (default: ./trailhound.toml)."),
]
NamespaceOption = Annotated[
    str | None,
    typer.Option("--namespace", "-n", help="ECS namespace of the indices (default: default)."),
]


def load_settings(
    config: Path | None,
    *,
    instance: str | None = None,
    port: int | None = None,
    namespace: str | None = None,
) -> Settings:
    """Settings from file and env, with command-line overrides applied."""
    settings = Settings.load(config)
    local: dict[str, object] = {}
    if instance is not None:
        local["instance"] = instance
    if port is not None:
        local["port"] = port
    if local:
        settings = dataclasses.replace(
            settings,
            local_node=dataclasses.replace(settings.local_node, **local),  # type: ignore[arg-type]
        )
    if namespace is not None:
        settings = dataclasses.replace(
            settings, ingest=dataclasses.replace(settings.ingest, namespace=namespace)
        )
    return settings
