"""The registry of log sources: one module under :mod:`indexers.sources` exposing ``SOURCE``.

A source says how to recognize its files (``sniff``) and its records inside
generic JSON containers (``claims``), optionally how to frame its own text
format (``frame_text``), and how to turn one record into an ECS document
(``parse``).  Parsers are pure: they raise :class:`ParseError` and never touch
the network or the clock (the pipeline passes "now" in the context).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import IO, Any

from indexers import sources
from indexers.enrich import Enricher
from indexers.records import Broken, EcsDoc, RawRecord, Skipped
from trailhound.errors import DuplicateLogSourceError, UnknownLogSourceError

__all__ = ["Framed", "LogSource", "ParseContext", "get_source", "load_sources"]

Framed = RawRecord | Broken | Skipped


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseContext:
    """Everything a parser may depend on besides the record itself."""

    now: datetime  # ingest time: event.ingested and the "absurd timestamp" bound
    enricher: Enricher | None = None  # None: no user-agent parsing, no GeoIP
    flow_format: str | None = None  # configured VPC flow format string (when no header line)


@dataclass(frozen=True, slots=True, kw_only=True)
class LogSource:
    """One log source."""

    name: str  # CLI/config key: cloudtrail, vpcflow, guardduty, asff
    dataset: str  # Elastic dataset, e.g. aws.cloudtrail
    description: str
    sniff: Callable[[str, str], bool]  # (decompressed head text, file name) -> is this mine?
    claims: Callable[[dict[str, Any]], bool]  # is this JSON object one of my records?
    parse: Callable[[RawRecord, ParseContext], EcsDoc | None]  # None = skipped on purpose
    # Text formats frame themselves: (decompressed byte lines, file label, context) -> framed items.
    frame_text: Callable[[IO[bytes], str, ParseContext], Iterator[Framed]] | None = None
    priority: int = 100  # lower sniffs/claims first (ASFF before GuardDuty: both say "Findings")


@functools.cache
def load_sources() -> Mapping[str, LogSource]:
    """Every registered source by name; a duplicate name fails loudly."""
    found: dict[str, LogSource] = {}
    for mod in sorted(pkgutil.iter_modules(sources.__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        src = importlib.import_module(f"{sources.__name__}.{mod.name}").SOURCE
        if src.name in found:
            raise DuplicateLogSourceError(f"log source {src.name!r} registered twice")
        found[src.name] = src
    return MappingProxyType(dict(sorted(found.items(), key=lambda kv: kv[1].priority)))


def get_source(name: str) -> LogSource:
    """The source called ``name``; the error lists the valid names."""
    try:
        return load_sources()[name]
    except KeyError:
        known = ", ".join(sorted(load_sources()))
        raise UnknownLogSourceError(f"unknown source {name!r} (known: {known})") from None


def classify(obj: dict[str, Any]) -> LogSource | None:
    """The first source (by priority) that claims a JSON record."""
    for src in load_sources().values():
        if src.claims(obj):
            return src
    return None
