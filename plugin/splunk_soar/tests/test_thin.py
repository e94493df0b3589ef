"""The app stays thin: HTTP only, no backend imports, every operation used."""

import ast
from pathlib import Path

from src.operations import operation_names
from tests.runner import APP_DIR

SRC = APP_DIR / "src"
BACKEND_PACKAGES = {
    "trailhound",
    "resolvers",
    "schema",
    "indexers",
    "elasticsearch",
    "strawberry",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_app_imports_nothing_from_the_backend() -> None:
    for path in SRC.rglob("*.py"):
        assert not _imports(path) & BACKEND_PACKAGES, path


def test_every_operation_document_is_used_by_the_code() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    unused = [name for name in operation_names() if f'"{name}"' not in code]
    assert not unused
