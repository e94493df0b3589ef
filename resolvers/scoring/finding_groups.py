"""Finding groups: findings that share a role session, access key, instance or external IP.

Detective groups findings (GuardDuty, ASFF) whose resources overlap (detective.md
§4).  Here two findings are linked when they name the same role session, access
key, EC2 instance or public IP and lie within ``link_window`` of each other;
groups are the connected components (union-find).  A group's

* id is ``fg-`` + the first 16 hex digits of SHA-1 of its earliest finding's key,
  so it stays put as later findings join;
* severity is the maximum of its members' (Critical > High > Medium > Low > Informational);
* title counts members per finding-type namespace, Detective-style and in its
  order ("Group with: TTP (2), Effect (1), Unusual behavior (2)"): ASFF ``Types``
  give the namespace directly, GuardDuty threat purposes map to it (Impact ->
  Effect, Behavior -> Unusual behavior, Policy -> Software and configuration
  check, every other purpose -> TTP);
* tactics are the members' ATT&CK tactics ordered by the first finding showing each.

Pure: the findings come in as :class:`FindingFacts`; ``finding_group_service``
fetches them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from resolvers.scoring.model import Severity
from trailhound.ecs.entities import EntityKind, EntityRef

DEFAULT_LINK_WINDOW = timedelta(hours=48)
_LINK_KINDS = frozenset(
    {
        EntityKind.AWS_ROLE_SESSION,
        EntityKind.ACCESS_KEY,
        EntityKind.EC2_INSTANCE,
        EntityKind.IP_ADDRESS,
    }
)
_ASFF_NAMESPACES = {
    "ttps": "TTP",
    "effects": "Effect",
    "unusual behaviors": "Unusual behavior",
    "software and configuration checks": "Software and configuration check",
    "sensitive data identifications": "Sensitive data identification",
}
# Detective's title order ("Group with: TTP (2), Effect (1), Unusual behavior (2)").
_NAMESPACE_ORDER = (
    "TTP",
    "Effect",
    "Unusual behavior",
    "Software and configuration check",
    "Sensitive data identification",
)
_PURPOSE_NAMESPACES = {
    "Impact": "Effect",
    "Behavior": "Unusual behavior",
    "Policy": "Software and configuration check",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingFacts:
    """What grouping needs of one finding."""

    key: str
    type: str
    first_seen: datetime
    last_seen: datetime
    severity: Severity
    entities: tuple[str, ...]
    tactics: tuple[str, ...] = ()
    asff_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingGroup:
    """A group of related findings and the entities they involve."""

    id: str
    title: str
    severity: Severity
    first_seen: datetime
    last_seen: datetime
    tactics: tuple[str, ...]
    findings: tuple[FindingFacts, ...]
    entities: tuple[str, ...]
    shared: tuple[str, ...]

    def involves(self, key: str) -> bool:
        """True when the entity (or a finding) is part of the group."""
        return key in self.entities or any(f.key == key for f in self.findings)


def severity_from_ecs(value: float | None) -> Severity:
    """ECS ``event.severity`` (21/47/73/99 buckets, or 0-100) to a severity."""
    v = float(value or 0)
    for floor, sev in (
        (90, Severity.CRITICAL),
        (70, Severity.HIGH),
        (40, Severity.MEDIUM),
        (1, Severity.LOW),
    ):
        if v >= floor:
            return sev
    return Severity.INFORMATIONAL


def namespace_of(f: FindingFacts) -> str:
    """The Detective/ASFF finding-type namespace of a finding."""
    for t in f.asff_types:
        label = _ASFF_NAMESPACES.get(t.split("/", 1)[0].strip().lower())
        if label:
            return label
    purpose = f.type.split(":", 1)[0]
    return _PURPOSE_NAMESPACES.get(purpose, "TTP")


def _linkable(key: str) -> bool:
    try:
        ref = EntityRef.parse(key)
    except ValueError:
        return False
    if ref.kind not in _LINK_KINDS:
        return False
    if ref.kind is EntityKind.IP_ADDRESS:
        try:
            return ipaddress.ip_address(ref.id).is_global
        except ValueError:
            return False
    return True


def group_findings(
    findings: Iterable[FindingFacts], link_window: timedelta = DEFAULT_LINK_WINDOW
) -> list[FindingGroup]:
    """Connected components of findings linked by shared entities within ``link_window``."""
    items = sorted({f.key: f for f in findings}.values(), key=lambda f: (f.first_seen, f.key))
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(items):
        for key in f.entities:
            if _linkable(key):
                by_key[key].append(i)
    shared_by: dict[int, set[str]] = defaultdict(set)
    for key, members in by_key.items():
        for a, b in itertools.pairwise(members):
            fa, fb = items[a], items[b]
            if fb.first_seen - fa.last_seen <= link_window:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
                shared_by[a].add(key)
                shared_by[b].add(key)
    components: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        components[find(i)].append(i)
    groups = [
        _group([items[i] for i in idx], {k for i in idx for k in shared_by[i]})
        for idx in components.values()
    ]
    return sorted(groups, key=lambda g: (-g.severity.rank, g.first_seen, g.id))


def _group(members: Sequence[FindingFacts], shared: set[str]) -> FindingGroup:
    ordered = sorted(members, key=lambda f: (f.first_seen, f.key))
    counts = Counter(namespace_of(f) for f in ordered)
    title = "Group with: " + ", ".join(
        f"{ns} ({counts[ns]})" for ns in _NAMESPACE_ORDER if counts[ns]
    )
    tactics: list[str] = []
    for f in ordered:
        tactics += [t for t in f.tactics if t not in tactics]
    entities = sorted({k for f in ordered for k in f.entities if not k.startswith("finding:")})
    return FindingGroup(
        id="fg-" + hashlib.sha1(ordered[0].key.encode()).hexdigest()[:16],
        title=title,
        severity=max((f.severity for f in ordered), key=lambda s: s.rank),
        first_seen=ordered[0].first_seen,
        last_seen=max(f.last_seen for f in ordered),
        tactics=tuple(tactics),
        findings=tuple(ordered),
        entities=tuple(entities),
        shared=tuple(sorted(shared)),
    )
