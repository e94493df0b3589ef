"""GraphQL view of entity search: a Relay connection with examples when empty."""

from __future__ import annotations

import strawberry

from resolvers.domain import SearchPage
from schema.entity import Entity, entity_from_ref
from schema.timeline import PageInfo

__all__ = ["EntityConnection"]


@strawberry.type
class EntityEdge:
    cursor: str
    node: Entity


@strawberry.type(description="Entities whose identifier equals or starts with the text.")
class EntityConnection:
    edges: list[EntityEdge]
    page_info: PageInfo
    total_count: int
    total_is_lower_bound: bool
    examples: list[Entity] = strawberry.field(
        description=(
            "When nothing matched: the busiest entities of the type (examples from your data)."
        )
    )

    @classmethod
    def from_domain(cls, page: SearchPage) -> EntityConnection:
        edges = [
            EntityEdge(cursor=c, node=entity_from_ref(r))
            for r, c in zip(page.refs, page.cursors, strict=True)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page, end_cursor=edges[-1].cursor if edges else None
            ),
            total_count=page.total,
            total_is_lower_bound=page.total_is_lower_bound,
            examples=[entity_from_ref(r) for r in page.examples],
        )
