"""``role-chain``: a CI role is abused to walk into production as an administrator.

A workflow on an unreviewed branch gets the CI role through GitHub OIDC at night,
outside the build schedule; its credentials are then used from a rented server
to assume the production ``DeployRole`` (cross-account) and from there
``OrganizationAccountAccessRole``, which creates a backdoor IAM user with
administrator rights and an access key.
"""

from __future__ import annotations

from trailhound.ecs.entities import EntityKind
from trailhound.simulator import cloudtrail, findings, identities, ids, network, sts
from trailhound.simulator.scenarios.base import Scenario, ScenarioContext

CI_UA = (
    "aws-sdk-nodejs/2.1583.0 linux/v20.11.1 configure-aws-credentials-for-github-actions promise"
)
ATTACK_UA = (
    "Boto3/1.28.57 md/Botocore#1.31.57 ua/2.0 os/linux#6.2.0 md/arch#x86_64 lang/python#3.10.12"
)
SUBJECT = "repo:corp/platform:ref:refs/heads/fix-typo-readme"


def run(ctx: ScenarioContext) -> None:
    """Emit the story into the attack day."""
    rng = ctx.rng
    org = ctx.org
    ci_acct = next((a for a in org.accounts if a.name == "ci"), org.accounts[0])
    prod = org.accounts[0]
    ci_role, deploy, admin = (ci_acct.roles["ci-deploy"], prod.roles["deploy"], prod.roles["admin"])
    t0 = ctx.attack_start + 3 * 3600 + rng.randrange(0, 1800)  # 03:xx UTC, no build scheduled
    runner_ip = network.GITHUB_RUNNERS.address(rng)
    attacker = ctx.attacker_ip(network.ATTACKER["exfil"].address(rng))
    ctx.entity(EntityKind.IP_ADDRESS, attacker, "attacker")

    # 1. OIDC into the CI role from a GitHub runner (a malicious workflow run)
    ci_key = ids.access_key_id(rng, "ASIA")
    c = sts.assume_role_with_web_identity(ci_role, "GitHubActions", ci_key, t0 + 3600, SUBJECT)
    ctx.record(
        identities.web_identity_user(ci_acct.id, SUBJECT),
        c,
        ts=t0,
        account=ci_acct.id,
        region=ci_acct.region,
        source_ip=runner_ip,
        user_agent=CI_UA,
    )
    ci_ident = identities.assumed_role(ci_role, "GitHubActions", ci_key, cloudtrail.iso(t0))
    ci_sess = ctx.entity(
        EntityKind.AWS_ROLE_SESSION, f"{ci_role.principal_id}:GitHubActions", "victim"
    )
    ctx.entity(EntityKind.AWS_ROLE, ci_role.arn, "victim")
    ctx.entity(EntityKind.ACCESS_KEY, ci_key, "victim")

    # 2. from the attacker's server: the CI credentials assume the production DeployRole
    t1 = t0 + 600
    d_key = ids.access_key_id(rng, "ASIA")
    c = sts.assume_role(deploy, "ci-deploy", d_key, t1 + 3600)
    if prod.id != ci_acct.id:  # cross-account: one copy per account, one sharedEventID
        shared = ids.uuid4(rng)
        for acct in (ci_acct, prod):
            ctx.record(
                ci_ident,
                c,
                ts=t1,
                account=acct.id,
                region=acct.region,
                source_ip=attacker,
                user_agent=ATTACK_UA,
                shared_event_id=shared,
            )
    else:
        ctx.record(
            ci_ident,
            c,
            ts=t1,
            account=prod.id,
            region=prod.region,
            source_ip=attacker,
            user_agent=ATTACK_UA,
        )
    d_ident = identities.assumed_role(deploy, "ci-deploy", d_key, cloudtrail.iso(t1))
    d_sess = ctx.entity(EntityKind.AWS_ROLE_SESSION, f"{deploy.principal_id}:ci-deploy", "victim")
    ctx.entity(EntityKind.AWS_ROLE, deploy.arn, "victim")
    ctx.entity(EntityKind.ACCESS_KEY, d_key, "victim")
    kw = {"account": prod.id, "region": prod.region, "source_ip": attacker, "user_agent": ATTACK_UA}
    ctx.api(d_ident, "sts:GetCallerIdentity", ts=t1 + 15, **kw)
    ctx.api(d_ident, "iam:ListRoles", ts=t1 + 30, **kw)

    # 3. DeployRole -> the organization admin role (never assumed in the baseline)
    t2 = t1 + 120
    a_key = ids.access_key_id(rng, "ASIA")
    session = "admin-maint"
    ctx.record(d_ident, sts.assume_role(admin, session, a_key, t2 + 3600), ts=t2, **kw)
    a_ident = identities.assumed_role(admin, session, a_key, cloudtrail.iso(t2))
    a_sess = ctx.entity(EntityKind.AWS_ROLE_SESSION, f"{admin.principal_id}:{session}", "victim")
    ctx.entity(EntityKind.AWS_ROLE, admin.arn, "victim")
    ctx.entity(EntityKind.ACCESS_KEY, a_key, "victim")

    # 4. persistence and a look around
    backdoor = "svc-monitoring"
    new_key = ids.access_key_id(rng, "AKIA")
    ctx.api(a_ident, "iam:ListUsers", ts=t2 + 20, **kw)
    ctx.api(a_ident, "iam:CreateUser", backdoor, ts=t2 + 60, **kw)
    ctx.api(a_ident, "iam:AttachUserPolicy", backdoor, ts=t2 + 75, **kw)
    ctx.api(a_ident, "iam:CreateAccessKey", f"{backdoor}|{new_key}", ts=t2 + 90, **kw)
    ctx.api(
        a_ident,
        "secretsmanager:GetSecretValue",
        f"{prod.name}/db-credentials-AbCdEf",
        ts=t2 + 150,
        **kw,
    )
    ctx.api(a_ident, "s3:ListBuckets", ts=t2 + 170, **kw)
    ctx.api(a_ident, "ec2:DescribeInstances", ts=t2 + 190, **kw)
    backdoor_arn = f"arn:aws:iam::{prod.id}:user/{backdoor}"
    ctx.entity(EntityKind.AWS_USER, backdoor_arn, "new")
    ctx.entity(EntityKind.ACCESS_KEY, new_key, "new")

    res = findings.access_key_resource(
        a_key, f"{admin.principal_id}:{session}", admin.name, "AssumedRole"
    )
    for type_, api, ts in (
        ("Persistence:IAMUser/AnomalousBehavior", "CreateUser", t2 + 60),
        ("PrivilegeEscalation:IAMUser/AnomalousBehavior", "AttachUserPolicy", t2 + 75),
    ):
        ctx.finding(
            account=prod.id,
            region=prod.region,
            type_=type_,
            severity=5,
            title=f"{admin.name} session {session} invoked {api} in an unusual way.",
            description=f"{api} was invoked by an assumed role in an unusual way.",
            resource=res,
            action=findings.aws_api_call(api, "iam.amazonaws.com", attacker),
            first_seen=ts,
            last_seen=ts + 30,
            resource_key=a_sess,
        )

    ctx.truth.facts.update(
        {
            "ci_account": ci_acct.id,
            "prod_account": prod.id,
            "runner_ip": runner_ip,
            "attacker_ip": attacker,
            "oidc_subject": SUBJECT,
            "chain": [
                {
                    "role_arn": ci_role.arn,
                    "session_id": f"{ci_role.principal_id}:GitHubActions",
                    "access_key_id": ci_key,
                },
                {
                    "role_arn": deploy.arn,
                    "session_id": f"{deploy.principal_id}:ci-deploy",
                    "access_key_id": d_key,
                },
                {
                    "role_arn": admin.arn,
                    "session_id": f"{admin.principal_id}:{session}",
                    "access_key_id": a_key,
                },
            ],
            "backdoor_user": backdoor_arn,
            "backdoor_access_key": new_key,
            "cross_account": ci_acct.id != prod.id,
        }
    )
    for name, entity, detail in (
        ("NEW_API_CALL", ci_sess, {"apis": ["AssumeRole"]}),
        ("NEW_GEOLOCATION", ci_sess, {"ip": attacker}),
        ("NEW_ASO", ci_sess, {"aso": network.ATTACKER["exfil"].as_org}),
        ("NEW_USER_AGENT", ci_sess, {"user_agent": ATTACK_UA}),
        ("NEW_GEOLOCATION", d_sess, {"ip": attacker}),
        ("NEW_ASO", d_sess, {"aso": network.ATTACKER["exfil"].as_org}),
        ("NEW_API_CALL", d_sess, {"apis": ["AssumeRole", "ListRoles", "GetCallerIdentity"]}),
        ("FLAGGED_IP_ADDRESS", d_sess, {"ip": attacker}),
        ("TTP_OBSERVED", a_sess, {"api": "CreateUser"}),
        ("TTP_OBSERVED", a_sess, {"api": "AttachUserPolicy"}),
        ("TTP_OBSERVED", a_sess, {"api": "CreateAccessKey"}),
        ("RARE_API_FOR_ACCOUNT", a_sess, {"api": "AttachUserPolicy"}),
        ("FLAGGED_IP_ADDRESS", a_sess, {"ip": attacker}),
        ("RELATED_FINDING", a_sess, {}),
    ):
        ctx.indicator(name, entity, **detail)


SCENARIO = Scenario(
    name="role-chain",
    description="CI role via OIDC -> prod DeployRole -> admin role -> backdoor IAM user.",
    run=run,
)
