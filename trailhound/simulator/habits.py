"""Habits of the simulated org: user agents, per-tier and per-persona API sets, rhythms.

Everything here is a constant or a pure function of its arguments (and the
seed), so the baseline and the scenarios agree on what "usual" means.
"""

from __future__ import annotations

import random
import zlib

from trailhound.simulator import ids
from trailhound.simulator.org import Account

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
