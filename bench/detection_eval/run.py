"""Detection evaluation: do the anomaly scores find what the simulator injected?

For each run: simulate (``trailhound.simulator``), ingest with the real indexers
(GeoIP from the simulator's MaxMind pair), then score every principal, access
key and instance active on the attack day against the days before, with the
simulator's threat-intel feed configured.  Per scenario it reports the rank of
each compromised entity among the entities of its kind, which expected
indicators fired, the precision of HIGH/CRITICAL entities, and, on a run with
only benign data (``benign-change``), the share of entities at HIGH or above.

    .venv/bin/python -m bench.detection_eval.run --days 10 --seed 7 --out bench/out/detection_eval

Writes ``results.json`` next to the corpus and prints a Markdown summary.
Uses the test node (``TRAILHOUND_TEST_ES_PORT``, default 9201) and its own
namespaces, which it drops at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch, Elasticsearch

from indexers.pipeline import ingest_paths
from resolvers.repository import EventRepository
from resolvers.scoring.engine import ScoringEngine
from resolvers.scoring.model import AnomalyScore, Severity, Window
from resolvers.scoring.service import scoring_engine
from trailhound.config import Settings
from trailhound.ecs import fields as F
from trailhound.ecs.entities import EntityRef
from trailhound.ecs.indices import events_pattern
from trailhound.simulator.config import SimulationConfig
from trailhound.simulator.engine import simulate

KINDS = ("aws_user", "aws_role", "aws_role_session", "access_key", "ec2_instance")
ATTACKS = ("ec2-compromise", "leaked-key", "role-chain", "beacon")
HIGH = Severity.HIGH.rank
PARALLEL = 4


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _settings(result: Any, namespace: str) -> Settings:
    base = Settings.load(env={})
    port = int(os.environ.get("TRAILHOUND_TEST_ES_PORT", "9201"))
    es = dataclasses.replace(base.elasticsearch, url=f"http://127.0.0.1:{port}")
    analytics = dataclasses.replace(
        base.analytics,
        geoip_city_db=result.geoip_city,
        geoip_asn_db=result.geoip_asn,
        threat_intel_feeds=(result.threat_intel_ips, result.threat_intel_stix),
    )
    ingest = dataclasses.replace(base.ingest, namespace=namespace)
    return dataclasses.replace(base, elasticsearch=es, analytics=analytics, ingest=ingest)


async def _active_entities(client: AsyncElasticsearch, ns: str, w: Window) -> dict[str, list[str]]:
    """Every entity key of the scored kinds with activity in the scope."""
    out: dict[str, list[str]] = {}
    for kind in KINDS:
        resp = await client.search(
            index=events_pattern(ns),
            size=0,
            query={
                "range": {
                    F.TIMESTAMP: {"gte": w.scope_start.isoformat(), "lt": w.scope_end.isoformat()}
                }
            },
            aggs={
                "k": {"terms": {"field": F.RELATED_ENTITY, "include": f"{kind}:.*", "size": 5000}}
            },
            ignore_unavailable=True,
        )
        out[kind] = [b["key"] for b in resp["aggregations"]["k"]["buckets"]]
    return out


async def _score_all(engine: ScoringEngine, keys: list[str], w: Window) -> dict[str, AnomalyScore]:
    gate = asyncio.Semaphore(PARALLEL)

    async def one(key: str) -> tuple[str, AnomalyScore]:
        async with gate:
            return key, await engine.score(EntityRef.parse(key), w)

    return dict(await asyncio.gather(*(one(k) for k in keys)))


def _fired(expected: dict[str, Any], score: AnomalyScore | None) -> bool:
    if score is None:
        return False
    return any(i.type.value == expected["indicator"] for i in score.indicators)


def _values(detail: Any) -> set[str]:
    return {str(v) for v in dataclasses.asdict(detail).values()}


def _fired_strict(expected: dict[str, Any], score: AnomalyScore | None) -> bool:
    """Same type on the entity, and the ground truth's details (ip, api(s), aso, user
    agent) are in the indicators' details."""
    if score is None:
        return False
    same = [i for i in score.indicators if i.type.value == expected["indicator"]]
    if not same:
        return False
    values = set().union(*(_values(i.detail) for i in same))
    wanted: list[str] = []
    for key in ("ip", "api", "aso", "user_agent"):
        if key in expected:
            wanted.append(str(expected[key]))
    wanted += [str(a) for a in expected.get("apis", [])]
    return all(w in values for w in wanted)


