"""Error shaping: known errors keep their message and get ``extensions.code``.

``MaskErrors`` hides every unexpected exception behind "Unexpected error.";
our :class:`TrailhoundError` subclasses pass through.  Validation failures of
the limiter extensions are tagged ``LIMIT_EXCEEDED``.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension

from trailhound.errors import TrailhoundError

__all__ = ["ErrorCodes", "mask_errors", "should_mask"]

# Messages of graphql-core's token limit and strawberry's depth/alias limiters.
_LIMIT_MARKERS = ("exceeds maximum operation depth", "tokens. parsing aborted", "aliases found")


def should_mask(error: GraphQLError) -> bool:
    """Mask exceptions raised while resolving, unless they are ours."""
    original = error.original_error
    return original is not None and not isinstance(original, TrailhoundError)


class _MaskErrors(MaskErrors):
    """Strawberry's masking, with the masked error tagged ``INTERNAL``."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL"}
        return masked


def mask_errors() -> MaskErrors:
    """The masking extension with our predicate."""
    return _MaskErrors(should_mask_error=should_mask, error_message="Unexpected error.")


def code_for(error: GraphQLError) -> str:
    """The ``extensions.code`` an error carries."""
    original = error.original_error
    if isinstance(original, TrailhoundError):
        return original.code
    if original is not None:
        return "INTERNAL"
    message = error.message.lower()
    if any(marker in message for marker in _LIMIT_MARKERS):
        return "LIMIT_EXCEEDED"
    return str((error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED"))


class ErrorCodes(SchemaExtension):
    """Adds ``extensions.code`` to every error of the result (list it before MaskErrors)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        for error in errors:
            error.extensions = {**(error.extensions or {}), "code": code_for(error)}
