"""Benign automation and rare actors: CI/CD runs, a Lambda job, a federated tool, root.

Each function adds one actor's records of an hour to a batch through the
:class:`~trailhound.simulator.baseline_api.ApiBaseline` it is given (which owns
the session keys and the full-record builder).
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING

from trailhound.simulator import catalog, cloudtrail, identities, ids, network, sts
from trailhound.simulator.batch import HourBatch
from trailhound.simulator.habits import CI_UA, LAMBDA_UA, ROOT_UA, object_key
from trailhound.simulator.org import Account

if TYPE_CHECKING:
    from trailhound.simulator.baseline_api import ApiBaseline


def root_signin(
    base: ApiBaseline, batch: HourBatch, rng: random.Random, acct: Account, start: int
) -> None:
    """The weekly root console sign-in (and a look at the users) from the Seattle office."""
    ip = network.OFFICES["Seattle"].nth(1)
    ua = ROOT_UA
    ts = start + 600 + rng.randrange(0, 600)
    base.full_record(
        batch,
        rng,
        identities.root(acct.id),
        sts.console_login(mfa=True),
        ts,
        acct.id,
        acct.region,
        ip,
        ua,
        event_type="AwsConsoleSignIn",
    )
    base.full_record(
        batch,
        rng,
        identities.root(acct.id),
        catalog.call("iam:ListUsers", acct.id, acct.region),
        ts + 40,
        acct.id,
        acct.region,
        ip,
        ua,
    )


def ci_identity(base: ApiBaseline, run: int) -> tuple[identities.Identity, str]:
    """The CI role session of run ``run`` and its key."""
    acct = base.ci_account
    key = base.session_key("ci", run)
    return identities.assumed_role(
        acct.roles["ci-deploy"], "GitHubActions", key, cloudtrail.iso(base.origin + run * 60)
    ), key


def ci_run(base: ApiBaseline, batch: HourBatch, rng: random.Random, h: int, ts: float) -> None:
    """One GitHub Actions run: OIDC into the CI role, build and push, deploy to production."""
    acct = base.ci_account
    region = acct.region
    run = int(ts - base.origin) // 60
    ident, key = ci_identity(base, run)
    runner_ip = network.GITHUB_RUNNERS.address(rng)
    subject = "repo:corp/platform:ref:refs/heads/main"
    c = sts.assume_role_with_web_identity(
        acct.roles["ci-deploy"], "GitHubActions", key, ts + 3600, subject
    )
    base.full_record(
        batch,
        rng,
        identities.web_identity_user(acct.id, subject),
        c,
        ts,
        acct.id,
        region,
        runner_ip,
        CI_UA,
    )
    steps = [
        "ecr:GetAuthorizationToken",
        "ecr:PutImage",
        "s3:PutObject",
        "cloudformation:DescribeStacks",
    ]
    for i, api in enumerate(steps):
        tgt = {
            "ecr:PutImage": "platform",
            "s3:PutObject": f"{acct.buckets[2]}/builds/app-{run}.zip",
            "cloudformation:DescribeStacks": f"{acct.name}-app-stack",
        }.get(api, "")
        base.full_record(
            batch,
            rng,
            ident,
            catalog.call(api, acct.id, region, tgt),
            ts + 30 + i * 20,
            acct.id,
            region,
            runner_ip,
            CI_UA,
        )
    prod = base.org.accounts[0]
    if prod.id == acct.id:
        return
    # cross-account deploy: logged in both accounts with one sharedEventID
    deploy = prod.roles["deploy"]
    dkey = base.session_key("deploy", run)
    t2 = ts + 130
    c = sts.assume_role(deploy, "ci-deploy", dkey, t2 + 3600)
    shared = ids.uuid4(rng)
    for recipient in (acct.id, prod.id):
        base.full_record(
            batch,
            rng,
            ident,
            c,
            t2,
            recipient,
            region if recipient == acct.id else prod.region,
            runner_ip,
            CI_UA,
            shared_event_id=shared,
        )
    dident = identities.assumed_role(deploy, "ci-deploy", dkey, cloudtrail.iso(t2))
    for i, api in enumerate(
        (
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
            "cloudformation:DescribeStacks",
            "lambda:UpdateFunctionCode20150331v2",
        )
    ):
        tgt = f"{prod.name}-etl" if api.startswith("lambda") else f"{prod.name}-app-stack"
        base.full_record(
            batch,
            rng,
            dident,
            catalog.call(api, prod.id, prod.region, tgt),
            t2 + 20 + i * 25,
            prod.id,
            prod.region,
            runner_ip,
            CI_UA,
        )


def lambda_run(base: ApiBaseline, batch: HourBatch, rng: random.Random, h: int, ts: float) -> None:
    """The hourly ETL function: Lambda assumes its role, reads logs, writes an export."""
    acct = base.data_account
    role = acct.roles["lambda"]
    session = f"{acct.name}-etl"
    key = base.session_key("lambda", h)
    region = acct.region
    base.full_record(
        batch,
        rng,
        identities.aws_service("lambda.amazonaws.com"),
        sts.assume_role(role, session, key, ts + 3600),
        ts,
        acct.id,
        region,
        "lambda.amazonaws.com",
        "lambda.amazonaws.com",
    )
    ident = identities.assumed_role(role, session, key, cloudtrail.iso(ts))
    ip = network.AWS_EIP[region].nth(40000 + h % 50)
    for i, (api, tgt) in enumerate(
        (
            ("glue:GetTables", f"{acct.name}_analytics"),
            ("s3:GetObject", f"{acct.buckets[3]}/{object_key(acct.buckets[3], h % 9)}"),
            ("s3:PutObject", f"{acct.buckets[1]}/{object_key(acct.buckets[1], h)}"),
        )
    ):
        base.full_record(
            batch,
            rng,
            ident,
            catalog.call(api, acct.id, region, tgt),
            ts + 2 + i * 3,
            acct.id,
            region,
            ip,
            LAMBDA_UA,
        )
    if h % 24 == 8 and time.gmtime(ts).tm_wday < 5:
        federated(base, batch, rng, ts + 60, h)


def federated(base: ApiBaseline, batch: HourBatch, rng: random.Random, ts: float, h: int) -> None:
    """A legacy reporting tool: GetFederationToken, then a few S3 reads as the federated user."""
    acct = base.org.accounts[0]
    issuer = next((u for u in acct.users if u.persona == "data"), acct.users[0])
    key = base.session_key("fed", h)
    ip = base.user_ip(issuer, h // 24)
    ua = issuer.user_agent
    base.full_record(
        batch,
        rng,
        identities.iam_user(issuer),
        sts.get_federation_token(acct.id, "reporting", key, ts + 43200),
        ts,
        acct.id,
        acct.region,
        ip,
        ua,
    )
    ident = identities.federated_user(issuer, "reporting", key, cloudtrail.iso(ts))
    for i in range(4):
        api = "s3:ListObjects" if i == 0 else "s3:GetObject"
        tgt = acct.buckets[1] if i == 0 else f"{acct.buckets[1]}/{object_key(acct.buckets[1], i)}"
        base.full_record(
            batch,
            rng,
            ident,
            catalog.call(api, acct.id, acct.region, tgt),
            ts + 10 + i * 7,
            acct.id,
            acct.region,
            ip,
            ua,
        )
