"""``@described("...")``: ``strawberry.field(description=...)`` with a type mypy keeps.

``strawberry.field(description=...)`` used as a decorator is untyped for mypy
(strict mode rejects it); this wrapper states its effect on the resolver.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

__all__ = ["described"]

F = TypeVar("F", bound=Callable[..., Any])


def described(description: str) -> Callable[[F], F]:
    """A field decorator carrying a GraphQL description."""
    return cast("Callable[[F], F]", strawberry.field(description=description))
