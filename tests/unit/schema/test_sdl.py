"""The committed SDL is exactly what the code defines (regenerate: python -m schema.sdl)."""

from __future__ import annotations

from graphql import build_schema as parse_sdl

from resolvers.domain import EdgeType as DomainEdgeType
from schema.enums import EdgeType, EntityType, TimelineKind
from schema.sdl import SDL_PATH, current_sdl
from trailhound.ecs.entities import EntityKind
from trailhound.ecs.fields import TimelineKind as DomainTimelineKind


def test_committed_sdl_matches_code() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == current_sdl(), (
        "schema/schema.graphql is stale: run .venv/bin/python -m schema.sdl"
    )


def test_committed_sdl_is_valid_graphql() -> None:
    parsed = parse_sdl(SDL_PATH.read_text(encoding="utf-8"))
    query = parsed.query_type
    assert query is not None
    assert {"search", "entity", "neighborhood", "timeline"} <= set(query.fields)


def test_enums_mirror_the_domain() -> None:
    assert {e.value for e in EntityType} == {k.value for k in EntityKind} | {"api_operation"}
    assert {e.value for e in EdgeType} == {e.value for e in DomainEdgeType}
    assert {e.value for e in TimelineKind} == {k.value for k in DomainTimelineKind}
