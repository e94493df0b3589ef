"""Benign-background GuardDuty findings: port probes on the web tier, root sign-ins.

Real detectors are never silent; a few low-severity findings every week keep
``RELATED_FINDING`` from being a give-away of the attack day.
"""

from __future__ import annotations

import random
import time

import orjson

from trailhound.simulator import findings, ids, network
from trailhound.simulator.batch import HOUR, HourBatch
from trailhound.simulator.habits import root_day, stable
from trailhound.simulator.org import Org


def hour(org: Org, seed: int, origin: int, h: int, batch: HourBatch, days: int = 7) -> None:
    """Add the background findings of hour ``h``."""
    start = origin + h * HOUR
    t = time.gmtime(start)
    for acct in org.accounts:
        rng = random.Random(stable(seed, "gd", acct.id, h))
        if t.tm_hour == 6:
            for inst in acct.instances:
                if inst.tier != "web" or not inst.active(h) or rng.random() > 0.3:
                    continue
                scanners = [sc.address(rng) for sc in rng.sample(network.SCANNERS, 2)]
                ev = findings.event(
                    org,
                    finding_id=ids.hex_id(rng, 32),
                    event_uuid=ids.uuid4(rng),
                    account=acct.id,
                    region=inst.region,
                    type_="Recon:EC2/PortProbeUnprotectedPort",
                    severity=2,
                    title=f"Unprotected port on EC2 instance {inst.id} is being probed.",
                    description=f"EC2 instance {inst.id} has an unprotected port 22 which is "
                    "being probed by a known malicious host.",
                    resource=findings.instance_resource(inst),
                    action=findings.port_probe(inst.private_ip, 22, scanners),
                    first_seen=start - 5 * HOUR,
                    last_seen=start,
                    count=rng.randrange(3, 40),
                )
                batch.add_finding(acct.id, inst.region, start + 60, orjson.dumps(ev))
        if acct.index == 0 and root_day(h // 24, days) and t.tm_hour == 18:
            ev = findings.event(
                org,
                finding_id=ids.hex_id(rng, 32),
                event_uuid=ids.uuid4(rng),
                account=acct.id,
                region="us-east-1",
                type_="Policy:IAMUser/RootCredentialUsage",
                severity=2,
                title="API ListUsers was invoked using root credentials.",
                description=f"API ListUsers was invoked using root credentials in account "
                f"{acct.id}.",
                resource=findings.access_key_resource("", acct.id, "Root", "Root"),
                action=findings.aws_api_call(
                    "ListUsers", "iam.amazonaws.com", network.OFFICES["Seattle"].nth(1)
                ),
                first_seen=start - HOUR + 600,
                last_seen=start - HOUR + 700,
            )
            batch.add_finding(acct.id, "us-east-1", start + 60, orjson.dumps(ev))
