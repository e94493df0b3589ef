"""The simulated organization: accounts, people, roles, instances, buckets.

Built once from the seed; the baseline and every scenario read from the same
:class:`Org`.  Sizes scale with ``scale`` (users and instances per account).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from trailhound.simulator import ids, network
from trailhound.simulator.network import PublicRange

ACCOUNT_NAMES = ("prod", "ci", "data", "staging", "dev", "shared", "sandbox", "security")
REGIONS = ("us-east-1", "eu-west-1", "us-west-2")
CITIES = ("Seattle", "Seattle", "London", "Berlin", "Bengaluru")
FIRST_NAMES = (
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
    "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yara",
)  # fmt: skip
PERSONAS = ("developer", "developer", "developer", "ops", "data", "console")


@dataclass(frozen=True, slots=True)
class Role:
    """An IAM role; ``principal_id`` is its ``AROA...`` unique id."""

    name: str
    account: str
    principal_id: str
    path: str = "/"

    @property
    def arn(self) -> str:
        """The role ARN (``sessionIssuer.arn``)."""
        return f"arn:aws:iam::{self.account}:role{self.path}{self.name}"


@dataclass(frozen=True, slots=True)
class User:
    """An IAM user with habits: where they live, when they work, what they call."""

    name: str
    account: str
    principal_id: str
    access_key: str
    persona: str
    city: str
    user_agent: str
    first_day: int = 0  # day index from which the user is active (new hires)

    @property
    def arn(self) -> str:
        """The user ARN (the read side's ``aws_user`` id)."""
        return f"arn:aws:iam::{self.account}:user/{self.name}"

    @property
    def home(self) -> PublicRange:
        """The residential ISP range of the user's city."""
        return network.HOMES[self.city]

    @property
    def office(self) -> PublicRange:
        """The office egress range of the user's city."""
        return network.OFFICES[self.city]

    @property
    def utc_offset(self) -> int:
        """Hours from UTC of the user's city."""
        return self.home.place.utc_offset


@dataclass(frozen=True, slots=True)
class FlowLog:
    """A VPC flow log subscription; ``fmt`` is ``v2`` (default) or ``v5`` (custom)."""

    id: str
    account: str
    region: str
    vpc: str
    fmt: str


@dataclass(frozen=True, slots=True)
class Instance:
    """An EC2 instance with one ENI and an instance-profile role."""

    id: str
    account: str
    region: str
    tier: str  # web | app | worker | db
    eni: str
    private_ip: str
    public_ip: str | None
    subnet: str
    vpc: str
    az: str
    role: Role
    flow_log: FlowLog
    image_id: str
    instance_type: str
    first_day: int = 0  # launched on this day (slow drift: new deployments)

    def active(self, hour: int) -> bool:
        """Whether the instance runs in window hour ``hour`` (launches are at 12:00 UTC)."""
        return hour >= self.first_day * 24 + LAUNCH_HOUR if self.first_day else True


LAUNCH_HOUR = 12


@dataclass(frozen=True, slots=True)
class Account:
    """One AWS account and everything living in it."""

    index: int
    id: str
    name: str
    region: str
    vpc: str
    nat_ip: str
    vpce_s3: str
    users: tuple[User, ...]
    instances: tuple[Instance, ...]
    flow_logs: tuple[FlowLog, ...]
    roles: dict[str, Role]
    buckets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Org:
    """All accounts; ``accounts[0]`` is production."""

    accounts: tuple[Account, ...]
    org_name: str = "corp"
    detector_ids: dict[str, str] = field(default_factory=dict)

    def account(self, account_id: str) -> Account:
        """The account with this id."""
        return next(a for a in self.accounts if a.id == account_id)


def _role(rng: random.Random, account: str, name: str, path: str = "/") -> Role:
    return Role(name, account, ids.iam_unique_id(rng, "AROA"), path)


USER_AGENTS = {
    "developer": (
        "aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/{cmd}",
        "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.12.2 "
        "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84",
        "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-28-generic exe/x86_64.ubuntu.22 prompt/off "
        "command/{cmd}",
    ),
    "ops": (
        "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/"
        "5.44.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 "
        "os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64",
    ),
    "data": (
        "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.15.0 md/arch#x86_64 "
        "lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84 Resource",
    ),
    "console": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/123.0.0.0 Safari/537.36",
    ),
}
TIERS = ("web", "app", "app", "worker", "db")
INSTANCE_TYPES = {"web": "t3.medium", "app": "m6i.large", "worker": "c6i.xlarge", "db": "r6g.large"}


