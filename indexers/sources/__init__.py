"""Log sources: one module per source, each exposing ``SOURCE`` (see :mod:`indexers.registry`)."""
