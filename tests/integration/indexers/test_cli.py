"""``trailhound ingest``/``setup``/``sources`` against the test node."""

from __future__ import annotations

import json
from pathlib import Path

from elasticsearch import Elasticsearch
from typer.testing import CliRunner

from indexers.registry import load_sources
from trailhound.cli import app
from trailhound.config import Settings
from trailhound.ecs.indices import dataset_pattern

DATA = Path(__file__).resolve().parents[2] / "data"


def _env(settings: Settings) -> dict[str, str]:
    assert settings.elasticsearch.url is not None
    return {"ELASTICSEARCH_URL": settings.elasticsearch.url, "TRAILHOUND_CONFIG": ""}


def test_ingest_summary_and_exit_codes(
    es: Elasticsearch, settings: Settings, fresh_namespace: str
) -> None:
    runner = CliRunner()
    good = str(DATA / "vpcflow/awsdocs-v3-tcp-flags.log")
    res = runner.invoke(app, ["ingest", good, "-n", fresh_namespace], env=_env(settings))
    assert res.exit_code == 0, res.output
    assert "vpcflow" in res.output
    assert "balances" in res.output
    assert es.count(index=dataset_pattern("aws.vpcflow", fresh_namespace))["count"] == 8

    bad = str(DATA / "vpcflow/awsdocs-nat-gateway-no-time.log")
    res = runner.invoke(app, ["ingest", bad, "-n", fresh_namespace], env=_env(settings))
    assert res.exit_code == 1
    res = runner.invoke(
        app,
        ["ingest", bad, "-n", fresh_namespace, "--allow-dead-letters", "--json"],
        env=_env(settings),
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["sources"]["vpcflow"]["dead_lettered"] == 4
    assert report["balanced"] is True


def test_ingest_stdin_with_forced_source(
    es: Elasticsearch, settings: Settings, fresh_namespace: str
) -> None:
    data = (DATA / "cloudtrail/misc/sts-federation-token.jsonl").read_bytes()
    res = CliRunner().invoke(
        app,
        ["ingest", "-", "--source", "cloudtrail", "-n", fresh_namespace, "--json"],
        input=data,
        env=_env(settings),
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["sources"]["cloudtrail"]["indexed"] == 2


def test_unknown_file_is_an_error_naming_it(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello world\n")
    res = CliRunner().invoke(app, ["ingest", str(path)], env=_env(settings))
    assert res.exit_code != 0
    assert isinstance(res.exception, Exception)
    assert str(path) in str(res.exception)


def test_setup_is_idempotent_and_sources_lists_registry(
    es: Elasticsearch, settings: Settings, fresh_namespace: str
) -> None:
    runner = CliRunner()
    for _ in range(2):
        res = runner.invoke(app, ["setup", "-n", fresh_namespace], env=_env(settings))
        assert res.exit_code == 0, res.output
    assert es.indices.exists_index_template(name=f"trailhound-events-{fresh_namespace}")
    assert es.indices.exists_index_template(name=f"trailhound-deadletter-{fresh_namespace}")
    res = runner.invoke(app, ["sources"])
    assert res.exit_code == 0
    for name in ("cloudtrail", "vpcflow", "guardduty", "asff"):
        assert name in res.output


def test_flow_format_option(
    es: Elasticsearch, settings: Settings, fresh_namespace: str, tmp_path: Path
) -> None:
    path = tmp_path / "custom.log"
    path.write_text("eni-0a 10.0.0.5 8.8.8.8 1700000000 1700000060 REJECT\n")
    fmt = "${interface-id} ${srcaddr} ${dstaddr} ${start} ${end} ${action}"
    res = CliRunner().invoke(
        app,
        [
            "ingest",
            str(path),
            "-s",
            "vpcflow",
            "--flow-format",
            fmt,
            "-n",
            fresh_namespace,
            "--json",
        ],
        env=_env(settings),
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["sources"]["vpcflow"]["indexed"] == 1
    hit = es.search(index=dataset_pattern("aws.vpcflow", fresh_namespace))["hits"]["hits"][0]
    assert hit["_source"]["trailhound"]["kind"] == ["NETWORK_OUTBOUND", "NETWORK_REJECTED"]


def test_source_option_takes_every_registered_source_and_nothing_else(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", "--source", "bogus", str(tmp_path)])
    assert res.exit_code == 2
    for name in ("auto", *load_sources()):
        assert name in res.output
