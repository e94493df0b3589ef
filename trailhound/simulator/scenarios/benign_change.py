"""``benign-change``: new but legitimate behaviour, to measure false positives.

On the last day an engineer onboards a new hire (``CreateUser``,
``AddUserToGroup``, ``CreateAccessKey``) who then works from the office like
their colleagues, and the deploy pipeline launches a new app instance that
behaves like the other app instances.  Nothing here is malicious: a good
detector raises no entity of this scenario to HIGH.
"""

from __future__ import annotations

import dataclasses

from trailhound.ecs.entities import EntityKind
from trailhound.simulator import catalog, cloudtrail, identities, ids, network, sts
from trailhound.simulator.flows import WINDOW
from trailhound.simulator.habits import CI_UA, SSM_UA, TIER_UA, object_key, stable
from trailhound.simulator.org import USER_AGENTS, Instance, User
from trailhound.simulator.scenarios.base import Scenario, ScenarioContext

HIRE_APIS = (
    "sts:GetCallerIdentity",
    "s3:ListBuckets",
    "ec2:DescribeInstances",
    "logs:DescribeLogGroups",
    "cloudformation:DescribeStacks",
)


def run(ctx: ScenarioContext) -> None:
    """Emit the story into the attack day."""
    rng = ctx.rng
    acct = ctx.org.accounts[0]
    region = acct.region
    day0 = ctx.attack_start
    # -- the new hire -------------------------------------------------------------------------
    admin = next((u for u in acct.users if u.persona == "ops"), acct.users[0])
    seattle = network.OFFICES["Seattle"]
    # the admin works from where they always do that day (no new place for them)
    admin_ip = ctx.api_baseline.user_ip(admin, int(day0 - ctx.api_baseline.origin) // 86400)
    hire = User(
        name="zoe",
        account=acct.id,
        principal_id=ids.iam_unique_id(rng, "AIDA"),
        access_key=ids.access_key_id(rng, "AKIA"),
        persona="developer",
        city="Seattle",
        user_agent=USER_AGENTS["developer"][0].replace("{cmd}", "s3.ls"),
    )
    t = day0 + 17 * 3600 + rng.randrange(0, 900)  # 09:xx in Seattle
    a_ident = identities.iam_user(admin)
    kw = {"account": acct.id, "region": region, "user_agent": admin.user_agent}
    ctx.api(a_ident, "iam:CreateUser", hire.name, ts=t, source_ip=admin_ip, **kw)
    ctx.api(a_ident, "iam:AddUserToGroup", hire.name, ts=t + 30, source_ip=admin_ip, **kw)
    ctx.api(
        a_ident,
        "iam:CreateAccessKey",
        f"{hire.name}|{hire.access_key}",
        ts=t + 60,
        source_ip=admin_ip,
        **kw,
    )
    hire_key = ctx.entity(EntityKind.AWS_USER, hire.arn, "new")
    ctx.entity(EntityKind.ACCESS_KEY, hire.access_key, "new")
    h_ident = identities.iam_user(hire)
    ts = t + 1800
    while ts < min(day0 + 23 * 3600, ctx.attack_end - 60):
        api = HIRE_APIS[rng.randrange(0, len(HIRE_APIS))]
        tgt = f"{acct.name}-app-stack" if api.startswith("cloudformation") else ""
        ctx.api(
            h_ident,
            api,
            tgt,
            ts=ts,
            account=acct.id,
            region=region,
            source_ip=seattle.nth(stable(hire.name) % 4),  # the office's shared egress
            user_agent=hire.user_agent,
        )
        ts += rng.randrange(200, 900)

    # -- the new deployment -------------------------------------------------------------------
    template = next((i for i in acct.instances if i.tier == "app"), acct.instances[0])
    new = dataclasses.replace(
        template,
        id=ids.resource_id(rng, "i"),
        eni=ids.resource_id(rng, "eni"),
        private_ip=template.private_ip.rsplit(".", 1)[0] + ".250",
        image_id=f"ami-{ids.hex_id(rng, 17)}",
    )
    deploy = acct.roles["deploy"]
    runner = network.GITHUB_RUNNERS.address(rng)
    td = day0 + 15 * 3600 + rng.randrange(0, 900)
    d_ident = identities.assumed_role(
        deploy, "ci-deploy", ids.access_key_id(rng, "ASIA"), cloudtrail.iso(td - 60)
    )
    run_call = catalog.call("ec2:RunInstances", acct.id, region, new.image_id)
    run_call = dataclasses.replace(
        run_call,
        response={
            "instancesSet": {
                "items": [
                    {
                        "instanceId": new.id,
                        "imageId": new.image_id,
                        "instanceState": {"code": 0, "name": "pending"},
                        "privateIpAddress": new.private_ip,
                        "subnetId": new.subnet,
                        "vpcId": new.vpc,
                    }
                ]
            },
        },
    )
    ctx.record(
        d_ident, run_call, ts=td, account=acct.id, region=region, source_ip=runner, user_agent=CI_UA
    )
    ctx.api(
        d_ident,
        "ec2:CreateTags",
        new.id,
        ts=td + 5,
        account=acct.id,
        region=region,
        source_ip=runner,
        user_agent=CI_UA,
    )
    inst_key = ctx.entity(EntityKind.EC2_INSTANCE, new.id, "new")
    _run_instance(ctx, new, template, td + 120)

    ctx.truth.facts.update(
        {
            "account": acct.id,
            "new_user": hire.arn,
            "new_user_access_key": hire.access_key,
            "created_by": admin.arn,
            "new_instance_id": new.id,
            "new_interface_id": new.eni,
            "new_instance_ip": new.private_ip,
            "expect": "no entity of this scenario at HIGH or above",
            "new_entities": [hire_key, inst_key],
        }
    )


def _run_instance(ctx: ScenarioContext, inst: Instance, like: Instance, start: float) -> None:
    """The new instance behaves like ``like``: SSM heartbeats, S3 via the endpoint, and the
    same remote endpoints (the tier's S3 and monitoring addresses)."""
    rng = ctx.rng
    acct = ctx.org.account(inst.account)
    region = inst.region
    key = ids.access_key_id(rng, "ASIA")
    ident = identities.assumed_role(
        inst.role, inst.id, key, cloudtrail.iso(start), ec2_delivery=True
    )
    ctx.record(
        identities.aws_service("ec2.amazonaws.com"),
        _assume(inst, key, start),
        ts=start,
        account=acct.id,
        region=region,
        source_ip="ec2.amazonaws.com",
        user_agent="ec2.amazonaws.com",
    )
    db = next((i for i in acct.instances if i.tier == "db"), None)
    web = next((i for i in acct.instances if i.tier == "web"), None)
    s3_ip = network.AWS_SERVICE[region].nth(stable(like.id) % 250)
    datadog = network.SAAS["datadog"].nth(stable("datadog", 0) % 200)
    t = start + 60
    while t < ctx.attack_end - WINDOW:
        ctx.api(
            ident,
            "ssm:UpdateInstanceInformation",
            inst.id,
            ts=t,
            account=acct.id,
            region=region,
            source_ip=acct.nat_ip,
            user_agent=SSM_UA,
        )
        if rng.random() < 0.5:
            b = acct.buckets[0]
            ctx.api(
                ident,
                "s3:GetObject",
                f"{b}/{object_key(b, rng.randrange(0, 6))}",
                ts=t + 30,
                account=acct.id,
                region=region,
                source_ip=inst.private_ip,
                user_agent=TIER_UA["app"],
                vpc_endpoint=acct.vpce_s3,
            )
        if db is not None:
            ctx.connection(inst, db.private_ip, 5432, t + 5, bytes_out=2500, bytes_in=60000)
        if web is not None:
            ctx.connection(
                inst,
                web.private_ip,
                8080,
                t + 9,
                bytes_out=28000,
                bytes_in=3000,
                outbound=False,
                local_port=8080,
            )
        ctx.connection(inst, datadog, 443, t + 12, bytes_out=12000, bytes_in=900)
        ctx.connection(inst, s3_ip, 443, t + 40, bytes_out=3000, bytes_in=90000)
        t += WINDOW


def _assume(inst: Instance, key: str, ts: float) -> catalog.Call:
    return sts.assume_role(inst.role, inst.id, key, ts + 21600, 21600)


SCENARIO = Scenario(
    name="benign-change",
    description="A new hire and a new app instance on the last day: new, but legitimate.",
    run=run,
    benign=True,
)
