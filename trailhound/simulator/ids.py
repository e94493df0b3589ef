"""Deterministic AWS-shaped identifiers drawn from a seeded :class:`random.Random`.

Every id the simulator writes comes from here so one seed gives one corpus.
Shapes follow AWS: ``i-`` + 17 hex digits, IAM unique ids (``AIDA``/``AROA``) of
21 characters, access keys (``AKIA``/``ASIA``) of 20, GuardDuty ids of 32 hex.
"""

from __future__ import annotations

import random

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def hex_id(rng: random.Random, n: int) -> str:
    """``n`` lowercase hex digits."""
    return f"{rng.getrandbits(4 * n):0{n}x}"


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def uuid4(rng: random.Random) -> str:
    """A version-4 UUID string (CloudTrail ``eventID``/``requestID``)."""
    h = rng.randbytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


def chars(rng: random.Random, alphabet: str, n: int) -> str:
    """``n`` characters drawn from ``alphabet``."""
    return "".join(rng.choices(alphabet, k=n))


def alnum(rng: random.Random, n: int) -> str:
    """Mixed-case alphanumerics (the random part of a CloudTrail log file name)."""
    return chars(rng, _ALNUM, n)


def s3_request_id(rng: random.Random) -> str:
    """S3's 16-character upper-case request id (hex digits are a subset of its alphabet)."""
    return f"{rng.getrandbits(64):016X}"


def iam_unique_id(rng: random.Random, prefix: str) -> str:
    """An IAM unique id such as ``AIDA...`` (user) or ``AROA...`` (role): 21 chars."""
    return prefix + chars(rng, _B32, 17)


def access_key_id(rng: random.Random, prefix: str) -> str:
    """``AKIA...`` (long-term) or ``ASIA...`` (temporary) access key id: 20 chars."""
    return prefix + chars(rng, _B32, 16)


def account_id(rng: random.Random) -> str:
    """A 12-digit account id that does not start with 0."""
    return str(rng.randrange(100_000_000_000, 999_999_999_999))


def resource_id(rng: random.Random, prefix: str) -> str:
    """EC2-style id: ``i-``, ``eni-``, ``vpc-``, ``subnet-``, ``fl-``, ``sg-`` + 17 hex."""
    return f"{prefix}-{hex_id(rng, 17)}"
