"""Bounded score propagation over a neighborhood (NoDoze-style, explainable).

NoDoze (NDSS 2019, peers.md §9) spreads anomaly scores along the dependency
graph so a node next to anomalous nodes ranks higher.  Here each node inherits,
from every node within ``hops`` edges, ``alpha**d * w_path * base(u)`` where
``d`` is the hop distance and ``w_path`` the product of edge weights (each in
[0, 1], e.g. 1 for an edge new in scope) along the strongest path.  The result
is capped at 100, computed on the small aggregated graph only (``max_nodes``),
and each node says which neighbors raised it and by how much.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from trailhound.errors import LimitExceededError

K = TypeVar("K", bound=Hashable)

DEFAULT_ALPHA = 0.3
MAX_HOPS = 2
MAX_NODES = 1000


@dataclass(frozen=True, slots=True)
class Propagated(Generic[K]):
    """A node's own score, what it inherited, and from whom (largest first)."""

    node: K
    base: float
    inherited: float
    score: float
    raised_by: tuple[tuple[K, float], ...]


def propagate(
    base: Mapping[K, float],
    edges: Iterable[tuple[K, K, float]],
    *,
    alpha: float = DEFAULT_ALPHA,
    hops: int = MAX_HOPS,
    max_nodes: int = MAX_NODES,
    top: int = 3,
) -> dict[K, Propagated[K]]:
    """Propagate ``base`` scores over undirected weighted ``edges``; see the module doc."""
    if not 1 <= hops <= MAX_HOPS:
        raise LimitExceededError(f"hops must be 1..{MAX_HOPS}, got {hops}")
    adjacency: dict[K, dict[K, float]] = {n: {} for n in base}
    for u, v, w in edges:
        if u == v:
            continue
        weight = min(1.0, max(0.0, w))
        for a, b in ((u, v), (v, u)):
            nbrs = adjacency.setdefault(a, {})
            nbrs[b] = max(nbrs.get(b, 0.0), weight)
    if len(adjacency) > max_nodes:
        raise LimitExceededError(f"propagation over {len(adjacency)} nodes (cap {max_nodes})")
    result: dict[K, Propagated[K]] = {}
    for node in adjacency:
        gains: dict[K, float] = {}
        for source, factor in _reach(adjacency, node, hops, alpha).items():
            gain = factor * base.get(source, 0.0)
            if gain > 0:
                gains[source] = round(gain, 4)
        own = base.get(node, 0.0)
        inherited = round(sum(gains.values()), 4)
        ranked = sorted(gains.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]
        result[node] = Propagated(
            node, own, inherited, round(min(100.0, own + inherited), 2), tuple(ranked)
        )
    return result


def _reach(
    adjacency: Mapping[K, Mapping[K, float]], start: K, hops: int, alpha: float
) -> dict[K, float]:
    """Strongest-path factor ``alpha**d * prod(w)`` to every node within ``hops``."""
    best: dict[K, float] = {start: 1.0}
    frontier: list[tuple[float, int, int, K]] = [(-1.0, 0, 0, start)]
    counter = 1
    while frontier:
        neg, depth, _, node = heapq.heappop(frontier)
        if -neg < best.get(node, 0.0) or depth == hops:
            continue
        for nbr, w in adjacency[node].items():
            factor = -neg * alpha * w
            if factor > best.get(nbr, 0.0) and nbr != start:
                best[nbr] = factor
                heapq.heappush(frontier, (-factor, depth + 1, counter, nbr))
                counter += 1
    best.pop(start)
    return best
