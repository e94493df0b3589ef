"""Imports point one way along the data flow (style guide B1); checked with ``ast``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# package prefix -> module prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "trailhound.ecs": ("indexers", "resolvers", "schema", "trailhound.cli", "trailhound.app"),
    "trailhound.errors": ("indexers", "resolvers", "schema", "trailhound.", "elasticsearch"),
    "trailhound.config": ("indexers", "resolvers", "schema", "trailhound.cli", "elasticsearch"),
    "indexers": ("resolvers", "schema", "strawberry", "starlette", "networkx"),
    "resolvers": ("indexers", "schema", "strawberry", "starlette", "trailhound.cli"),
    "schema": ("indexers", "networkx", "trailhound.cli"),
}


def _modules() -> Iterator[tuple[str, Path]]:
    for package in ("trailhound", "indexers", "resolvers", "schema"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            yield ".".join(parts), path


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _matches(name: str, prefix: str) -> bool:
    return name == prefix.rstrip(".") or name.startswith(
        prefix if prefix.endswith(".") else prefix + "."
    )


@pytest.mark.parametrize(("module", "path"), list(_modules()), ids=lambda v: str(v))
def test_module_respects_layers(module: str, path: Path) -> None:
    for owner, banned in FORBIDDEN.items():
        if not _matches(module, owner):
            continue
        bad = sorted(
            name
            for name in _imports(path)
            for prefix in banned
            if _matches(name, prefix) and not _matches(name, owner)
        )
        assert not bad, f"{module} imports {bad}, which its layer forbids"


def test_networkx_stays_in_graph_code() -> None:
    offenders = [
        module
        for module, path in _modules()
        if any(_matches(n, "networkx") for n in _imports(path)) and "graph" not in module
    ]
    assert offenders == []


def test_plugin_imports_nothing_from_the_backend() -> None:
    backend = ("trailhound", "indexers", "resolvers", "schema")
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "plugin").rglob("*.py"))
        if ".venv" not in path.parts
        and any(_matches(n, b) for n in _imports(path) for b in backend)
    ]
    assert offenders == []
