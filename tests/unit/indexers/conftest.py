"""Helpers for the indexer unit tests: parse files without Elasticsearch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from indexers.enrich import Enricher
from indexers.pipeline import Outcome, process_file
from indexers.registry import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def ctx() -> ParseContext:
    return ParseContext(now=NOW, enricher=Enricher())


def outcomes(path: Path | str, ctx: ParseContext, source: str = "auto") -> list[Outcome]:
    return list(process_file(str(path), ctx, source))


def docs(path: Path | str, ctx: ParseContext, source: str = "auto") -> list[dict[str, Any]]:
    out = outcomes(path, ctx, source)
    bad = [o.reason for o in out if o.reason]
    assert not bad, bad
    return [o.doc.body for o in out if o.doc is not None]


def get(doc: dict[str, Any], dotted: str) -> Any:
    cur: Any = doc
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def pick(doc: dict[str, Any], *fields: str) -> dict[str, Any]:
    return {f: get(doc, f) for f in fields}