async def evaluate(
    days: int, seed: int, scenarios: tuple[str, ...], out: Path, label: str, keep: bool = False
) -> dict[str, Any]:
    """Simulate, ingest, score; the metrics of one run."""
    t0 = time.perf_counter()
    result = simulate(
        SimulationConfig(
            out=out,
            days=days,
            accounts=2,
            scale="small",
            scenarios=scenarios,
            seed=seed,
            overwrite=True,
        )
    )
    t_sim = time.perf_counter() - t0
    ns = f"deteval{label}{seed}"
    settings = _settings(result, ns)
    sync = Elasticsearch(settings.elasticsearch.url, request_timeout=120)
    try:
        t1 = time.perf_counter()
        report = ingest_paths([str(result.logs_root)], settings, namespace=ns, client=sync)
        t_ingest = time.perf_counter() - t1
        gt = result.ground_truth
        w = Window(
            scope_start=_time(gt["attack_day"]["start"]),
            scope_end=_time(gt["attack_day"]["end"]),
            baseline_start=_time(gt["baseline"]["start"]),
            baseline_end=_time(gt["baseline"]["end"]),
        )
        client = AsyncElasticsearch(settings.elasticsearch.url, request_timeout=120)
        try:
            repo = EventRepository(client, ns, timeout_s=60)
            engine, _ = scoring_engine(repo, settings.analytics)
            active = await _active_entities(client, ns, w)
            t2 = time.perf_counter()
            keys = sorted({k for ks in active.values() for k in ks})
            scores = await _score_all(engine, keys, w)
            t_score = time.perf_counter() - t2
        finally:
            await client.close()
        return _metrics(gt, active, scores) | {
            "label": label,
            "seed": seed,
            "days": days,
            "records": report.total().indexed,
            "entities_scored": len(scores),
            "seconds": {
                "simulate": round(t_sim, 1),
                "ingest": round(t_ingest, 1),
                "score": round(t_score, 1),
            },
            "score_ms_per_entity": round(1000 * t_score / max(1, len(scores)), 1),
        }
    finally:
        if keep:
            print(f"kept namespace {ns}")
        else:
            sync.options(ignore_status=404).indices.delete(
                index=f"*-{ns}-*,*-{ns}", expand_wildcards="all"
            )
            sync.options(ignore_status=404).indices.delete_index_template(name=f"*-{ns}")
        sync.close()


def _metrics(
    gt: dict[str, Any], active: dict[str, list[str]], scores: dict[str, AnomalyScore]
) -> dict[str, Any]:
    involved = {
        e["key"]
        for s in gt["scenarios"]
        if not s["benign"]
        for e in s["entities"]
        if e["role"] in ("victim", "attacker", "target")
    }
    per_scenario = []
    for s in gt["scenarios"]:
        row: dict[str, Any] = {
            "scenario": s["name"],
            "benign": s["benign"],
            "victims": [],
            "indicators": [],
        }
        for victim in s["compromised_entities"]:
            key = victim["key"]
            kind = key.split(":", 1)[0]
            # ranked against the uninvolved entities of its kind (the other attacked
            # entities of this corpus, including this scenario's other victims, are left out)
            pool = [k for k in active.get(kind, []) if k not in involved or k == key]
            peers = sorted(pool, key=lambda k: (-scores[k].score if k in scores else 0, k))
            sc = scores.get(key)
            row["victims"].append(
                {
                    "entity": key,
                    "rank": peers.index(key) + 1 if key in peers else None,
                    "of": len(peers),
                    "score": sc.score if sc else None,
                    "severity": sc.severity.value if sc else None,
                }
            )
        for exp in s["expected_indicators"]:
            row["indicators"].append(
                {
                    "indicator": exp["indicator"],
                    "entity": exp["entity"],
                    "fired": _fired(exp, scores.get(exp["entity"])),
                    "strict": _fired_strict(exp, scores.get(exp["entity"])),
                }
            )
        if s["benign"]:
            row["benign_entities"] = [
                {
                    "entity": e["key"],
                    "severity": scores[e["key"]].severity.value,
                    "score": scores[e["key"]].score,
                }
                for e in s["entities"]
                if e["key"] in scores
            ]
        per_scenario.append(row)
    high = [k for k, sc in scores.items() if sc.severity.rank >= HIGH]
    benign = [k for k in scores if k not in involved]
    benign_high = [k for k in benign if scores[k].severity.rank >= HIGH]
    return {
        "scenarios": per_scenario,
        "high_or_critical": len(high),
        "high_precision": round(sum(k in involved for k in high) / len(high), 3) if high else None,
        "benign_entities": len(benign),
        "benign_high": len(benign_high),
        "benign_high_share": round(len(benign_high) / len(benign), 4) if benign else 0.0,
        "benign_high_examples": [
            {
                "entity": k,
                "score": scores[k].score,
                "top": [c.indicator.summary for c in scores[k].contributions[:3]],
            }
            for k in sorted(benign_high, key=lambda k: -scores[k].score)[:10]
        ],
    }


