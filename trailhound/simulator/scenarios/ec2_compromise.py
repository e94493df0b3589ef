"""``ec2-compromise``: a public web instance is taken over and its role is abused.

Story (DEVELOPERS.md walkthrough): an exploit arrives on 443, the instance
calls a C2 server and a mining pool (GuardDuty ``Backdoor:EC2/C&CActivity.B``,
``CryptoCurrency:EC2/BitcoinTool.B!DNS``), then its instance-profile session
enumerates S3 (``ListBuckets``, ``GetBucketAcl``) with a new user agent, reads
customer exports, ships them to a new host, and tries
``AuthorizeSecurityGroupIngress`` (denied).
"""

from __future__ import annotations

from trailhound.ecs.entities import EntityKind
from trailhound.simulator import cloudtrail, findings, identities, network
from trailhound.simulator.flows import WINDOW
from trailhound.simulator.habits import object_key
from trailhound.simulator.scenarios.base import Scenario, ScenarioContext

ATTACK_UA = "aws-cli/1.18.69 Python/2.7.18 Linux/4.14.186-146.268.amzn2.x86_64 botocore/1.16.19"
POOL_DOMAIN = "pool.supportxmr.com"


def run(ctx: ScenarioContext) -> None:
    """Emit the story into the attack day."""
    rng = ctx.rng
    acct = ctx.org.accounts[0]
    victim = next(i for i in acct.instances if i.tier == "web")
    region = victim.region
    t0 = ctx.attack_start + (13 + rng.randrange(0, 3)) * 3600 + rng.randrange(0, 1800)
    exploit_ip = ctx.attacker_ip(network.ATTACKER["vpn"].address(rng))
    c2 = ctx.attacker_ip(network.ATTACKER["c2"].address(rng))
    pool = ctx.attacker_ip(network.ATTACKER["mining-pool"].address(rng))
    exfil = ctx.attacker_ip(network.ATTACKER["exfil"].address(rng))

    inst_key = ctx.entity(EntityKind.EC2_INSTANCE, victim.id, "victim")
    ctx.entity(EntityKind.NETWORK_INTERFACE, victim.eni, "victim")
    h = int(t0 - ctx.api_baseline.origin) // 3600
    key = ctx.api_baseline.session_key(victim.id, h // 6)
    since = cloudtrail.iso(ctx.api_baseline.origin + (h // 6) * 6 * 3600 + 7)
    ident = identities.assumed_role(victim.role, victim.id, key, since, ec2_delivery=True)
    session_id = f"{victim.role.principal_id}:{victim.id}"
    sess_key = ctx.entity(EntityKind.AWS_ROLE_SESSION, session_id, "victim")
    ctx.entity(EntityKind.AWS_ROLE, victim.role.arn, "victim")
    ctx.entity(EntityKind.ACCESS_KEY, key, "victim")
    for ip in (c2, pool, exfil, exploit_ip):
        ctx.entity(EntityKind.IP_ADDRESS, ip, "attacker")

    # initial access: the exploit request on 443
    ctx.connection(
        victim, exploit_ip, 443, t0, bytes_out=5200, bytes_in=31000, outbound=False, local_port=443
    )
    # C2 and mining: one connection per window until the end of the day
    end = ctx.attack_end - WINDOW
    t = t0 + 240
    while t < end:
        ctx.connection(
            victim,
            c2,
            443,
            t,
            bytes_out=1800 + rng.randrange(0, 400),
            bytes_in=2400 + rng.randrange(0, 800),
        )
        ctx.connection(
            victim,
            pool,
            3333,
            t + 20,
            bytes_out=42000 + rng.randrange(0, 9000),
            bytes_in=38000 + rng.randrange(0, 9000),
        )
        t += WINDOW
    # enumeration and collection with the instance's own credentials, from its public IP
    src = victim.public_ip or acct.nat_ip
    kw = {"account": acct.id, "region": region, "source_ip": src, "user_agent": ATTACK_UA}
    ts = t0 + 900
    ctx.api(ident, "sts:GetCallerIdentity", ts=ts, **kw)
    ctx.api(ident, "s3:ListBuckets", ts=ts + 20, **kw)
    for i, b in enumerate(acct.buckets):
        ctx.api(ident, "s3:GetBucketAcl", b, ts=ts + 30 + i * 3, **kw)
    ctx.api(ident, "s3:GetBucketPolicy", acct.buckets[1], ts=ts + 50, **kw)
    ctx.api(ident, "ec2:DescribeInstances", ts=ts + 60, **kw)
    ctx.api(ident, "ec2:DescribeSecurityGroups", ts=ts + 65, **kw)
    ctx.api(
        ident,
        "iam:ListUsers",
        ts=ts + 70,
        error=(
            "AccessDenied",
            f"User: {ident['arn']} is not authorized to perform: "
            "iam:ListUsers on resource: arn:aws:iam::"
            f"{acct.id}:user/ because no identity-based policy allows the "
            "iam:ListUsers action",
        ),
        **kw,
    )
    exports = acct.buckets[1]
    ctx.entity(EntityKind.S3_BUCKET, exports, "target")
    ctx.api(ident, "s3:ListObjects", exports, ts=ts + 80, **kw)
    n_objects = 60
    for i in range(n_objects):
        ctx.api(
            ident,
            "s3:GetObject",
            f"{exports}/{object_key(exports, 100 + i)}",
            ts=ts + 90 + i * 4,
            **kw,
        )
    for i in range(4):
        ctx.api(
            ident,
            "ec2:AuthorizeSecurityGroupIngress",
            f"sg-{victim.eni[4:]}|{exploit_ip}/32",
            ts=ts + 400 + i * 15,
            error=(
                "Client.UnauthorizedOperation",
                "You are not authorized to perform this operation.",
            ),
            **kw,
        )
    # exfiltration: three large uploads to a new host
    for i in range(3):
        ctx.connection(
            victim,
            exfil,
            443,
            ts + 700 + i * WINDOW,
            bytes_out=250_000_000 + rng.randrange(0, 50_000_000),
            bytes_in=90_000,
        )

    fseen = ts + 700
    inst_res = findings.instance_resource(victim)
    ctx.finding(
        account=acct.id,
        region=region,
        type_="Backdoor:EC2/C&CActivity.B",
        severity=8,
        title=f"EC2 instance {victim.id} is communicating with a command and control server.",
        description=f"EC2 instance {victim.id} is communicating with IP address {c2} on "
        "the threat list SimulatedThreatIntel.",
        resource=inst_res,
        action=findings.network_connection(victim.private_ip, 49152, c2, 443),
        first_seen=t0 + 240,
        last_seen=fseen,
        count=12,
        resource_key=inst_key,
        threat_list="SimulatedThreatIntel",
    )
    ctx.finding(
        account=acct.id,
        region=region,
        type_="CryptoCurrency:EC2/BitcoinTool.B!DNS",
        severity=8,
        title=f"EC2 instance {victim.id} is querying a domain name that is "
        "associated with Bitcoin-related activity.",
        description=f"EC2 instance {victim.id} is querying {POOL_DOMAIN}.",
        resource=inst_res,
        action=findings.dns_request(POOL_DOMAIN),
        first_seen=t0 + 250,
        last_seen=fseen,
        count=30,
        resource_key=inst_key,
    )
    ctx.finding(
        account=acct.id,
        region=region,
        type_="CryptoCurrency:EC2/BitcoinTool.B",
        severity=8,
        title=f"EC2 instance {victim.id} is communicating with a Bitcoin mining pool.",
        description=f"EC2 instance {victim.id} is communicating with IP address {pool}.",
        resource=inst_res,
        action=findings.network_connection(victim.private_ip, 50211, pool, 3333),
        first_seen=t0 + 260,
        last_seen=fseen,
        count=25,
        resource_key=inst_key,
    )

    ctx.truth.facts.update(
        {
            "account": acct.id,
            "instance_id": victim.id,
            "instance_public_ip": victim.public_ip,
            "role_session_id": session_id,
            "role_arn": victim.role.arn,
            "access_key_id": key,
            "c2_ip": c2,
            "mining_pool_ip": pool,
            "mining_pool_domain": POOL_DOMAIN,
            "exfil_ip": exfil,
            "exploit_ip": exploit_ip,
            "bucket": exports,
            "objects_read": n_objects,
            "attack_user_agent": ATTACK_UA,
        }
    )
    for name, entity, detail in (
        ("RELATED_FINDING", inst_key, {}),
        ("FLAGGED_IP_ADDRESS", inst_key, {"ip": c2}),
        ("FLAGGED_IP_ADDRESS", inst_key, {"ip": pool}),
        ("NEW_REMOTE_ENDPOINT", inst_key, {"ip": c2, "port": 443}),
        ("NEW_REMOTE_ENDPOINT", inst_key, {"ip": pool, "port": 3333}),
        ("NEW_ASO", inst_key, {"aso": network.ATTACKER["c2"].as_org}),
        ("DATA_EXFILTRATION_VOLUME", inst_key, {"ip": exfil}),
        ("NEW_USER_AGENT", sess_key, {"user_agent": ATTACK_UA}),
        (
            "NEW_API_CALL",
            sess_key,
            {
                "apis": [
                    "ListBuckets",
                    "GetBucketAcl",
                    "AuthorizeSecurityGroupIngress",
                    "GetCallerIdentity",
                ]
            },
        ),
        ("TTP_OBSERVED", sess_key, {"api": "ListBuckets"}),
        ("TTP_OBSERVED", sess_key, {"api": "AuthorizeSecurityGroupIngress"}),
        ("FAILED_CALL_SPIKE", sess_key, {}),
        ("INCREASED_VOLUME", sess_key, {"api": "GetObject"}),
        ("RELATED_FINDING", sess_key, {}),
    ):
        ctx.indicator(name, entity, **detail)


SCENARIO = Scenario(
    name="ec2-compromise",
    description="A public web instance is taken over; C2, mining, S3 theft by its role.",
    run=run,
)
