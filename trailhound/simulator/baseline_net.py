"""Benign network traffic: who talks to whom, per 10-minute window, as flow records.

Each account gets a fixed table of connections (web tier from Internet users,
web -> app -> db, everyone -> S3 and SSM endpoints, app -> a few SaaS APIs,
scanners probing the public web tier and being rejected).  Every connection
active in a window is written once per direction on each instance interface it
touches; an interface with nothing in a window writes ``NODATA``.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import NamedTuple

from trailhound.simulator import flows, network
from trailhound.simulator.batch import HOUR, HourBatch
from trailhound.simulator.flows import WINDOW
from trailhound.simulator.habits import load, stable
from trailhound.simulator.org import Account, Instance, Org

SKIPDATA_RATE = 0.0005
WEB_CLIENTS = 24  # Internet users hitting each web instance (flows outnumber API calls)


@dataclass(frozen=True, slots=True)
class Conn:
    """A habitual connection ``client -> server:port``; either end may be outside."""

    client: Instance | None
    client_ip: str
    server: Instance | None
    server_ip: str
    port: int
    p: float  # probability of being active in a window at full load
    bytes_req: int
    bytes_resp: int
    follows_load: bool = True
    rejected: bool = False
    business_hours: bool = False
    service: str = "-"  # pkt-*-aws-service of the remote end (S3, AMAZON)
    protocol: int = 6  # 1 = ICMP (ports 0)


def _conns(acct: Account, seed: int) -> list[Conn]:
    rng = random.Random(stable(seed, "conns", acct.id))
    by_tier: dict[str, list[Instance]] = {}
    for inst in acct.instances:
        by_tier.setdefault(inst.tier, []).append(inst)
    webs, apps = by_tier.get("web", []), by_tier.get("app", [])
    workers, dbs = by_tier.get("worker", []), by_tier.get("db", [])
    s3 = network.AWS_SERVICE[acct.region]
    out: list[Conn] = []
    saas = {k: [r.nth(stable(k, i) % 200) for i in range(2)] for k, r in network.SAAS.items()}
    homes = list(network.HOMES.values())
    for i, w in enumerate(webs):
        for _ in range(WEB_CLIENTS):
            ip = rng.choice(homes).address(rng)
            out.append(Conn(None, ip, w, w.private_ip, 443, 0.5, 1800, 42000))
        for sc in network.SCANNERS:
            out.append(
                Conn(
                    None,
                    sc.address(rng),
                    w,
                    w.private_ip,
                    rng.choice((22, 23, 3389, 445)),
                    0.04,
                    60,
                    0,
                    follows_load=False,
                    rejected=True,
                )
            )
            # and pings, rejected by the security group
            out.append(
                Conn(
                    None,
                    sc.address(rng),
                    w,
                    w.private_ip,
                    0,
                    0.02,
                    84,
                    0,
                    follows_load=False,
                    rejected=True,
                    protocol=1,
                )
            )
        if apps:
            out.append(
                Conn(
                    w,
                    w.private_ip,
                    apps[i % len(apps)],
                    apps[i % len(apps)].private_ip,
                    8080,
                    0.95,
                    3000,
                    28000,
                )
            )
    for i, a in enumerate(apps):
        peer = apps[(i + 1) % len(apps)]
        if peer is not a:  # service-to-service calls inside the app tier
            out.append(Conn(a, a.private_ip, peer, peer.private_ip, 8443, 0.8, 1500, 9000))
        if dbs:
            out.append(
                Conn(
                    a,
                    a.private_ip,
                    dbs[i % len(dbs)],
                    dbs[i % len(dbs)].private_ip,
                    5432,
                    0.95,
                    2500,
                    60000,
                )
            )
        out.append(
            Conn(
                a,
                a.private_ip,
                None,
                rng.choice(saas["datadog"]),
                443,
                0.9,
                12000,
                900,
                follows_load=False,
            )
        )
        out.append(Conn(a, a.private_ip, None, rng.choice(saas["sentry"]), 443, 0.25, 4000, 600))
        if i % 2 == 0:
            out.append(
                Conn(a, a.private_ip, None, rng.choice(saas["stripe"]), 443, 0.3, 2200, 3100)
            )
    for i, wk in enumerate(workers):
        if dbs:
            out.append(
                Conn(
                    wk,
                    wk.private_ip,
                    dbs[i % len(dbs)],
                    dbs[i % len(dbs)].private_ip,
                    5432,
                    0.6,
                    4000,
                    250000,
                    business_hours=True,
                )
            )
        out.append(
            Conn(
                wk,
                wk.private_ip,
                None,
                rng.choice(saas["pypi"]),
                443,
                0.04,
                900,
                850000,
                follows_load=False,
            )
        )
        out.append(
            Conn(
                wk,
                wk.private_ip,
                None,
                rng.choice(saas["github"]),
                443,
                0.05,
                1500,
                120000,
                follows_load=False,
                business_hours=True,
            )
        )
    for inst in acct.instances:
        out.append(
            Conn(
                inst,
                inst.private_ip,
                None,
                s3.nth(stable(inst.id) % 250),
                443,
                0.6 if inst.tier != "db" else 0.1,
                3000,
                90000,
                business_hours=inst.tier == "worker",
                service="S3",
            )
        )
        out.append(
            Conn(
                inst,
                inst.private_ip,
                None,
                s3.nth(1000 + stable(acct.id) % 50),
                443,
                0.45,
                1400,
                900,
                follows_load=False,
                service="AMAZON",
            )
        )  # SSM endpoint
    return out


class Leg(NamedTuple):
    """One record a connection writes on one interface; the line is
    ``{head}{port} {port}{mid}{packets} {bytes} {start} {end}{tail}``."""

    instance: str
    head: str
    mid: str
    tail: str
    request: bool  # the client -> server direction (ephemeral source port first)


def _legs(c: Conn) -> tuple[Leg, ...]:
    """The records a connection writes per active window, precomputed once."""
    internet = c.client is None or c.server is None
    out: list[Leg] = []

    def add(inst: Instance, src: str, dst: str, action: str, egress: bool, req: bool) -> None:
        head, mid, tail = flows.parts(
            inst.flow_log.fmt == "v5",
            flows.prefix(inst),
            src,
            dst,
            action,
            egress,
            internet,
            c.service,
            c.protocol,
        )
        out.append(Leg(inst.id, head, mid, " " + tail, req))

    if c.rejected:
        assert c.server is not None
        add(c.server, c.client_ip, c.server_ip, "REJECT", False, True)
        return tuple(out)
    if c.client is not None:
        add(c.client, c.client_ip, c.server_ip, "ACCEPT", True, True)
        add(c.client, c.server_ip, c.client_ip, "ACCEPT", False, False)
    if c.server is not None:
        add(c.server, c.client_ip, c.server_ip, "ACCEPT", False, True)
        add(c.server, c.server_ip, c.client_ip, "ACCEPT", True, False)
    return tuple(out)


class NetBaseline:
    """Generates the benign flow records of one hour, for every account."""

    def __init__(self, org: Org, seed: int, origin: int) -> None:
        self.org = org
        self.seed = seed
        self.origin = origin
        self.conns = {a.id: _conns(a, seed) for a in org.accounts}
        self.legs = {a.id: [_legs(c) for c in self.conns[a.id]] for a in org.accounts}

    def hour(self, h: int, batch: HourBatch) -> None:
        """Fill ``batch`` with the flow records of hour ``h``."""
        start = self.origin + h * HOUR
        t = time.gmtime(start)
        lf = load(t.tm_hour, t.tm_wday)
        busy = 8 <= t.tm_hour < 20 and t.tm_wday < 5
        for acct in self.org.accounts:
            rng = random.Random(stable(self.seed, "net", acct.id, h))
            conns = self.conns[acct.id]
            probs = [
                (c.p * lf if c.follows_load else c.p)
                * (0.1 if c.business_hours and not busy else 1)
                for c in conns
            ]
            work = [
                w
                for w in zip(conns, probs, self.legs[acct.id], strict=True)
                if (w[0].client is None or w[0].client.active(h))
                and (w[0].server is None or w[0].server.active(h))
            ]
            lists = {i.id: batch.flow_lines(i) for i in acct.instances}
            rand = rng.random
            bits = rng.getrandbits
            scale0 = 0.4 + lf
            for w in range(HOUR // WINDOW):
                ws = start + w * WINDOW
                seen: set[str] = set()
                for c, p, legs in work:
                    if rand() >= p:
                        continue
                    # one draw for every varying number of the window's records
                    b = bits(40)
                    st = ws + (b & 31)
                    en = ws + WINDOW - ((b >> 5) & 63)
                    eph = 32768 + ((b >> 11) & 0x3FFF) + ((b >> 25) & 0x1FFF)
                    if c.protocol != 6:
                        eph = 0
                    scale = scale0 * (0.5 + ((b >> 30) & 1023) / 1024)
                    breq = max(40, int(c.bytes_req * scale))
                    port = c.port
                    if c.rejected:
                        preq, bresp, presp = 1 + (b & 1), 0, 0
                    else:
                        bresp = int(c.bytes_resp * scale)
                        preq, presp = breq // 900 + 1, bresp // 1200 + 1
                    for iid, head, mid, tail, req in legs:
                        if req:
                            row = f"{head}{eph} {port}{mid}{preq} {breq} {st} {en}{tail}"
                        else:
                            row = f"{head}{port} {eph}{mid}{presp} {bresp} {st} {en}{tail}"
                        lists[iid].append(row)
                        seen.add(iid)
                for inst in acct.instances:
                    if not inst.active(h):
                        continue
                    if rand() < SKIPDATA_RATE:
                        batch.add_flow(
                            inst, flows.render_status(inst, ws, ws + WINDOW, "SKIPDATA"), 1
                        )
                    elif inst.id not in seen:
                        st, en = ws + int(rand() * 30), ws + WINDOW - int(rand() * 30)
                        batch.add_flow(inst, flows.render_status(inst, st, en, "NODATA"), 0)
