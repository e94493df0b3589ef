"""A curated CloudTrail API -> MITRE ATT&CK table for TTP_OBSERVED.

Source: MITRE ATT&CK Enterprise, IaaS platform (attack.mitre.org, v15 technique
pages), cross-checked against the tactic each Stratus Red Team technique that
detonates the API is filed under (DataDog/stratus-red-team docs, the detonation
logs in shared/samples/stratus-red-team).  The mapping is ours and deliberately
small: an API appears only if calling it is itself a step of a technique.
``risk`` (0-100) is how alarming one use is when the entity never made the call
in its baseline: discovery calls are cheap, log tampering and credential
creation are not.  Lambda's versioned event names (``UpdateFunctionCode20150331v2``)
are matched by their base name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOURCE = (
    "MITRE ATT&CK Enterprise v15 (IaaS) technique pages, cross-checked with the tactic of the "
    "Stratus Red Team technique detonating each API; curated by Trailhound"
)


@dataclass(frozen=True, slots=True)
class Technique:
    """One table row: the tactic, the technique and how risky one use is."""

    tactic: str
    technique_id: str
    technique: str
    risk: float

    @property
    def label(self) -> str:
        """``T1098.001 Account Manipulation: Additional Cloud Credentials``."""
        return f"{self.technique_id} {self.technique}"


def _t(tactic: str, tid: str, name: str, risk: float) -> Technique:
    return Technique(tactic, tid, name, risk)


_CLOUD_ACCOUNT = ("T1087.004", "Account Discovery: Cloud Account")
_CLOUD_GROUPS = ("T1069.003", "Permission Groups Discovery: Cloud Groups")
_INFRA = ("T1580", "Cloud Infrastructure Discovery")
_OBJECTS = ("T1619", "Cloud Storage Object Discovery")
_CLOUD_LOGS = ("T1562.008", "Impair Defenses: Disable or Modify Cloud Logs")
_ROLES = ("T1098.003", "Account Manipulation: Additional Cloud Roles")
_CREDS = ("T1098.001", "Account Manipulation: Additional Cloud Credentials")
_TRANSFER = ("T1537", "Transfer Data to Cloud Account")
_SECRETS = ("T1555.006", "Credentials from Password Stores: Cloud Secrets Management Stores")
_UNSECURED = ("T1552", "Unsecured Credentials")
_ADMIN_CMD = ("T1651", "Cloud Administration Command")
_TOKEN = ("T1550.001", "Use Alternate Authentication Material: Application Access Token")
_REMOTE = ("T1021.008", "Remote Services: Direct Cloud VM Connections")

# (event.provider, API name) -> Technique.  Providers are CloudTrail eventSource values.
TABLE: dict[tuple[str, str], Technique] = {
    # Discovery
    ("sts.amazonaws.com", "GetCallerIdentity"): _t("Discovery", *_CLOUD_ACCOUNT, 10),
    ("iam.amazonaws.com", "ListUsers"): _t("Discovery", *_CLOUD_ACCOUNT, 20),
    ("iam.amazonaws.com", "ListRoles"): _t("Discovery", *_CLOUD_ACCOUNT, 20),
    ("iam.amazonaws.com", "GetAccountAuthorizationDetails"): _t("Discovery", *_CLOUD_ACCOUNT, 35),
    ("iam.amazonaws.com", "ListAccessKeys"): _t("Discovery", *_CLOUD_ACCOUNT, 20),
    ("iam.amazonaws.com", "ListGroups"): _t("Discovery", *_CLOUD_GROUPS, 15),
    ("iam.amazonaws.com", "ListPolicies"): _t("Discovery", *_CLOUD_GROUPS, 15),
    ("iam.amazonaws.com", "ListAttachedUserPolicies"): _t("Discovery", *_CLOUD_GROUPS, 20),
    ("iam.amazonaws.com", "ListAttachedRolePolicies"): _t("Discovery", *_CLOUD_GROUPS, 20),
    ("iam.amazonaws.com", "GetUserPolicy"): _t("Discovery", *_CLOUD_GROUPS, 15),
    ("s3.amazonaws.com", "ListBuckets"): _t("Discovery", *_INFRA, 20),
    ("s3.amazonaws.com", "GetBucketAcl"): _t("Discovery", *_INFRA, 20),
    ("s3.amazonaws.com", "GetBucketPolicy"): _t("Discovery", *_INFRA, 20),
    ("s3.amazonaws.com", "ListObjects"): _t("Discovery", *_OBJECTS, 15),
    ("s3.amazonaws.com", "ListObjectsV2"): _t("Discovery", *_OBJECTS, 15),
    ("ec2.amazonaws.com", "DescribeInstances"): _t("Discovery", *_INFRA, 10),
    ("ec2.amazonaws.com", "DescribeSecurityGroups"): _t("Discovery", *_INFRA, 10),
    ("ec2.amazonaws.com", "DescribeSnapshots"): _t("Discovery", *_INFRA, 10),
    ("ec2.amazonaws.com", "DescribeInstanceAttribute"): _t("Discovery", *_INFRA, 30),
    ("ssm.amazonaws.com", "DescribeInstanceInformation"): _t("Discovery", *_INFRA, 15),
    ("secretsmanager.amazonaws.com", "ListSecrets"): _t("Discovery", *_INFRA, 20),
    ("ssm.amazonaws.com", "DescribeParameters"): _t("Discovery", *_INFRA, 15),
    # Credential access
    ("secretsmanager.amazonaws.com", "GetSecretValue"): _t("Credential Access", *_SECRETS, 40),
    ("secretsmanager.amazonaws.com", "BatchGetSecretValue"): _t("Credential Access", *_SECRETS, 55),
    ("ssm.amazonaws.com", "GetParameters"): _t("Credential Access", *_UNSECURED, 35),
    ("ssm.amazonaws.com", "GetParameter"): _t("Credential Access", *_UNSECURED, 30),
    ("ec2.amazonaws.com", "GetPasswordData"): _t("Credential Access", *_UNSECURED, 55),
    # Persistence / privilege escalation
    ("iam.amazonaws.com", "CreateAccessKey"): _t("Persistence", *_CREDS, 55),
    ("iam.amazonaws.com", "CreateUser"): _t(
        "Persistence", "T1136.003", "Create Account: Cloud Account", 50
    ),
    ("iam.amazonaws.com", "CreateLoginProfile"): _t("Persistence", *_CREDS, 55),
    ("iam.amazonaws.com", "UpdateLoginProfile"): _t("Privilege Escalation", *_CREDS, 55),
    ("iam.amazonaws.com", "CreateRole"): _t(
        "Persistence", "T1136.003", "Create Account: Cloud Account", 40
    ),
    ("iam.amazonaws.com", "UpdateAssumeRolePolicy"): _t("Persistence", *_ROLES, 60),
    ("iam.amazonaws.com", "AttachUserPolicy"): _t("Privilege Escalation", *_ROLES, 60),
    ("iam.amazonaws.com", "AttachRolePolicy"): _t("Privilege Escalation", *_ROLES, 50),
    ("iam.amazonaws.com", "AttachGroupPolicy"): _t("Privilege Escalation", *_ROLES, 50),
    ("iam.amazonaws.com", "PutUserPolicy"): _t("Privilege Escalation", *_ROLES, 60),
    ("iam.amazonaws.com", "PutRolePolicy"): _t("Privilege Escalation", *_ROLES, 50),
    ("iam.amazonaws.com", "PutGroupPolicy"): _t("Privilege Escalation", *_ROLES, 50),
    ("iam.amazonaws.com", "AddUserToGroup"): _t("Privilege Escalation", *_ROLES, 45),
    ("iam.amazonaws.com", "CreatePolicyVersion"): _t("Privilege Escalation", *_ROLES, 55),
    ("iam.amazonaws.com", "SetDefaultPolicyVersion"): _t("Privilege Escalation", *_ROLES, 55),
    ("sts.amazonaws.com", "GetFederationToken"): _t("Persistence", *_TOKEN, 50),
    ("rolesanywhere.amazonaws.com", "CreateTrustAnchor"): _t("Persistence", *_CREDS, 60),
    ("lambda.amazonaws.com", "AddPermission"): _t(
        "Persistence", "T1546", "Event Triggered Execution", 45
    ),
    ("lambda.amazonaws.com", "UpdateFunctionCode"): _t(
        "Persistence", "T1525", "Implant Internal Image", 45
    ),
    ("lambda.amazonaws.com", "UpdateFunctionConfiguration"): _t(
        "Persistence", "T1525", "Implant Internal Image", 35
    ),
    # Defense evasion
    ("cloudtrail.amazonaws.com", "StopLogging"): _t("Defense Evasion", *_CLOUD_LOGS, 80),
    ("cloudtrail.amazonaws.com", "DeleteTrail"): _t("Defense Evasion", *_CLOUD_LOGS, 80),
    ("cloudtrail.amazonaws.com", "UpdateTrail"): _t("Defense Evasion", *_CLOUD_LOGS, 45),
    ("cloudtrail.amazonaws.com", "PutEventSelectors"): _t("Defense Evasion", *_CLOUD_LOGS, 60),
    ("ec2.amazonaws.com", "DeleteFlowLogs"): _t("Defense Evasion", *_CLOUD_LOGS, 70),
    ("route53resolver.amazonaws.com", "DeleteResolverQueryLogConfig"): _t(
        "Defense Evasion", *_CLOUD_LOGS, 65
    ),
    ("guardduty.amazonaws.com", "DeleteDetector"): _t(
        "Defense Evasion", "T1562.001", "Impair Defenses: Disable or Modify Tools", 80
    ),
    ("organizations.amazonaws.com", "LeaveOrganization"): _t(
        "Defense Evasion", "T1666", "Modify Cloud Resource Hierarchy", 80
    ),
    ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"): _t(
        "Defense Evasion", "T1562.007", "Impair Defenses: Disable or Modify Cloud Firewall", 45
    ),
    # Execution
    ("ssm.amazonaws.com", "SendCommand"): _t("Execution", *_ADMIN_CMD, 45),
    ("ssm.amazonaws.com", "StartSession"): _t("Execution", *_ADMIN_CMD, 35),
    ("ec2.amazonaws.com", "ModifyInstanceAttribute"): _t(
        "Execution", "T1059.009", "Command and Scripting Interpreter: Cloud API", 40
    ),
    ("ec2.amazonaws.com", "RunInstances"): _t(
        "Defense Evasion",
        "T1578.002",
        "Modify Cloud Compute Infrastructure: Create Cloud Instance",
        25,
    ),
    # Lateral movement
    ("ec2-instance-connect.amazonaws.com", "SendSSHPublicKey"): _t(
        "Lateral Movement", *_REMOTE, 45
    ),
    ("ec2-instance-connect.amazonaws.com", "SendSerialConsoleSSHPublicKey"): _t(
        "Lateral Movement", *_REMOTE, 50
    ),
    ("ec2.amazonaws.com", "EnableSerialConsoleAccess"): _t("Lateral Movement", *_REMOTE, 45),
    # Collection and exfiltration
    ("s3.amazonaws.com", "GetObject"): _t("Collection", "T1530", "Data from Cloud Storage", 10),
    ("ec2.amazonaws.com", "ModifySnapshotAttribute"): _t("Exfiltration", *_TRANSFER, 60),
    ("ec2.amazonaws.com", "ModifyImageAttribute"): _t("Exfiltration", *_TRANSFER, 55),
    ("rds.amazonaws.com", "ModifyDBSnapshotAttribute"): _t("Exfiltration", *_TRANSFER, 60),
    ("s3.amazonaws.com", "PutBucketPolicy"): _t("Exfiltration", *_TRANSFER, 40),
    # Impact
    ("s3.amazonaws.com", "DeleteBucket"): _t("Impact", "T1485", "Data Destruction", 45),
    ("bedrock.amazonaws.com", "InvokeModel"): _t("Impact", "T1496", "Resource Hijacking", 30),
    ("bedrock.amazonaws.com", "PutFoundationModelEntitlement"): _t(
        "Impact", "T1496", "Resource Hijacking", 35
    ),
    # Initial access
    ("signin.amazonaws.com", "ConsoleLogin"): _t(
        "Initial Access", "T1078.004", "Valid Accounts: Cloud Accounts", 10
    ),
}

_VERSION_SUFFIX = re.compile(r"\d{8}(v\d+)?$")


def base_api_name(api: str) -> str:
    """Strip Lambda's API-version suffix.

    >>> base_api_name("UpdateFunctionCode20150331v2")
    'UpdateFunctionCode'
    """
    return _VERSION_SUFFIX.sub("", api)


def lookup(provider: str, api: str) -> Technique | None:
    """The table row for a call, or None when the call is not a technique step."""
    return TABLE.get((provider, base_api_name(api)))


def api_names() -> list[str]:
    """Every API name in the table, with Lambda's versioned spellings, for a terms filter."""
    names = {api for _, api in TABLE}
    names |= {f"{api}20150331v2" for p, api in TABLE if p == "lambda.amazonaws.com"}
    return sorted(names)
