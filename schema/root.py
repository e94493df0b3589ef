"""The root schema: core types merged with whatever the extension points registered."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
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
CACHED_DOCUMENTS = 256  # distinct documents whose validation result is kept


def _extensions(max_depth: int) -> Sequence[Callable[[], SchemaExtension]]:
    # Factories, so every request gets fresh extension instances.  Order
    # matters: the first listed wraps outermost, so ErrorCodes sees the
    # errors after MaskErrors has replaced the unexpected ones.
    #
    # Validating a query costs several ms per request; clients send the same
    # few texts, so validation results are cached (bounded LRU, keyed on the
    # parsed document).  The key includes the rule classes, and the limiter
    # extensions make new classes per instance: build the rules once.  (No
    # parser cache: a cached parse raises the token-limit error outside the
    # hooks that tag it LIMIT_EXCEEDED, and parsing is cheap.)
    rules = [
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    ]
    return [
        ErrorCodes,
        mask_errors,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
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
