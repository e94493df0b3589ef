"""Run the doctests of the pure read-path modules."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "resolvers.scope",
    "resolvers.identifiers",
    "resolvers.domain",
    "resolvers.edges",
    "resolvers.queries",
    "resolvers.parsing",
    "resolvers.cursor",
    "resolvers.limits",
    "resolvers.entities",
    "resolvers.timeline",
    "resolvers.graph.subgraph",
    "resolvers.index_window",
    "trailhound.apikeys",
    "trailhound.ecs.entities",
    "indexers.compaction",
    "indexers.sources.vpcflow",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0
