"""Every sample file in tests/data/<source>/ is recognized and parsed without a parser bug."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from indexers.framing import open_binary, read_head
from indexers.pipeline import detect_source
from indexers.registry import ParseContext, load_sources

from .conftest import DATA, outcomes

SOURCES = ("cloudtrail", "vpcflow", "guardduty", "asff")
FILES = sorted(p for s in SOURCES for p in (DATA / s).rglob("*") if p.is_file())
NO_TIME = (
    "record has neither start nor end time, and its file name carries no delivery time "
    "(S3 key ..._YYYYMMDDTHHMMZ_<hash>.log[.gz]) (field end)"
)
# Records that are dead-lettered on purpose, with the reason (hand-checked).
EXPECTED_DEAD = {
    "awsdocs-nat-gateway-no-time.log": {NO_TIME: 4},
    "awsdocs-v3-transit-gateway.log": {NO_TIME: 4},
    "panther-cloudtrail.jsonl.gz": {
        "no source recognizes this record": 10,
        "missing or non-text timestamp: None (field eventTime)": 13,
        "not an ISO 8601 timestamp: 'redacted' (field eventTime)": 1,
        "not an ISO 8601 timestamp: '...' (field eventTime)": 1,
    },
}


def test_every_registered_source_has_samples() -> None:
    assert set(load_sources()) == set(SOURCES)
    for name in SOURCES:
        assert any(p.parts[len(DATA.parts)] == name for p in FILES), name


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_sample_file(path: Path, ctx: ParseContext) -> None:
    expected_source = path.relative_to(DATA).parts[0]
    with open_binary(str(path)) as stream:
        head, err = read_head(stream)
    assert err is None
    src = detect_source(head, str(path))
    assert src is not None
    assert src.name == expected_source
    out = outcomes(path, ctx)
    assert out
    assert not [o for o in out if o.error_type == "internal"]
    dead = Counter(o.reason for o in out if o.reason)
    assert dict(dead) == EXPECTED_DEAD.get(path.name, {})
    for o in out:
        if o.doc is not None:
            assert o.doc.body["event"]["dataset"] == o.doc.dataset
            assert o.doc.body["related"]["entity"] is not None
            assert o.source == src.name or o.source in SOURCES


def test_empty_files_and_corrupt_gzip(tmp_path: Path, ctx: ParseContext) -> None:
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "blank.log.gz").write_bytes(gzip.compress(b"\n\n"))
    assert outcomes(tmp_path, ctx) == []
    (tmp_path / "corrupt.json.gz").write_bytes(b"\x1f\x8b" + b"\x00" * 40)
    (bad,) = outcomes(tmp_path, ctx)
    assert bad.source == "unknown"
    assert bad.error_type == "decompression"
    assert bad.reason is not None
    assert "decompress" in bad.reason
