"""``leaked-key``: an IAM user's access key is used by someone else, far away.

The key's owner keeps working from home or the office; within the hour the same
key calls from a VPN provider in another country (impossible travel), enumerates
IAM, hits a burst of access-denied errors, then escalates: ``AttachUserPolicy``
(AdministratorAccess on itself), ``CreateAccessKey`` for a colleague and
``CreateLoginProfile``.
"""

from __future__ import annotations

from typing import Any

from trailhound.ecs.entities import EntityKind
from trailhound.simulator import findings, identities, ids, network
from trailhound.simulator.scenarios.base import Scenario, ScenarioContext

ATTACK_UA = (
    "aws-cli/2.9.19 Python/3.9.11 Linux/5.15.0-58-generic exe/x86_64.ubuntu.20 prompt/off "
    "command/iam.list-users"
)
DENIED_APIS = (
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "iam:GetUser",
    "ec2:DescribeInstances",
    "kms:Decrypt",
)


def run(ctx: ScenarioContext) -> None:
    """Emit the story into the attack day."""
    rng = ctx.rng
    acct = ctx.org.accounts[0]
    victim = next(
        (u for u in acct.users if u.persona in ("ops", "data") and u.first_day == 0),
        acct.users[-1],
    )
    other = next(u for u in acct.users if u is not victim)
    region = acct.region
    # during the victim's working morning, so their own calls bracket the attacker's
    local_10am = ctx.attack_start + (10 - victim.utc_offset) % 24 * 3600
    t0 = local_10am + rng.randrange(0, 1800)
    day = int(t0 - ctx.api_baseline.origin) // 86400
    legit_ip = ctx.api_baseline.user_ip(victim, day)
    ident = identities.iam_user(victim)
    user_key = ctx.entity(EntityKind.AWS_USER, victim.arn, "victim")
    ctx.entity(EntityKind.ACCESS_KEY, victim.access_key, "victim")
    vpn = network.ATTACKER["vpn"]
    ips = [ctx.attacker_ip(vpn.address(rng)) for _ in range(2)]
    for ip in ips:
        ctx.entity(EntityKind.IP_ADDRESS, ip, "attacker")

    # the owner, minutes before: ordinary calls from the usual place (not malicious)
    legit: list[str] = []
    for i, api in enumerate(
        ("sts:GetCallerIdentity", "ec2:DescribeInstances", "cloudformation:DescribeStacks")
    ):
        rec = ctx.emitter.api(
            ident,
            api,
            f"{acct.name}-app-stack",
            ts=t0 - 1500 + i * 40,
            account=acct.id,
            region=region,
            source_ip=legit_ip,
            user_agent=victim.user_agent,
        )
        legit.append(rec["eventID"])

    def kw(ts: float, k: int = 0) -> dict[str, Any]:
        return {
            "ts": ts,
            "account": acct.id,
            "region": region,
            "source_ip": ips[k % 2],
            "user_agent": ATTACK_UA,
        }

    t = t0
    ctx.api(ident, "sts:GetCallerIdentity", **kw(t))
    for i, api in enumerate(
        (
            "iam:ListUsers",
            "iam:ListRoles",
            "iam:ListAccessKeys",
            "iam:ListAttachedUserPolicies",
            "iam:ListGroupsForUser",
        )
    ):
        ctx.api(ident, api, victim.name, **kw(t + 20 + i * 9))
    t += 120
    n_denied = 30
    for i in range(n_denied):
        api = DENIED_APIS[i % len(DENIED_APIS)]
        tgt = {
            "secretsmanager:GetSecretValue": f"{acct.name}/db-credentials-AbCdEf",
            "ssm:GetParameter": f"/{acct.name}/app/config",
            "iam:GetUser": acct.users[i % len(acct.users)].name,
            "kms:Decrypt": "mrk-" + ids.hex_id(rng, 32),
        }.get(api, "")
        ctx.api(
            ident,
            api,
            tgt,
            error=(
                "AccessDenied",
                f"User: {victim.arn} is not authorized to perform: {api} because "
                f"no identity-based policy allows the {api} action",
            ),
            **kw(t + i * 3, i),
        )
    t += 200
    ctx.api(ident, "iam:AttachUserPolicy", victim.name, **kw(t))
    new_key = ids.access_key_id(rng, "AKIA")
    ctx.api(ident, "iam:CreateAccessKey", f"{other.name}|{new_key}", **kw(t + 30, 1))
    ctx.api(ident, "iam:CreateLoginProfile", victim.name, **kw(t + 60))
    ctx.entity(EntityKind.ACCESS_KEY, new_key, "new")
    ctx.entity(EntityKind.AWS_USER, other.arn, "target")
    ctx.api(ident, "s3:ListBuckets", **kw(t + 120))
    for i, b in enumerate(acct.buckets[:3]):
        ctx.api(ident, "s3:ListObjects", b, **kw(t + 130 + i * 5, i))

    res = findings.access_key_resource(
        victim.access_key, victim.principal_id, victim.name, "IAMUser"
    )
    for type_, api, ts, desc in (
        (
            "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom",
            "ListUsers",
            t0 + 20,
            "API ListUsers was invoked from an IP address on a custom threat list.",
        ),
        (
            "PrivilegeEscalation:IAMUser/AnomalousBehavior",
            "AttachUserPolicy",
            t,
            "APIs commonly used to obtain higher-level permissions were invoked in an unusual way.",
        ),
        (
            "Persistence:IAMUser/AnomalousBehavior",
            "CreateAccessKey",
            t + 30,
            "APIs commonly used to maintain unauthorized access were invoked in an unusual way.",
        ),
    ):
        ctx.finding(
            account=acct.id,
            region=region,
            type_=type_,
            severity=5,
            title=f"User {victim.name} called {api} in an unusual way.",
            description=desc,
            resource=res,
            action=findings.aws_api_call(api, "iam.amazonaws.com", ips[0]),
            first_seen=ts,
            last_seen=ts + 60,
            resource_key=user_key,
            threat_list="SimulatedThreatIntel" if "Custom" in type_ else None,
        )

    legit_range = network.range_of(legit_ip)
    legit_city = legit_range.place.city if legit_range else victim.city
    ctx.truth.facts.update(
        {
            "account": acct.id,
            "user_arn": victim.arn,
            "user_name": victim.name,
            "access_key_id": victim.access_key,
            "legit_ip": legit_ip,
            "legit_location": {"city": legit_city},
            "legit_event_ids": legit,
            "attacker_ips": ips,
            "attacker_location": {
                "city": vpn.place.city,
                "country": vpn.place.country_iso,
                "aso": vpn.as_org,
                "asn": vpn.asn,
            },
            "created_access_key": new_key,
            "key_created_for": other.arn,
            "denied_calls": n_denied,
            "attack_user_agent": ATTACK_UA,
        }
    )
    for name, detail in (
        ("IMPOSSIBLE_TRAVEL", {"from_ip": legit_ip, "to_ip": ips[0]}),
        ("NEW_GEOLOCATION", {"country": vpn.place.country_iso, "city": vpn.place.city}),
        ("NEW_ASO", {"aso": vpn.as_org}),
        ("NEW_USER_AGENT", {"user_agent": ATTACK_UA}),
        ("FLAGGED_IP_ADDRESS", {"ip": ips[0]}),
        ("FAILED_CALL_SPIKE", {"failed": n_denied}),
        (
            "NEW_API_CALL",
            {"apis": ["AttachUserPolicy", "CreateAccessKey", "CreateLoginProfile", "ListUsers"]},
        ),
        ("TTP_OBSERVED", {"api": "AttachUserPolicy"}),
        ("TTP_OBSERVED", {"api": "CreateAccessKey"}),
        ("TTP_OBSERVED", {"api": "CreateLoginProfile"}),
        ("RARE_API_FOR_ACCOUNT", {"api": "CreateLoginProfile"}),
        ("RELATED_FINDING", {}),
    ):
        ctx.indicator(name, user_key, **detail)


SCENARIO = Scenario(
    name="leaked-key",
    description="An IAM user's key is used from a VPN abroad: impossible travel, escalation.",
    run=run,
)
