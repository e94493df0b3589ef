"""Benchmark ``trailhound simulate``: records/s, CPU, peak RSS and disk for a corpus size.

    .venv/bin/python bench/simulate_bench.py --preset 1m
    .venv/bin/python bench/simulate_bench.py --preset 10m --keep /tmp/sim10m

Prints one Markdown table row (the format of bench/RESULTS.md).  The output
directory is removed afterwards unless ``--keep`` names it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from trailhound.simulator import SCENARIOS, SimulationConfig, simulate

# (days, accounts, scale) giving about the named number of records
PRESETS = {
    "100k": (7, 2, 1.0),
    "1m": (14, 3, 4.0),
    "10m": (30, 4, 14.5),
}


def _disk_usage(root: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(root):
        for f in files:
            total += os.stat(os.path.join(dirpath, f)).st_blocks * 512
    return total


def main() -> None:
    """Run one simulation and print its numbers."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", choices=sorted(PRESETS), default="1m")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="write here and keep the corpus")
    args = ap.parse_args()
    days, accounts, scale = PRESETS[args.preset]
    out = args.keep or Path(tempfile.mkdtemp(prefix="simbench-"))
    cpu0, main0 = time.process_time(), time.thread_time()
    result = simulate(
        SimulationConfig(
            out=out,
            days=days,
            accounts=accounts,
            scale=scale,
            seed=args.seed,
            scenarios=tuple(SCENARIOS),
            overwrite=True,
        )
    )
    cpu = time.process_time() - cpu0
    main_cpu = time.thread_time() - main0  # the generating thread alone (writers excluded)
    t = result.totals
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    disk = _disk_usage(out / "AWSLogs")
    files = t.cloudtrail_files + t.flow_files + t.finding_files
    print(
        f"| {args.preset} | {days} d x {accounts} acct x scale {scale} | {t.records:,} "
        f"({t.cloudtrail_events:,} CT / {t.flow_records:,} flow / {t.findings:,} GD) | "
        f"{result.seconds:.1f} s | {t.records / result.seconds:,.0f} | "
        f"{t.records / cpu:,.0f} | {t.records / main_cpu:,.0f} | {rss:.0f} MiB | "
        f"{t.bytes_written / 2**20:,.0f} MiB "
        f"({disk / 2**20:,.0f} MiB on disk, {files:,} files) | {os.getloadavg()[0]:.1f} |"
    )
    if args.keep is None:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
