"""CloudTrail ``userIdentity`` blocks, one function per identity type.

Shapes follow the CloudTrail userIdentity reference and the real records in
``shared/samples`` (invictus-aws-dataset, stratus-red-team).  The read side keys
a role session by ``principalId`` = ``<role unique id>:<session name>``; an
instance-profile session's name is the instance id.
"""

from __future__ import annotations

from typing import Any

from trailhound.simulator.org import Role, User

Identity = dict[str, Any]
GITHUB_OIDC = "token.actions.githubusercontent.com"


def iam_user(
    user: User, *, access_key: str | None = None, console_since: str | None = None, mfa: bool = True
) -> Identity:
    """An IAM user signing with a long-term key, or a console session when ``console_since``."""
    ident: Identity = {
        "type": "IAMUser",
        "principalId": user.principal_id,
        "arn": user.arn,
        "accountId": user.account,
        "accessKeyId": access_key or user.access_key,
        "userName": user.name,
    }
    if console_since is not None:
        ident["sessionContext"] = {
            "sessionIssuer": {},
            "webIdFederationData": {},
            "attributes": {
                "creationDate": console_since,
                "mfaAuthenticated": "true" if mfa else "false",
            },
        }
    return ident


def assumed_role(
    role: Role,
    session: str,
    access_key: str,
    since: str,
    *,
    mfa: bool = False,
    ec2_delivery: bool = False,
    source_identity: str | None = None,
) -> Identity:
    """An assumed-role session; ``principalId`` is ``<AROA...>:<session name>``."""
    ctx: dict[str, Any] = {
        "sessionIssuer": {
            "type": "Role",
            "principalId": role.principal_id,
            "arn": role.arn,
            "accountId": role.account,
            "userName": role.name,
        },
        "webIdFederationData": {},
        "attributes": {"creationDate": since, "mfaAuthenticated": "true" if mfa else "false"},
    }
    if ec2_delivery:
        ctx["ec2RoleDelivery"] = "2.0"
    if source_identity:
        ctx["sourceIdentity"] = source_identity
    return {
        "type": "AssumedRole",
        "principalId": f"{role.principal_id}:{session}",
        "arn": f"arn:aws:sts::{role.account}:assumed-role/{role.name}/{session}",
        "accountId": role.account,
        "accessKeyId": access_key,
        "sessionContext": ctx,
    }


def aws_service(service: str) -> Identity:
    """An AWS service acting for the account (``invokedBy`` is the service principal)."""
    return {"type": "AWSService", "invokedBy": service}


def federated_user(issuer: User, name: str, access_key: str, since: str) -> Identity:
    """A ``GetFederationToken`` session of an IAM user; ``principalId`` = ``<acct>:<name>``."""
    return {
        "type": "FederatedUser",
        "principalId": f"{issuer.account}:{name}",
        "arn": f"arn:aws:sts::{issuer.account}:federated-user/{name}",
        "accountId": issuer.account,
        "accessKeyId": access_key,
        "sessionContext": {
            "sessionIssuer": {
                "type": "IAMUser",
                "principalId": issuer.principal_id,
                "arn": issuer.arn,
                "accountId": issuer.account,
                "userName": issuer.name,
            },
            "webIdFederationData": {},
            "attributes": {"creationDate": since, "mfaAuthenticated": "false"},
        },
    }


def saml_user(account: str, user_name: str, provider_hash: str) -> Identity:
    """The caller of ``AssumeRoleWithSAML`` (IAM Identity Center / an external IdP)."""
    return {
        "type": "SAMLUser",
        "principalId": f"{provider_hash}:{user_name}",
        "userName": user_name,
        "identityProvider": provider_hash,
    }


def web_identity_user(account: str, subject: str) -> Identity:
    """The caller of ``AssumeRoleWithWebIdentity`` (GitHub Actions OIDC)."""
    provider = f"arn:aws:iam::{account}:oidc-provider/{GITHUB_OIDC}"
    return {
        "type": "WebIdentityUser",
        "principalId": f"{provider}:sts.amazonaws.com:{subject}",
        "userName": subject,
        "identityProvider": provider,
    }


def root(account: str) -> Identity:
    """The account root user."""
    return {
        "type": "Root",
        "principalId": account,
        "arn": f"arn:aws:iam::{account}:root",
        "accountId": account,
        "accessKeyId": "",
    }
