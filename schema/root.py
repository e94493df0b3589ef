"""The root schema: core types merged with whatever the extension points registered."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.tools import merge_types

from schema import extension_points
from schema.entity import ENTITY_TYPES
from schema.errors import ErrorCodes, mask_errors
from schema.query import CoreQuery

__all__ = ["DEFAULT_MAX_DEPTH", "build_schema", "schema"]

DEFAULT_MAX_DEPTH = 12
MAX_TOKENS = 2000
MAX_ALIASES = 15


def _extensions(max_depth: int) -> Sequence[Callable[[], SchemaExtension]]:
    # Factories, so every request gets fresh extension instances.  Order
    # matters: the first listed wraps outermost, so ErrorCodes sees the
    # errors after MaskErrors has replaced the unexpected ones.
    return [
        ErrorCodes,
        mask_errors,
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
    ]


def build_schema(max_depth: int = DEFAULT_MAX_DEPTH) -> strawberry.Schema:
    """Import the plugin modules, merge root types and attach the security extensions."""
    for module in extension_points.PLUGIN_MODULES:
        importlib.import_module(module)
    query = merge_types("Query", (CoreQuery, *extension_points.QUERY_TYPES))
    mutation = (
        merge_types("Mutation", tuple(extension_points.MUTATION_TYPES))
        if extension_points.MUTATION_TYPES
        else None
    )
    return strawberry.Schema(
        query=query,
        mutation=mutation,
        types=[*ENTITY_TYPES, *extension_points.EXTRA_TYPES],
        extensions=_extensions(max_depth),
    )


schema = build_schema()
