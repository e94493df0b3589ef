"""Entity identifiers as users type them, and the names we display.

Detective accepts an ARN, a name or a principal id "where unambiguous"; this
module turns such text into exact keys or into a key pattern the repository
resolves (the pattern is an Elasticsearch ``regexp`` over ``related.entity``).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from trailhound.ecs.entities import EntityKind, EntityRef
from trailhound.errors import InvalidArgumentError

__all__ = ["KeyLookup", "display_name", "lookup_for", "regex_escape"]

_REGEX_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~^$])')
_INSTANCE_ARN = re.compile(r"^arn:aws[\w-]*:ec2:[^:]*:\d*:instance/(i-[0-9a-f]+)$")
_BUCKET_ARN = re.compile(r"^arn:aws[\w-]*:s3:::([^/]+)$")
_FINDING_ARN = re.compile(r"^arn:aws[\w-]*:guardduty:.*/finding/([^/]+)$")
_ASSUMED_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:sts::\d+:assumed-role/([^/]+)/(.+)$")


def regex_escape(text: str) -> str:
    """Escape text for a Lucene regular expression.

    >>> regex_escape("a.b*c")
    'a\\\\.b\\\\*c'
    """
    return _REGEX_SPECIAL.sub(r"\\\1", text)


_ROLE_PRINCIPAL = re.compile(r"^AROA[A-Z0-9]{8,}$")
_USER_PRINCIPAL = re.compile(r"^AIDA[A-Z0-9]{8,}$")


@dataclass(frozen=True, slots=True)
class KeyLookup:
    """An exact key; or a Lucene regexp over keys (a short name); or a principal id.

    ``principal_id`` is resolved through the documents that carry it: a role's
    sessions are keyed ``<rolePrincipalId>:<name>``, a user's events carry
    ``user.id``.
    """

    exact: EntityRef | None
    pattern: str | None = None
    principal_id: str | None = None


def lookup_for(kind: EntityKind, text: str) -> KeyLookup:
    """How to find the entity of ``kind`` that ``text`` identifies.

    >>> lookup_for(EntityKind.AWS_ROLE, "arn:aws:iam::1:role/web").exact.key
    'aws_role:arn:aws:iam::1:role/web'
    >>> lookup_for(EntityKind.AWS_ROLE, "web").pattern
    'aws_role:arn:aws[a-z-]*:iam::[0-9]+:role/(.*/)?web'
    >>> lookup_for(EntityKind.S3_BUCKET, "arn:aws:s3:::logs").exact.key
    's3_bucket:logs'
    >>> lookup_for(EntityKind.AWS_ROLE, "AROAEXAMPLE123").principal_id
    'AROAEXAMPLE123'
    """
    text = text.strip()
    if not text:
        raise InvalidArgumentError("an entity id must not be empty")
    if (kind is EntityKind.AWS_ROLE and _ROLE_PRINCIPAL.match(text)) or (
        kind is EntityKind.AWS_USER and _USER_PRINCIPAL.match(text)
    ):
        return KeyLookup(exact=None, principal_id=text)
    if kind in (EntityKind.AWS_ROLE, EntityKind.AWS_USER) and not text.startswith("arn:"):
        noun = "role" if kind is EntityKind.AWS_ROLE else "user"
        if kind is EntityKind.AWS_USER and text == "root":
            pattern = f"{kind.value}:arn:aws[a-z-]*:iam::[0-9]+:root"
        else:
            pattern = f"{kind.value}:arn:aws[a-z-]*:iam::[0-9]+:{noun}/(.*/)?{regex_escape(text)}"
        return KeyLookup(exact=None, pattern=pattern)
    return KeyLookup(exact=EntityRef(kind, _canonical(kind, text)))


def _canonical(kind: EntityKind, text: str) -> str:
    if kind is EntityKind.EC2_INSTANCE and (m := _INSTANCE_ARN.match(text)):
        return m.group(1)
    if kind is EntityKind.S3_BUCKET and (m := _BUCKET_ARN.match(text)):
        return m.group(1)
    if kind is EntityKind.FINDING and (m := _FINDING_ARN.match(text)):
        return m.group(1)
    if kind is EntityKind.IP_ADDRESS:
        try:
            return str(ipaddress.ip_address(text))
        except ValueError as exc:
            raise InvalidArgumentError(f"{text!r} is not an IP address") from exc
    return text


def display_name(ref: EntityRef) -> str:
    """A short human name: the role or user name of an ARN, a session's name, else the id.

    >>> display_name(EntityRef(EntityKind.AWS_ROLE, "arn:aws:iam::1:role/ops/web"))
    'web'
    >>> display_name(EntityRef(EntityKind.AWS_ROLE_SESSION, "AROAX:i-0abc"))
    'i-0abc'
    >>> display_name(EntityRef(EntityKind.AWS_USER, "arn:aws:iam::1:root"))
    'root'
    """
    ident = ref.id
    if ref.kind in (EntityKind.AWS_ROLE, EntityKind.AWS_USER):
        return ident.rsplit("/", 1)[-1] if "/" in ident else ident.rsplit(":", 1)[-1]
    if ref.kind is EntityKind.AWS_ROLE_SESSION:
        if m := _ASSUMED_ROLE_ARN.match(ident):
            return m.group(2)
        return ident.split(":", 1)[1] if ":" in ident else ident
    return ident
