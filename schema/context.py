"""The per-request GraphQL context: services, DataLoaders and the caller's role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from resolvers.domain import EntityDetails
from resolvers.services import Services
from trailhound.ecs.entities import EntityRef

__all__ = ["Context", "Info", "new_context"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """What every resolver may use; the ES client itself is not in here."""

    services: Services
    entity_details: DataLoader[EntityRef, EntityDetails | None]
    role: str  # "reader", "admin" or "demo"
    now: datetime
    # Extension point: later modules (scoring, investigations) keep their
    # per-request objects here under their own name.
    extras: dict[str, Any] = field(default_factory=dict)


Info = strawberry.Info[Context, None]


def new_context(services: Services, role: str) -> Context:
    """A fresh context with fresh DataLoaders (caches never cross requests)."""

    async def load(refs: list[EntityRef]) -> list[EntityDetails | None]:
        return await services.entities.details(refs)

    return Context(
        services=services,
        entity_details=DataLoader(load_fn=load, max_batch_size=500),
        role=role,
        now=datetime.now(UTC),
    )
