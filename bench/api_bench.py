"""GraphQL read-path latency, overhead over Elasticsearch ``took``, and throughput.

Data: the simulator's ``ec2-compromise`` scenario at a scale chosen to reach
``--events`` indexed events (kept small on shared machines), ingested with the
real pipeline into its own namespace of the given node.  Then:

* latency p50/p95 of ``neighborhood`` (1 and 2 hops), each profile panel, a
  timeline page and ``search``, in process over ASGI (HTTP + GraphQL + ES),
  each against the sum of Elasticsearch ``took`` of the requests it made
  (overhead ratio = latency / took);
* a naive baseline: fetch the instance's raw events of the scope (PIT +
  search_after, full ``_source``) and build the graph in Python with networkx,
  for the scenario's instance (attack day) and the busiest instance (whole period);
* requests/s and server RSS with ``--clients`` concurrent clients against a
  real ``trailhound serve`` (uvicorn) process.

With ``--baseline-tree DIR`` (a source tree of an older commit) both trees are
measured in alternating rounds of child processes, side by side under the same
load; ``--cold`` turns the namespace's shard request cache off while measuring.

Usage::

    .venv/bin/python bench/api_bench.py --url http://127.0.0.1:9201 --events 1000000 --prepare-only
    git archive <rev> | tar -x -C /tmp/base
    .venv/bin/python bench/api_bench.py --reuse --keep --baseline-tree /tmp/base
    .venv/bin/python bench/api_bench.py --reuse --keep --baseline-tree /tmp/base --cold --no-naive
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
from elasticsearch import Elasticsearch

from indexers.pipeline import ingest_paths
from trailhound.app import create_app
from trailhound.config import Settings
from trailhound.ecs.indices import events_pattern
from trailhound.es.client import async_client
from trailhound.simulator import SimulationConfig, simulate

ROOT = Path(__file__).resolve().parents[1]
EVENTS_PER_DAY_AT_SCALE_1 = 11_700  # measured: small scale, 2 accounts, 3 days -> 35k docs


def _settings(url: str, namespace: str) -> Settings:
    base = Settings.load(env={})
    return dataclasses.replace(
        base,
        elasticsearch=dataclasses.replace(base.elasticsearch, url=url, request_timeout=60),
        ingest=dataclasses.replace(base.ingest, namespace=namespace),
    )


def _indexable(t: Any) -> int:
    """Records the pipeline indexes (NODATA/SKIPDATA flow lines are skipped by design)."""
    return int(t.cloudtrail_events + t.flow_records_ok + t.findings)


def prepare(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """Simulate and ingest (or reuse a namespace); returns the scenario facts and sizes."""
    out = Path(args.workdir)
    truth_file = out / "ground_truth.json"
    if args.reuse:
        truth = json.loads(truth_file.read_text())
        return {"truth": truth, "simulate_s": None, "ingest_s": None}
    scale = max(0.2, args.events / (args.days * EVENTS_PER_DAY_AT_SCALE_1))
    t0 = time.perf_counter()
    sim = simulate(SimulationConfig(out=out, days=args.days, scale=scale, seed=7, overwrite=True))
    # Events per unit of scale are not constant (entities grow in steps), so one
    # linear correction brings the corpus within ~2 % of --events.
    if abs(_indexable(sim.totals) / args.events - 1) > 0.01:
        scale *= args.events / _indexable(sim.totals)
        sim = simulate(
            SimulationConfig(out=out, days=args.days, scale=scale, seed=7, overwrite=True)
        )
    t1 = time.perf_counter()
    analytics = dataclasses.replace(
        settings.analytics, geoip_city_db=sim.geoip_city, geoip_asn_db=sim.geoip_asn
    )
    report = ingest_paths([str(sim.logs_root)], dataclasses.replace(settings, analytics=analytics))
    t2 = time.perf_counter()
    total = report.total()
    # As `trailhound ingest` does after a backfill: every simulated day is complete.
    # (Imported here: a --baseline-tree child runs this file over older trees.)
    from indexers.compaction import compact_settled_days

    with Elasticsearch(args.url, request_timeout=60) as es:
        compacted = compact_settled_days(es, args.namespace, grace=timedelta(0))
    t3 = time.perf_counter()
    print(
        f"simulated in {t1 - t0:.1f}s (scale {scale:.2f}), "
        f"indexed {total.indexed} in {t2 - t1:.1f}s, "
        f"merged {len(compacted.merged)} day indices in {t3 - t2:.1f}s"
    )
    return {
        "truth": sim.ground_truth,
        "simulate_s": t1 - t0,
        "ingest_s": t2 - t1,
        "compact_s": t3 - t2,
    }


def _ops(facts: dict[str, Any], scope: dict[str, str]) -> dict[str, tuple[str, dict[str, Any]]]:
    inst = {"type": "EC2_INSTANCE", "id": facts["instance_id"]}
    busy = {"type": "EC2_INSTANCE", "id": facts.get("busy_instance_id", facts["instance_id"])}
    role = {"type": "AWS_ROLE", "id": facts["role_arn"]}
    nb = (
        "query($e: EntityInput!, $s: ScopeInput, $h: Int!) { neighborhood(entity: $e, scope: $s,"
        " hops: $h, limitPerEdgeType: 10) { nodes { distance entity { key } } groups { type"
        " totalCount moreCount edges { sourceKey targetKey count firstSeen lastSeen"
        " network { bytesIn bytesOut ports { remotePort localPort count } }"
        " calls { success failure } } } } }"
    )
    prof = "query($e: EntityInput!, $s: ScopeInput) { profile(entity: $e, scope: $s) { %s } }"
    return {
        "neighborhood (1 hop)": (nb, {"e": inst, "s": scope, "h": 1}),
        "neighborhood (2 hops)": (nb, {"e": inst, "s": scope, "h": 2}),
        "neighborhood (1 hop, busiest instance, whole corpus)": (
            nb,
            {"e": busy, "s": facts.get("wide_scope", scope), "h": 1},
        ),
        "panel: API call volume": (
            prof % "apiCallVolume { success failure series { count failed } services { value }"
            " byIp { value children { value children { value } } } byApi { value } }",
            {"e": inst, "s": scope},
        ),
        "panel: new behavior": (
            prof % "newBehavior { apiCalls { value } countries { value } asOrganizations"
            " { value } userAgents { value } remoteIps { value } increasedApiCalls { action } }",
            {"e": inst, "s": scope},
        ),
        "panel: VPC flow volume": (
            prof % "vpcFlowVolume(first: 50) { rows { peer { key } localPort remotePort"
            " bytesIn bytesOut series { bytesIn } } series { bytesIn bytesOut } }",
            {"e": inst, "s": scope},
        ),
        "panel: VPC flow volume (no row series)": (
            prof % "vpcFlowVolume(first: 50) { rows { peer { key } localPort remotePort"
            " bytesIn bytesOut } series { bytesIn bytesOut } }",
            {"e": inst, "s": scope},
        ),
        "panel: resource interaction": (
            prof % "resourceInteraction { type totalCount edges { sourceKey count } }",
            {"e": role, "s": scope},
        ),
        "panel: associated findings": (
            prof % "associatedFindings { totalCount edges { sourceKey count } }",
            {"e": inst, "s": scope},
        ),
        "timeline page (first 50)": (
            "query($e: EntityInput!, $s: ScopeInput) { timeline(entity: $e, scope: $s,"
            " kinds: [NETWORK_OUTBOUND], first: 50) { totalCount pageInfo { endCursor }"
            " edges { node { timestamp remoteIp remotePort bytesOut } } histogram { count } } }",
            {"e": inst, "s": scope},
        ),
        "search": (
            "query($t: String!) { search(type: EC2_INSTANCE, text: $t) { totalCount"
            " edges { node { key firstSeen } } } }",
            {"t": facts["instance_id"][:6]},
        ),
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


# Operations centered on the scenario instance: --rotate moves them along facts["rotation"].
ROTATING = (
    "neighborhood (1 hop)",
    "neighborhood (2 hops)",
    "panel: API call volume",
    "panel: new behavior",
    "panel: VPC flow volume",
    "panel: VPC flow volume (no row series)",
    "panel: associated findings",
    "timeline page (first 50)",
)


async def measure_latency(
    settings: Settings,
    facts: dict[str, Any],
    scope: dict[str, str],
    runs: int,
    rotate_offset: int | None = None,
) -> dict[str, dict[str, list[float]]]:
    """Latency samples of each operation in process, and the ES took each caused."""
    assert settings.elasticsearch.url is not None
    client = async_client(settings)  # as `trailhound serve` builds it
    app = create_app(settings, demo_no_auth=True, client=client)
    results: dict[str, dict[str, list[float]]] = {}
    async with app.router.lifespan_context(app):
        repo = app.state.services.repository
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://b", timeout=60) as http:
            ops = _ops(facts, scope)
            # The next timeline page needs a cursor from a first page.
            first = await http.post(
                "/graphql",
                json={
                    "query": ops["timeline page (first 50)"][0],
                    "variables": ops["timeline page (first 50)"][1],
                },
            )
            cursor = first.json()["data"]["timeline"]["pageInfo"]["endCursor"]
            ops["timeline page (next 50)"] = (
                "query($e: EntityInput!, $s: ScopeInput, $a: String) { timeline(entity: $e,"
                " scope: $s, kinds: [NETWORK_OUTBOUND], first: 50, after: $a) { totalCount"
                " edges { node { timestamp remoteIp } } } }",
                {"e": ops["timeline page (first 50)"][1]["e"], "s": scope, "a": cursor},
            )
            for name, (query, variables) in ops.items():
                lat: list[float] = []
                took: list[float] = []
                wall: list[float] = []
                for i in range(runs + 3):
                    if rotate_offset is not None and name in ROTATING:
                        ring = facts["rotation"]
                        center = ring[(rotate_offset + i) % len(ring)]
                        query, variables = _ops({**facts, "instance_id": center}, scope)[name]
                    repo.took_ms = 0
                    repo.wall_ms = 0.0  # an older tree never adds to it: 0 there
                    t0 = time.perf_counter()
                    resp = await http.post(
                        "/graphql", json={"query": query, "variables": variables}
                    )
                    dt = (time.perf_counter() - t0) * 1000
                    body = resp.json()
                    assert "errors" not in body, (name, body["errors"])
                    if i >= 3:  # warm-up runs are not counted
                        lat.append(dt)
                        took.append(float(repo.took_ms))
                        wall.append(float(repo.wall_ms))
                results[name] = {"latency_ms": lat, "took_ms": took, "es_wall_ms": wall}
    await client.close()
    return results


def summarize(samples: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    """p50/p95 of latency, p50 of ES took and their ratio, per operation."""
    out: dict[str, dict[str, float]] = {}
    for name, s in samples.items():
        lat, took, wall = s["latency_ms"], s["took_ms"], s.get("es_wall_ms") or [0.0]
        out[name] = {
            "p50_ms": _pct(lat, 0.5),
            "p95_ms": _pct(lat, 0.95),
            "took_p50_ms": _pct(took, 0.5),
            "overhead_ratio_p50": _pct(lat, 0.5) / max(_pct(took, 0.5), 1.0),
            # The client round-trips of the same searches (summed, as took is):
            # what ES costs this process, HTTP and JSON included.
            "es_wall_p50_ms": _pct(wall, 0.5),
            "runs": len(lat),
        }
    return out


def active_instances(url: str, namespace: str, scope: dict[str, str]) -> list[str]:
    """Every instance with events in the scope, in a fixed order (``--rotate``)."""
    with Elasticsearch(url, request_timeout=60) as es:
        resp = es.search(
            index=events_pattern(namespace),
            size=0,
            query={"range": {"@timestamp": {"gte": scope["start"], "lt": scope["end"]}}},
            aggs={
                "i": {
                    "terms": {
                        "field": "trailhound.instance",
                        "size": 1000,
                        "order": {"_key": "asc"},
                    }
                }
            },
        )
    return [str(b["key"]).split(":", 1)[1] for b in resp["aggregations"]["i"]["buckets"]]


def busiest_instance(url: str, namespace: str, scope: dict[str, str]) -> tuple[str, int]:
    """The instance with the most events in the scope (the naive baseline's worst case)."""
    es = Elasticsearch(url, request_timeout=120)
    resp = es.search(
        index=events_pattern(namespace),
        size=0,
        query={"range": {"@timestamp": {"gte": scope["start"], "lt": scope["end"]}}},
        aggs={"i": {"terms": {"field": "trailhound.instance", "size": 1}}},
    )
    es.close()
    top = resp["aggregations"]["i"]["buckets"][0]
    return str(top["key"]).split(":", 1)[1], int(top["doc_count"])


def naive_neighborhood(
    settings: Settings, namespace: str, instance_id: str, scope: dict[str, str], runs: int
) -> dict[str, float]:
    """Fetch the instance's raw events (and its interfaces') and build the graph in Python."""
    es = Elasticsearch(settings.elasticsearch.url or "", request_timeout=120)
    keys = [f"ec2_instance:{instance_id}"]
    keys += [
        b["key"]
        for b in es.search(
            index=events_pattern(namespace),
            size=0,
            query={"term": {"related.entity": keys[0]}},
            aggs={"k": {"terms": {"field": "related.entity", "include": "network_interface:.*"}}},
        )["aggregations"]["k"]["buckets"]
    ]
    times: list[float] = []
    fetched = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        pit = es.open_point_in_time(index=events_pattern(namespace), keep_alive="2m")["id"]
        after = None
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        edges: dict[tuple[str, str, str], int] = defaultdict(int)
        fetched = 0
        while True:
            body: dict[str, Any] = {
                "size": 5000,
                "query": {
                    "bool": {
                        "filter": [
                            {"range": {"@timestamp": {"gte": scope["start"], "lt": scope["end"]}}},
                            {"terms": {"related.entity": keys}},
                        ]
                    }
                },
                "sort": [{"@timestamp": "asc"}, {"_shard_doc": "asc"}],
                "pit": {"id": pit, "keep_alive": "2m"},
            }
            if after:
                body["search_after"] = after
            hits = es.search(body=body)["hits"]["hits"]
            if not hits:
                break
            fetched += len(hits)
            after = hits[-1]["sort"]
            for h in hits:
                src = h["_source"]
                th = src.get("trailhound", {})
                flow = th.get("flow")
                if flow:
                    edges[("NETWORK", keys[0], f"ip_address:{flow.get('remote_ip')}")] += 1
                actor = th.get("actor")
                if actor and src.get("event", {}).get("action"):
                    edges[("API_CALL", actor, src["event"]["action"])] += 1
                    for t in th.get("targets", []) or []:
                        edges[("TARGET", actor, t)] += 1
                if th.get("finding"):
                    edges[("FINDING", th["finding"], keys[0])] += 1
        es.close_point_in_time(id=pit)
        for (kind, a, b), n in edges.items():
            graph.add_edge(a, b, key=kind, weight=n)
        top = sorted(graph.degree(weight="weight"), key=lambda kv: -kv[1])[:10]
        assert top
        times.append((time.perf_counter() - t0) * 1000)
    es.close()
    return {"p50_ms": _pct(times, 0.5), "p95_ms": _pct(times, 0.95), "events_fetched": fetched}


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _load(
    port: int, facts: dict[str, Any], scope: dict[str, str], clients: int, seconds: float, pid: int
) -> dict[str, float]:
    ops = _ops(facts, scope)
    mix = [
        ops["neighborhood (1 hop)"],
        ops["timeline page (first 50)"],
        ops["panel: API call volume"],
        ops["search"],
    ]
    done = 0
    errors = 0
    lat: list[float] = []
    peak = _rss_kb(pid)
    stop = time.perf_counter() + seconds

    async def client(i: int) -> None:
        nonlocal done, errors
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            n = i
            while time.perf_counter() < stop:
                query, variables = mix[n % len(mix)]
                n += 1
                t0 = time.perf_counter()
                resp = await http.post("/graphql", json={"query": query, "variables": variables})
                lat.append((time.perf_counter() - t0) * 1000)
                if resp.status_code != 200 or "errors" in resp.json():
                    errors += 1
                done += 1

    async def sample() -> None:
        nonlocal peak
        while time.perf_counter() < stop:
            peak = max(peak, _rss_kb(pid))
            await asyncio.sleep(0.25)

    t0 = time.perf_counter()
    await asyncio.gather(sample(), *(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - t0
    return {
        "requests": done,
        "errors": errors,
        "rps": done / elapsed,
        "p50_ms": _pct(lat, 0.5),
        "p95_ms": _pct(lat, 0.95),
        "peak_rss_mib": peak / 1024,
    }


def measure_throughput(
    url: str,
    namespace: str,
    facts: dict[str, Any],
    scope: dict[str, str],
    clients: int,
    seconds: float,
) -> dict[str, float]:
    """Start ``trailhound serve`` (uvicorn) and hammer it with concurrent clients."""
    port = 18000 + os.getpid() % 1000
    env = {**os.environ, "ELASTICSEARCH_URL": url, "TRAILHOUND_INGEST_NAMESPACE": namespace}
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/trailhound"), "serve", "--demo-no-auth", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        idle = _rss_kb(proc.pid) / 1024
        result = asyncio.run(_load(port, facts, scope, clients, seconds, proc.pid))
        result["idle_rss_mib"] = idle
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _child(
    args: argparse.Namespace, tree: Path, out: Path, with_load: bool, rotate_offset: int = 0
) -> dict[str, Any]:
    """Measure one source tree in its own process (its code first on ``PYTHONPATH``)."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--measure-only",
        "--reuse",
        "--keep",
        "--url",
        args.url,
        "--namespace",
        args.namespace,
        "--workdir",
        args.workdir,
        "--runs",
        str(args.runs),
        "--clients",
        str(args.clients if with_load else 0),
        "--seconds",
        str(args.seconds),
        "--json-out",
        str(out),
    ]
    if args.rotate:
        cmd += ["--rotate", "--rotate-offset", str(rotate_offset)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run(cmd, env=env, check=True)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def _facts(
    args: argparse.Namespace, truth: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    facts = dict(next(s for s in truth["scenarios"] if s["name"] == "ec2-compromise")["facts"])
    scope = {"start": truth["attack_day"]["start"], "end": truth["attack_day"]["end"]}
    # Every simulated instance has only ~3k events a day: the naive baseline's
    # heavy case is the busiest instance over the whole simulated period.
    end = datetime.fromisoformat(scope["end"].replace("Z", "+00:00"))
    start = end - timedelta(days=args.days + 1)
    wide = {"start": start.isoformat().replace("+00:00", "Z"), "end": scope["end"]}
    busy, busy_events = busiest_instance(args.url, args.namespace, wide)
    facts["busy_instance_id"], facts["busy_instance_events"] = busy, busy_events
    facts["wide_scope"] = wide
    facts["rotation"] = active_instances(args.url, args.namespace, scope)
    return facts, scope


def _print_table(summaries: dict[str, dict[str, dict[str, float]]]) -> None:
    labels = list(summaries)
    names = list(next(iter(summaries.values())))
    head = "".join(f" | {lb} p50 / p95 / took p50 / ratio / ES client time p50" for lb in labels)
    print(f"{'operation':40s}{head}")
    for name in names:
        cells = "".join(
            f" | {s[name]['p50_ms']:6.1f} / {s[name]['p95_ms']:6.1f} / "
            f"{s[name]['took_p50_ms']:5.1f} / {s[name]['overhead_ratio_p50']:4.2f} / "
            f"{s[name].get('es_wall_p50_ms', 0.0):5.1f}"
            for s in (summaries[lb] for lb in labels)
        )
        print(f"{name:40s}{cells}")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--url", default="http://127.0.0.1:9201")
    ap.add_argument("--namespace", default="bench5api")
    ap.add_argument("--events", type=int, default=1_000_000, help="approximate indexed events")
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--runs", type=int, default=30, help="measured runs per operation and round")
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds per source tree")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "th_api_bench"))
    ap.add_argument("--reuse", action="store_true", help="reuse the indexed namespace and workdir")
    ap.add_argument("--keep", action="store_true", help="keep the namespace afterwards")
    ap.add_argument(
        "--prepare-only",
        action="store_true",
        help="simulate and ingest, then stop (implies --keep)",
    )
    ap.add_argument(
        "--baseline-tree",
        help="a source tree of an older commit (git archive <rev> | tar -x -C DIR) measured "
        "side by side with this one, rounds alternating",
    )
    ap.add_argument("--tree", default=str(ROOT), help="the source tree labelled 'new'")
    ap.add_argument(
        "--cold",
        action="store_true",
        help="disable the shard request cache of the namespace's indices while measuring "
        "(repeated identical requests are otherwise answered from it)",
    )
    ap.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    ap.add_argument(
        "--rotate",
        action="store_true",
        help="center each run of the instance operations on another instance active in the "
        "scope (a first look at each entity, not the same request again); with --cold no "
        "cache of identical requests helps",
    )
    ap.add_argument("--rotate-offset", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--json-out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    settings = _settings(args.url, args.namespace)
    prep = prepare(args, settings)
    if args.prepare_only:
        return
    facts, scope = _facts(args, prep["truth"])
    if args.measure_only:  # a child of the side-by-side run: this process's code only
        measured = asyncio.run(
            measure_latency(
                settings, facts, scope, args.runs, args.rotate_offset if args.rotate else None
            )
        )
        load = None
        if args.clients:
            load = measure_throughput(
                args.url, args.namespace, facts, scope, args.clients, args.seconds
            )
        Path(args.json_out).write_text(json.dumps({"samples": measured, "load": load}))
        return
    es = Elasticsearch(args.url, request_timeout=60)
    indexed = int(es.count(index=events_pattern(args.namespace))["count"])
    print(f"{indexed} events indexed in namespace {args.namespace}")
    trees = {"new": Path(args.tree).resolve()}
    if args.baseline_tree:
        trees["baseline"] = Path(args.baseline_tree).resolve()
    if args.cold:
        es.indices.put_settings(
            index=f"*-{args.namespace}-*", settings={"index.requests.cache.enable": False}
        )
    samples: dict[str, dict[str, dict[str, list[float]]]] = {lb: {} for lb in trees}
    loads: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            order = list(trees) if r % 2 else list(reversed(trees))
            for label in order:
                last = r == args.rounds - 1
                got = _child(
                    args,
                    trees[label],
                    Path(tmp) / f"{label}{r}.json",
                    last,
                    rotate_offset=r * (args.runs + 3),
                )
                for name, s in got["samples"].items():
                    acc = samples[label].setdefault(
                        name, {"latency_ms": [], "took_ms": [], "es_wall_ms": []}
                    )
                    for key in acc:
                        acc[key] += s.get(key, [])
                if got["load"] is not None:
                    loads[label] = got["load"]
                print(f"round {r + 1}/{args.rounds}: {label} measured")
    if args.cold:
        es.indices.put_settings(
            index=f"*-{args.namespace}-*", settings={"index.requests.cache.enable": True}
        )
    latency = {lb: summarize(s) for lb, s in samples.items()}
    _print_table(latency)
    naive_runs = max(3, args.runs // 6) if not args.no_naive else 0
    naive = {}
    if naive_runs:
        naive = {
            "scenario instance": naive_neighborhood(
                settings, args.namespace, facts["instance_id"], scope, naive_runs
            ),
            "busiest instance, whole corpus": naive_neighborhood(
                settings, args.namespace, facts["busy_instance_id"], facts["wide_scope"], naive_runs
            ),
        }
    for who, op in (
        ("scenario instance", "neighborhood (1 hop)"),
        ("busiest instance, whole corpus", "neighborhood (1 hop, busiest instance, whole corpus)"),
    ):
        if who not in naive:
            continue
        n = naive[who]
        speedups = {lb: n["p50_ms"] / latency[lb][op]["p50_ms"] for lb in latency}
        n["speedup_p50"] = speedups["new"]
        print(
            f"naive neighborhood, {who}: p50 {n['p50_ms']:.0f} ms p95 {n['p95_ms']:.0f} ms over "
            f"{n['events_fetched']} events; "
            + ", ".join(f"{lb} {x:.1f}x faster" for lb, x in speedups.items())
        )
    for label, load in loads.items():
        print(
            f"{label}: {args.clients} clients: {load['rps']:.1f} req/s, p50 {load['p50_ms']:.0f} "
            f"ms, p95 {load['p95_ms']:.0f} ms, RSS idle {load['idle_rss_mib']:.0f} MiB peak "
            f"{load['peak_rss_mib']:.0f} MiB, errors {load['errors']}"
        )
    out = {
        "indexed_events": indexed,
        "prep": {k: v for k, v in prep.items() if k != "truth"},
        "busiest_instance": [facts["busy_instance_id"], facts["busy_instance_events"]],
        "latency": latency,
        "naive_neighborhood": naive,
        "load": loads,
        "args": {k: v for k, v in vars(args).items()},
    }
    (ROOT / "bench/out").mkdir(exist_ok=True)
    mode = ("_cold" if args.cold else "") + ("_rotate" if args.rotate else "")
    name = f"api_bench_{args.namespace}{mode}.json"
    (ROOT / "bench/out" / name).write_text(json.dumps(out, indent=2))
    if not args.keep:
        es.options(ignore_status=404).indices.delete(index=f"*-{args.namespace}-*")
        es.options(ignore_status=404).indices.delete_index_template(name=f"*-{args.namespace}")
        shutil.rmtree(args.workdir, ignore_errors=True)
    es.close()


if __name__ == "__main__":
    main()
