"""Calls whose shape depends on more than a target: role assumption and sign-in.

``AssumeRole`` responses carry the new temporary key and the assumed-role id
``<AROA...>:<session>``, which is exactly the ``principalId`` of every later call
made with those credentials.
"""

from __future__ import annotations

from trailhound.simulator.catalog import Call
from trailhound.simulator.cloudtrail import iso
from trailhound.simulator.identities import GITHUB_OIDC
from trailhound.simulator.org import Role

TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD-simulated-session-token"


def _role_res(role: Role) -> tuple[dict[str, str], ...]:
    return ({"accountId": role.account, "type": "AWS::IAM::Role", "ARN": role.arn},)


def _creds(role: Role, session: str, key: str, expires: float) -> dict[str, object]:
    return {
        "credentials": {"accessKeyId": key, "sessionToken": TOKEN, "expiration": iso(expires)},
        "assumedRoleUser": {
            "assumedRoleId": f"{role.principal_id}:{session}",
            "arn": f"arn:aws:sts::{role.account}:assumed-role/{role.name}/{session}",
        },
    }


def assume_role(role: Role, session: str, key: str, expires: float, duration: int = 3600) -> Call:
    """``sts:AssumeRole`` of ``role`` as ``session``, returning ``key``."""
    return Call(
        "sts.amazonaws.com",
        "AssumeRole",
        True,
        {"roleArn": role.arn, "roleSessionName": session, "durationSeconds": duration},
        _creds(role, session, key, expires),
        _role_res(role),
    )


def assume_role_with_web_identity(
    role: Role, session: str, key: str, expires: float, subject: str
) -> Call:
    """``sts:AssumeRoleWithWebIdentity`` from GitHub Actions OIDC."""
    resp = _creds(role, session, key, expires)
    resp.update(
        {
            "subjectFromWebIdentityToken": subject,
            "provider": GITHUB_OIDC,
            "audience": "sts.amazonaws.com",
        }
    )
    return Call(
        "sts.amazonaws.com",
        "AssumeRoleWithWebIdentity",
        True,
        {"roleArn": role.arn, "roleSessionName": session, "durationSeconds": 3600},
        resp,
        _role_res(role),
    )


def assume_role_with_saml(
    role: Role, session: str, key: str, expires: float, provider_arn: str
) -> Call:
    """``sts:AssumeRoleWithSAML`` through IAM Identity Center."""
    resp = _creds(role, session, key, expires)
    resp.update(
        {
            "subject": session,
            "subjectType": "persistent",
            "issuer": "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/simulated",
            "audience": "https://signin.aws.amazon.com/saml",
            "nameQualifier": "simulated=",
        }
    )
    return Call(
        "sts.amazonaws.com",
        "AssumeRoleWithSAML",
        True,
        {
            "sAMLAssertionID": "_" + key.lower(),
            "roleSessionName": session,
            "roleArn": role.arn,
            "principalArn": provider_arn,
            "durationSeconds": 43200,
        },
        resp,
        _role_res(role),
    )


def get_federation_token(account: str, name: str, key: str, expires: float) -> Call:
    """``sts:GetFederationToken`` for a federated user ``name``."""
    return Call(
        "sts.amazonaws.com",
        "GetFederationToken",
        True,
        {"name": name, "durationSeconds": 43200},
        {
            "credentials": {"accessKeyId": key, "sessionToken": TOKEN, "expiration": iso(expires)},
            "federatedUser": {
                "federatedUserId": f"{account}:{name}",
                "arn": f"arn:aws:sts::{account}:federated-user/{name}",
            },
            "packedPolicySize": 6,
        },
    )


def console_login(mfa: bool, success: bool = True) -> Call:
    """``signin:ConsoleLogin`` (``eventType: AwsConsoleSignIn``)."""
    return Call(
        "signin.amazonaws.com",
        "ConsoleLogin",
        False,
        None,
        {"ConsoleLogin": "Success" if success else "Failure"},
        additional={
            "LoginTo": "https://console.aws.amazon.com/console/home",
            "MobileVersion": "No",
            "MFAUsed": "Yes" if mfa else "No",
        },
        host="signin.aws.amazon.com",
        global_service=True,
    )
