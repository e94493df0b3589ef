"""The scenario registry: one module per story, each exposing ``SCENARIO``.

Order matters only for the ground-truth listing; duplicates and unknown names
fail loudly with the valid names listed.
"""

from __future__ import annotations

from types import MappingProxyType

from trailhound.errors import ConfigError
from trailhound.simulator.scenarios import (
    beacon,
    benign_change,
    ec2_compromise,
    leaked_key,
    role_chain,
)
from trailhound.simulator.scenarios.base import Scenario, ScenarioContext, ScenarioTruth

__all__ = ["SCENARIOS", "Scenario", "ScenarioContext", "ScenarioTruth", "get_scenario"]


def _register(*modules: object) -> MappingProxyType[str, Scenario]:
    found: dict[str, Scenario] = {}
    for mod in modules:
        sc: Scenario = mod.SCENARIO  # type: ignore[attr-defined]
        if sc.name in found:
            raise ValueError(f"duplicate scenario name {sc.name!r}")
        found[sc.name] = sc
    return MappingProxyType(found)


SCENARIOS = _register(ec2_compromise, leaked_key, role_chain, beacon, benign_change)


def get_scenario(name: str) -> Scenario:
    """The registered scenario ``name``; :class:`ConfigError` names the valid ones."""
    try:
        return SCENARIOS[name]
    except KeyError:
        raise ConfigError(
            f"unknown scenario {name!r}; known: {', '.join(sorted(SCENARIOS))}"
        ) from None
