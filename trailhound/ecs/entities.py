"""Entity kinds and the ``<kind>:<id>`` keys the indexers write and the resolvers query.

Keys are extracted once at ingest so every read is a plain term/terms
aggregation.  The id part follows Amazon Detective's identifiers:

=================  ==========================================================
kind               id
=================  ==========================================================
aws_account        12-digit account id
aws_user           IAM user ARN (the root user is ``arn:aws:iam::<acct>:root``)
aws_role           role ARN (``sessionIssuer.arn`` for assumed-role sessions)
aws_role_session   ``<rolePrincipalId>:<sessionName>`` (CloudTrail ``principalId``)
federated_user     CloudTrail ``principalId`` of the federated identity
ec2_instance       ``i-...``
ip_address         canonical IP text (IPv4 dotted, IPv6 compressed)
user_agent         the raw user-agent string
s3_bucket          bucket name
access_key         access key id (``AKIA...``/``ASIA...``)
finding            finding id (GuardDuty id, or ASFF ``Id``)
network_interface  ``eni-...`` (flow records without an instance id)
=================  ==========================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class EntityKind(StrEnum):
    """Every kind of node in the behavior graph."""

    AWS_ACCOUNT = "aws_account"
    AWS_USER = "aws_user"
    AWS_ROLE = "aws_role"
    AWS_ROLE_SESSION = "aws_role_session"
    FEDERATED_USER = "federated_user"
    EC2_INSTANCE = "ec2_instance"
    IP_ADDRESS = "ip_address"
    USER_AGENT = "user_agent"
    S3_BUCKET = "s3_bucket"
    ACCESS_KEY = "access_key"
    FINDING = "finding"
    NETWORK_INTERFACE = "network_interface"


PRINCIPAL_KINDS = frozenset(
    {
        EntityKind.AWS_USER,
        EntityKind.AWS_ROLE,
        EntityKind.AWS_ROLE_SESSION,
        EntityKind.FEDERATED_USER,
        EntityKind.AWS_ACCOUNT,
    }
)


@dataclass(frozen=True, slots=True, order=True)
class EntityRef:
    """A typed entity identifier; hashable, and the node key of every graph.

    >>> EntityRef.parse("aws_role_session:AROAEXAMPLE:i-0abc").id
    'AROAEXAMPLE:i-0abc'
    >>> EntityRef(EntityKind.EC2_INSTANCE, "i-0abc").key
    'ec2_instance:i-0abc'
    """

    kind: EntityKind
    id: str

    @property
    def key(self) -> str:
        """The ``<kind>:<id>`` form stored in ``related.entity`` and ``trailhound.*``."""
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def parse(cls, key: str) -> EntityRef:
        """Inverse of :attr:`key`; raises ``ValueError`` on an unknown kind."""
        kind, sep, ident = key.partition(":")
        if not sep or not ident:
            raise ValueError(f"not an entity key: {key!r}")
        return cls(EntityKind(kind), ident)


def entity_key(kind: EntityKind, ident: str) -> str:
    """Shorthand for ``EntityRef(kind, ident).key`` on hot paths."""
    return f"{kind.value}:{ident}"


_USER_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):user/(?:.+/)?([^/]+)$")


def iam_user_arn(partition: str, account: str, name: str) -> str:
    """An IAM user's ARN without its path (GuardDuty names users by ``userName`` only).

    >>> iam_user_arn("aws", "111122223333", "alice")
    'arn:aws:iam::111122223333:user/alice'
    """
    return f"arn:{partition}:iam::{account}:user/{name}"


def pathless_user_arn(arn: str) -> str | None:
    """The ARN of a user *with* a path, the path dropped; ``None`` for any other ARN.

    IAM user names are unique within an account whatever their path, so both
    forms name the same user: CloudTrail writes the full one, GuardDuty's
    findings let us rebuild only the short one.

    >>> pathless_user_arn("arn:aws:iam::111122223333:user/division_abc/dev/carol")
    'arn:aws:iam::111122223333:user/carol'
    >>> pathless_user_arn("arn:aws:iam::111122223333:user/carol") is None
    True
    """
    m = _USER_ARN.match(arn)
    if m is None:
        return None
    short = iam_user_arn(m[1], m[2], m[3])
    return short if short != arn else None
