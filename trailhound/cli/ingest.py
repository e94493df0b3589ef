"""``trailhound ingest``, ``trailhound setup`` and ``trailhound sources``."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from indexers.compaction import DEFAULT_GRACE
from indexers.pipeline import ingest_paths
from indexers.registry import load_sources
from indexers.report import IngestReport
from indexers.setup import install_templates
from trailhound.cli.app import (
    ConfigOption,
    NamespaceOption,
    app,
    console,
    err_console,
    load_settings,
)
from trailhound.cli.compact import describe, run_compaction
from trailhound.ecs.indices import dead_letter_index
from trailhound.errors import TrailhoundError
from trailhound.es.client import sync_client

# --source choices come from the registry, so a new source file needs no CLI edit.
_SOURCE_NAMES = ("auto", *sorted(load_sources()))


def _source_name(value: str) -> str:
    if value not in _SOURCE_NAMES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(_SOURCE_NAMES)}.")
    return value


def _summary(report: IngestReport) -> Table:
    table = Table(title=f"ingest into namespace {report.namespace}")
    for col in ("source", "read", "indexed", "duplicate", "skipped", "dead_lettered", "failed"):
        table.add_column(col, justify="left" if col == "source" else "right")
    rows = [*sorted(report.sources.items()), ("total", report.total())]
    for name, c in rows:
        style = "bold" if name == "total" else None
        table.add_row(
            name,
            *(str(v) for v in c.as_dict().values()),
            style=style,
        )
    return table


@app.command("ingest")
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files or directories (recursive); '-' reads stdin.")
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            "-s",
            metavar=f"[{'|'.join(_SOURCE_NAMES)}]",
            callback=_source_name,
            help="Log source; auto detects per file.",
        ),
    ] = "auto",
    namespace: NamespaceOption = None,
    allow_dead_letters: Annotated[
        bool,
        typer.Option("--allow-dead-letters", help="Exit 0 even when records were dead-lettered."),
    ] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON instead of a table.")
    ] = False,
    flow_format: Annotated[
        str | None,
        typer.Option(
            "--flow-format",
            help="VPC flow log format string for files without a header line "
            "(e.g. '${version} ${interface-id} ...'; default: the v2 format).",
        ),
    ] = None,
    compact: Annotated[
        bool,
        typer.Option(
            "--compact/--no-compact",
            help="Afterwards merge each complete day's indices to one segment "
            "(see `trailhound compact`).",
        ),
    ] = True,
    config: ConfigOption = None,
) -> None:
    """Normalize AWS logs to ECS and bulk-index them; every record is accounted for.

    Exit codes: 0 all indexed/duplicate/skipped; 1 records were dead-lettered (unless
    --allow-dead-letters); 5 records could not be written (Elasticsearch unavailable).
    """
    settings = load_settings(config, namespace=namespace)
    if flow_format is not None:
        settings = dataclasses.replace(
            settings, ingest=dataclasses.replace(settings.ingest, vpcflow_format=flow_format)
        )
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed:,.0f} records"),
        TextColumn("{task.fields[rate]:,.0f} rec/s"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=json_output,
    ) as bar:
        task = bar.add_task("ingesting", total=None, rate=0.0)

        def tick(n: int) -> None:
            bar.advance(task, n)
            elapsed = bar.tasks[0].elapsed or 0.0
            bar.update(task, rate=(bar.tasks[0].completed / elapsed) if elapsed else 0.0)

        report = ingest_paths(paths, settings, source=source, progress=tick)
    if json_output:
        console.print_json(orjson.dumps(report.as_dict()).decode())
    else:
        console.print(_summary(report))
        console.print(
            f"{len(report.files)} file(s), {report.elapsed_s:.1f}s, "
            f"{report.records_per_s:,.0f} records/s, bulk retries {report.bulk_retries}; "
            f"account {'balances' if report.balanced else '[red]DOES NOT BALANCE[/]'}"
        )
    total = report.total()
    if compact and total.indexed and not (report.aborted or total.failed):
        # Housekeeping after a successful write: its failure is a warning, never the
        # ingest's exit code (that stays the account's).
        client = sync_client(settings)
        try:
            compacted = run_compaction(client, report.namespace, DEFAULT_GRACE, quiet=json_output)
        except TrailhoundError as exc:
            err_console.print(f"[yellow]compaction skipped[/] [{exc.code}]: {exc.message}")
        else:
            if not json_output:
                console.print(describe(compacted))
        finally:
            client.close()
    if report.aborted or total.failed:
        err_console.print(f"[red]not all records were written[/]: {report.aborted}")
        raise typer.Exit(5)
    if not report.balanced:
        raise typer.Exit(5)
    if total.dead_lettered and not allow_dead_letters:
        err_console.print(
            f"[yellow]{total.dead_lettered} record(s) dead-lettered[/] "
            f"(index {dead_letter_index(report.namespace)})"
        )
        raise typer.Exit(1)


@app.command("setup")
def setup(namespace: NamespaceOption = None, config: ConfigOption = None) -> None:
    """Install the index templates of a namespace (idempotent)."""
    settings = load_settings(config, namespace=namespace)
    client = sync_client(settings)
    try:
        names = install_templates(client, settings.ingest.namespace)
    finally:
        client.close()
    console.print(f"installed index templates: {', '.join(names)}")


@app.command("sources")
def sources() -> None:
    """List the registered log sources."""
    table = Table()
    for col in ("name", "dataset", "description"):
        table.add_column(col)
    for src in load_sources().values():
        table.add_row(src.name, src.dataset, src.description)
    console.print(table)
