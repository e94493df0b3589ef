"""Building blocks shared by the source parsers: base document, time, entity keys, ids."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from trailhound.ecs.entities import EntityKind
from trailhound.errors import ParseError

__all__ = [
    "ECS_VERSION",
    "EntityKeys",
    "as_dict",
    "as_list",
    "base_doc",
    "clamp_depth",
    "ensure_str",
    "flattened",
    "flow_hash",
    "parse_time",
    "severity_bucket",
]

ECS_VERSION = "8.11.0"
MIN_TIME = datetime(2006, 1, 1, tzinfo=UTC)  # before AWS existed: an absurd timestamp
MAX_FUTURE = timedelta(days=2)
FLATTENED_DEPTH = 18  # Elasticsearch's flattened depth_limit is 20


def base_doc(dataset: str, namespace_free_kind: str, ingested: datetime) -> dict[str, Any]:
    """Fields every event carries (``data_stream.namespace`` is set by the writer)."""
    return {
        "ecs": {"version": ECS_VERSION},
        "event": {
            "kind": namespace_free_kind,
            "module": "aws",
            "dataset": dataset,
            "ingested": ingested,
        },
        "data_stream": {"type": "logs", "dataset": dataset},
        "cloud": {"provider": "aws"},
    }


def parse_time(value: Any, field: str, now: datetime) -> datetime:
    """A timezone-aware UTC datetime from ISO 8601 text or epoch seconds; bounded to sane years."""
    if isinstance(value, bool):
        raise ParseError("timestamp is a boolean", field=field)
    if isinstance(value, int | float):
        try:
            when = datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ParseError(f"timestamp out of range: {value!r}", field=field) from exc
    elif isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return parse_time(int(text), field, now)
        if " " in text and "T" not in text:
            text = text.replace(" ", "T", 1)  # "2025-02-25 20:40:06.721" (Panther, Athena)
        try:
            when = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ParseError(f"not an ISO 8601 timestamp: {value!r}", field=field) from exc
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    else:
        raise ParseError(f"missing or non-text timestamp: {value!r}", field=field)
    if when < MIN_TIME or when > now + MAX_FUTURE:
        raise ParseError(f"absurd timestamp {when.isoformat()}", field=field)
    return when


class EntityKeys:
    """An insertion-ordered set of ``<kind>:<id>`` keys (becomes ``related.entity``)."""

    __slots__ = ("_keys",)

    def __init__(self) -> None:
        """Empty set."""
        self._keys: dict[str, None] = {}

    def add(self, kind: EntityKind, ident: Any) -> str | None:
        """Add a key when ``ident`` is a non-empty string; returns the key."""
        if not isinstance(ident, str) or not ident or ident == "-":
            return None
        key = f"{kind}:{ident}"  # StrEnum formats as its value
        self._keys[key] = None
        return key

    def add_key(self, key: str | None) -> None:
        """Add an already built key."""
        if key:
            self._keys[key] = None

    def keys(self) -> list[str]:
        """The keys in insertion order."""
        return list(self._keys)

    def __bool__(self) -> bool:
        return bool(self._keys)


def flow_hash(*parts: str | bytes) -> str:
    """Deterministic document id from the parts (sha256, hex, 40 chars)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\x00")
    return h.hexdigest()[:40]


def clamp_depth(value: Any, depth: int = 0) -> Any:
    """Copy of ``value`` whose objects nest at most :data:`FLATTENED_DEPTH` deep.

    Deeper subtrees become their JSON text so a ``flattened`` field never rejects a
    real record for nesting.
    """
    if isinstance(value, dict):
        if depth >= FLATTENED_DEPTH:
            return orjson.dumps(value).decode()
        return {str(k): clamp_depth(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clamp_depth(v, depth) for v in value]
    return value


def _too_deep(value: dict[str, Any], limit: int) -> bool:
    """Whether objects nest deeper than ``limit`` (iterative: this runs on every event)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        children = node.values() if type(node) is dict else node
        for child in children:
            t = type(child)
            if t is dict:
                if depth + 1 > limit:
                    return True
                if child:
                    push((child, depth + 1))
            elif t is list and child:
                push((child, depth))
    return False


def flattened(value: Any) -> Any:
    """``value`` as-is when shallow enough for a flattened field, else clamped."""
    if isinstance(value, dict) and _too_deep(value, FLATTENED_DEPTH):
        return clamp_depth(value)
    return value


_SEVERITY_BUCKETS = {"LOW": 21, "MEDIUM": 47, "HIGH": 73, "CRITICAL": 99}


def severity_bucket(label: str) -> int:
    """ECS/Kibana severity from a label: low 21, medium 47, high 73, critical 99.

    Anything else (``INFORMATIONAL``) counts as low.
    """
    return _SEVERITY_BUCKETS.get(label.upper(), 21)


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list, else empty (wrong-typed input must not raise)."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is an object, else empty."""
    return value if isinstance(value, dict) else {}


def ensure_str(value: Any, field: str, *, required: bool = True) -> str | None:
    """A string field, or a ParseError naming it (None when optional and absent)."""
    if value is None or value == "":
        if required:
            raise ParseError("required field missing", field=field)
        return None
    if not isinstance(value, str):
        raise ParseError(f"expected a string, got {type(value).__name__}", field=field)
    return value
