"""The app's GraphQL operation documents: one named operation per ``.graphql`` file.

The file stem is the operation name (``GetNeighborhood.graphql`` holds
``query GetNeighborhood``).  Selections that several operations ask for alike
live once, as named fragments in ``src/fragments/<FragmentName>.graphql``;
:func:`load_operation` appends exactly the fragments an operation reaches, since
GraphQL rejects a document with an unknown or an unused fragment.  A test
validates every composed document against the server's committed SDL
(``schema/schema.graphql``), so a schema change that breaks the app fails CI.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = [
    "FRAGMENTS_DIR",
    "OPERATIONS_DIR",
    "UnknownOperationError",
    "fragment_names",
    "load_operation",
    "operation_names",
]

OPERATIONS_DIR = Path(__file__).resolve().parent
FRAGMENTS_DIR = OPERATIONS_DIR.parent / "fragments"
# A named spread (``...EdgeFields``), not an inline fragment (``... on Finding``).
_SPREAD = re.compile(r"\.\.\.\s*(?!on\b)([_A-Za-z][_0-9A-Za-z]*)")
_COMMENT = re.compile(r"#[^\n]*")


class UnknownOperationError(KeyError):
    """No ``.graphql`` file defines the requested operation."""


def operation_names() -> list[str]:
    """Every operation the app ships, sorted."""
    return sorted(path.stem for path in OPERATIONS_DIR.glob("*.graphql"))


def fragment_names() -> list[str]:
    """Every shared fragment the app ships, sorted."""
    return sorted(path.stem for path in FRAGMENTS_DIR.glob("*.graphql"))


def _spreads(text: str) -> list[str]:
    return _SPREAD.findall(_COMMENT.sub("", text))


def _fragment(name: str) -> str:
    path = FRAGMENTS_DIR / f"{name}.graphql"
    if not path.is_file():
        raise UnknownOperationError(
            f"no fragment {name!r}; known: {', '.join(fragment_names())}"
        )
    return path.read_text(encoding="utf-8")


@functools.cache
def load_operation(name: str) -> str:
    """The document of operation ``name``, followed by the fragments it uses."""
    path = OPERATIONS_DIR / f"{name}.graphql"
    if not path.is_file():
        raise UnknownOperationError(
            f"no operation {name!r}; known: {', '.join(operation_names())}"
        )
    text = path.read_text(encoding="utf-8")
    fragments: dict[str, str] = {}
    pending = _spreads(text)
    while pending:
        fragment = pending.pop()
        if fragment not in fragments:
            fragments[fragment] = _fragment(fragment)
            pending.extend(_spreads(fragments[fragment]))
    return "\n".join([text, *(fragments[n] for n in sorted(fragments))])