def build_org(seed: int, accounts: int, scale: float, days: int) -> Org:
    """Build the organization deterministically from ``seed``."""
    rng = random.Random(seed * 7919 + 1)
    n_users = max(3, round(6 * scale))
    n_instances = max(4, round(5 * scale))
    used_names: set[str] = set()
    result: list[Account] = []
    for index in range(accounts):
        acct = ids.account_id(rng)
        name = ACCOUNT_NAMES[index % len(ACCOUNT_NAMES)]
        if index >= len(ACCOUNT_NAMES):
            name = f"{name}-{index // len(ACCOUNT_NAMES)}"
        region = REGIONS[index % len(REGIONS)]
        vpc = ids.resource_id(rng, "vpc")
        roles = {
            "app": _role(rng, acct, f"{name}-app-instance-role"),
            "worker": _role(rng, acct, f"{name}-worker-instance-role"),
            "ci-deploy": _role(rng, acct, "github-actions-deploy"),
            "deploy": _role(rng, acct, "DeployRole"),
            "admin": _role(rng, acct, "OrganizationAccountAccessRole"),
            "sso-dev": _role(
                rng,
                acct,
                f"AWSReservedSSO_Developer_{ids.hex_id(rng, 16)}",
                "/aws-reserved/sso.amazonaws.com/",
            ),
            "lambda": _role(rng, acct, f"{name}-etl-lambda-role", "/service-role/"),
        }
        users: list[User] = []
        for u in range(n_users):
            first = FIRST_NAMES[(index * 7 + u) % len(FIRST_NAMES)]
            uname = first if first not in used_names else f"{first}.{index}{u}"
            used_names.add(uname)
            persona = PERSONAS[u % len(PERSONAS)]
            # a few late joiners give slow drift in the baseline
            first_day = rng.randrange(1, max(2, days - 2)) if u >= 3 and rng.random() < 0.15 else 0
            users.append(
                User(
                    name=uname,
                    account=acct,
                    principal_id=ids.iam_unique_id(rng, "AIDA"),
                    access_key=ids.access_key_id(rng, "AKIA"),
                    persona=persona,
                    city=CITIES[(index + u) % len(CITIES)],
                    user_agent=rng.choice(USER_AGENTS[persona]),
                    first_day=first_day,
                )
            )
        flow_logs = (
            FlowLog(ids.resource_id(rng, "fl"), acct, region, vpc, "v2"),
            FlowLog(ids.resource_id(rng, "fl"), acct, region, vpc, "v5"),
        )
        subnets = {t: ids.resource_id(rng, "subnet") for t in ("web", "app", "worker", "db")}
        instances: list[Instance] = []
        eip = network.AWS_EIP[region]
        for k in range(n_instances):
            tier = TIERS[k % len(TIERS)]
            role = roles["worker"] if tier == "worker" else roles["app"]
            instances.append(
                Instance(
                    id=ids.resource_id(rng, "i"),
                    account=acct,
                    region=region,
                    tier=tier,
                    eni=ids.resource_id(rng, "eni"),
                    private_ip=f"10.{index % 250}.{TIERS.index(tier) + 1}.{10 + k % 240}",
                    public_ip=eip.nth(1000 + index * 256 + k) if tier == "web" else None,
                    subnet=subnets[tier],
                    vpc=vpc,
                    az=f"{region}{'abc'[k % 3]}",
                    role=role,
                    # internet-facing and service ENIs (web/app) log the custom v5 format with
                    # instance ids; worker/db ENIs the default v2 (interface ids only)
                    flow_log=flow_logs[1] if tier in ("web", "app") else flow_logs[0],
                    image_id=f"ami-{ids.hex_id(rng, 17)}",
                    instance_type=INSTANCE_TYPES[tier],
                    # a few later instances are deployed during the baseline (drift)
                    first_day=rng.randrange(1, days - 2)
                    if k >= 5 and days >= 4 and rng.random() < 0.25
                    else 0,
                )
            )
        buckets = (
            f"{name}-{acct}-app-assets",
            f"{name}-{acct}-customer-exports",
            f"{name}-{acct}-build-artifacts",
            f"{name}-{acct}-logs",
        )
        result.append(
            Account(
                index=index,
                id=acct,
                name=name,
                region=region,
                vpc=vpc,
                nat_ip=eip.nth(index * 256),
                vpce_s3=f"vpce-{ids.hex_id(rng, 17)}",
                users=tuple(users),
                instances=tuple(instances),
                flow_logs=flow_logs,
                roles=roles,
                buckets=buckets,
            )
        )
    detectors = {a.id: ids.hex_id(rng, 32) for a in result}
    return Org(accounts=tuple(result), detector_ids=detectors)
