"""Every GraphQL document the console sends validates against the committed SDL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

ROOT = Path(__file__).resolve().parents[3]
CONSOLE = ROOT / "web" / "console" / "console.js"
DOCUMENTS = re.findall(r"const [A-Z_]+ = `((?:query|mutation)[^`]*)`", CONSOLE.read_text())


def test_console_has_documents() -> None:
    assert len(DOCUMENTS) >= 4  # search, neighborhood, anomaly/profile, timeline


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.split("(")[0].split()[-1])
def test_document_validates_against_schema(document: str) -> None:
    schema = build_schema((ROOT / "schema" / "schema.graphql").read_text())
    errors = validate(schema, parse(document))
    assert errors == [], [e.message for e in errors]
