"""Entity-details aggregation, ``map`` hint vs global ordinals, while indices are written.

Global ordinals are rebuilt per shard after each refresh, so a day being written
pays that again and again; ``map`` pays per matching value instead.  This
simulates two days ending this hour, ingests them with the real CLI in a
subprocess (refresh every second), and meanwhile asks the details of the five
busiest instances with both hints alternately (request cache off); then the
same on the finished, unmerged indices.  Prints p50 / p95 / max of ES ``took``.

    .venv/bin/python bench/ordinals_live.py --url http://127.0.0.1:9201
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import Elasticsearch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resolvers.queries import build_entities_query  # noqa: E402
from trailhound.ecs.indices import events_pattern  # noqa: E402
from trailhound.simulator import SimulationConfig, simulate  # noqa: E402


def _busiest(es: Elasticsearch, namespace: str) -> list[str]:
    resp = es.search(
        index=events_pattern(namespace),
        size=0,
        aggs={"i": {"terms": {"field": "trailhound.instance", "size": 5}}},
    )
    return [str(b["key"]) for b in resp["aggregations"]["i"]["buckets"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:9201")
    ap.add_argument("--namespace", default="benchordinals")
    ap.add_argument("--scale", type=float, default=12)
    ap.add_argument("--settle-seconds", type=float, default=15)
    args = ap.parse_args()
    es = Elasticsearch(args.url, request_timeout=60)
    es.options(ignore_status=404).indices.delete(index=f"*-{args.namespace}-*")
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with tempfile.TemporaryDirectory() as tmp:
        sim = simulate(SimulationConfig(out=Path(tmp), days=2, scale=args.scale, seed=3, end=end))
        print(f"{sim.totals.records} records simulated")
        env = {**os.environ, "ELASTICSEARCH_URL": args.url, "TRAILHOUND_CONFIG": ""}
        cli = Path(sys.executable).parent / "trailhound"
        proc = subprocess.Popen(
            [str(cli), "ingest", str(sim.logs_root), "-n", args.namespace, "--no-compact"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(8)  # let the busiest instances exist
        body = build_entities_query(_busiest(es, args.namespace))
        mapped = copy.deepcopy(body)
        mapped["aggs"]["by_key"]["terms"]["execution_hint"] = "map"
        took: dict[str, list[int]] = {}
        phase, stop_at = "while ingesting", float("inf")
        while time.time() < stop_at:
            if phase == "while ingesting" and proc.poll() is not None:
                es.indices.refresh(index=events_pattern(args.namespace))
                phase, stop_at = "after, unmerged", time.time() + args.settle_seconds
            for hint, b in (("map", mapped), ("global ordinals", body)):
                resp = es.search(index=events_pattern(args.namespace), body=b, request_cache=False)
                took.setdefault(f"{phase}, {hint}", []).append(int(resp["took"]))
            time.sleep(0.2)
    for name, values in took.items():
        values.sort()
        print(
            f"{name:35s} n={len(values):3d} p50 {values[len(values) // 2]:4d} ms "
            f"p95 {values[int(len(values) * 0.95)]:4d} ms max {values[-1]} ms"
        )
    es.options(ignore_status=404).indices.delete(index=f"*-{args.namespace}-*")
    es.close()


if __name__ == "__main__":
    main()
