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

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import strawberry

if TYPE_CHECKING:  # names for the lazy annotations below; nothing is imported at run time
    from schema.anomaly import AnomalyScore, IndicatorType
    from schema.anomaly_objects import FindingGroup
    from schema.inputs import ScopeInput

__all__ = [
    "EXTRA_TYPES",
    "MUTATION_TYPES",
    "PLUGIN_MODULES",
    "QUERY_TYPES",
    "EntityExtension",
]


_F = TypeVar("_F", bound=Callable[..., Any])


def _described(description: str) -> Callable[[_F], _F]:
    # schema.described cannot be imported here (see the module doc)
    return cast("Callable[[_F], _F]", strawberry.field(description=description))


@strawberry.type
class EntityExtension:
    """Fields every entity gains (empty in the core schema).

    Add ``@strawberry.field`` methods here, or let this class inherit a
    ``@strawberry.type`` mixin from the extending module (which must not import
    ``schema.entity``).  Resolvers get ``self`` as the entity object:
    ``self.ref`` is its :class:`~trailhound.ecs.entities.EntityRef` (``None``
    for API operation nodes).
    """

    # Anomaly fields (schema.anomaly_root); types are lazy so this module stays import-free.
    @_described("Anomaly score 0-100 over the scope, with indicators and evidence.")
    async def anomaly(
        self,
        info: strawberry.Info,
        scope: Annotated["ScopeInput", strawberry.lazy("schema.inputs")] | None = None,  # noqa: UP037
        types: list[Annotated["IndicatorType", strawberry.lazy("schema.anomaly")]] | None = None,  # noqa: UP037
    ) -> Annotated["AnomalyScore", strawberry.lazy("schema.anomaly")] | None:  # noqa: UP037
        from schema.anomaly_root import entity_anomaly

        return await entity_anomaly(self, info, scope, types)

    @_described("Finding groups involving the entity, active in the scope.")
    async def finding_groups(
        self,
        info: strawberry.Info,
        scope: Annotated["ScopeInput", strawberry.lazy("schema.inputs")] | None = None,  # noqa: UP037
    ) -> list[Annotated["FindingGroup", strawberry.lazy("schema.anomaly_objects")]]:  # noqa: UP037
        from schema.anomaly_root import entity_finding_groups

        return await entity_finding_groups(self, info, scope)


QUERY_TYPES: list[type] = []
MUTATION_TYPES: list[type] = []
EXTRA_TYPES: list[type] = []
PLUGIN_MODULES: tuple[str, ...] = ("schema.anomaly_root",)
