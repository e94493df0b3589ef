"""Benign API activity of instances and people (automation: :mod:`baseline_services`).

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
from collections.abc import Callable
from typing import Any

import orjson

from trailhound.simulator import (
    baseline_services,
    catalog,
    cloudtrail,
    identities,
    ids,
    network,
    sts,
)
from trailhound.simulator.batch import HOUR, HourBatch
from trailhound.simulator.habits import (
    CI_UA,
    FAIL_RATE,
    PERSONA_APIS,
    PERSONA_RATE,
    SSM_UA,
    TIER_HABITS,
    TIER_UA,
    count,
    root_day,
    stable,
    target_for,
)
from trailhound.simulator.org import Account, Instance, Org, User


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
    def full_record(
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
        """Build one full record (rare events: no template) and queue it; returns it."""
        return batch.add_record(
            rng,
            identity,
            c,
            ts=ts,
            account=account,
            region=region,
            source_ip=source_ip,
            user_agent=ua,
            **kw,
        )

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
                baseline_services.root_signin(self, batch, rng, acct, start)
        rng = random.Random(stable(self.seed, "ci", h))
        ci_hour = t.tm_hour == 2 or (t.tm_wday < 5 and t.tm_hour in (9, 11, 14, 16))
        if ci_hour and rng.random() < 0.85:
            baseline_services.ci_run(self, batch, rng, h, start + rng.randrange(60, 1800))
        baseline_services.lambda_run(self, batch, rng, h, start + 300 + rng.randrange(0, 60))

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
            self.full_record(
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
        self.full_record(batch, rng, ident, c, ts, acct.id, acct.region, runner, CI_UA)
        self.full_record(
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
                self.full_record(
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
                self.full_record(
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
        # the console calls some APIs on the user's behalf: CloudTrail then shows
        # "AWS Internal" as source, agent and invokedBy (as in the real samples)
        internal_b = orjson.dumps({**ident, "invokedBy": "AWS Internal"})
        console = user.persona == "console"
        for _ in range(count(rng, PERSONA_RATE[user.persona] * (0.5 + rng.random()))):
            api, bucket = mine[int(rng.random() ** 1.6 * len(mine))]  # a few APIs dominate
            obj = int(rng.random() * 8)
            fail = rng.random() < FAIL_RATE
            internal = console and not fail and rng.random() < INTERNAL_RATE
            src = INTERNAL if internal else ip
            tkey = (user.arn, src, api, obj, fail)
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
                    source_ip=src,
                    user_agent=INTERNAL if internal else ua,
                    error=err,
                )
            ts = max(start + rng.random() * HOUR, login_ts + 5)
            if ts >= start + HOUR:
                continue
            self._emit(batch, rng, t, internal_b if internal else ident_b, ts, acct.id, t.region)


INTERNAL = "AWS Internal"
INTERNAL_RATE = 0.1


def t_region(c: catalog.Call, region: str) -> str:
    """The region a call is logged in (global services log to us-east-1)."""
    return "us-east-1" if c.global_service else region
