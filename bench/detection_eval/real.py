"""Real attack datasets over a simulated benign baseline of the same account.

The real CloudTrail records of ``shared/samples`` (Stratus Red Team detonations,
the Invictus-IR attack run, OTRF's EC2-proxy S3 exfiltration) are replayed into
the attack day of a simulated benign corpus: timestamps are shifted so each
dataset starts at a fixed hour of that day, and every 12-digit account id of the
records becomes the simulated account, so the attackers act against the same
baseline as the simulated employees.  The records then go through the real
indexers and every entity is scored as in ``run.py``.

    .venv/bin/python -m bench.detection_eval.real --days 8 --seed 7

Compromised entities: Stratus, every principal of the detonation records (the
operator user ``christophe`` and the technique roles); Invictus, the operator
``bert-jan`` (third-party write-ups name him the attacker); OTRF, the stolen
access key ``ASIA5FLZVX4OPVKKVBMX`` of the WAF role (the dataset's metadata).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch, Elasticsearch

from bench.detection_eval.run import _active_entities, _score_all, _settings, _time
from indexers.pipeline import ingest_paths
from resolvers.repository import EventRepository
from resolvers.scoring.model import Severity, Window
from resolvers.scoring.service import scoring_engine
from trailhound.ecs import fields as F
from trailhound.ecs.indices import events_pattern
from trailhound.simulator.config import SimulationConfig
from trailhound.simulator.engine import simulate

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
_ACCOUNT = re.compile(r"(?<!\d)\d{12}(?!\d)")
DATASETS: dict[str, dict[str, Any]] = {
    "stratus-red-team": {"hour": 2, "compromised": "actors"},
    "invictus-aws-dataset": {
        "hour": 8,
        "compromised": ["aws_user:arn:aws:iam::{acct}:user/bert-jan"],
    },
    "otrf-security-datasets": {"hour": 14, "compromised": ["access_key:ASIA5FLZVX4OPVKKVBMX"]},
}


def _records(name: str) -> list[dict[str, Any]]:
    root = SAMPLES / name
    out: list[dict[str, Any]] = []
    if name == "stratus-red-team":
        # Each technique was detonated on another day: line them up 10 minutes apart.
        base = datetime(2024, 1, 1, tzinfo=UTC)
        for i, f in enumerate(sorted(root.glob("aws.*.json"))):
            recs = json.loads(f.read_text())
            first = min(_parse(r["eventTime"]) for r in recs)
            for r in recs:
                at = base + timedelta(minutes=10 * i) + (_parse(r["eventTime"]) - first)
                r["eventTime"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            out += recs
    elif name == "invictus-aws-dataset":
        for f in sorted((root / "CloudTrail").glob("*.json")) or sorted(root.glob("*.json")):
            out += json.loads(f.read_text())["Records"]
    else:
        lines = (root / "ec2_proxy_s3_exfiltration_2020-09-14011940.json").read_text().splitlines()
        for line in lines:
            if line.strip():
                rec = json.loads(line)
                # Logstash moved eventTime into @timestamp: put it back
                stamp = rec.pop("@timestamp", None)
                if "eventTime" not in rec and stamp:
                    rec["eventTime"] = stamp
                rec.pop("@version", None)
                out.append(rec)
    return out


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def replay(name: str, account: str, start: datetime, out: Path) -> tuple[Path, set[str]]:
    """Write the dataset shifted to ``start`` in ``account``; returns the file and event ids."""
    records = _records(name)
    first = min(_parse(r["eventTime"]) for r in records)
    shift = start - first
    text = json.dumps(records)
    text = _ACCOUNT.sub(account, text)
    shifted = json.loads(text)
    for r in shifted:
        r["eventTime"] = (_parse(r["eventTime"]) + shift).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = out / f"{name}.json"
    path.write_text(json.dumps({"Records": shifted}))
    return path, {str(r["eventID"]) for r in shifted if "eventID" in r}


async def _actors(client: AsyncElasticsearch, ns: str, event_ids: set[str]) -> list[str]:
    resp = await client.search(
        index=events_pattern(ns),
        size=0,
        query={"terms": {F.EVENT_ID: sorted(event_ids)[:10000]}},
        aggs={"a": {"terms": {"field": F.ACTOR, "size": 100}}},
    )
    return [b["key"] for b in resp["aggregations"]["a"]["buckets"]]


async def _entities_of(client: AsyncElasticsearch, ns: str, event_ids: set[str]) -> list[str]:
    resp = await client.search(
        index=events_pattern(ns),
        size=0,
        query={"terms": {F.EVENT_ID: sorted(event_ids)}},
        aggs={"e": {"terms": {"field": F.RELATED_ENTITY, "size": 5000}}},
    )
    return [b["key"] for b in resp["aggregations"]["e"]["buckets"]]


async def evaluate(days: int, seed: int, out: Path) -> dict[str, Any]:
    """Simulate a benign corpus, replay the real datasets into its attack day, score."""
    result = simulate(
        SimulationConfig(
            out=out / "sim",
            days=days,
            accounts=2,
            scale="small",
            scenarios=("benign-change",),
            seed=seed,
            overwrite=True,
        )
    )
    gt = result.ground_truth
    account = gt["accounts"][0]["id"]
    day = _time(gt["attack_day"]["start"])
    real_dir = out / "real"
    real_dir.mkdir(parents=True, exist_ok=True)
    replays = {
        name: replay(name, account, day + timedelta(hours=cfg["hour"]), real_dir)
        for name, cfg in DATASETS.items()
    }
    ns = f"detevalreal{seed}"
    settings = _settings(result, ns)
    sync = Elasticsearch(settings.elasticsearch.url, request_timeout=120)
    try:
        paths = [str(result.logs_root)] + [str(p) for p, _ in replays.values()]
        t0 = time.perf_counter()
        report = ingest_paths(paths, settings, namespace=ns, client=sync)
        t_ingest = time.perf_counter() - t0
        w = Window(
            scope_start=day,
            scope_end=_time(gt["attack_day"]["end"]),
            baseline_start=_time(gt["baseline"]["start"]),
            baseline_end=day,
        )
        client = AsyncElasticsearch(settings.elasticsearch.url, request_timeout=120)
        try:
            repo = EventRepository(client, ns, timeout_s=60)
            engine, _ = scoring_engine(repo, settings.analytics)
            compromised: dict[str, list[str]] = {}
            for name, cfg in DATASETS.items():
                if cfg["compromised"] == "actors":
                    compromised[name] = await _actors(client, ns, replays[name][1])
                else:
                    compromised[name] = [k.format(acct=account) for k in cfg["compromised"]]
            all_ids = set().union(*(ids for _, ids in replays.values()))
            from_real = set(await _entities_of(client, ns, all_ids))
            active = await _active_entities(client, ns, w)
            keys = sorted({k for ks in active.values() for k in ks})
            t1 = time.perf_counter()
            scores = await _score_all(engine, keys, w)
            t_score = time.perf_counter() - t1
        finally:
            await client.close()
    finally:
        sync.options(ignore_status=404).indices.delete(
            index=f"*-{ns}-*,*-{ns}", expand_wildcards="all"
        )
        sync.options(ignore_status=404).indices.delete_index_template(name=f"*-{ns}")
        sync.close()
    # every entity the replayed records touch is attack-side, not a benign peer
    involved = {k for ks in compromised.values() for k in ks} | from_real
    rows = []
    for name, victims in compromised.items():
        for key in victims:
            kind = key.split(":", 1)[0]
            pool = [k for k in active.get(kind, []) if k not in involved or k == key]
            ranked = sorted(pool, key=lambda k: (-scores[k].score if k in scores else 0, k))
            sc = scores.get(key)
            rows.append(
                {
                    "dataset": name,
                    "entity": key,
                    "rank": ranked.index(key) + 1 if key in ranked else None,
                    "of": len(ranked),
                    "score": sc.score if sc else None,
                    "severity": sc.severity.value if sc else None,
                    "indicators": sorted({i.type.value for i in sc.indicators}) if sc else [],
                    "ahead": [
                        {"entity": k, "score": scores[k].score}
                        for k in (ranked[: ranked.index(key)] if key in ranked else [])
                    ][:3],
                }
            )
    benign = [k for k in scores if k not in involved]
    high = [k for k in benign if scores[k].severity.rank >= Severity.HIGH.rank]
    return {
        "seed": seed,
        "days": days,
        "records": report.total().indexed,
        "rows": rows,
        "benign_entities": len(benign),
        "benign_high": len(high),
        "benign_high_examples": [
            {"entity": k, "score": scores[k].score}
            for k in sorted(high, key=lambda k: -scores[k].score)
        ][:10],
        "seconds": {"ingest": round(t_ingest, 1), "score": round(t_score, 1)},
    }


def _markdown(res: dict[str, Any]) -> str:
    lines = [
        f"#### real datasets over a simulated baseline (seed {res['seed']}, {res['days']} days)",
        "",
        "| dataset | compromised entity | rank | score | severity | indicators |",
        "|---|---|---|---|---|---|",
    ]
    for r in res["rows"]:
        rank = f"{r['rank']}/{r['of']}" if r["rank"] else "-"
        lines.append(
            f"| {r['dataset']} | `{r['entity'][:70]}` | {rank} | {r['score']} "
            f"| {r['severity']} | {', '.join(r['indicators'])} |"
        )
    for r in res["rows"]:
        if r.get("ahead") and r["rank"] and r["rank"] <= 3:
            ahead = ", ".join(f"`{a['entity'][:60]}` ({a['score']})" for a in r["ahead"])
            lines.append(f"\n{r['entity'][:60]} ranks behind: {ahead}")
    lines += [
        "",
        f"benign entities at HIGH+: {res['benign_high']}/{res['benign_entities']}; "
        f"ingest {res['seconds']['ingest']} s, score {res['seconds']['score']} s",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """CLI entry point."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=8)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, default=Path("bench/out/detection_eval_real"))
    args = p.parse_args()
    res = asyncio.run(evaluate(args.days, args.seed, args.out))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(res, indent=2, default=str))
    print(_markdown(res))


if __name__ == "__main__":
    main()
