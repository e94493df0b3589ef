"""GraphQL inputs and their conversion to domain values."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.scope import Scope, build_scope
from schema.enums import EntityType, to_kind
from trailhound.ecs.entities import EntityKind

__all__ = ["EntityInput", "ScopeInput", "to_scope"]


@strawberry.input(description="An entity by type and identifier (ARN, name or id).")
class EntityInput:
    type: EntityType
    id: str

    def kind(self) -> EntityKind:
        """The domain kind."""
        return to_kind(self.type)


@strawberry.input(
    description=(
        "Hour-aligned UTC scope, 1 hour to 1 year (default: the last 24 hours). "
        "The baseline defaults to the baselineDays (server default 45) days before the start."
    )
)
class ScopeInput:
    start: datetime | None = None
    end: datetime | None = None
    baseline_days: int | None = None
    baseline_start: datetime | None = None
    baseline_end: datetime | None = None


def to_scope(value: ScopeInput | None, *, now: datetime, default_baseline_days: int) -> Scope:
    """Validate a scope input (``None`` means all defaults)."""
    value = value or ScopeInput()
    return build_scope(
        value.start,
        value.end,
        now=now,
        baseline_days=default_baseline_days if value.baseline_days is None else value.baseline_days,
        baseline_start=value.baseline_start,
        baseline_end=value.baseline_end,
    )
