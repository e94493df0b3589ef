"""``trailhound anomaly``: an entity's anomaly score, its top factors and their evidence."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from resolvers.repository import EventRepository
from resolvers.scope import build_scope
from resolvers.scoring.codec import indicator_to_doc
from resolvers.scoring.engine import ScoringEngine
from resolvers.scoring.finding_group_service import FindingGroupService
from resolvers.scoring.model import AnomalyScore
from resolvers.scoring.service import window_of
from resolvers.scoring.threat_intel import load_feeds
from trailhound.cli.app import ConfigOption, NamespaceOption, app, console, load_settings
from trailhound.config import Settings
from trailhound.ecs.entities import EntityRef
from trailhound.errors import InvalidEntityError


async def _score(
    settings: Settings,
    ref: EntityRef,
    start: datetime | None,
    end: datetime | None,
    baseline_days: int | None,
) -> AnomalyScore:
    from trailhound.es.client import async_client

    scope = build_scope(
        start,
        end,
        now=datetime.now(UTC),
        baseline_days=baseline_days or settings.analytics.baseline_days,
    )
    client = async_client(settings)
    try:
        repo = EventRepository(client, settings.ingest.namespace)
        engine = ScoringEngine(
            repo=repo,
            analytics=settings.analytics,
            intel=load_feeds(list(settings.analytics.threat_intel_feeds)),
            groups=FindingGroupService(repo).for_entity,
        )
        return await engine.score(ref, window_of(scope))
    finally:
        await client.close()


@app.command("anomaly")
def anomaly(
    entity: Annotated[
        str, typer.Argument(help="Entity key <kind>:<id>, e.g. ec2_instance:i-0abc.")
    ],
    start: Annotated[datetime | None, typer.Option(help="Scope start (UTC, hour aligned).")] = None,
    end: Annotated[datetime | None, typer.Option(help="Scope end (UTC, hour aligned).")] = None,
    baseline_days: Annotated[int | None, typer.Option(help="Baseline length in days.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print everything, evidence included, as JSON.")
    ] = False,
    config: ConfigOption = None,
    namespace: NamespaceOption = None,
) -> None:
    """Score one entity over a scope (default: the last 24 hours) against its baseline."""
    settings = load_settings(config, namespace=namespace)
    try:
        ref = EntityRef.parse(entity)
    except ValueError as exc:
        raise InvalidEntityError(str(exc)) from exc
    score = asyncio.run(_score(settings, ref, start, end, baseline_days))
    if as_json:
        doc = {
            "entity": score.entity.key,
            "score": score.score,
            "severity": score.severity.value,
            "method": score.method,
            "indicators": [indicator_to_doc(i) for i in score.indicators],
        }
        console.print_json(json.dumps(doc, default=str))
        return
    console.print(
        f"[bold]{score.entity.key}[/]  score {score.score}  [bold]{score.severity.value}[/]"
    )
    table = Table("#", "indicator", "risk", "points", "summary")
    for c in score.contributions[:15]:
        table.add_row(
            str(c.rank),
            c.indicator.type.value,
            f"{c.indicator.risk:g}",
            f"{c.points:.2f}",
            c.indicator.summary,
        )
    console.print(table)
    if len(score.contributions) > 15:
        console.print(f"... and {len(score.contributions) - 15} more (use --json)")
