"""Finding groups on demand: fetch the findings, group them, filter and page.

Findings are few next to events, so one request fetches the latest version of
every finding (``collapse`` on ``trailhound.finding``, at most ``MAX_FINDINGS``)
and grouping runs in memory (:mod:`resolvers.scoring.finding_groups`).  Groups
are computed over all findings, not only the scope, so a group and its id are
the same whatever scope asks; the scope then selects the groups active in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from resolvers.scoring.context import Searcher
from resolvers.scoring.engine import GroupRef
from resolvers.scoring.finding_groups import (
    DEFAULT_LINK_WINDOW,
    FindingFacts,
    FindingGroup,
    group_findings,
    severity_from_ecs,
)
from resolvers.scoring.model import Severity, Window
from resolvers.scoring.queries import FINDING_DATASETS, dataset
from trailhound.ecs import fields as F
from trailhound.ecs.entities import EntityRef
from trailhound.errors import NotFoundError

MAX_FINDINGS = 10_000
_SEVERITY_RISK = {
    Severity.INFORMATIONAL: 5.0,
    Severity.LOW: 25.0,
    Severity.MEDIUM: 50.0,
    Severity.HIGH: 75.0,
    Severity.CRITICAL: 95.0,
}


def build_findings_query() -> dict[str, Any]:
    """The latest document of every finding."""
    return {
        "size": MAX_FINDINGS,
        "query": {
            "bool": {"filter": [dataset(list(FINDING_DATASETS)), {"exists": {"field": F.FINDING}}]}
        },
        "collapse": {"field": F.FINDING},
        "sort": [{F.TIMESTAMP: "desc"}],
        "_source": [
            F.TIMESTAMP,
            "event.start",
            "event.end",
            "event.created",
            "event.severity",
            "rule.name",
            "threat.tactic.name",
            "aws.securityhub_findings.types",
            F.FINDING,
            F.RELATED_ENTITY,
        ],
    }


def _time(value: Any, fallback: datetime) -> datetime:
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return fallback


def _list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def parse_findings(response: Mapping[str, Any]) -> list[FindingFacts]:
    """FindingFacts from :func:`build_findings_query`'s hits."""
    out = []
    for hit in response.get("hits", {}).get("hits", []):
        src = hit["_source"]
        event = src.get("event", {})
        at = _time(src.get(F.TIMESTAMP), datetime.fromtimestamp(0).astimezone())
        first = _time(event.get("start") or event.get("created"), at)
        last = _time(event.get("end"), at)
        tactic = src.get("threat", {}).get("tactic", {})
        tactics = _list(tactic.get("name") if isinstance(tactic, dict) else None)
        out.append(
            FindingFacts(
                key=str(src["trailhound"]["finding"]),
                type=str(src.get("rule", {}).get("name", "unknown")),
                first_seen=min(first, last),
                last_seen=max(first, last),
                severity=severity_from_ecs(event.get("severity")),
                entities=_list(src.get("related", {}).get("entity")),
                tactics=tactics,
                asff_types=_list(src.get("aws", {}).get("securityhub_findings", {}).get("types")),
            )
        )
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupFilter:
    """Filters of ``findingGroups``."""

    severities: frozenset[Severity] = frozenset()
    entity: str | None = None


@dataclass(slots=True)
class FindingGroupService:
    """Finding groups over one repository."""

    repo: Searcher
    link_window: timedelta = DEFAULT_LINK_WINDOW

    async def all_groups(self) -> list[FindingGroup]:
        """Every group (severity, then time order)."""
        resp = await self.repo.search(build_findings_query())
        return group_findings(parse_findings(resp), self.link_window)

    async def groups(
        self, scope: tuple[datetime, datetime] | None = None, flt: GroupFilter | None = None
    ) -> list[FindingGroup]:
        """Groups active in the scope (any overlap) that pass the filter."""
        flt = flt or GroupFilter()
        out = []
        for g in await self.all_groups():
            if scope is not None and (g.last_seen < scope[0] or g.first_seen >= scope[1]):
                continue
            if flt.severities and g.severity not in flt.severities:
                continue
            if flt.entity is not None and not g.involves(flt.entity):
                continue
            out.append(g)
        return out

    async def group(self, group_id: str) -> FindingGroup:
        """One group by id."""
        for g in await self.all_groups():
            if g.id == group_id:
                return g
        raise NotFoundError(f"finding group {group_id} does not exist")

    async def for_entity(self, entity: EntityRef, window: Window) -> Sequence[GroupRef]:
        """The engine's RELATED_FINDING_GROUP lookup."""
        found = await self.groups(
            (window.scope_start, window.scope_end), GroupFilter(entity=entity.key)
        )
        return [
            GroupRef(
                id=g.id,
                title=g.title,
                severity=g.severity,
                risk=_SEVERITY_RISK[g.severity],
                member_count=len(g.findings),
            )
            for g in found
        ]
