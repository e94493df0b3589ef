"""Benign API activity: instances, people, CI/CD, a Lambda job, a federated tool, root.

Habits are fixed per actor (derived from the seed and the actor's name) and
rates follow working hours in the actor's time zone and the weekly rhythm, so
the baseline days look alike and the attack day stands out only where a
scenario changes something.  High-volume calls go through
:class:`~trailhound.simulator.cloudtrail.Template`.
"""

from __future__ import annotations

import dataclasses
import random
import time
import zlib
from collections.abc import Callable
from typing import Any

import orjson

from trailhound.simulator import catalog, cloudtrail, identities, ids, network, sts
from trailhound.simulator.batch import HOUR, HourBatch
from trailhound.simulator.org import Account, Instance, Org, User

DAY = 86400
SSM_UA = "aws-sdk-go/1.50.10 (go1.21.7; linux; amd64) amazon-ssm-agent/3.3.40.0"
TIER_UA = {
    "app": "aws-sdk-java/2.25.16 Linux/6.1.79-99.167.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/"
    "17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. md/io#sync md/http#Apache ua/2.0",
    "worker": "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.1.79-99.167.amzn2023.x86_64 "
    "md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84",
    "web": "aws-sdk-nodejs/2.1583.0 linux/v20.11.1 exec-env/AWS_ECS_EC2 promise",
    "db": "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.167.amzn2023.x86_64 "
    "source/x86_64.amzn.2023",
}
ROOT_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/123.0.0.0 Safari/537.36"
)
CI_UA = (
    "aws-sdk-nodejs/2.1583.0 linux/v20.11.1 configure-aws-credentials-for-github-actions promise"
)
LAMBDA_UA = (
    "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.213-225.845.amzn2.x86_64 "
    "md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 "
    "cfg/retry-mode#legacy Botocore/1.34.84"
)
# (api, bucket index or None, calls per hour) per instance tier; S3 goes through the VPC endpoint
TIER_HABITS: dict[str, tuple[tuple[str, int | None, float], ...]] = {
    "app": (
        ("s3:GetObject", 0, 3.0),
        ("kms:Decrypt", None, 1.5),
        ("secretsmanager:GetSecretValue", None, 0.5),
        ("logs:CreateLogStream", None, 0.3),
    ),
    "worker": (
        ("s3:PutObject", 1, 2.0),
        ("s3:GetObject", 1, 1.5),
        ("kms:GenerateDataKey", None, 0.8),
    ),
    "web": (("s3:GetObject", 0, 1.0),),
    "db": (("s3:PutObject", 3, 0.2),),
}
PERSONA_APIS: dict[str, tuple[tuple[str, int | None], ...]] = {
    "developer": (
        ("sts:GetCallerIdentity", None),
        ("s3:ListBuckets", None),
        ("s3:ListObjects", 0),
        ("s3:GetObject", 0),
        ("ec2:DescribeInstances", None),
        ("logs:DescribeLogGroups", None),
        ("lambda:ListFunctions20150331", None),
        ("ssm:GetParameter", None),
        ("cloudformation:DescribeStacks", None),
        ("ecr:GetAuthorizationToken", None),
        ("lambda:GetFunction20150331v2", None),
    ),
    "ops": (
        ("ec2:DescribeInstances", None),
        ("ec2:DescribeSecurityGroups", None),
        ("ec2:DescribeVpcs", None),
        ("ec2:DescribeSubnets", None),
        ("iam:ListRoles", None),
        ("iam:GetUser", None),
        ("cloudformation:DescribeStacks", None),
        ("s3:GetBucketPolicy", 2),
        ("s3:GetBucketVersioning", 2),
        ("ec2:CreateTags", None),
        ("iam:ListAttachedUserPolicies", None),
    ),
    "data": (
        ("athena:StartQueryExecution", None),
        ("glue:GetTables", None),
        ("s3:ListObjects", 1),
        ("s3:GetObject", 1),
        ("s3:PutObject", 1),
        ("sts:GetCallerIdentity", None),
    ),
    "console": (
        ("ec2:DescribeInstances", None),
        ("s3:ListBuckets", None),
        ("s3:GetBucketLocation", 0),
        ("cloudformation:DescribeStacks", None),
        ("iam:ListUsers", None),
        ("logs:DescribeLogGroups", None),
    ),
}
PERSONA_RATE = {"developer": 9.0, "ops": 7.0, "data": 8.0, "console": 10.0}
FAIL_RATE = 0.03


