"""The read services one server (or one test) uses, built from a client and settings."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch

from resolvers.entities import EntityService
from resolvers.limits import Limits
from resolvers.neighborhood import NeighborhoodService
from resolvers.profile import ProfileService
from resolvers.repository import EventRepository
from resolvers.timeline import TimelineService
from trailhound.config import Settings

__all__ = ["Services", "build_services"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Services:
    """Everything a GraphQL request may call; resolvers reach ES only through these."""

    settings: Settings
    limits: Limits
    repository: EventRepository
    entities: EntityService
    neighborhoods: NeighborhoodService
    timelines: TimelineService
    profiles: ProfileService


def build_services(
    client: AsyncElasticsearch, settings: Settings, namespace: str | None = None
) -> Services:
    """Wire the services over one async client and one namespace."""
    ns = namespace or settings.ingest.namespace
    repo = EventRepository(client, ns, timeout_s=min(settings.elasticsearch.request_timeout, 15))
    limits = Limits(max_page=settings.server.max_page_size)
    neighborhoods = NeighborhoodService(repo, limits)
    return Services(
        settings=settings,
        limits=limits,
        repository=repo,
        entities=EntityService(repo, limits),
        neighborhoods=neighborhoods,
        timelines=TimelineService(repo, limits),
        profiles=ProfileService(repo, neighborhoods, limits),
    )
