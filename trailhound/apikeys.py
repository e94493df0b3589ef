"""API keys for the GraphQL server, stored hashed in Elasticsearch.

A key reads ``thk_<id>_<secret>``; only ``sha256(secret)`` is stored (in
:data:`~trailhound.ecs.indices.API_KEYS_INDEX`, document id ``<id>``), so the
full key is shown once, at creation.  The secret has 256 bits of entropy, so
a plain SHA-256 (no slow KDF) cannot be brute-forced.  Roles: ``reader``
(queries) and ``admin`` (also mutations).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from elasticsearch import AsyncElasticsearch, Elasticsearch

from resolvers.repository import backend_errors
from trailhound.ecs.indices import API_KEYS_INDEX
from trailhound.errors import InvalidArgumentError, NotFoundError

__all__ = [
    "ROLES",
    "ApiKey",
    "ApiKeyVerifier",
    "CreatedKey",
    "create_key",
    "list_keys",
    "parse_authorization",
    "revoke_key",
]

ROLES = ("reader", "admin")
_TOKEN = re.compile(r"^thk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "key_id": {"type": "keyword"},
        "name": {"type": "keyword"},
        "role": {"type": "keyword"},
        "hash": {"type": "keyword", "index": False},
        "created": {"type": "date"},
        "revoked": {"type": "boolean"},
    },
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiKey:
    """A stored key, without its secret."""

    key_id: str
    name: str
    role: str
    created: str
    revoked: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatedKey:
    """A new key: ``token`` is shown once and never stored."""

    key: ApiKey
    token: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_authorization(header: str | None) -> tuple[str, str] | None:
    """``(key_id, secret)`` of an ``Authorization: ApiKey thk_...`` header, else ``None``.

    >>> parse_authorization("ApiKey thk_0123456789abcdef_" + "a" * 43)[0]
    '0123456789abcdef'
    >>> parse_authorization("Bearer x") is None
    True
    """
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "apikey":
        return None
    m = _TOKEN.match(token.strip())
    return (m.group(1), m.group(2)) if m else None


def _ensure_index(client: Elasticsearch, index: str) -> None:
    if not client.indices.exists(index=index):
        client.options(ignore_status=400).indices.create(
            index=index,
            settings={"number_of_shards": 1, "number_of_replicas": 0},
            mappings=MAPPINGS,
        )


def create_key(
    client: Elasticsearch, role: str, name: str = "", *, index: str = API_KEYS_INDEX
) -> CreatedKey:
    """Store a new key and return it with its one-time token."""
    if role not in ROLES:
        raise InvalidArgumentError(f"role {role!r} is not one of {', '.join(ROLES)}")
    _ensure_index(client, index)
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    created = datetime.now(UTC).isoformat()
    client.index(
        index=index,
        id=key_id,
        document={
            "key_id": key_id,
            "name": name,
            "role": role,
            "hash": _digest(secret),
            "created": created,
            "revoked": False,
        },
        op_type="create",
        refresh="wait_for",
    )
    key = ApiKey(key_id=key_id, name=name, role=role, created=created, revoked=False)
    return CreatedKey(key=key, token=f"thk_{key_id}_{secret}")


def list_keys(client: Elasticsearch, *, index: str = API_KEYS_INDEX) -> list[ApiKey]:
    """Every stored key (no secrets), oldest first."""
    if not client.indices.exists(index=index):
        return []
    resp = client.search(index=index, size=1000, sort=[{"created": "asc"}], query={"match_all": {}})
    return [
        ApiKey(
            key_id=h["_source"]["key_id"],
            name=h["_source"].get("name", ""),
            role=h["_source"]["role"],
            created=h["_source"]["created"],
            revoked=bool(h["_source"].get("revoked")),
        )
        for h in resp["hits"]["hits"]
    ]


def revoke_key(client: Elasticsearch, key_id: str, *, index: str = API_KEYS_INDEX) -> None:
    """Mark a key revoked (kept for the audit trail); NOT_FOUND if it never existed."""
    resp = client.options(ignore_status=404).update(
        index=index, id=key_id, doc={"revoked": True}, refresh="wait_for"
    )
    if resp.meta.status == 404:
        raise NotFoundError(f"no API key {key_id!r}")


class ApiKeyVerifier:
    """Checks request keys against the store, caching answers for a short while."""

    def __init__(
        self, client: AsyncElasticsearch, *, index: str = API_KEYS_INDEX, ttl_s: float = 30.0
    ) -> None:
        self._client = client
        self._index = index
        self._ttl = ttl_s
        self._cache: dict[str, tuple[float, str | None]] = {}

    async def role_for(self, header: str | None) -> str | None:
        """The key's role, or ``None`` for a missing, malformed, unknown or revoked key."""
        parsed = parse_authorization(header)
        if parsed is None:
            return None
        key_id, secret = parsed
        cache_key = f"{key_id}:{_digest(secret)}"
        hit = self._cache.get(cache_key)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        async with backend_errors():
            resp = await self._client.options(ignore_status=404).get(index=self._index, id=key_id)
        role: str | None = None
        if resp.meta.status == 200 and resp.get("found"):
            doc = resp["_source"]
            if not doc.get("revoked") and hmac.compare_digest(doc["hash"], _digest(secret)):
                role = str(doc["role"])
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[cache_key] = (now, role)
        return role
