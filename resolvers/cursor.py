"""Opaque pagination cursors: base64url of a small JSON object."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from trailhound.errors import InvalidArgumentError

__all__ = ["decode_cursor", "encode_cursor"]


def encode_cursor(kind: str, value: Any) -> str:
    """Encode a cursor tagged with what it pages (so a search cursor cannot page a timeline).

    >>> decode_cursor("search", encode_cursor("search", {"offset": 3}))
    {'offset': 3}
    """
    raw = json.dumps({"k": kind, "v": value}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str) -> Any:
    """Inverse of :func:`encode_cursor`; a foreign or garbled cursor is an argument error."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidArgumentError("the cursor is not one this server issued") from exc
    if not isinstance(data, dict) or data.get("k") != kind:
        raise InvalidArgumentError("the cursor is not one this server issued")
    return data.get("v")
