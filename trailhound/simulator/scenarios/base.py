"""What a scenario is, and the context it writes its story through.

A scenario is one module exposing ``SCENARIO``: a name, a description and a
``run(ctx)`` function.  ``run`` emits records through :class:`ScenarioContext`,
which builds them with the same builders as the baseline (so formats cannot
drift) and records every id in the scenario's :class:`ScenarioTruth`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trailhound.ecs.entities import EntityKind, entity_key
from trailhound.simulator import findings, flows, ids
from trailhound.simulator.baseline_api import ApiBaseline
from trailhound.simulator.batch import Emitter
from trailhound.simulator.catalog import Call
from trailhound.simulator.flows import WINDOW, Flow
from trailhound.simulator.identities import Identity
from trailhound.simulator.org import Instance, Org

INDICATORS = frozenset({
    "TTP_OBSERVED", "IMPOSSIBLE_TRAVEL", "FLAGGED_IP_ADDRESS", "NEW_GEOLOCATION", "NEW_ASO",
    "NEW_USER_AGENT", "RELATED_FINDING", "NEW_API_CALL", "INCREASED_VOLUME",
    "FAILED_CALL_SPIKE", "RARE_API_FOR_ACCOUNT", "NEW_REMOTE_ENDPOINT", "BEACONING",
    "DATA_EXFILTRATION_VOLUME",
})  # fmt: skip


@dataclass(slots=True)
class ScenarioTruth:
    """The labelled answer of one scenario run."""

    name: str
    description: str
    benign: bool
    start: float = float("inf")
    end: float = float("-inf")
    entities: list[dict[str, str]] = field(default_factory=list)
    attacker_ips: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    event_names: Counter[str] = field(default_factory=Counter)
    flow_tuples: list[dict[str, Any]] = field(default_factory=list)
    finding_ids: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def touch(self, ts: float) -> None:
        """Widen [start, end] to include ``ts``."""
        self.start = min(self.start, ts)
        self.end = max(self.end, ts)


@dataclass(slots=True)
class ScenarioContext:
    """Everything a scenario needs: the org, a seeded rng, the attack day, emitters."""

    org: Org
    rng: random.Random
    emitter: Emitter
    api_baseline: ApiBaseline
    attack_start: int
    attack_end: int
    truth: ScenarioTruth

    # -- entities and indicators ------------------------------------------------------------
    def entity(self, kind: EntityKind, ident: str, role: str) -> str:
        """Record an involved entity; ``role`` is victim | attacker | target | new."""
        key = entity_key(kind, ident)
        if not any(e["key"] == key for e in self.truth.entities):
            self.truth.entities.append({"kind": kind.value, "id": ident, "key": key, "role": role})
        return key

    def indicator(self, name: str, entity: str, **detail: Any) -> None:
        """Record an indicator the read side should raise on ``entity`` (a key)."""
        if name not in INDICATORS:
            raise ValueError(f"unknown indicator {name!r}")
        self.truth.indicators.append({"indicator": name, "entity": entity, **detail})

    def attacker_ip(self, ip: str) -> str:
        """Record an attacker address (listed in the threat-intel feed)."""
        if ip not in self.truth.attacker_ips:
            self.truth.attacker_ips.append(ip)
        return ip

    # -- records ----------------------------------------------------------------------------
    def _log(self, rec: dict[str, Any], ts: float) -> str:
        self.truth.event_ids.append(rec["eventID"])
        self.truth.event_names[rec["eventName"]] += 1
        self.truth.touch(ts)
        return str(rec["eventID"])

    def api(self, identity: Identity, api: str, target: str = "", **kw: Any) -> str:
        """Emit one catalog call; returns its eventID."""
        return self._log(self.emitter.api(identity, api, target, **kw), kw["ts"])

    def record(self, identity: Identity, c: Call, **kw: Any) -> str:
        """Emit one prepared call; returns its eventID."""
        return self._log(self.emitter.record(identity, c, **kw), kw["ts"])

    def flow(self, inst: Instance, f: Flow) -> None:
        """Emit one flow record on the instance's interface."""
        self.emitter.flow(inst, f)
        self.truth.flow_tuples.append(flows.tuple_of(inst, f))
        self.truth.touch(f.start)

    def connection(
        self,
        inst: Instance,
        remote_ip: str,
        remote_port: int,
        ts: float,
        *,
        bytes_out: int,
        bytes_in: int,
        outbound: bool = True,
        local_port: int | None = None,
        action: str = "ACCEPT",
    ) -> None:
        """One connection in the window holding ``ts``, logged both ways on ``inst``'s ENI."""
        ws = int(ts) - (int(ts) - self.attack_start) % WINDOW
        st, en = int(ts), min(ws + WINDOW - self.rng.randrange(1, 30), int(ts) + WINDOW)
        en = max(en, st + 1)
        lp = local_port or self.rng.randrange(32768, 61000)
        pout, pin = max(1, bytes_out // 1000), max(1, bytes_in // 1000)
        out_flow = Flow(
            src=inst.private_ip,
            dst=remote_ip,
            srcport=lp,
            dstport=remote_port,
            protocol=6,
            packets=pout,
            bytes=bytes_out,
            start=st,
            end=en,
            action=action,
            egress=True,
            internet=True,
        )
        in_flow = out_flow._replace(
            src=remote_ip,
            dst=inst.private_ip,
            srcport=remote_port,
            dstport=lp,
            packets=pin,
            bytes=bytes_in,
            egress=False,
        )
        # The initiating direction is always logged; only an accepted connection has a reply.
        first, reply = (out_flow, in_flow) if outbound else (in_flow, out_flow)
        self.flow(inst, first)
        if action == "ACCEPT":
            self.flow(inst, reply)

    def finding(
        self,
        *,
        account: str,
        region: str,
        type_: str,
        severity: float,
        title: str,
        description: str,
        resource: dict[str, Any],
        action: dict[str, Any],
        first_seen: float,
        last_seen: float,
        count: int = 1,
        resource_key: str,
        threat_list: str | None = None,
    ) -> str:
        """Emit one GuardDuty finding; returns its id."""
        fid = ids.hex_id(self.rng, 32)
        ev = findings.event(
            self.org,
            finding_id=fid,
            event_uuid=ids.uuid4(self.rng),
            account=account,
            region=region,
            type_=type_,
            severity=severity,
            title=title,
            description=description,
            resource=resource,
            action=action,
            first_seen=first_seen,
            last_seen=last_seen,
            count=count,
            threat_list=threat_list,
        )
        self.emitter.finding(ev, last_seen + 300)
        self.truth.finding_ids.append(fid)
        self.truth.findings.append(
            {
                "id": fid,
                "type": type_,
                "severity": severity,
                "resource": resource_key,
                "account": account,
            }
        )
        self.truth.touch(first_seen)
        self.entity(EntityKind.FINDING, fid, "finding")
        return fid


@dataclass(frozen=True, slots=True)
class Scenario:
    """A registered attack (or benign-change) story."""

    name: str
    description: str
    run: Callable[[ScenarioContext], None]
    benign: bool = False
