"""Assemble a neighborhood from edge groups with networkx.

Input is never raw events: it is the top-N edges per type that Elasticsearch
aggregated, so the graph has at most ``hops x types x limit`` edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from resolvers.domain import ApiRef, Edge, EdgeGroup, NodeRef
from trailhound.ecs.entities import EntityRef

__all__ = ["Assembled", "assemble", "expansion_frontier"]


@dataclass(frozen=True, slots=True)
class Assembled:
    """Deduplicated nodes and edges with each node's hop distance from the center."""

    nodes: tuple[NodeRef, ...]
    edges: tuple[Edge, ...]
    distances: dict[str, int]


def _graph(center: EntityRef, edges: Iterable[Edge]) -> nx.MultiDiGraph[NodeRef]:
    graph: nx.MultiDiGraph[NodeRef] = nx.MultiDiGraph()
    graph.add_node(center)
    for e in edges:
        graph.add_edge(e.source, e.target, key=e.type.value, weight=e.weight, edge=e)
    return graph


def expansion_frontier(
    center: EntityRef, groups: Sequence[EdgeGroup], max_nodes: int
) -> tuple[list[EntityRef], int]:
    """The hop-1 entities to expand for hop 2, heaviest first, and how many were left out.

    Weight is the node's weighted degree in the hop-1 graph (events behind its
    edges); API operations are not entities and are never expanded.

    >>> from datetime import UTC, datetime
    >>> from resolvers.domain import EdgeType
    >>> from trailhound.ecs.entities import EntityKind as K
    >>> c = EntityRef(K.EC2_INSTANCE, "i-1")
    >>> def e(ip, n):
    ...     return Edge(type=EdgeType.NETWORK, source=c, target=EntityRef(K.IP_ADDRESS, ip),
    ...                 count=n, first_seen=None, last_seen=None)
    >>> g = EdgeGroup(type=EdgeType.NETWORK, center=c, center_is_source=True,
    ...               edges=(e("1.1.1.1", 2), e("2.2.2.2", 9)), total=2)
    >>> [r.id for r in expansion_frontier(c, [g], 1)[0]], expansion_frontier(c, [g], 1)[1]
    (['2.2.2.2'], 1)
    """
    graph = _graph(center, (e for g in groups for e in g.edges))
    candidates = [n for n in graph.nodes if isinstance(n, EntityRef) and n != center]
    degree = dict(graph.degree(weight="weight"))
    candidates.sort(key=lambda n: (-float(degree[n]), n.key))
    return candidates[:max_nodes], max(0, len(candidates) - max_nodes)


def assemble(center: EntityRef, groups: Sequence[EdgeGroup]) -> Assembled:
    """Merge groups (an edge seen from both ends counts once) and measure hop distances.

    Nodes are ordered by distance, then by key, so answers are deterministic.
    """
    unique: dict[tuple[str, str, str], Edge] = {}
    for g in groups:
        for e in g.edges:
            unique.setdefault((e.type.value, e.source.key, e.target.key), e)
    graph = _graph(center, unique.values())
    dist = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), center)
    nodes = sorted(graph.nodes, key=lambda n: (dist.get(n, 99), _kind_order(n), n.key))
    return Assembled(
        nodes=tuple(nodes),
        edges=tuple(unique.values()),
        distances={n.key: d for n, d in dist.items()},
    )


def _kind_order(node: NodeRef) -> int:
    return 1 if isinstance(node, ApiRef) else 0