def stable(*parts: object) -> int:
    """A process-independent hash (``hash()`` of ``str`` is salted per process)."""
    return zlib.crc32("\x1f".join(map(str, parts)).encode())


def count(rng: random.Random, rate: float) -> int:
    """A cheap Poisson-like draw: the integer part plus a Bernoulli of the fraction."""
    whole = int(rate)
    return whole + (1 if rng.random() < rate - whole else 0)


def root_day(day: int, days: int) -> bool:
    """Root signs in weekly from the first day, never on the last (attack) day: a benign
    root session on the attack day only would read as an anomaly."""
    return day % 7 == 0 and day < days - 1


def load(hour_utc: int, weekday: int) -> float:
    """Relative traffic of a customer-facing service (peak in the US afternoon)."""
    base = (
        0.35,
        0.3,
        0.28,
        0.25,
        0.25,
        0.28,
        0.35,
        0.45,
        0.55,
        0.65,
        0.72,
        0.8,
        0.85,
        0.9,
        0.95,
        1.0,
        1.0,
        0.97,
        0.92,
        0.85,
        0.75,
        0.6,
        0.5,
        0.42,
    )[hour_utc]
    return base * (0.6 if weekday >= 5 else 1.0)


def object_key(bucket: str, n: int) -> str:
    """A stable object key of a bucket (habitual objects)."""
    if "assets" in bucket:
        return f"static/v{n % 7}/bundle-{n}.js"
    if "exports" in bucket:
        return f"exports/2026/customer-{n:05d}.csv.gz"
    if "artifacts" in bucket:
        return f"builds/app-{n}.zip"
    return f"backups/db-{n}.dump.gz"


def target_for(acct: Account, api: str, bucket: int | None, n: int) -> str:
    """The target string a catalog builder expects for a habitual call."""
    if bucket is None:
        if api.startswith("ssm:GetParameter"):
            return f"/{acct.name}/app/config"
        if api.startswith("secretsmanager"):
            return f"{acct.name}/db-credentials-AbCdEf"
        if api.startswith("kms"):
            return "mrk-" + ids.hex_id(random.Random(stable(acct.id, "kms")), 32)
        if api.startswith("logs"):
            return f"{acct.name}-app"
        if api.startswith("cloudformation"):
            return f"{acct.name}-app-stack"
        if api.startswith("lambda"):
            return f"{acct.name}-etl"
        if api.startswith("athena"):
            return "primary"
        if api.startswith("glue"):
            return f"{acct.name}_analytics"
        if api.startswith("ec2:CreateTags"):
            return acct.instances[n % len(acct.instances)].id
        if api.startswith("iam:"):
            return acct.users[n % len(acct.users)].name
        return ""
    name = acct.buckets[bucket]
    if api in ("s3:GetObject", "s3:PutObject", "s3:HeadObject"):
        return f"{name}/{object_key(name, n)}"
    return name


