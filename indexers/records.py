"""The values that flow through the pipeline: framed records, their origin, ECS documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["Broken", "EcsDoc", "Origin", "RawRecord", "Skipped"]


@dataclass(slots=True)
class Origin:
    """Where a record came from, precise enough to find it again by hand.

    Treated as immutable; not ``frozen`` because a frozen dataclass costs a microsecond
    per instance and one is made for every record.
    """

    file: str
    record: int | None = None  # 0-based index of the record within the file
    line: int | None = None  # 1-based line in the (decompressed) text, when known
    offset: int | None = None  # byte offset in the decompressed stream, when known

    def as_doc(self) -> dict[str, Any]:
        """The ``origin`` object of a dead-letter document."""
        out: dict[str, Any] = {"file": self.file}
        if self.record is not None:
            out["record"] = self.record
        if self.line is not None:
            out["line"] = self.line
        if self.offset is not None:
            out["offset"] = self.offset
        return out


@dataclass(slots=True)
class RawRecord:
    """One framed record: a JSON object or a flow-log line split into named fields."""

    payload: dict[str, Any]
    origin: Origin
    raw: bytes | str  # the record's own bytes/text (flow id hash, dead-letter copy)
    source: str | None = None  # source the framer attributed the record to (auto mode)


@dataclass(frozen=True, slots=True)
class Broken:
    """A piece of input that could not be framed into a record (bad JSON, truncated gzip...)."""

    origin: Origin
    reason: str
    raw: bytes | str
    error_type: str = "framing"
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """Input recognized and deliberately not indexed (digest files, NODATA rows...)."""

    origin: Origin
    reason: str
    source: str | None = None


@dataclass(slots=True)
class EcsDoc:
    """A normalized document ready for the bulk writer."""

    id: str
    dataset: str
    timestamp: datetime
    body: dict[str, Any]
