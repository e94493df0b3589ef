"""Graph algorithms over the bounded, already aggregated subgraph (the only networkx user)."""
