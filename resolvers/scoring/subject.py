"""Who is scored, and against whose baseline.

A role session (and a temporary ``ASIA...`` access key) lives for hours, so its
own baseline is empty and everything would look new.  Like Detective, which
shows a session's activity against its role, their baseline is the activity of
the role they derive from (read from ``trailhound.actor_chain``).  Every other
entity is compared with its own past.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resolvers.scoring.model import Window
from resolvers.scoring.queries import Clause, activity_of, agg_body, between, filtered
from trailhound.ecs import fields as F
from trailhound.ecs.entities import EntityKind, EntityRef, entity_key, pathless_user_arn


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """The scored entity, its filters for the scope and the baseline, and its account."""

    entity: EntityRef
    baseline_entity: EntityRef
    account_id: str | None
    # Access keys and instances the entity's scope activity went through: findings on
    # them are findings on the entity (an instance-profile session, a user's key).
    linked: tuple[str, ...] = ()

    @property
    def scope_filter(self) -> Clause:
        """The entity's own activity."""
        return activity_of(self.entity)

    @property
    def baseline_filter(self) -> Clause:
        """The activity the entity is compared with."""
        return activity_of(self.baseline_entity)

    def in_scope(self, window: Window, *clauses: Clause) -> Clause:
        """Scope activity, plus extra filters."""
        return filtered(self.scope_filter, between(window.scope_start, window.scope_end), *clauses)

    def in_baseline(self, window: Window, *clauses: Clause) -> Clause:
        """Baseline activity, plus extra filters."""
        return filtered(
            self.baseline_filter, between(window.baseline_start, window.baseline_end), *clauses
        )

    def in_account_baseline(self, window: Window, *clauses: Clause) -> Clause | None:
        """The whole account's baseline activity (None when the account is unknown)."""
        if self.account_id is None:
            return None
        return filtered(
            {"term": {F.CLOUD_ACCOUNT_ID: self.account_id}},
            between(window.baseline_start, window.baseline_end),
            *clauses,
        )


def build_subject_query(entity: EntityRef, window: Window) -> dict[str, Any]:
    """The account and the parent role of an entity's activity in the whole window."""
    return agg_body(
        filtered(activity_of(entity), between(window.baseline_start, window.scope_end)),
        {
            "account": {"terms": {"field": F.CLOUD_ACCOUNT_ID, "size": 1}},
            "role": {"terms": {"field": F.ACTOR_CHAIN, "include": "aws_role:.*", "size": 1}},
            "scope": {
                "filter": between(window.scope_start, window.scope_end),
                "aggs": {
                    "keys": {"terms": {"field": F.ACCESS_KEY, "size": 20}},
                    "instances": {"terms": {"field": F.INSTANCE, "size": 20}},
                },
            },
        },
    )


def parse_subject(entity: EntityRef, response: dict[str, Any]) -> Subject:
    """Build the :class:`Subject` from :func:`build_subject_query`'s answer."""
    aggs = response.get("aggregations", {})
    accounts = [b["key"] for b in aggs.get("account", {}).get("buckets", [])]
    roles = [b["key"] for b in aggs.get("role", {}).get("buckets", [])]
    account = accounts[0] if accounts else None
    if account is None and entity.kind is EntityKind.AWS_ACCOUNT:
        account = entity.id
    baseline = entity
    temporary_key = entity.kind is EntityKind.ACCESS_KEY and entity.id.startswith("ASIA")
    if (entity.kind is EntityKind.AWS_ROLE_SESSION or temporary_key) and roles:
        baseline = EntityRef.parse(roles[0])
    scope = aggs.get("scope", {})
    # An access key does not inherit its instance's findings: the instance rotates
    # many keys, and only the stolen one is the attacker's.
    linked = (
        ()
        if entity.kind is EntityKind.ACCESS_KEY
        else tuple(
            sorted(
                {
                    b["key"]
                    for name in ("keys", "instances")
                    for b in scope.get(name, {}).get("buckets", [])
                }
                - {entity.key}
            )
        )
    )
    # GuardDuty names a user with a path by the short ARN: its findings are the user's.
    short = pathless_user_arn(entity.id) if entity.kind is EntityKind.AWS_USER else None
    if short is not None:
        linked = (*linked, entity_key(EntityKind.AWS_USER, short))
    return Subject(entity=entity, baseline_entity=baseline, account_id=account, linked=linked)
