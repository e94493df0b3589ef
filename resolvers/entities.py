"""Entity lookup and search over the keys the indexers wrote in ``related.entity``."""

from __future__ import annotations

from collections.abc import Sequence

from resolvers.cursor import decode_cursor, encode_cursor
from resolvers.domain import EntityDetails, SearchPage
from resolvers.identifiers import lookup_for, regex_escape
from resolvers.limits import Limits, check_limit
from resolvers.repository import EventRepository
from resolvers.scope import TimeWindow
from trailhound.ecs.entities import EntityKind, EntityRef
from trailhound.errors import InvalidArgumentError, NotFoundError

__all__ = ["EntityService", "search_patterns", "search_prefix"]

EXAMPLES = 5


def _ident(kind: EntityKind, text: str) -> str:
    """The identifier a (stripped) search text stands for (an ARN becomes its key id)."""
    if text and kind is not EntityKind.IP_ADDRESS:  # an IP prefix is no IP yet
        lookup = lookup_for(kind, text)
        return lookup.exact.id if lookup.exact is not None else text
    return text


def search_prefix(kind: EntityKind, text: str) -> str | None:
    """The single key prefix a search amounts to, or ``None`` when it needs regexps.

    Roles, users and role sessions also match a name inside the ARN or after
    the principal id, which no prefix expresses.

    >>> search_prefix(EntityKind.EC2_INSTANCE, " i-0a ")
    'ec2_instance:i-0a'
    >>> search_prefix(EntityKind.AWS_ROLE, "we") is None
    True
    >>> search_prefix(EntityKind.AWS_ROLE, "")
    'aws_role:'
    """
    text = text.strip()
    if text and kind in _NAMED_INSIDE:
        return None
    return f"{kind.value}:{_ident(kind, text)}"


_NAMED_INSIDE = frozenset({EntityKind.AWS_ROLE, EntityKind.AWS_USER, EntityKind.AWS_ROLE_SESSION})


def search_patterns(kind: EntityKind, text: str) -> list[str]:
    """The key regexps an exact-or-prefix search for ``text`` runs.

    >>> search_patterns(EntityKind.AWS_ROLE, "we")
    ['aws_role:we.*', 'aws_role:arn:aws[a-z-]*:iam::[0-9]+:role/(.*/)?we.*']
    >>> search_patterns(EntityKind.EC2_INSTANCE, "")
    ['ec2_instance:.*']
    """
    text = text.strip()
    esc = regex_escape(_ident(kind, text))
    patterns = [f"{kind.value}:{esc}.*"]
    if text and kind in (EntityKind.AWS_ROLE, EntityKind.AWS_USER):
        noun = "role" if kind is EntityKind.AWS_ROLE else "user"
        patterns.append(f"{kind.value}:arn:aws[a-z-]*:iam::[0-9]+:{noun}/(.*/)?{esc}.*")
    if text and kind is EntityKind.AWS_ROLE_SESSION:
        patterns.append(f"{kind.value}:[^:]*:{esc}.*")
    return patterns


class EntityService:
    """Resolve identifiers, fetch details, search."""

    def __init__(self, repo: EventRepository, limits: Limits) -> None:
        self._repo = repo
        self._limits = limits

    async def resolve(self, kind: EntityKind, text: str) -> EntityRef:
        """The one entity ``text`` names (ARN, name or id); NOT_FOUND when none does."""
        lookup = lookup_for(kind, text)
        if lookup.exact is not None:
            return lookup.exact
        if lookup.principal_id is not None:
            keys: tuple[str, ...] = await self._repo.principal_keys(kind, lookup.principal_id)
        else:
            assert lookup.pattern is not None
            keys, _ = await self._repo.matching_keys(lookup.pattern, 2)
        if not keys:
            raise NotFoundError(f"no {kind.value} named {text!r} in the indexed data")
        if len(keys) > 1:
            raise InvalidArgumentError(
                f"{text!r} names more than one {kind.value} ({', '.join(keys)}); give the ARN"
            )
        return EntityRef.parse(keys[0])

    async def get(self, kind: EntityKind, text: str) -> EntityDetails:
        """Details of an existing entity; NOT_FOUND when the indices never saw it."""
        ref = await self.resolve(kind, text)
        found = await self._repo.entity_details([ref.key])
        if ref.key not in found:
            raise NotFoundError(f"{kind.value} {ref.id!r} does not occur in the indexed data")
        return found[ref.key]

    async def exists(self, ref: EntityRef, near: TimeWindow | None = None) -> bool:
        """Whether the indices have seen the entity (a cheap check, no details);
        ``near`` is the window where it is most likely active (checked first)."""
        return await self._repo.exists(ref.key, near=near)

    async def details(self, refs: Sequence[EntityRef]) -> list[EntityDetails | None]:
        """Batch details in request order (``None`` for keys never seen)."""
        found = await self._repo.entity_details(sorted({r.key for r in refs}))
        return [found.get(r.key) for r in refs]

    async def search(
        self, kind: EntityKind, text: str, first: int, after: str | None
    ) -> SearchPage:
        """Exact-and-prefix matches in key order, Relay-paged by offset."""
        check_limit("first", first, self._limits.max_page)
        offset = 0
        if after is not None:
            value = decode_cursor("search", after)
            if not isinstance(value, int) or value < 0:
                raise InvalidArgumentError("the cursor is not one this server issued")
            offset = value + 1
        window = offset + first
        check_limit("after+first", window, self._limits.max_search_window)
        prefix = search_prefix(kind, text)
        if prefix is not None:
            keys, more = await self._repo.prefix_keys(prefix, window + 1)
        else:
            keys, more = await self._repo.search_keys(search_patterns(kind, text), window + 1)
        page = keys[offset:window]
        examples: tuple[EntityRef, ...] = ()
        if not keys:
            examples = tuple(
                EntityRef.parse(k) for k in await self._repo.example_keys(kind, EXAMPLES)
            )
        return SearchPage(
            refs=tuple(EntityRef.parse(k) for k in page),
            cursors=tuple(encode_cursor("search", offset + i) for i in range(len(page))),
            total=len(keys),
            total_is_lower_bound=more or len(keys) > window,
            has_next_page=len(keys) > window,
            examples=examples,
        )
