"""Where later modules plug into the schema without editing the core types.

* ``EntityExtension``: a base of the ``Entity`` interface.  Fields added to it
  appear on the interface and on every entity type.
* ``QUERY_TYPES`` / ``MUTATION_TYPES``: extra root types merged into ``Query``
  and ``Mutation`` by :func:`schema.root.build_schema` (``merge_types``).
* ``EXTRA_TYPES``: types reachable only through interfaces, listed for the schema.
* ``PLUGIN_MODULES``: modules :func:`schema.root.build_schema` imports first;
  importing one appends its types to the lists above (add ``"schema.anomaly"``).

Keep this module free of imports from ``schema.*`` so it can be imported
first; extension modules import it, never the other way round.
"""

from __future__ import annotations

import strawberry

__all__ = [
    "EXTRA_TYPES",
    "MUTATION_TYPES",
    "PLUGIN_MODULES",
    "QUERY_TYPES",
    "EntityExtension",
]


@strawberry.type
class EntityExtension:
    """Fields every entity gains (empty in the core schema).

    Add ``@strawberry.field`` methods here, or let this class inherit a
    ``@strawberry.type`` mixin from the extending module (which must not import
    ``schema.entity``).  Resolvers get ``self`` as the entity object:
    ``self.ref`` is its :class:`~trailhound.ecs.entities.EntityRef` (``None``
    for API operation nodes).
    """


QUERY_TYPES: list[type] = []
MUTATION_TYPES: list[type] = []
EXTRA_TYPES: list[type] = []
PLUGIN_MODULES: tuple[str, ...] = ()
