"""The ingest pipeline: files -> framed records -> ECS documents -> bulk writer, fully accounted.

``ingest_paths`` is the Python API behind ``trailhound ingest``.  Every record read
ends up in exactly one bucket of the :class:`IngestReport`: indexed, duplicate,
skipped or dead-lettered (or ``failed`` when Elasticsearch stayed unavailable).
Nothing raises out of the per-record path: parse errors and unexpected exceptions
become dead letters with the record's origin.
"""

from __future__ import annotations

import contextlib
import gc
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

import orjson
from elasticsearch import Elasticsearch

from indexers.bulk import BulkWriter
from indexers.enrich import Enricher
from indexers.framing import Replay, frame_json, iter_paths, open_binary, read_head
from indexers.records import Broken, EcsDoc, Origin, RawRecord
from indexers.registry import Framed, LogSource, ParseContext, classify, get_source, load_sources
from indexers.report import IngestReport
from indexers.setup import install_templates
from trailhound.config import Settings
from trailhound.ecs.indices import dead_letter_index, events_pattern, valid_namespace
from trailhound.errors import ConfigError, ParseError, UnknownLogSourceError
from trailhound.es.client import sync_client

__all__ = ["IngestReport", "Outcome", "detect_source", "ingest_paths", "process_file"]

Progress = Callable[[int], None]
UNKNOWN = "unknown"
_BOM = b"\xef\xbb\xbf"


def _strip(head: bytes) -> bytes:
    return head[len(_BOM) :] if head.startswith(_BOM) else head


def detect_source(head: bytes, name: str) -> LogSource | None:
    """The source whose ``sniff`` recognizes a file head (decompressed), by priority."""
    text = _strip(head).decode("utf-8", "replace")
    for src in load_sources().values():
        if src.sniff(text, name):
            return src
    return None


@dataclass(slots=True)
class _Plan:
    path: str
    label: str
    source: LogSource | None  # None: stdin, detected when read
    error: str | None = None
    empty: bool = False


def _plan(paths: list[str], forced: LogSource | None) -> list[_Plan]:
    plans: list[_Plan] = []
    unknown: list[str] = []
    for path in iter_paths(paths):
        label = "<stdin>" if path == "-" else path
        if forced is not None or path == "-":
            plans.append(_Plan(path, label, forced))
            continue
        try:
            with open_binary(path) as stream:
                head, err = read_head(stream)
        except OSError as exc:
            raise UnknownLogSourceError(f"{label}: cannot read: {exc}") from exc
        if err is not None:
            # Unreadable from the first byte (corrupt gzip): recorded as a dead letter.
            plans.append(_Plan(path, label, None, error=err))
            continue
        if not _strip(head).strip():
            plans.append(_Plan(path, label, None, empty=True))  # nothing to read
            continue
        src = detect_source(head, path)
        if src is None:
            unknown.append(label)
        plans.append(_Plan(path, label, src))
    if unknown:
        names = ", ".join(unknown[:10]) + (
            f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        )
        raise UnknownLogSourceError(
            f"no source recognizes {names} (use --source; known: {', '.join(load_sources())})"
        )
    return plans


def _frames(
    stream: IO[bytes], plan: _Plan, ctx: ParseContext
) -> tuple[LogSource, Iterator[Framed]]:
    head, err = read_head(stream)
    carrier = plan.source or get_source("cloudtrail")  # any source; the items name theirs
    if err is not None:
        name = UNKNOWN if plan.source is None else plan.source.name
        broken = Broken(Origin(plan.label, offset=0), err, b"", "decompression", source=name)
        return carrier, iter((broken,))
    if not _strip(head).strip():
        return carrier, iter(())
    detected = plan.source or detect_source(head, plan.label)
    if detected is None:
        raise UnknownLogSourceError(f"{plan.label}: no source recognizes this input")
    src = detected
    body = _strip(head).lstrip()
    if body[:1] in (b"{", b"["):
        return src, frame_json(stream, plan.label, head)
    if src.frame_text is None:
        broken = Broken(Origin(plan.label, record=0, line=1, offset=0), "not JSON", head[:4096])
        return src, iter((broken,))
    replay = io.BufferedReader(Replay(head, stream), buffer_size=1 << 20)
    return src, src.frame_text(replay, plan.label, ctx)


def _raw(rec: RawRecord) -> bytes | str:
    return rec.raw if rec.raw else orjson.dumps(rec.payload)


@dataclass(slots=True)
class Outcome:
    """What became of one record read: a document, a deliberate skip, or a dead letter.

    Treated as immutable (not ``frozen`` for speed: one is made per record).
    """

    source: str
    origin: Origin
    doc: EcsDoc | None = None
    skipped: bool = False
    reason: str | None = None  # dead letter when set
    error_type: str = ""
    raw: bytes | str = b""


def process_file(
    path: str, ctx: ParseContext, source: str = "auto", *, label: str | None = None
) -> Iterator[Outcome]:
    """Every record of one file (or directory) as an :class:`Outcome`; only reads files.

    This is the per-record path the pipeline feeds to the bulk writer; nothing raises out
    of it except :class:`UnknownLogSourceError` for a file no source recognizes.
    """
    forced = None if source == "auto" else get_source(source)
    for each in iter_paths([path]):
        plan = _Plan(each, label or ("<stdin>" if each == "-" else each), forced)
        yield from _outcomes(plan, forced, ctx)


