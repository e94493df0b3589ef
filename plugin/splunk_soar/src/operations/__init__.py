"""The app's GraphQL operation documents: one named operation per ``.graphql`` file.

The file stem is the operation name (``GetNeighborhood.graphql`` holds
``query GetNeighborhood``); a test validates every document against the
server's committed SDL (``schema/schema.graphql``), so a schema change that
breaks the app fails CI.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = [
    "OPERATIONS_DIR",
    "UnknownOperationError",
    "load_operation",
    "operation_names",
]

OPERATIONS_DIR = Path(__file__).resolve().parent


class UnknownOperationError(KeyError):
    """No ``.graphql`` file defines the requested operation."""


def operation_names() -> list[str]:
    """Every operation the app ships, sorted."""
    return sorted(path.stem for path in OPERATIONS_DIR.glob("*.graphql"))


@functools.cache
def load_operation(name: str) -> str:
    """The document text of operation ``name``."""
    path = OPERATIONS_DIR / f"{name}.graphql"
    if not path.is_file():
        raise UnknownOperationError(
            f"no operation {name!r}; known: {', '.join(operation_names())}"
        )
    return path.read_text(encoding="utf-8")
