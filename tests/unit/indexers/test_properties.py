"""Property tests: random and mutated inputs never raise out of the per-record path.

Every record read becomes exactly one outcome (document, skip or dead letter), and
no parser bug hides behind the catch-all (no ``internal`` dead letters).
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexers.pipeline import Outcome, process_file
from indexers.registry import ParseContext
from trailhound.errors import UnknownLogSourceError

from .conftest import DATA, NOW

CTX = ParseContext(now=NOW)
CT = json.loads(
    (DATA / "cloudtrail/misc/aws.credential-access.ec2-steal-instance-credentials.json").read_text()
)
GD = [
    json.loads(line)
    for line in (DATA / "guardduty/panther-camelcase.jsonl").read_text().splitlines()
]
ASFF = json.loads((DATA / "asff/asff_sample.json").read_text())["Findings"]
FLOWS = (DATA / "vpcflow/awsdocs-v3-tcp-flags.log").read_text().splitlines()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["", "-", "i-0123456789abcdef0", "10.0.0.1", "::1", "1970-01-01T00:00:00Z"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


@st.composite
def mutated(draw: st.DrawFn, pool: list[dict[str, Any]]) -> dict[str, Any]:
    record = json.loads(json.dumps(draw(st.sampled_from(pool))))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = [p for p in _paths(record) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = record
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return record


def _run(content: bytes, source: str = "auto", name: str = "input") -> list[Outcome]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        out = list(process_file(str(path), CTX, source))
    for o in out:
        assert (o.doc is not None) + o.skipped + (o.reason is not None) == 1
        assert o.error_type != "internal", o.reason
        if o.doc is not None:
            orjson.dumps(o.doc.body)  # serializable as the writer will
            assert o.doc.id
    return out


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(st.one_of(mutated(CT), mutated(GD), mutated(ASFF)), min_size=1, max_size=5))
def test_mutated_json_records_become_one_outcome_each(records: list[dict[str, Any]]) -> None:
    content = "\n".join(json.dumps(r) for r in records).encode() + b"\n"
    out = _run(content, "cloudtrail")  # forced: every line must be accounted
    assert len(out) == len(records)
    try:
        auto = _run(content)
    except UnknownLogSourceError as exc:  # auto mode: a file no source sniffs is an error
        message = str(exc)
    else:
        assert len(auto) == len(records)
        return
    assert "input" in message


@SETTINGS
@given(st.lists(st.one_of(mutated(CT), mutated(ASFF)), min_size=1, max_size=4))
def test_mutated_records_in_a_gzipped_container(records: list[dict[str, Any]]) -> None:
    out = _run(gzip.compress(json.dumps({"Records": records}).encode()), "cloudtrail", "x.json.gz")
    assert len(out) == len(records)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(FLOWS[1:]), st.integers(0, 30), st.text(max_size=8)),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_flow_lines(edits: list[tuple[str, int, str]]) -> None:
    lines = [FLOWS[0]]
    for line, position, text in edits:
        parts = line.split(" ")
        parts[position % len(parts)] = text.replace("\n", "").replace("\r", "") or "-"
        lines.append(" ".join(parts))
    out = _run(("\n".join(lines) + "\n").encode("utf-8"), "vpcflow")
    nonblank = [ln for ln in lines[1:] if ln.strip()]
    assert len(out) == len(nonblank)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["cloudtrail", "vpcflow", "guardduty", "asff"]))
def test_random_bytes_never_raise(content: bytes, source: str) -> None:
    _run(content, source)
    _run(gzip.compress(content)[: max(1, len(content) // 2)], source, "cut.gz")