def _outcomes(plan: _Plan, forced: LogSource | None, ctx: ParseContext) -> Iterator[Outcome]:
    if plan.empty:
        return
    if plan.error is not None:
        name = forced.name if forced else UNKNOWN
        yield Outcome(
            name, Origin(plan.label, offset=0), reason=plan.error, error_type="decompression"
        )
        return
    stream = open_binary(plan.path)
    try:
        file_src, frames = _frames(stream, plan, ctx)
        for item in frames:
            if isinstance(item, RawRecord):
                src = forced or classify(item.payload)
                if src is None:
                    yield Outcome(
                        file_src.name,
                        item.origin,
                        reason="no source recognizes this record",
                        error_type="unrecognized",
                        raw=_raw(item),
                    )
                else:
                    yield _parse_one(src, item, ctx)
            elif isinstance(item, Broken):
                yield Outcome(
                    item.source or file_src.name,
                    item.origin,
                    reason=item.reason,
                    error_type=item.error_type,
                    raw=item.raw,
                )
            else:
                yield Outcome(item.source or file_src.name, item.origin, skipped=True)
    finally:
        stream.close()


def _parse_one(src: LogSource, rec: RawRecord, ctx: ParseContext) -> Outcome:
    try:
        doc = src.parse(rec, ctx)
    except ParseError as exc:
        return Outcome(src.name, rec.origin, reason=exc.message, error_type="parse", raw=_raw(rec))
    except Exception as exc:  # nothing raises out of the per-record path
        return Outcome(
            src.name,
            rec.origin,
            reason=f"{type(exc).__name__}: {exc}",
            error_type="internal",
            raw=_raw(rec),
        )
    if doc is None:
        return Outcome(src.name, rec.origin, skipped=True)
    return Outcome(src.name, rec.origin, doc=doc)


def _ingest_one(
    plan: _Plan,
    forced: LogSource | None,
    ctx: ParseContext,
    writer: BulkWriter,
    report: IngestReport,
    progress: Progress | None,
) -> None:
    pending = 0
    # Counted locally and added in batches: the report's lock is shared with the workers.
    # "read" is added before a batch's documents can settle, so the account never
    # shows more settled than read.
    reads: dict[str, int] = {}
    skips: dict[str, int] = {}

    def flush() -> None:
        for name, n in reads.items():
            report.add(name, "read", n)
        for name, n in skips.items():
            report.add(name, "skipped", n)
        reads.clear()
        skips.clear()

    try:
        for out in _outcomes(plan, forced, ctx):
            reads[out.source] = reads.get(out.source, 0) + 1
            if out.doc is not None:
                writer.add(out.source, out.doc, out.origin)
            elif out.skipped:
                skips[out.source] = skips.get(out.source, 0) + 1
            else:
                writer.dead_letter(
                    out.source, out.origin, out.reason or "unknown", out.error_type, out.raw
                )
            pending += 1
            if pending >= 1000:
                flush()
                if progress is not None:
                    progress(pending)
                pending = 0
                if writer.aborted:
                    return
    finally:
        flush()
    if progress is not None and pending:
        progress(pending)


@contextlib.contextmanager
def _fewer_gc_passes() -> Iterator[None]:
    """Raise the young-generation GC threshold for the run.

    Parsed events are acyclic dict trees allocated by the million; the default
    threshold (700) runs a collection every few records and costs about a third of
    the CloudTrail parse time.  Cycles (exception tracebacks) are still collected.
    """
    old = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def ingest_paths(
    paths: list[str],
    settings: Settings,
    source: str = "auto",
    namespace: str | None = None,
    *,
    client: Elasticsearch | None = None,
    refresh: bool = True,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> IngestReport:
    """Ingest files/directories (``-`` = stdin) into ``namespace``; returns the account.

    Args:
        paths: files, directories (recursive, any S3 key layout) or ``-``.
        settings: connection, ``ingest.chunk_size``/``workers``/``max_retries``, GeoIP dbs.
        source: ``auto`` (detect per file, classify per record) or a registered name.
        namespace: ECS namespace (default ``settings.ingest.namespace``).
        client: an existing client (default: one built from ``settings``).
        refresh: refresh the written indices at the end, so queries see everything.
        progress: called with the number of records read since the last call.
        now: ingest time (default: the clock), for reproducible ``event.ingested``.

    Raises:
        UnknownLogSourceError: ``source`` is not registered, or auto-detection does not
            recognize a file (nothing is written in that case).
        ConfigError: invalid namespace.
    """
    ns = namespace or settings.ingest.namespace
    if not valid_namespace(ns):
        raise ConfigError(f"invalid namespace {ns!r}: lower-case letters, digits and _ only")
    forced = None if source == "auto" else get_source(source)
    plans = _plan(paths, forced)
    started = time.monotonic()
    report = IngestReport(namespace=ns, files=[p.label for p in plans])
    own_client = client is None
    es = client if client is not None else sync_client(settings)
    enricher = Enricher.from_settings(settings)
    ctx = ParseContext(
        now=now or datetime.now(UTC),
        enricher=enricher,
        flow_format=settings.ingest.vpcflow_format or None,
    )
    try:
        install_templates(es, ns)
        writer = BulkWriter(
            es,
            report,
            ns,
            chunk_size=settings.ingest.chunk_size,
            workers=settings.ingest.workers,
            max_retries=settings.ingest.max_retries,
            backoff_s=settings.ingest.retry_backoff_s,
        )
        try:
            with _fewer_gc_passes():
                for plan in plans:
                    if writer.aborted:
                        break
                    _ingest_one(plan, forced, ctx, writer, report, progress)
        finally:
            writer.close()
        report.bulk_retries = writer.retries
        if writer.aborted:
            report.aborted = writer.abort_reason
        elif refresh:
            es.options(ignore_status=404).indices.refresh(
                index=f"{events_pattern(ns)},{dead_letter_index(ns)}",
                allow_no_indices=True,
                ignore_unavailable=True,
            )
    finally:
        enricher.close()
        if own_client:
            es.close()
    report.elapsed_s = time.monotonic() - started
    return report
