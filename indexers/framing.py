"""Bytes to records: decompression, JSON documents, JSON lines, and tolerant recovery.

Files are recognized by content, not name: gzip by its magic bytes, JSON by its
first significant character.  A whole JSON document (``{"Records": [...]}``,
``{"Findings": [...]}``, an array, one event) is parsed at once with orjson; if
that fails, its top-level array elements are re-scanned one by one so a single
corrupt record (or a truncated gzip) costs only that record.  JSON lines are
streamed.  Containers are unwrapped into leaf records: ``Records``,
``Findings``/``findings``, EventBridge envelopes (``detail``) and plain arrays.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from indexers.records import Broken, Origin, RawRecord

__all__ = [
    "HEAD_BYTES",
    "Replay",
    "frame_json",
    "iter_paths",
    "open_binary",
    "read_head",
]

HEAD_BYTES = 65536
GZIP_MAGIC = b"\x1f\x8b"
_CONTAINER_KEYS = ("Records", "Findings", "findings")
_MAX_RAW = 65536  # dead letters keep at most this much of the offending input


def iter_paths(paths: list[str]) -> Iterator[str]:
    """Files under the given paths (directories recursively, sorted; ``-`` is stdin)."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith("."):
                    yield str(child)
        else:
            yield str(path)


class Replay(io.RawIOBase):
    """A stream that first replays already-read bytes, then continues the original."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(b))
        b[: len(data)] = data
        return len(data)


def open_binary(path: str) -> IO[bytes]:
    """The decompressed byte stream of a file (or stdin for ``-``); gzip by magic bytes."""
    raw: IO[bytes]
    if path == "-":
        first = sys.stdin.buffer.read(2)
        raw = io.BufferedReader(Replay(first, sys.stdin.buffer), buffer_size=1 << 20)
        if first == GZIP_MAGIC:
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw
    with open(path, "rb") as probe:
        first = probe.read(2)
    if first == GZIP_MAGIC:
        # gzip.open owns (and closes) the file; streaming, 1 MiB reads.
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb", buffering=1 << 20)


def read_head(stream: IO[bytes], n: int = HEAD_BYTES) -> tuple[bytes, str | None]:
    """Up to ``n`` bytes from the stream, and the error text if decompression failed."""
    try:
        return stream.read(n), None
    except (EOFError, OSError, zlib.error) as exc:
        return b"", f"cannot decompress: {exc}"


def _clip(data: bytes | str) -> bytes | str:
    return data[:_MAX_RAW]


def read_all(stream: IO[bytes], head: bytes = b"") -> tuple[bytes, str | None]:
    """``head`` plus everything decompressible after it, and the error if the input is cut.

    Joined once: ``head + rest`` would copy a large file a second time.
    """
    chunks: list[bytes] = [head]
    try:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except (EOFError, OSError, zlib.error) as exc:
        return b"".join(chunks), f"truncated or corrupt compressed input: {exc}"
    return b"".join(chunks), None


def unwrap(value: Any) -> Iterator[Any]:
    """Leaf records of a JSON value: containers and EventBridge envelopes are opened."""
    if isinstance(value, list):
        for item in value:
            yield from unwrap(item)
        return
    if isinstance(value, dict):
        for key in _CONTAINER_KEYS:
            inner = value.get(key)
            if isinstance(inner, list) and len(value) <= 3:
                yield from unwrap(inner)
                return
        event_json = value.get("eventJson")
        if isinstance(event_json, str) and "eventVersion" not in value:
            # CloudTrail Lake query results keep the whole event as the eventJson column.
            try:
                inner_event = orjson.loads(event_json)
            except orjson.JSONDecodeError:
                yield value  # the source's parser reports what is missing
                return
            yield from unwrap(inner_event)
            return
        detail = value.get("detail")
        if isinstance(detail, dict) and "detail-type" in value:
            yield from unwrap(detail) if "findings" in detail else iter((detail,))
            return
    yield value


_STRUCT = re.compile(rb'["\[\]{}]')
_STRING_END = re.compile(rb'(?:[^"\\]|\\.)*"', re.DOTALL)


def _scan_elements(data: bytes, start: int) -> Iterator[tuple[int, int]]:
    """Byte spans of the top-level elements of the array opening at ``start``.

    A small bracket matcher aware of strings, used only when orjson rejected the
    whole document, so one bad record does not lose its neighbours.  An
    unterminated last element is returned up to the end of the data.
    """
    depth = 0
    pos = start + 1
    elem_start: int | None = None
    n = len(data)
    while pos < n:
        m = _STRUCT.search(data, pos)
        if m is None:
            break
        ch = m.group()
        pos = m.end()
        if ch == b'"':
            if depth == 0 and elem_start is None:
                elem_start = m.start()
            end = _STRING_END.match(data, pos)
            if end is None:
                break
            pos = end.end()
            continue
        if ch in b"[{":
            if depth == 0:
                elem_start = m.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0 and elem_start is not None:
                yield elem_start, m.end()
                elem_start = None
            elif depth < 0:
                return
    if elem_start is not None:
        yield elem_start, n


def _recover(data: bytes, label: str, error: str) -> Iterator[RawRecord | Broken]:
    """Element-wise parse of a document orjson rejected as a whole."""
    m = re.search(rb'"(?:Records|Findings|findings)"\s*:\s*\[', data[:4096])
    if m is not None:
        start = m.end() - 1
    else:
        first = re.search(rb"\S", data)
        if first is None or data[first.start() : first.start() + 1] != b"[":
            yield Broken(Origin(label, record=0, line=1, offset=0), f"invalid JSON: {error}", data)
            return
        start = first.start()
    index = 0
    # Line numbers are counted on from the previous element: counting from the start of
    # the data for every element made recovering a large file quadratic.
    line, counted = 1, 0
    for a, b in _scan_elements(data, start):
        chunk = data[a:b]
        line += data.count(b"\n", counted, a)
        counted = a
        origin = Origin(label, record=index, line=line, offset=a)
        index += 1
        try:
            value = orjson.loads(chunk)
        except orjson.JSONDecodeError as exc:
            yield Broken(origin, f"invalid JSON: {exc}", _clip(chunk))
            continue
        for leaf in unwrap(value):
            yield _leaf(leaf, origin, chunk)


def _leaf(value: Any, origin: Origin, raw: bytes) -> RawRecord | Broken:
    if not isinstance(value, dict):
        return Broken(origin, f"record is a JSON {type(value).__name__}, not an object", _clip(raw))
    return RawRecord(value, origin, raw)


def _is_json_lines(data: bytes) -> bool:
    """More than one line, and the first non-empty line is a complete JSON value."""
    stripped = data.lstrip()
    nl = stripped.find(b"\n")
    if nl < 0 or not stripped[nl:].strip():
        return False
    try:
        orjson.loads(stripped[:nl])
    except orjson.JSONDecodeError:
        return False
    return True


def _broken_json_lines(data: bytes) -> bool:
    """JSON lines whose first line is broken, judged on the first 50 non-empty lines.

    Either some later line is a complete JSON object on its own, or every line is
    brace-delimited (a pretty-printed document has lines like ``"key": value,``), so
    that lines which are all broken still cost one dead letter each, not the file.
    """
    lines = [ln.strip() for ln in data.split(b"\n", 50)[:50] if ln.strip()]
    if len(lines) < 2:
        return False
    delimited = [ln for ln in lines if ln[:1] == b"{" and ln[-1:] == b"}"]
    for line in delimited:
        if line is lines[0]:
            continue
        try:
            orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        return True
    return len(delimited) == len(lines)


def frame_json(stream: IO[bytes], label: str, head: bytes) -> Iterator[RawRecord | Broken]:
    """Leaf JSON records of one file: a whole document, or JSON lines (streamed)."""
    if _is_json_lines(head):
        yield from _frame_lines(stream, label, head)
        return
    data, gz_error = read_all(stream, head)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        value = None
        if _broken_json_lines(data):
            # JSON lines whose first line is the broken one.
            yield from _frame_lines(io.BytesIO(data), label, b"")
        elif data.lstrip()[:1] not in (b"{", b"["):
            yield Broken(Origin(label, record=0, line=1, offset=0), f"invalid JSON: {exc}", data)
            return
        else:
            yield from _recover(data, label, str(exc))
    if value is not None:
        single = not isinstance(value, list) and not any(
            isinstance(value, dict) and isinstance(value.get(k), list) for k in _CONTAINER_KEYS
        )
        # Leaves of a container keep only their index; the pipeline re-serializes a leaf
        # when it needs a raw copy (dead letters), which keeps the hot path allocation-free.
        raw = data if single else b""
        for index, leaf in enumerate(unwrap(value)):
            yield _leaf(leaf, Origin(label, record=index), raw)
    if gz_error is not None:
        yield Broken(Origin(label, offset=len(data)), gz_error, b"", error_type="decompression")


def _frame_lines(stream: IO[bytes], label: str, head: bytes) -> Iterator[RawRecord | Broken]:
    buffered = io.BufferedReader(Replay(head, stream), buffer_size=1 << 20)
    offset = 0
    line_no = 0
    index = 0
    while True:
        try:
            line = buffered.readline()
        except (EOFError, OSError, zlib.error) as exc:
            yield Broken(
                Origin(label, record=index, line=line_no + 1, offset=offset),
                f"truncated or corrupt compressed input: {exc}",
                b"",
                error_type="decompression",
            )
            return
        if not line:
            return
        line_no += 1
        start = offset
        offset += len(line)
        if not line.strip():
            continue
        origin = Origin(label, record=index, line=line_no, offset=start)
        index += 1
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield Broken(origin, f"invalid JSON: {exc}", _clip(line))
            continue
        for leaf in unwrap(value):
            yield _leaf(leaf, origin, line)
