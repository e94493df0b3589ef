"""Files in the key layouts AWS delivers to S3, gzip-compressed deterministically.

* CloudTrail: ``AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/
  <acct>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 chars>.json.gz`` with ``{"Records": [...]}``
* VPC Flow Logs: ``AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/
  <acct>_vpcflowlogs_<region>_<fl-id>_<YYYYMMDDTHHMMZ>_<8 hex>.log.gz``, header line first
* GuardDuty: EventBridge events as JSON lines under the GuardDuty export prefix,
  ``AWSLogs/<acct>/GuardDuty/<region>/YYYY/MM/DD/<uuid>.jsonl.gz``

The timestamp in a name is the delivery time (end of the file's window); the
gzip header carries no mtime, so one seed gives byte-identical files.  CloudTrail
files cover 5 minutes (at most 1,000 records each); flow-log files cover one hour
per flow log (S3 delivery publishes every 5 minutes; hourly files keep the file
count, the main cost on a busy disk, down and change nothing for a reader).
"""

from __future__ import annotations

import random
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from isal import isal_zlib

from trailhound.simulator import ids

# ISA-L level 1 deflates at 1-2 GB/s (5x zlib level 1) with a slightly better ratio;
# any gzip reader reads it.
GZIP_LEVEL = 1


def gzip_bytes(data: bytes) -> bytes:
    """Gzip ``data`` with a fixed header (mtime 0) so output is reproducible.

    One ``compress`` call per file: ISA-L ends a deflate block per call, so feeding
    small pieces separately costs up to 3x in size.
    """
    comp = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, 31)
    return comp.compress(data) + comp.flush()


def _stamp(ts: int) -> tuple[str, str]:
    """(``YYYY/MM/DD`` folder, ``YYYYMMDDTHHMMZ`` stamp) of a delivery time."""
    t = time.gmtime(ts)
    return time.strftime("%Y/%m/%d", t), time.strftime("%Y%m%dT%H%MZ", t)


@dataclass(slots=True)
class Totals:
    """What was written, per format; an ingest is checked against these."""

    cloudtrail_events: int = 0
    cloudtrail_files: int = 0
    flow_records: int = 0
    flow_records_ok: int = 0
    flow_nodata: int = 0
    flow_skipdata: int = 0
    flow_files: int = 0
    findings: int = 0
    finding_files: int = 0
    bytes_written: int = 0
    per_account: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def records(self) -> int:
        """All records written (CloudTrail events + flow lines + findings)."""
        return self.cloudtrail_events + self.flow_records + self.findings

    def add_to_account(self, account: str, key: str, n: int) -> None:
        """Count ``n`` records of kind ``key`` for ``account``."""
        per = self.per_account.setdefault(
            account, {"cloudtrail_events": 0, "flow_records": 0, "findings": 0}
        )
        per[key] += n


def _compress_and_write(path: Path, data: bytes) -> int:
    packed = gzip_bytes(data)
    path.write_bytes(packed)
    return len(packed)


class Writer:
    """Writes all three formats under ``root`` and keeps the totals.

    Compression and file creation run on a small thread pool: both release the GIL,
    and creating thousands of files is latency-bound on a busy disk.  Names and
    contents are decided on the calling thread, so output stays deterministic; at
    most ``max_pending`` files wait in memory.  Call :meth:`close` at the end.
    """

    def __init__(
        self,
        root: Path,
        rng: random.Random,
        ct_max_records: int = 1000,
        threads: int = 2,
        max_pending: int = 64,
    ) -> None:
        self.root = root
        self.rng = rng
        self.ct_max_records = ct_max_records
        self.totals = Totals()
        self._dirs: set[Path] = set()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="simwrite")
        self._pending: deque[Future[int]] = deque()
        self._max_pending = max_pending

    def _write(self, path: Path, data: bytes) -> None:
        parent = path.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        while len(self._pending) >= self._max_pending:
            self.totals.bytes_written += self._pending.popleft().result()
        self._pending.append(self._pool.submit(_compress_and_write, path, data))

    def close(self) -> None:
        """Wait for every file to be on disk (re-raising any write error)."""
        try:
            while self._pending:
                self.totals.bytes_written += self._pending.popleft().result()
        finally:
            self._pool.shutdown(wait=True)

    def cloudtrail(self, account: str, region: str, delivered: int, records: list[bytes]) -> None:
        """One or more CloudTrail files for a 5-minute window's (time-sorted) records."""
        day, stamp = _stamp(delivered)
        base = self.root / "AWSLogs" / account / "CloudTrail" / region / day
        for i in range(0, len(records), self.ct_max_records):
            part = records[i : i + self.ct_max_records]
            name = f"{account}_CloudTrail_{region}_{stamp}_{ids.alnum(self.rng, 16)}.json.gz"
            self._write(base / name, b'{"Records":[' + b",".join(part) + b"]}")
            self.totals.cloudtrail_files += 1
        self.totals.cloudtrail_events += len(records)
        self.totals.add_to_account(account, "cloudtrail_events", len(records))

    def flows(
        self,
        account: str,
        region: str,
        flow_log_id: str,
        delivered: int,
        header: str,
        lines: list[str],
        nodata: int,
        skipdata: int,
    ) -> None:
        """One flow-log file: header line, then records."""
        day, stamp = _stamp(delivered)
        name = (
            f"{account}_vpcflowlogs_{region}_{flow_log_id}_{stamp}_{ids.hex_id(self.rng, 8)}.log.gz"
        )
        path = self.root / "AWSLogs" / account / "vpcflowlogs" / region / day / name
        body = "\n".join((header, *lines)) + "\n"
        self._write(path, body.encode())
        t = self.totals
        t.flow_files += 1
        t.flow_records += len(lines)
        t.flow_nodata += nodata
        t.flow_skipdata += skipdata
        t.flow_records_ok += len(lines) - nodata - skipdata
        t.add_to_account(account, "flow_records", len(lines))

    def findings(self, account: str, region: str, delivered: int, events: list[bytes]) -> None:
        """One JSON-lines file of EventBridge GuardDuty events."""
        day, _ = _stamp(delivered)
        path = (
            self.root
            / "AWSLogs"
            / account
            / "GuardDuty"
            / region
            / day
            / f"{ids.uuid4(self.rng)}.jsonl.gz"
        )
        self._write(path, b"\n".join(events) + b"\n")
        self.totals.finding_files += 1
        self.totals.findings += len(events)
        self.totals.add_to_account(account, "findings", len(events))
