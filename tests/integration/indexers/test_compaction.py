"""Compaction of complete days on the real node: merged to one segment, nothing lost,
the current day left alone, a second run a no-op, and the CLI around it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from typer.testing import CliRunner

from indexers.compaction import compact_settled_days, settled_day
from indexers.pipeline import ingest_paths
from trailhound.cli import app
from trailhound.config import Settings
from trailhound.ecs.indices import event_index, events_pattern
from trailhound.errors import CompactionError

DATA = Path(__file__).resolve().parents[2] / "data"
ALL_DAY_FILES = sorted(
    (DATA / "cloudtrail/AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10").glob("*.json.gz")
)
DAY_FILES = ALL_DAY_FILES[:4]


def _segments(es: Elasticsearch, namespace: str) -> dict[str, int]:
    stats = es.indices.stats(index=events_pattern(namespace), metric="segments")
    return {n: b["primaries"]["segments"]["count"] for n, b in stats["indices"].items()}


def _split_day(es: Elasticsearch, settings: Settings, namespace: str) -> str:
    """The real 2023-07-10 CloudTrail files, one ingest (one refresh, one segment) each."""
    assert len(DAY_FILES) == 4
    for path in DAY_FILES:
        ingest_paths([str(path)], settings, namespace=namespace, client=es)
    return event_index("aws.cloudtrail", namespace, datetime(2023, 7, 10, tzinfo=UTC))


def _today(es: Elasticsearch, namespace: str, now: datetime) -> str:
    """An index of the day still being written, with two segments."""
    index = event_index("aws.cloudtrail", namespace, now)
    for n in range(2):
        es.index(index=index, id=f"today-{n}", document={"@timestamp": now.isoformat()})
        es.indices.refresh(index=index)
    return index


def test_complete_days_are_merged_and_today_is_not(
    es: Elasticsearch, settings: Settings, fresh_namespace: str
) -> None:
    now = datetime.now(UTC)
    day = _split_day(es, settings, fresh_namespace)
    today = _today(es, fresh_namespace, now)
    before = _segments(es, fresh_namespace)
    assert before[day] >= 2, before  # the premise: a backfilled day in several segments
    assert before[today] == 2
    docs = es.count(index=events_pattern(fresh_namespace))["count"]

    seen: list[tuple[str, int, int]] = []
    report = compact_settled_days(
        es, fresh_namespace, now=now, progress=lambda i, d, t: seen.append((i, d, t))
    )
    assert report.merged == [day]
    assert report.not_settled == [today]
    assert seen == [(day, 0, 1)]
    after = _segments(es, fresh_namespace)
    assert after[day] == 1
    assert after[today] == 2
    assert es.count(index=events_pattern(fresh_namespace))["count"] == docs

    again = compact_settled_days(es, fresh_namespace, now=now)
    assert again.merged == []
    assert again.already_compact == [day]


def test_a_day_is_settled_only_after_the_grace() -> None:
    index = "logs-aws.cloudtrail-ns-2026.03.10"
    end = datetime(2026, 3, 11, tzinfo=UTC)
    assert not settled_day(index, end)
    assert not settled_day(index, end + timedelta(hours=5, minutes=59))
    assert settled_day(index, end + timedelta(hours=6))
    assert settled_day(index, end, grace=timedelta(0))
    assert not settled_day("trailhound-investigations-ns", end + timedelta(days=9))


def test_cli_compact_and_ingest_compaction(
    es: Elasticsearch, settings: Settings, fresh_namespace: str
) -> None:
    assert settings.elasticsearch.url is not None
    env = {"ELASTICSEARCH_URL": settings.elasticsearch.url, "TRAILHOUND_CONFIG": ""}
    runner = CliRunner()
    day = _split_day(es, settings, fresh_namespace)
    res = runner.invoke(app, ["compact", "-n", fresh_namespace, "--json"], env=env)
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["merged"] == [day]

    # ingest compacts afterwards: a new file into the merged day splits it, then merges it.
    extra = (
        DATA
        / "cloudtrail/misc/218007301253_CloudTrail_us-east-1_20230710T1205Z_1dM7GQM67kudSyGD.json"
    )
    res = runner.invoke(app, ["ingest", str(extra), "-n", fresh_namespace], env=env)
    assert res.exit_code == 0, res.output
    assert "compaction: 1 day index(es) merged" in res.output
    assert _segments(es, fresh_namespace)[day] == 1
    late = str(ALL_DAY_FILES[4])
    res = runner.invoke(app, ["ingest", late, "-n", fresh_namespace, "--no-compact"], env=env)
    assert res.exit_code == 0, res.output
    assert "compaction" not in res.output
    assert _segments(es, fresh_namespace)[day] == 2


def test_a_blocked_index_is_a_clear_error_and_ingest_keeps_its_exit_code(
    es: Elasticsearch, settings: Settings, fresh_namespace: str
) -> None:
    # A metadata block makes Elasticsearch refuse even to list segments (403).
    assert settings.elasticsearch.url is not None
    env = {"ELASTICSEARCH_URL": settings.elasticsearch.url, "TRAILHOUND_CONFIG": ""}
    day = _split_day(es, settings, fresh_namespace)
    es.indices.put_settings(index=day, settings={"index.blocks.metadata": True})
    try:
        with pytest.raises(CompactionError, match="refused"):
            compact_settled_days(es, fresh_namespace)
        late = str(ALL_DAY_FILES[4])
        res = CliRunner().invoke(app, ["ingest", late, "-n", fresh_namespace], env=env)
        assert res.exit_code == 0, res.output  # the records were written: compaction warns
        assert "compaction skipped [COMPACTION]" in res.output
        # The real command: main() turns the error into one line and its exit code.
        cli = Path(sys.executable).parent / "trailhound"
        run = subprocess.run(
            [str(cli), "compact", "-n", fresh_namespace],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == CompactionError.exit_code, run.stderr
        assert "[COMPACTION]" in run.stderr
    finally:
        es.indices.put_settings(index=day, settings={"index.blocks.metadata": False})


def test_an_index_that_refuses_the_merge_is_reported_and_the_others_are_merged(
    es: Elasticsearch, settings: Settings, fresh_namespace: str
) -> None:
    day = _split_day(es, settings, fresh_namespace)
    frozen = event_index("aws.cloudtrail", fresh_namespace, datetime(2023, 7, 9, tzinfo=UTC))
    for n in range(2):
        es.index(index=frozen, id=f"f{n}", document={"@timestamp": "2023-07-09T12:00:00Z"})
        es.indices.refresh(index=frozen)
    es.indices.put_settings(index=frozen, settings={"index.blocks.read_only": True})
    try:
        report = compact_settled_days(es, fresh_namespace)
    finally:
        es.indices.put_settings(index=frozen, settings={"index.blocks.read_only": False})
    assert report.merged == [day]
    assert list(report.refused) == [frozen]
    assert "read-only" in report.refused[frozen]