class ApiBaseline:
    """Generates the benign CloudTrail records of one hour, for every account."""

    def __init__(self, org: Org, seed: int, origin: int, days: int = 7) -> None:
        self.org = org
        self.seed = seed
        self.origin = origin
        self.days = days
        self._templates: dict[tuple[Any, ...], cloudtrail.Template] = {}
        self._day = -1
        self._day_plans: dict[str, list[bool]] = {}
        self.ci_account = next((a for a in org.accounts if a.name == "ci"), org.accounts[0])
        self.data_account = next((a for a in org.accounts if a.name == "data"), org.accounts[0])

    # -- helpers -----------------------------------------------------------------------------
    def _full(
        self,
        batch: HourBatch,
        rng: random.Random,
        identity: identities.Identity,
        c: catalog.Call,
        ts: float,
        account: str,
        region: str,
        source_ip: str,
        ua: str,
        **kw: Any,
    ) -> dict[str, Any]:
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
            user_agent=ua,
            **kw,
        )
        batch.add_ct(account, rec["awsRegion"], ts, orjson.dumps(rec))
        return rec

    def _template(
        self, key: tuple[Any, ...], build: Callable[[], cloudtrail.Template]
    ) -> cloudtrail.Template:
        # building a template costs ~20 calls' worth; look it up before making the Call
        t = self._templates.get(key)
        if t is None:
            t = self._templates[key] = build()
        return t

    def _emit(
        self,
        batch: HourBatch,
        rng: random.Random,
        t: cloudtrail.Template,
        ident: bytes,
        ts: float,
        account: str,
        region: str,
    ) -> None:
        batch.add_ct(account, region, ts, t.render(ident, ts, rng))

    def session_key(self, *parts: object) -> str:
        """The temporary key of a session, stable for the session's lifetime."""
        return ids.access_key_id(random.Random(stable(self.seed, "key", *parts)), "ASIA")

    # -- the hour ------------------------------------------------------------------------------
    def hour(self, h: int, batch: HourBatch) -> None:
        """Fill ``batch`` with hour ``h`` (0 = the window's first hour)."""
        start = self.origin + h * HOUR
        day = h // 24
        if day != self._day:
            self._day_plans.clear()
            self._day = day
        if len(self._templates) > 200_000:  # bound memory; templates are pure, so no effect
            self._templates.clear()
        t = time.gmtime(start)
        for acct in self.org.accounts:
            rng = random.Random(stable(self.seed, "api", acct.id, h))
            for inst in acct.instances:
                if inst.active(h):
                    self._instance(batch, rng, acct, inst, h, start)
                elif inst.active(h + 1):
                    self._launch(batch, rng, acct, inst, start + 2400 + rng.randrange(0, 600))
            for user in acct.users:
                if day >= user.first_day:
                    self._user(batch, rng, acct, user, h, start)
            if acct.index == 0 and root_day(day, self.days) and t.tm_hour == 17:
                self._root(batch, rng, acct, start)
        rng = random.Random(stable(self.seed, "ci", h))
        ci_hour = t.tm_hour == 2 or (t.tm_wday < 5 and t.tm_hour in (9, 11, 14, 16))
        if ci_hour and rng.random() < 0.85:
            self._ci_run(batch, rng, h, start + rng.randrange(60, 1800))
        self._lambda(batch, rng, h, start + 300 + rng.randrange(0, 60))

    def _instance(
        self,
        batch: HourBatch,
        rng: random.Random,
        acct: Account,
        inst: Instance,
        h: int,
        start: int,
    ) -> None:
        period = h // 6
        key = self.session_key(inst.id, period)
        since = cloudtrail.iso(self.origin + period * 6 * HOUR + 7)
        ident = identities.assumed_role(inst.role, inst.id, key, since, ec2_delivery=True)
        ident_b = orjson.dumps(ident)
        region = inst.region
        if h % 6 == 0:
            c = sts.assume_role(inst.role, inst.id, key, start + 6 * HOUR + 1800, 21600)
            self._full(
                batch,
                rng,
                identities.aws_service("ec2.amazonaws.com"),
                c,
                start + 7,
                acct.id,
                region,
                "ec2.amazonaws.com",
                "ec2.amazonaws.com",
            )
        egress_ip = inst.public_ip or acct.nat_ip
        t = self._template(
            ("ssm", inst.id),
            lambda: cloudtrail.Template(
                catalog.call("ssm:UpdateInstanceInformation", acct.id, region, inst.id),
                region=region,
                recipient=acct.id,
                source_ip=egress_ip,
                user_agent=SSM_UA,
            ),
        )
        offset = int(rng.random() * 600)
        for k in range(6):
            self._emit(batch, rng, t, ident_b, start + offset % 600 + k * 600, acct.id, region)
        for api, bucket, rate in TIER_HABITS[inst.tier]:
            n = count(rng, rate * (3.0 if inst.tier == "db" and h % 24 == 3 else 1.0))
            for _ in range(n):
                obj = int(rng.random() * 6)
                tkey = (api, inst.id, obj)
                tpl = self._templates.get(tkey)
                if tpl is None:
                    s3 = api.startswith("s3:")
                    tpl = self._templates[tkey] = cloudtrail.Template(
                        catalog.call(api, acct.id, region, target_for(acct, api, bucket, obj)),
                        region=region,
                        recipient=acct.id,
                        source_ip=inst.private_ip if s3 else egress_ip,
                        user_agent=TIER_UA[inst.tier],
                        vpc_endpoint=acct.vpce_s3 if s3 else None,
                    )
                self._emit(batch, rng, tpl, ident_b, start + rng.random() * HOUR, acct.id, region)

    def _launch(
        self, batch: HourBatch, rng: random.Random, acct: Account, inst: Instance, ts: float
    ) -> None:
        """The deploy pipeline starts a new instance (``RunInstances`` + ``CreateTags``)."""
        deploy = acct.roles["deploy"]
        key = self.session_key("launch", inst.id)
        ident = identities.assumed_role(deploy, "ci-deploy", key, cloudtrail.iso(ts - 30))
        runner = network.GITHUB_RUNNERS.address(rng)
        c = catalog.call("ec2:RunInstances", acct.id, acct.region, inst.image_id)
        c = dataclasses.replace(
            c,
            response={
                "instancesSet": {
                    "items": [
                        {
                            "instanceId": inst.id,
                            "imageId": inst.image_id,
                            "privateIpAddress": inst.private_ip,
                            "subnetId": inst.subnet,
                            "vpcId": inst.vpc,
                            "instanceState": {"code": 0, "name": "pending"},
                        }
                    ]
                }
            },
        )
        self._full(batch, rng, ident, c, ts, acct.id, acct.region, runner, CI_UA)
        self._full(
            batch,
            rng,
            ident,
            catalog.call("ec2:CreateTags", acct.id, acct.region, inst.id),
            ts + 4,
            acct.id,
            acct.region,
            runner,
            CI_UA,
        )

    def _day_plan(self, user: User, day: int) -> list[bool]:
        plan = self._day_plans.get(user.arn)
        if plan is None:
            r = random.Random(stable(self.seed, "plan", user.arn, day))
            plan = []
            for hh in range(24):
                local = self.origin + day * 86400 + hh * HOUR + user.utc_offset * HOUR
                lt = time.gmtime(local)
                work = 9 <= lt.tm_hour < 18 and lt.tm_wday < 5
                p = (
                    (0.7 if lt.tm_hour != 12 else 0.3)
                    if work
                    else (0.03 if 7 <= lt.tm_hour < 23 else 0.0)
                )
                plan.append(r.random() < p)
            self._day_plans[user.arn] = plan
        return plan

    def user_ip(self, user: User, day: int) -> str:
        """Where the user works from that day: the office, or home (a stable address)."""
        r = random.Random(stable(self.seed, "where", user.arn, day))
        if r.random() < 0.6:
            return user.office.nth(stable(user.name) % 4)
        return user.home.nth(stable(user.arn) % 60000)

    def _user(
        self, batch: HourBatch, rng: random.Random, acct: Account, user: User, h: int, start: int
    ) -> None:
        day = h // 24
        plan = self._day_plan(user, day)
        if not plan[h % 24]:
            return
        first = plan.index(True) == h % 24
        ip = self.user_ip(user, day)
        region = acct.region
        habits = PERSONA_APIS[user.persona]
        hr = random.Random(stable(self.seed, "habits", user.arn))
        mine = hr.sample(habits, k=min(len(habits), 5 + hr.randrange(0, 3)))
        ua = user.user_agent
        login_ts = self.origin + day * 86400 + plan.index(True) * HOUR + 120
        sso = user.persona == "developer" and stable(user.arn) % 2 == 0
        if user.persona == "console":
            key = self.session_key(user.arn, day)
            ident = identities.iam_user(
                user, access_key=key, console_since=cloudtrail.iso(login_ts)
            )
            if first:
                self._full(
                    batch,
                    rng,
                    identities.iam_user(user, access_key=""),
                    sts.console_login(mfa=True),
                    login_ts,
                    acct.id,
                    region,
                    ip,
                    ua,
                    event_type="AwsConsoleSignIn",
                )
        elif sso:
            role = acct.roles["sso-dev"]
            session = f"{user.name}@corp.example"
            key = self.session_key(user.arn, "sso", day)
            ident = identities.assumed_role(role, session, key, cloudtrail.iso(login_ts))
            if first:
                provider = (
                    f"arn:aws:iam::{acct.id}:saml-provider/AWSSSO_{acct.id[:8]}_DO_NOT_DELETE"
                )
                c = sts.assume_role_with_saml(role, session, key, login_ts + 43200, provider)
                self._full(
                    batch,
                    rng,
                    identities.saml_user(acct.id, session, "c2ltdWxhdGVk"),
                    c,
                    login_ts,
                    acct.id,
                    region,
                    ip,
                    ua,
                )
        else:
            ident = identities.iam_user(user)
        arn = ident.get("arn")
        ident_b = orjson.dumps(ident)
        for _ in range(count(rng, PERSONA_RATE[user.persona] * (0.5 + rng.random()))):
            api, bucket = mine[int(rng.random() ** 1.6 * len(mine))]  # a few APIs dominate
            obj = int(rng.random() * 8)
            fail = rng.random() < FAIL_RATE
            tkey = (user.arn, ip, api, obj, fail)
            t = self._templates.get(tkey)
            if t is None:
                c = catalog.call(api, acct.id, region, target_for(acct, api, bucket, obj))
                err = None
                if fail:
                    err = (
                        "AccessDenied",
                        f"User: {arn} is not authorized to perform: {api} because no "
                        f"identity-based policy allows the {api} action",
                    )
                t = self._templates[tkey] = cloudtrail.Template(
                    c,
                    region=region,
                    recipient=acct.id,
                    source_ip=ip,
                    user_agent=ua,
                    error=err,
                )
            ts = max(start + rng.random() * HOUR, login_ts + 5)
            if ts >= start + HOUR:
                continue
            self._emit(batch, rng, t, ident_b, ts, acct.id, t.region)

    def _root(self, batch: HourBatch, rng: random.Random, acct: Account, start: int) -> None:
        ip = network.OFFICES["Seattle"].nth(1)
        ua = ROOT_UA
        ts = start + 600 + rng.randrange(0, 600)
        self._full(
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
        self._full(
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

    def ci_identity(self, run: int) -> tuple[identities.Identity, str]:
        """The CI role session of run ``run`` and its key."""
        acct = self.ci_account
        key = self.session_key("ci", run)
        return identities.assumed_role(
            acct.roles["ci-deploy"], "GitHubActions", key, cloudtrail.iso(self.origin + run * 60)
        ), key

    def _ci_run(self, batch: HourBatch, rng: random.Random, h: int, ts: float) -> None:
        acct = self.ci_account
        region = acct.region
        run = int(ts - self.origin) // 60
        ident, key = self.ci_identity(run)
        runner_ip = network.GITHUB_RUNNERS.address(rng)
        subject = "repo:corp/platform:ref:refs/heads/main"
        c = sts.assume_role_with_web_identity(
            acct.roles["ci-deploy"], "GitHubActions", key, ts + 3600, subject
        )
        self._full(
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
            self._full(
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
        prod = self.org.accounts[0]
        if prod.id == acct.id:
            return
        # cross-account deploy: logged in both accounts with one sharedEventID
        deploy = prod.roles["deploy"]
        dkey = self.session_key("deploy", run)
        t2 = ts + 130
        c = sts.assume_role(deploy, "ci-deploy", dkey, t2 + 3600)
        shared = ids.uuid4(rng)
        for recipient in (acct.id, prod.id):
            self._full(
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
            self._full(
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

    def _lambda(self, batch: HourBatch, rng: random.Random, h: int, ts: float) -> None:
        acct = self.data_account
        role = acct.roles["lambda"]
        session = f"{acct.name}-etl"
        key = self.session_key("lambda", h)
        region = acct.region
        self._full(
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
            self._full(
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
            self._federated(batch, rng, ts + 60, h)

    def _federated(self, batch: HourBatch, rng: random.Random, ts: float, h: int) -> None:
        acct = self.org.accounts[0]
        issuer = next((u for u in acct.users if u.persona == "data"), acct.users[0])
        key = self.session_key("fed", h)
        ip = self.user_ip(issuer, h // 24)
        ua = issuer.user_agent
        self._full(
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
            tgt = (
                acct.buckets[1] if i == 0 else f"{acct.buckets[1]}/{object_key(acct.buckets[1], i)}"
            )
            self._full(
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


def t_region(c: catalog.Call, region: str) -> str:
    """The region a call is logged in (global services log to us-east-1)."""
    return "us-east-1" if c.global_service else region
