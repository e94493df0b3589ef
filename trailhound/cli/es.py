"""``trailhound es``: install, start, stop and inspect the local Elasticsearch node."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from trailhound.cli.app import ConfigOption, app, console, load_settings
from trailhound.es import distribution, node
from trailhound.es.version import ES_VERSION

es_app = typer.Typer(
    help="Provision and run the project's local Elasticsearch node.", no_args_is_help=True
)
app.add_typer(es_app, name="es")

InstanceOption = Annotated[
    str | None, typer.Option("--instance", help="Local node instance name (default, test, ...).")
]
PortOption = Annotated[
    int | None, typer.Option("--port", help="HTTP port of the local node (0 = any free).")
]


def _print_status(st: node.NodeStatus) -> None:
    table = Table(show_header=False, box=None)
    table.add_row("state", "[green]up[/]" if st.running else "[red]down[/]")
    table.add_row("url", st.url)
    table.add_row("pid", str(st.pid or "-"))
    if st.running:
        table.add_row("version", st.version or "?")
        table.add_row("cluster", st.cluster_status or "?")
        heap = f"{st.heap_max_bytes / 2**30:.2f} GiB" if st.heap_max_bytes else "?"
        table.add_row("heap", heap)
        table.add_row("modules", ", ".join(st.modules) or "-")
    table.add_row("java", st.java or "-")
    table.add_row("log", str(st.log_file or "-"))
    console.print(table)


@es_app.command("install")
def es_install(config: ConfigOption = None) -> None:
    """Download the pinned minimal Elasticsearch with mvn into the cache (reused when present)."""
    settings = load_settings(config)
    started = time.monotonic()
    with console.status(
        f"fetching Elasticsearch {settings.local_node.version or ES_VERSION} via mvn"
    ):
        dist = distribution.install(
            settings.local_node.cache_dir, settings.local_node.version or ES_VERSION
        )
    console.print(
        f"Elasticsearch {dist.version} at {dist.home} "
        f"({dist.archive_bytes / 2**20:.1f} MiB archive, {time.monotonic() - started:.1f}s); "
        f"modules: {', '.join(dist.modules)}"
    )


@es_app.command("start")
def es_start(
    config: ConfigOption = None, instance: InstanceOption = None, port: PortOption = None
) -> None:
    """Start the local node (installing it first if needed) and wait until it is healthy."""
    settings = load_settings(config, instance=instance, port=port)
    started = time.monotonic()
    with console.status("starting Elasticsearch"):
        st = node.start(settings.local_node)
    console.print(f"Elasticsearch up at {st.url} in {time.monotonic() - started:.1f}s")
    _print_status(st)


@es_app.command("stop")
def es_stop(config: ConfigOption = None, instance: InstanceOption = None) -> None:
    """Stop the local node cleanly."""
    settings = load_settings(config, instance=instance)
    if node.stop(settings.local_node):
        console.print("Elasticsearch stopped")
    else:
        console.print("Elasticsearch was not running")


@es_app.command("status")
def es_status(config: ConfigOption = None, instance: InstanceOption = None) -> None:
    """Report version, URL, PID, heap and modules of the local node; exit 1 when it is down."""
    settings = load_settings(config, instance=instance)
    st = node.status(settings.local_node)
    _print_status(st)
    if not st.running:
        raise typer.Exit(1)