def _markdown(runs: list[dict[str, Any]]) -> str:
    lines = []
    for run in runs:
        lines.append(
            f"#### run `{run['label']}` (seed {run['seed']}, {run['days']} days, "
            f"{run['entities_scored']} entities scored)"
        )
        lines.append("")
        lines.append(
            "| scenario | compromised entity | rank | score | severity "
            "| expected indicators fired |"
        )
        lines.append("|---|---|---|---|---|---|")
        for s in run["scenarios"]:
            fired = [i for i in s["indicators"] if i["fired"]]
            missed = sorted({i["indicator"] for i in s["indicators"] if not i["fired"]})
            strict = sum(1 for i in s["indicators"] if i["strict"])
            ind = f"{len(fired)}/{len(s['indicators'])}, details {strict}" + (
                f" (missed: {', '.join(missed)})" if missed else ""
            )
            for v in s["victims"] or [
                {"entity": "-", "rank": None, "of": 0, "score": None, "severity": None}
            ]:
                rank = f"{v['rank']}/{v['of']}" if v["rank"] else "-"
                lines.append(
                    f"| {s['scenario']} | `{v['entity'][:60]}` | {rank} | {v['score']} "
                    f"| {v['severity']} | {ind} |"
                )
            for b in s.get("benign_entities", []):
                lines.append(
                    f"| {s['scenario']} (benign) | `{b['entity'][:60]}` | | {b['score']} "
                    f"| {b['severity']} | |"
                )
        lines.append("")
        lines.append(
            f"HIGH/CRITICAL entities: {run['high_or_critical']}, "
            f"precision {run['high_precision']}; "
            f"benign entities at HIGH+: {run['benign_high']}/{run['benign_entities']} "
            f"({100 * run['benign_high_share']:.2f} %); "
            f"time: simulate {run['seconds']['simulate']} s, ingest {run['seconds']['ingest']} s, "
            f"score {run['seconds']['score']} s ({run['score_ms_per_entity']} ms/entity)"
        )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    """CLI entry point."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=10)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, default=Path("bench/out/detection_eval"))
    p.add_argument("--skip-benign-run", action="store_true")
    p.add_argument("--keep", action="store_true", help="keep the indexed namespaces (debugging)")
    args = p.parse_args()
    runs = [
        asyncio.run(
            evaluate(
                args.days,
                args.seed,
                (*ATTACKS, "benign-change"),
                args.out / "attacks",
                "attacks",
                args.keep,
            )
        )
    ]
    if not args.skip_benign_run:
        runs.append(
            asyncio.run(
                evaluate(
                    args.days,
                    args.seed,
                    ("benign-change",),
                    args.out / "benign",
                    "benign",
                    args.keep,
                )
            )
        )
    (args.out / "results.json").write_text(json.dumps(runs, indent=2, default=str))
    print(_markdown(runs))


if __name__ == "__main__":
    main()
