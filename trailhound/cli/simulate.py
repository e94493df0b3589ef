"""``trailhound simulate``: write a labelled corpus of AWS logs (see trailhound.simulator)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from trailhound.cli.app import app, console
from trailhound.errors import ConfigError
from trailhound.simulator import SCENARIOS, SimulationConfig, simulate


def _parse_end(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        end = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--end must be an ISO date or datetime, not {value!r}") from None
    return end if end.tzinfo else end.replace(tzinfo=UTC)


@app.command("simulate")
def simulate_command(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output directory.")] = None,
    days: Annotated[
        int, typer.Option(help="Days in the window; the last one is the attack day.")
    ] = 7,
    accounts: Annotated[int, typer.Option(help="Number of AWS accounts.")] = 2,
    scale: Annotated[
        str, typer.Option(help="Org size: tiny, small, medium, large or a number (1 = small).")
    ] = "small",
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", "-s", help="Scenario to inject (repeatable; default all)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same bytes.")] = 0,
    end: Annotated[
        str | None,
        typer.Option(
            help="End of the window (ISO, UTC, rounded down to the hour; default 2026-12-01)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing AWSLogs/.")] = False,
    list_scenarios: Annotated[
        bool, typer.Option("--list-scenarios", help="List the scenarios and exit.")
    ] = False,
) -> None:
    """Generate weeks of realistic CloudTrail, VPC Flow Logs and GuardDuty files with attacks."""
    if list_scenarios:
        table = Table("scenario", "kind", "story")
        for sc in SCENARIOS.values():
            table.add_row(sc.name, "benign" if sc.benign else "attack", sc.description)
        console.print(table)
        return
    if out is None:
        raise ConfigError("--out is required")
    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} h"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("hours", total=days * 24)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done)

        result = simulate(
            SimulationConfig(
                out=out,
                days=days,
                accounts=accounts,
                scale=scale,
                scenarios=tuple(scenario) if scenario else tuple(SCENARIOS),
                seed=seed,
                end=_parse_end(end),
                overwrite=force,
                progress=tick,
            )
        )
    t = result.totals
    table = Table("written", "records", "files", show_edge=False)
    table.add_row("CloudTrail events", f"{t.cloudtrail_events:,}", f"{t.cloudtrail_files:,}")
    table.add_row(
        "VPC flow records",
        f"{t.flow_records:,} ({t.flow_nodata:,} NODATA, {t.flow_skipdata:,} SKIPDATA)",
        f"{t.flow_files:,}",
    )
    table.add_row("GuardDuty findings", f"{t.findings:,}", f"{t.finding_files:,}")
    console.print(table)
    console.print(
        f"{t.records:,} records, {t.bytes_written / 2**20:.1f} MiB in {result.seconds:.1f}s "
        f"({result.records_per_second:,.0f} records/s); ground truth: {result.ground_truth_path}"
    )
