"""Run a simulation: build the org, plan the scenarios, stream hours into files.

Memory stays bounded: scenario stories are small and planned up front; the
baseline is generated one hour at a time, merged with that hour's scenario
records, sorted and written before the next hour starts.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

from trailhound.errors import ConfigError
from trailhound.simulator import baseline_findings, flows, ground_truth, intel
from trailhound.simulator.baseline_api import ApiBaseline
from trailhound.simulator.baseline_net import NetBaseline
from trailhound.simulator.batch import HOUR, Emitter, HourBatch
from trailhound.simulator.config import SimulationConfig, SimulationResult, parse_scale
from trailhound.simulator.geoip import write_geoip
from trailhound.simulator.habits import stable
from trailhound.simulator.org import Org, build_org
from trailhound.simulator.scenarios import ScenarioContext, ScenarioTruth, get_scenario
from trailhound.simulator.writers import Writer

CT_FILE_SECONDS = 300  # CloudTrail delivers about every 5 minutes
FINDINGS_DELAY = 300


def _plan(
    cfg: SimulationConfig,
    org: Org,
    api: ApiBaseline,
    origin: int,
    end: int,
) -> tuple[list[ScenarioTruth], dict[int, HourBatch]]:
    truths: list[ScenarioTruth] = []
    hours: dict[int, HourBatch] = {}
    seen: set[str] = set()
    for name in cfg.scenarios:
        if name in seen:
            raise ConfigError(f"scenario {name!r} given twice")
        seen.add(name)
        sc = get_scenario(name)
        rng = random.Random(stable(cfg.seed, "scenario", name))
        emitter = Emitter(rng, origin)
        truth = ScenarioTruth(sc.name, sc.description, sc.benign)
        sc.run(ScenarioContext(org, rng, emitter, api, end - 86400, end, truth))
        for h, b in emitter.hours.items():
            if not 0 <= h < cfg.days * 24:
                raise ConfigError(f"scenario {name!r} wrote outside the window (hour {h})")
            hours.setdefault(h, HourBatch()).merge(b)
        truths.append(truth)
    return truths, hours


def _flush(w: Writer, batch: HourBatch, origin: int, hour_start: int) -> None:
    for (acct, region), events in sorted(batch.ct.items()):
        events.sort(key=lambda e: e[0])
        i = 0
        while i < len(events):
            window = int(events[i][0] - origin) // CT_FILE_SECONDS
            j = i
            limit = origin + (window + 1) * CT_FILE_SECONDS
            while j < len(events) and events[j][0] < limit:
                j += 1
            w.cloudtrail(acct, region, limit, [e[1] for e in events[i:j]])
            i = j
    # flow lines stay in generation order: S3 delivery does not sort them either
    for fl_id, lines in sorted(batch.flows.items()):
        acct, region, fmt = batch.flow_owner[fl_id]
        nodata, skipdata = batch.flow_status[fl_id]
        w.flows(acct, region, fl_id, hour_start + HOUR, flows.HEADERS[fmt], lines, nodata, skipdata)
    for (acct, region), evs in sorted(batch.findings.items()):
        evs.sort(key=lambda e: e[0])
        w.findings(acct, region, hour_start + HOUR + FINDINGS_DELAY, [e[1] for e in evs])


def _generate(
    cfg: SimulationConfig,
    org: Org,
    api: ApiBaseline,
    net: NetBaseline,
    planned: dict[int, HourBatch],
    w: Writer,
    origin: int,
    n_hours: int,
) -> None:
    """Stream the window hour by hour: baseline + that hour's scenario records, then files."""
    for h in range(n_hours):
        batch = HourBatch()
        api.hour(h, batch)
        net.hour(h, batch)
        baseline_findings.hour(org, cfg.seed, origin, h, batch, cfg.days)
        extra = planned.pop(h, None)
        if extra is not None:
            batch.merge(extra)
        _flush(w, batch, origin, origin + h * HOUR)
        if cfg.progress is not None:
            cfg.progress(h + 1, n_hours)


def simulate(cfg: SimulationConfig) -> SimulationResult:
    """Generate the corpus described by ``cfg`` under ``cfg.out``."""
    cfg.validate()
    started = time.perf_counter()
    origin, end = cfg.window()
    out = Path(cfg.out)
    logs = out / "AWSLogs"
    if logs.exists():
        if not cfg.overwrite:
            raise ConfigError(f"{logs} exists; pass overwrite=True (--force) to replace it")
        shutil.rmtree(logs)
    out.mkdir(parents=True, exist_ok=True)
    scale = parse_scale(cfg.scale)
    org = build_org(cfg.seed, cfg.accounts, scale, cfg.days)
    api = ApiBaseline(org, cfg.seed, origin, cfg.days)
    net = NetBaseline(org, cfg.seed, origin)
    truths, planned = _plan(cfg, org, api, origin, end)
    w = Writer(out, random.Random(stable(cfg.seed, "names")))
    n_hours = cfg.days * 24
    try:
        _generate(cfg, org, api, net, planned, w, origin, n_hours)
    finally:
        w.close()

    attacker_ips = sorted({ip for t in truths if not t.benign for ip in t.attacker_ips})
    ip_list, stix = intel.write_feed(
        out / "threat_intel", attacker_ips, ground_truth.iso(end - 86400), cfg.seed
    )
    city, asn = write_geoip(out / "geoip")
    doc = {
        "schema_version": ground_truth.SCHEMA_VERSION,
        "seed": cfg.seed,
        "config": {
            "days": cfg.days,
            "accounts": cfg.accounts,
            "scale": scale,
            "scenarios": list(cfg.scenarios),
            "end": ground_truth.iso(end),
        },
        "window": {"start": ground_truth.iso(origin), "end": ground_truth.iso(end)},
        "baseline": {"start": ground_truth.iso(origin), "end": ground_truth.iso(end - 86400)},
        "attack_day": {"start": ground_truth.iso(end - 86400), "end": ground_truth.iso(end)},
        "accounts": [
            {
                "id": a.id,
                "name": a.name,
                "region": a.region,
                "flow_logs": [{"id": f.id, "format": f.fmt} for f in a.flow_logs],
            }
            for a in org.accounts
        ],
        "identifiers": ground_truth.IDENTIFIERS,
        "totals": ground_truth.totals_json(w.totals),
        "threat_intel": {
            "ip_list": str(ip_list.relative_to(out)),
            "stix_bundle": str(stix.relative_to(out)),
            "ips": attacker_ips,
        },
        "geoip": {"city": str(city.relative_to(out)), "asn": str(asn.relative_to(out))},
        "scenarios": [ground_truth.scenario_json(t) for t in truths],
    }
    gt_path = out / "ground_truth.json"
    ground_truth.write(gt_path, doc)
    (out / "README.md").write_text(ground_truth.readme(doc))
    return SimulationResult(
        out=out,
        logs_root=logs,
        ground_truth_path=gt_path,
        geoip_city=city,
        geoip_asn=asn,
        threat_intel_ips=ip_list,
        threat_intel_stix=stix,
        totals=w.totals,
        ground_truth=doc,
        seconds=time.perf_counter() - started,
    )
