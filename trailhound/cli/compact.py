"""``trailhound compact``: merge complete days' indices to one segment each."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import orjson
import typer
from elasticsearch import Elasticsearch
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from indexers.compaction import DEFAULT_GRACE, CompactionReport, compact_settled_days
from trailhound.cli.app import (
    ConfigOption,
    NamespaceOption,
    app,
    console,
    err_console,
    load_settings,
)
from trailhound.es.client import sync_client

_DEFAULT_GRACE_HOURS = DEFAULT_GRACE.total_seconds() / 3600

GraceOption = Annotated[
    float,
    typer.Option(
        "--grace-hours",
        min=0,
        help="A day counts as complete this long after it ended (late deliveries).",
    ),
]


def run_compaction(
    client: Elasticsearch, namespace: str, grace: timedelta, *, quiet: bool = False
) -> CompactionReport:
    """Compact with a progress bar on stderr (shared by ``compact`` and ``ingest``)."""
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task("compacting", total=None)

        def tick(index: str, done: int, total: int) -> None:
            bar.update(task, description=f"merging {index}", completed=done, total=total)

        return compact_settled_days(client, namespace, grace=grace, progress=tick)


def describe(report: CompactionReport) -> str:
    """One line for humans."""
    refused = (
        f", {len(report.refused)} refused ({', '.join(report.refused)})" if report.refused else ""
    )
    return (
        f"compaction: {len(report.merged)} day index(es) merged to one segment, "
        f"{len(report.already_compact)} already compact, "
        f"{len(report.not_settled)} not complete yet{refused}, {report.seconds:.1f}s"
    )


@app.command("compact")
def compact(
    namespace: NamespaceOption = None,
    grace_hours: GraceOption = _DEFAULT_GRACE_HOURS,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Merge each complete day's event indices to one segment (uncached queries get
    ~3x cheaper on busy days); days still being written are left alone.

    `trailhound ingest` runs this after every ingest unless --no-compact.
    """
    settings = load_settings(config, namespace=namespace)
    client = sync_client(settings)
    try:
        report = run_compaction(
            client, settings.ingest.namespace, timedelta(hours=grace_hours), quiet=json_output
        )
    finally:
        client.close()
    if json_output:
        console.print_json(orjson.dumps(report.as_dict()).decode())
    else:
        console.print(describe(report))
