"""``beacon``: low-and-slow periodic callbacks from an app instance.

Implant traffic every five minutes with about 10 % jitter, small and steady in
size, to a host no other instance talks to; no GuardDuty finding (it stays
under the detectors), so only the flow records tell.
"""

from __future__ import annotations

from trailhound.ecs.entities import EntityKind
from trailhound.simulator import network
from trailhound.simulator.flows import WINDOW
from trailhound.simulator.scenarios.base import Scenario, ScenarioContext

PERIOD = 300
JITTER = 0.1


def run(ctx: ScenarioContext) -> None:
    """Emit the story into the attack day."""
    rng = ctx.rng
    acct = ctx.org.accounts[-1]
    apps = [i for i in acct.instances if i.tier == "app"] or list(acct.instances)
    victim = apps[-1]
    ip = ctx.attacker_ip(network.ATTACKER["beacon"].address(rng))
    inst_key = ctx.entity(EntityKind.EC2_INSTANCE, victim.id, "victim")
    ctx.entity(EntityKind.NETWORK_INTERFACE, victim.eni, "victim")
    ctx.entity(EntityKind.IP_ADDRESS, ip, "attacker")
    t = float(ctx.attack_start + 3600 + rng.randrange(0, 600))
    callbacks: list[int] = []
    while t < ctx.attack_end - WINDOW:
        ctx.connection(
            victim,
            ip,
            443,
            t,
            bytes_out=620 + rng.randrange(0, 80),
            bytes_in=1150 + rng.randrange(0, 120),
        )
        callbacks.append(int(t))
        t += PERIOD * (1 + rng.uniform(-JITTER, JITTER))
    ctx.truth.facts.update(
        {
            "account": acct.id,
            "instance_id": victim.id,
            "interface_id": victim.eni,
            "beacon_ip": ip,
            "port": 443,
            "period_seconds": PERIOD,
            "jitter": JITTER,
            "callbacks": len(callbacks),
            "first_callback": callbacks[0],
            "last_callback": callbacks[-1],
        }
    )
    for name, detail in (
        ("BEACONING", {"ip": ip, "port": 443, "period_seconds": PERIOD}),
        ("NEW_REMOTE_ENDPOINT", {"ip": ip, "port": 443}),
        ("FLAGGED_IP_ADDRESS", {"ip": ip}),
        ("NEW_ASO", {"aso": network.ATTACKER["beacon"].as_org}),
    ):
        ctx.indicator(name, inst_key, **detail)


SCENARIO = Scenario(
    name="beacon",
    description="An app instance calls a new host every 5 minutes (10 % jitter) all day.",
    run=run,
)
