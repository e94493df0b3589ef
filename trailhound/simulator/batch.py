"""One hour of generated records, before they are cut into files.

Baseline and scenarios both fill :class:`HourBatch` objects; the engine merges
them, sorts by time and writes files.  :class:`Emitter` builds full records
(ids known to the caller, for ground truth) into a batch.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import orjson

from trailhound.simulator import catalog, cloudtrail, flows
from trailhound.simulator.catalog import Call
from trailhound.simulator.identities import Identity
from trailhound.simulator.org import Instance

HOUR = 3600


@dataclass(slots=True)
class HourBatch:
    """Records of one hour: CloudTrail per (account, region), flows per flow log, findings."""

    ct: dict[tuple[str, str], list[tuple[float, bytes]]] = field(default_factory=dict)
    flows: dict[str, list[str]] = field(default_factory=dict)
    flow_status: dict[str, list[int]] = field(default_factory=dict)  # [nodata, skipdata]
    flow_owner: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # acct, region, fmt
    findings: dict[tuple[str, str], list[tuple[float, bytes]]] = field(default_factory=dict)

    def add_ct(self, account: str, region: str, ts: float, raw: bytes) -> None:
        """Queue one serialized CloudTrail record."""
        self.ct.setdefault((account, region), []).append((ts, raw))

    def flow_lines(self, inst: Instance) -> list[str]:
        """The list the instance's flow-log lines of this hour go to (append directly)."""
        fl = inst.flow_log
        bucket = self.flows.get(fl.id)
        if bucket is None:
            bucket = self.flows[fl.id] = []
            self.flow_status[fl.id] = [0, 0]
            self.flow_owner[fl.id] = (fl.account, fl.region, fl.fmt)
        return bucket

    def add_flow(self, inst: Instance, line: str, status: int = -1) -> None:
        """Queue one flow line in the instance's flow log; ``status`` 0=NODATA 1=SKIPDATA."""
        self.flow_lines(inst).append(line)
        if status >= 0:
            self.flow_status[inst.flow_log.id][status] += 1

    def add_record(
        self,
        rng: random.Random,
        identity: Identity | str,
        c: Call,
        *,
        ts: float,
        account: str,
        region: str,
        source_ip: str,
        user_agent: str,
        error: tuple[str, str] | None = None,
        vpc_endpoint: str | None = None,
        event_type: str = "AwsApiCall",
        shared_event_id: str | None = None,
    ) -> dict[str, Any]:
        """Build one full CloudTrail record and queue it; returns it (``eventID`` is the key)."""
        eid, rid = cloudtrail.new_ids(rng, c)
        rec = cloudtrail.build_record(
            identity,
            c,
            event_time=cloudtrail.iso(ts),
            event_id=eid,
            request_id=rid,
            region=region,
            recipient=account,
            source_ip=source_ip,
            user_agent=user_agent,
            error=error,
            vpc_endpoint=vpc_endpoint,
            event_type=event_type,
            shared_event_id=shared_event_id,
        )
        self.add_ct(account, rec["awsRegion"], ts, orjson.dumps(rec))
        return rec

    def add_finding(self, account: str, region: str, ts: float, raw: bytes) -> None:
        """Queue one serialized EventBridge finding event."""
        self.findings.setdefault((account, region), []).append((ts, raw))

    def merge(self, other: HourBatch) -> None:
        """Add everything from ``other`` (scenario events into the baseline hour)."""
        for k, v in other.ct.items():
            self.ct.setdefault(k, []).extend(v)
        for fl, lines in other.flows.items():
            self.flows.setdefault(fl, []).extend(lines)
            st = self.flow_status.setdefault(fl, [0, 0])
            ost = other.flow_status[fl]
            st[0] += ost[0]
            st[1] += ost[1]
            self.flow_owner[fl] = other.flow_owner[fl]
        for k, f in other.findings.items():
            self.findings.setdefault(k, []).extend(f)


class Emitter:
    """Builds full records into hour batches keyed by hour index from ``origin``."""

    def __init__(self, rng: random.Random, origin: int) -> None:
        self.rng = rng
        self.origin = origin
        self.hours: dict[int, HourBatch] = {}

    def batch(self, ts: float) -> HourBatch:
        """The batch holding time ``ts``."""
        h = int(ts - self.origin) // HOUR
        b = self.hours.get(h)
        if b is None:
            b = self.hours[h] = HourBatch()
        return b

    def record(self, identity: Identity, c: Call, *, ts: float, **kw: Any) -> dict[str, Any]:
        """Build and queue a record (:meth:`HourBatch.add_record`); returns it."""
        return self.batch(ts).add_record(self.rng, identity, c, ts=ts, **kw)

    def api(self, identity: Identity, api: str, target: str = "", **kw: Any) -> dict[str, Any]:
        """:meth:`record` for a catalog API (``service:EventName``)."""
        c = catalog.call(api, kw["account"], kw["region"], target)
        return self.record(identity, c, **kw)

    def flow(self, inst: Instance, f: flows.Flow) -> None:
        """Queue one OK flow record on the instance's interface."""
        self.batch(f.start).add_flow(inst, flows.render(inst, f))

    def finding(self, event: dict[str, Any], ts: float) -> None:
        """Queue one finding event."""
        self.batch(ts).add_finding(event["account"], event["region"], ts, orjson.dumps(event))
