"""Values the entity used in scope but never in its baseline (and maybe never in its account).

Three requests, each bounded: the scope's values (a composite aggregation, at
most ``limit`` keys, with counts, a sample IP and document ids), which of those
the baseline has, and which of the new ones the account's baseline has.  This
serves NEW_GEOLOCATION, NEW_ASO, NEW_USER_AGENT and NEW_API_CALL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.queries import Body, Clause, agg_body, all_of_terms, any_of, hit_ids, top_ids
from trailhound.ecs import fields as F

Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class NewValue:
    """One value new in scope, with its numbers and the requests that found it."""

    key: Key
    scope_count: int
    baseline_count: int
    new_for_account: bool
    sample_ip: str | None
    document_ids: tuple[str, ...]
    scope_query: Body
    baseline_query: Body


def _composite(fields: Sequence[str], size: int, with_hits: bool) -> dict[str, Any]:
    agg: dict[str, Any] = {
        "composite": {
            "size": size,
            "sources": [{f: {"terms": {"field": f}}} for f in fields],
        }
    }
    if with_hits:
        agg["aggs"] = {
            "ids": top_ids(3),
            "ip": {"terms": {"field": F.SOURCE_IP, "size": 1}},
        }
    return agg


def _keys(response: Mapping[str, Any], fields: Sequence[str]) -> dict[Key, Mapping[str, Any]]:
    buckets = response.get("aggregations", {}).get("values", {}).get("buckets", [])
    return {tuple(b["key"][f] for f in fields): b for b in buckets}


def _present(fields: Sequence[str], keys: Sequence[Key]) -> Clause:
    return any_of(*(all_of_terms(dict(zip(fields, k, strict=True))) for k in keys))


async def new_values(
    ctx: IndicatorContext,
    fields: Sequence[str],
    *extra: Clause,
    limit: int = 200,
) -> list[NewValue]:
    """Values of ``fields`` (a composite key) in scope that the baseline never had."""
    scope_query = agg_body(
        ctx.subject.in_scope(ctx.window, *extra), {"values": _composite(fields, limit, True)}
    )
    scope = _keys(await ctx.repo.search(scope_query), fields)
    if not scope:
        return []
    keys = sorted(scope, key=str)
    baseline_query = agg_body(
        ctx.subject.in_baseline(ctx.window, *extra, _present(fields, keys)),
        {"values": _composite(fields, len(keys), False)},
    )
    seen = _keys(await ctx.repo.search(baseline_query), fields)
    new = [k for k in keys if k not in seen]
    if not new:
        return []
    account_seen: set[Key] = set()
    account_filter = ctx.subject.in_account_baseline(ctx.window, *extra, _present(fields, new))
    if account_filter is not None:
        account_query = agg_body(account_filter, {"values": _composite(fields, len(new), False)})
        account_seen = set(_keys(await ctx.repo.search(account_query), fields))
    out = []
    for k in new:
        bucket = scope[k]
        ips = bucket.get("ip", {}).get("buckets", [])
        out.append(
            NewValue(
                key=k,
                scope_count=int(bucket["doc_count"]),
                baseline_count=0,
                new_for_account=k not in account_seen,
                sample_ip=str(ips[0]["key"]) if ips else None,
                document_ids=hit_ids(bucket.get("ids", {})),
                scope_query=scope_query,
                baseline_query=baseline_query,
            )
        )
    return out
