"""Pure Elasticsearch request bodies for the read path (snapshot-tested as dicts).

Nothing here performs I/O; :mod:`resolvers.repository` sends these bodies and
:mod:`resolvers.parsing` turns the answers into domain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from resolvers.edges import EdgeSpec, Family, Side, ValueForm
from resolvers.scope import TimeWindow
from trailhound.ecs import fields as f
from trailhound.ecs.entities import EntityKind, EntityRef

__all__ = [
    "COUNT_CAP",
    "EXACT_BELOW",
    "build_aliases_query",
    "build_entities_query",
    "build_examples_query",
    "build_exists_query",
    "build_neighborhood_query",
    "build_principal_query",
    "build_resolve_query",
    "build_search_query",
    "build_timeline_query",
    "group_name",
    "timeline_filter",
]

COUNT_CAP = 10_000  # peers counted per edge type; above it the total is a lower bound
EXACT_BELOW = 3_000  # cardinality counts are exact below this, approximate above
PORT_ROWS = 5
LABEL_ROWS = 5
_REJECTED = {
    "bool": {
        "should": [
            {"term": {f.EVENT_OUTCOME: "failure"}},
            {"term": {"aws.vpcflow.action": "REJECT"}},
            {"term": {f.KIND: "NETWORK_REJECTED"}},
        ],
        "minimum_should_match": 1,
    }
}
_FAILED_CALL = {"term": {f.EVENT_OUTCOME: "failure"}}
_DETAIL_SOURCE = [
    f.CLOUD_ACCOUNT_ID,
    f.RULE_NAME,
    f.EVENT_SEVERITY,
    "message",
    "aws.guardduty.type",
    "aws.guardduty.title",
    "aws.cloudtrail.user_identity.principal_id",
    "aws.cloudtrail.user_identity.arn",
]


def _time(window: TimeWindow) -> dict[str, Any]:
    return {"range": {f.TIMESTAMP: {**window.as_range(), "format": "strict_date_optional_time"}}}


def group_name(spec: EdgeSpec, center_is_source: bool) -> str:
    """The aggregation name of one (edge type, side) group.

    >>> from resolvers.edges import EDGE_SPECS
    >>> group_name(EDGE_SPECS[0], True)
    'NETWORK.out'
    """
    return f"{spec.name}.{'out' if center_is_source else 'in'}"


def _terms(side: Side, size: int, order: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"field": side.group_field, "size": size}
    if side.include:
        body["include"] = side.include
    if side.exclude:
        body["exclude"] = side.exclude
    if order is not None:
        body["order"] = order
    return body


def _measures(spec: EdgeSpec) -> dict[str, Any]:
    aggs: dict[str, Any] = {
        "first": {"min": {"field": f.TIMESTAMP}},
        "last": {"max": {"field": f.TIMESTAMP}},
    }
    if spec.family is Family.NETWORK:
        for name, field in (
            ("bytes_in", f.FLOW_BYTES_IN),
            ("bytes_out", f.FLOW_BYTES_OUT),
            ("packets_in", f.FLOW_PACKETS_IN),
            ("packets_out", f.FLOW_PACKETS_OUT),
        ):
            aggs[name] = {"sum": {"field": field}}
        aggs["rejected"] = {"filter": _REJECTED}
        aggs["ports_out"] = _port_rows("OUTBOUND")
        aggs["ports_in"] = _port_rows("INBOUND")
    elif spec.family is Family.CALLS:
        aggs["failures"] = {"filter": _FAILED_CALL}
    else:
        aggs["severity"] = {"max": {"field": f.EVENT_SEVERITY}}
    for label, field in spec.labels:
        aggs[f"label:{label}"] = {"terms": {"field": field, "size": LABEL_ROWS}}
    return aggs


def _port_rows(direction: str) -> dict[str, Any]:
    """Service-port rows of one direction: outbound flows by remote port, inbound by local.

    The other side is usually an ephemeral port, so it is counted, not listed.
    """
    outbound = direction == "OUTBOUND"
    service, ephemeral = (
        (f.FLOW_REMOTE_PORT, f.FLOW_LOCAL_PORT)
        if outbound
        else (f.FLOW_LOCAL_PORT, f.FLOW_REMOTE_PORT)
    )
    leaf: dict[str, Any] = {
        "bytes_in": {"sum": {"field": f.FLOW_BYTES_IN}},
        "bytes_out": {"sum": {"field": f.FLOW_BYTES_OUT}},
        "packets_in": {"sum": {"field": f.FLOW_PACKETS_IN}},
        "packets_out": {"sum": {"field": f.FLOW_PACKETS_OUT}},
        "rejected": {"filter": _REJECTED},
        "other_ports": {"cardinality": {"field": ephemeral}},
    }
    return {
        "filter": {"term": {f.KIND: f"NETWORK_{direction}"}},
        "aggs": {
            "port": {
                "terms": {"field": service, "size": PORT_ROWS, "missing": -1},
                "aggs": {
                    "proto": {
                        "terms": {"field": f.NETWORK_TRANSPORT, "size": 3, "missing": "-"},
                        "aggs": leaf,
                    }
                },
            }
        },
    }


def _center_clause(side: Side, center: EntityRef, aliases: Sequence[str]) -> dict[str, Any]:
    """The center on its side, or one of its aliases: an instance's interfaces on its
    flow records (the instance side), a user's short ARN on GuardDuty findings (the
    mentions side).  An interface is not folded into findings: a secondary interface
    that moved between instances would bring the other instance's findings."""
    clause = {"term": {side.filter_field: side.filter_value(center)}}
    folds = (side.filter_field == f.INSTANCE) or (
        side.filter_field == f.RELATED_ENTITY and center.kind is EntityKind.AWS_USER
    )
    if not aliases or not folds:
        return clause
    return {
        "bool": {
            "should": [clause, {"terms": {f.RELATED_ENTITY: list(aliases)}}],
            "minimum_should_match": 1,
        }
    }


def _group(
    spec: EdgeSpec,
    center: EntityRef,
    center_is_source: bool,
    limit: int,
    aliases: Sequence[str] = (),
) -> dict[str, Any]:
    mine, other = (spec.source, spec.target) if center_is_source else (spec.target, spec.source)
    order = [{"_count": "desc"}, {"_key": "asc"}]
    peers: dict[str, Any] = {"terms": _terms(other, limit, order), "aggs": _measures(spec)}
    if other.form is ValueForm.API:
        # One edge per (provider, action): the provider rides under each action bucket.
        peers["aggs"] = {
            "provider": {
                "terms": {"field": f.EVENT_PROVIDER, "size": 3, "missing": "unknown"},
                "aggs": _measures(spec),
            },
            **_measures(spec),
        }
    return {
        "filter": {"bool": {"filter": [*spec.docs, _center_clause(mine, center, aliases)]}},
        "aggs": {"peers": peers, "peer_count": _peer_count(other)},
    }


def _peer_count(other: Side) -> dict[str, Any]:
    """How many peers exist: HyperLogLog (exact below the threshold) on single-kind fields,
    a keys-only terms aggregation where the field mixes kinds and needs ``include``."""
    if other.include is None and other.exclude is None:
        return {"cardinality": {"field": other.group_field, "precision_threshold": EXACT_BELOW}}
    return {"terms": _terms(other, COUNT_CAP)}


def build_neighborhood_query(
    center: EntityRef,
    window: TimeWindow,
    specs: Sequence[tuple[EdgeSpec, bool]],
    limit: int,
    aliases: Sequence[str] = (),
) -> dict[str, Any]:
    """One search whose aggregations hold every edge group around ``center``.

    The top-level query keeps only documents in the window that mention the
    center in one of the sides' filter fields, so the per-group filters run on
    a small set.  ``aliases`` are further keys of the center (an instance's
    network interfaces) that its flow records may carry instead.
    """
    shoulds: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for spec, is_source in specs:
        side = spec.source if is_source else spec.target
        clause = (side.filter_field, side.filter_value(center))
        if clause not in seen:
            seen.add(clause)
            shoulds.append({"term": {clause[0]: clause[1]}})
    if aliases:
        shoulds.append({"terms": {f.RELATED_ENTITY: list(aliases)}})
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {
            "bool": {
                "filter": [_time(window)],
                "should": shoulds,
                "minimum_should_match": 1,
            }
        },
        "aggs": {
            group_name(spec, is_source): _group(spec, center, is_source, limit, aliases)
            for spec, is_source in specs
        },
    }


def build_entities_query(keys: Sequence[str]) -> dict[str, Any]:
    """First/last seen, account and a latest example for many entity keys at once.

    IP addresses also get their geolocation and AS from the events whose
    ``source.ip`` they are (another IP's geo must not leak in from a shared event).
    """
    ips = [k.split(":", 1)[1] for k in keys if k.startswith(f"{EntityKind.IP_ADDRESS.value}:")]
    top1 = {"size": 1}
    geo_aggs = {
        name: {"terms": {"field": field, **top1}}
        for name, field in (
            ("country", f.SOURCE_GEO_COUNTRY),
            ("city", f.SOURCE_GEO_CITY),
            ("asNumber", f.SOURCE_AS_NUMBER),
            ("asOrganization", f.SOURCE_AS_ORG),
        )
    }
    ip_geo = {
        "ip_geo": {
            "filter": {"terms": {f.SOURCE_IP: ips}},
            "aggs": {
                "ips": {
                    "terms": {"field": f.SOURCE_IP, "include": ips, "size": len(ips)},
                    "aggs": geo_aggs,
                }
            },
        }
    }
    body: dict[str, Any] = {
        "size": 0,
        "track_total_hits": False,
        "query": {"terms": {f.RELATED_ENTITY: list(keys)}},
        "aggs": {
            "by_key": {
                "terms": {
                    "field": f.RELATED_ENTITY,
                    "include": list(keys),
                    "size": len(keys),
                    # Global ordinals, not "map": map reads the bytes of every value of
                    # every matching event (~10 keys each), 98 ms for one busy instance
                    # at 10M events against 12 ms; 20 instances 1.7 s against 0.1 s.
                },
                "aggs": {
                    "first": {"min": {"field": f.TIMESTAMP}},
                    "last": {"max": {"field": f.TIMESTAMP}},
                    "account": {"terms": {"field": f.CLOUD_ACCOUNT_ID, "size": 1}},
                    "latest": {
                        "top_hits": {
                            "size": 1,
                            "sort": [{f.TIMESTAMP: "desc"}],
                            "_source": {"includes": _DETAIL_SOURCE},
                        }
                    },
                },
            }
        },
    }
    if ips:
        body["aggs"] |= ip_geo
    return body


def build_exists_query(key: str) -> dict[str, Any]:
    """Whether any event mentions ``key``: each shard stops at its first match.

    Far cheaper than :func:`build_entities_query` for one key (3-5 ms against
    ~80 ms uncached at 1M events: no aggregation over all of the key's events).
    """
    return {
        "size": 0,
        "track_total_hits": 1,
        "terminate_after": 1,
        "query": {"term": {f.RELATED_ENTITY: key}},
    }


def build_resolve_query(pattern: str, size: int = 2) -> dict[str, Any]:
    """Entity keys matching a Lucene regexp (a short name that must resolve to one key)."""
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"regexp": {f.RELATED_ENTITY: {"value": pattern}}},
        "aggs": {
            "keys": {
                "terms": {
                    "field": f.RELATED_ENTITY,
                    "include": pattern,
                    "size": size,
                }
            }
        },
    }


def build_search_query(patterns: Sequence[str], size: int) -> dict[str, Any]:
    """Keys matching any of the Lucene regexps, in key order (stable pages by offset)."""
    include = "|".join(f"({p})" for p in patterns)
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"regexp": {f.RELATED_ENTITY: {"value": include}}},
        "aggs": {
            "keys": {
                "terms": {
                    "field": f.RELATED_ENTITY,
                    "include": include,
                    "size": size,
                    "order": {"_key": "asc"},
                    # Global ordinals (see build_entities_query): a busy key's events
                    # made "map" 3-15x slower; an unanchored pattern costs the same.
                }
            }
        },
    }


def build_examples_query(kind: EntityKind, size: int) -> dict[str, Any]:
    """The busiest keys of a kind: Detective's "examples from your data"."""
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"prefix": {f.RELATED_ENTITY: f"{kind.value}:"}},
        "aggs": {
            "keys": {
                "terms": {"field": f.RELATED_ENTITY, "include": f"{kind.value}:.*", "size": size}
            }
        },
    }


TIMELINE_SOURCE = [
    f.TIMESTAMP,
    f.KIND,
    f.EVENT_DATASET,
    f.EVENT_ID,
    f.EVENT_ACTION,
    f.EVENT_PROVIDER,
    f.EVENT_OUTCOME,
    f.EVENT_SEVERITY,
    f.SOURCE_IP,
    f.RULE_NAME,
    f.ACTOR,
    f.TARGETS,
    f.NETWORK_TRANSPORT,
    f.NETWORK_DIRECTION,
    "trailhound.flow",
    "message",
]


def _mentions(center: EntityRef, aliases: Sequence[str]) -> dict[str, Any]:
    if aliases:
        return {"terms": {f.RELATED_ENTITY: [center.key, *aliases]}}
    return {"term": {f.RELATED_ENTITY: center.key}}


def timeline_filter(
    center: EntityRef, window: TimeWindow, kinds: Sequence[str], aliases: Sequence[str] = ()
) -> dict[str, Any]:
    """The query every timeline page and its histogram share."""
    clauses: list[dict[str, Any]] = [_time(window), _mentions(center, aliases)]
    if kinds:
        clauses.append({"terms": {f.KIND: list(kinds)}})
    return {"bool": {"filter": clauses}}


def build_timeline_query(
    center: EntityRef,
    window: TimeWindow,
    kinds: Sequence[str],
    *,
    size: int,
    pit_id: str | None,
    search_after: Sequence[Any] | None,
    interval_seconds: int | None,
    aliases: Sequence[str] = (),
) -> dict[str, Any]:
    """A point-in-time page sorted by time (``_shard_doc`` breaks ties), plus the histogram.

    The histogram rides only on the first page (``interval_seconds`` set).
    Without ``pit_id`` (a first page) it is a plain search sorted by time
    alone: Elasticsearch then breaks ties by shard and document, the same
    order ``_shard_doc`` gives inside a point in time over the same indices.
    """
    body: dict[str, Any] = {
        "size": size,
        "query": timeline_filter(center, window, kinds, aliases),
        "sort": [{f.TIMESTAMP: {"order": "asc"}}],
        "_source": {"includes": TIMELINE_SOURCE},
        "track_total_hits": True,
    }
    if pit_id is not None:
        body["sort"].append({"_shard_doc": "asc"})
        body["pit"] = {"id": pit_id, "keep_alive": "5m"}
    if search_after is not None:
        body["search_after"] = list(search_after)
    if interval_seconds is not None:
        body["aggs"] = {
            "histogram": {
                "date_histogram": {
                    "field": f.TIMESTAMP,
                    "fixed_interval": f"{interval_seconds}s",
                    "min_doc_count": 0,
                    "extended_bounds": {
                        "min": int(window.start.timestamp() * 1000),
                        "max": int(window.end.timestamp() * 1000) - 1,
                    },
                },
                "aggs": {"kinds": {"terms": {"field": f.KIND, "size": 10}}},
            }
        }
    return body


# --- profile panels ---------------------------------------------------------

_CLOUDTRAIL = {"term": {f.EVENT_DATASET: "aws.cloudtrail"}}
_VPCFLOW = {"term": {f.EVENT_DATASET: "aws.vpcflow"}}


def _histogram(
    window: TimeWindow, interval_seconds: int, aggs: dict[str, Any], *, sparse: bool = False
) -> dict[str, Any]:
    """A fixed-interval histogram over the window: dense (every interval) or sparse."""
    hist: dict[str, Any] = {
        "field": f.TIMESTAMP,
        "fixed_interval": f"{interval_seconds}s",
        "min_doc_count": 1 if sparse else 0,
    }
    if not sparse:
        hist["extended_bounds"] = {
            "min": int(window.start.timestamp() * 1000),
            "max": int(window.end.timestamp() * 1000) - 1,
        }
    return {"date_histogram": hist, "aggs": aggs}


def api_filters(cidr: str | None, api_substring: str | None) -> list[dict[str, Any]]:
    """Drill-down filters: a source CIDR (ip fields take CIDR terms) and an API substring.

    >>> api_filters("10.0.0.0/8", "List")
    [{'term': {'source.ip': '10.0.0.0/8'}}, {'wildcard': {'event.action': {'value': '*List*', \
'case_insensitive': True}}}]
    """
    out: list[dict[str, Any]] = []
    if cidr:
        out.append({"term": {f.SOURCE_IP: cidr}})
    if api_substring:
        escaped = api_substring.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")
        out.append(
            {"wildcard": {f.EVENT_ACTION: {"value": f"*{escaped}*", "case_insensitive": True}}}
        )
    return out


def build_api_volume_query(
    center: EntityRef,
    window: TimeWindow,
    interval_seconds: int,
    rows: int,
    filters: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Overall API call volume: success/failure over time, by service, and the drill-downs.

    Drill-downs: observed IP -> API -> caller, API -> IP -> caller, and caller ->
    IP -> API, where the caller is the access key for users and role sessions
    (Detective's "Resource or Access Key ID" tab) and the acting principal else.
    """
    caller_field = (
        f.ACCESS_KEY
        if center.kind in (EntityKind.AWS_USER, EntityKind.AWS_ROLE_SESSION)
        else f.ACTOR
    )
    failed = {"failed": {"filter": _FAILED_CALL}}
    caller = {"caller": {"terms": {"field": f.ACTOR, "size": rows}, "aggs": failed}}
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {
            "bool": {
                "filter": [
                    _time(window),
                    _CLOUDTRAIL,
                    {"term": {f.RELATED_ENTITY: center.key}},
                    *filters,
                ]
            }
        },
        "aggs": {
            "failed": {"filter": _FAILED_CALL},
            "series": _histogram(window, interval_seconds, failed),
            "services": {
                "terms": {"field": f.EVENT_PROVIDER, "size": rows, "missing": "unknown"},
                "aggs": failed,
            },
            "by_ip": {
                "terms": {"field": f.SOURCE_IP, "size": rows},
                "aggs": {
                    **failed,
                    "api": {
                        "terms": {"field": f.EVENT_ACTION, "size": rows},
                        "aggs": {**failed, **caller},
                    },
                },
            },
            "by_api": {
                "terms": {"field": f.EVENT_ACTION, "size": rows},
                "aggs": {
                    **failed,
                    "provider": {"terms": {"field": f.EVENT_PROVIDER, "size": 1}},
                    "ip": {
                        "terms": {"field": f.SOURCE_IP, "size": rows},
                        "aggs": {**failed, **caller},
                    },
                },
            },
            "by_caller": {
                "terms": {"field": caller_field, "size": rows},
                "aggs": {
                    **failed,
                    "ip": {
                        "terms": {"field": f.SOURCE_IP, "size": rows},
                        "aggs": {
                            **failed,
                            "api": {
                                "terms": {"field": f.EVENT_ACTION, "size": rows},
                                "aggs": failed,
                            },
                        },
                    },
                },
            },
        },
    }


NEW_BEHAVIOR_FIELDS = {
    "apiCalls": f.EVENT_ACTION,
    "countries": f.SOURCE_GEO_COUNTRY,
    "cities": f.SOURCE_GEO_CITY,
    "asOrganizations": f.SOURCE_AS_ORG,
    "userAgents": f.USER_AGENT_ORIGINAL,
    "remoteIps": f.REMOTE_IP,
}
NEW_BEHAVIOR_CAP = 2000


def build_behavior_query(
    center: EntityRef, scope: TimeWindow, baseline: TimeWindow, aliases: Sequence[str] = ()
) -> dict[str, Any]:
    """Values seen in the scope and/or baseline, with per-window counts (new + increased)."""
    windows = {
        "in_scope": {"filter": _time(scope)},
        "in_baseline": {"filter": _time(baseline)},
        "first": {"min": {"field": f.TIMESTAMP}},
    }
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {
            "bool": {
                "filter": [_mentions(center, aliases)],
                "should": [_time(scope), _time(baseline)],
                "minimum_should_match": 1,
            }
        },
        "aggs": {
            name: {"terms": {"field": field, "size": NEW_BEHAVIOR_CAP}, "aggs": windows}
            for name, field in NEW_BEHAVIOR_FIELDS.items()
        }
        | {
            "providers": {
                "terms": {"field": f.EVENT_ACTION, "size": NEW_BEHAVIOR_CAP},
                "aggs": {"provider": {"terms": {"field": f.EVENT_PROVIDER, "size": 1}}},
            }
        },
    }


def build_flow_volume_query(
    center: EntityRef,
    window: TimeWindow,
    interval_seconds: int,
    *,
    rows: int,
    after: dict[str, Any] | None,
    remote_cidr: str | None = None,
    aliases: Sequence[str] = (),
    row_series: bool = True,
) -> dict[str, Any]:
    """Overall VPC flow volume: one composite row per (peer, ports, protocol, direction).

    ``row_series=False`` leaves out each row's time series (the costly part)
    when the client does not ask for it.

    The peer is the remote IP for an instance and the instance for an IP.  The
    same request returns the overall in/out series and the IPs named by the
    entity's findings (the Annotations column).
    """
    is_ip = center.kind is EntityKind.IP_ADDRESS
    mine = (
        {"term": {f.FLOW_REMOTE_IP: center.id}}
        if is_ip
        else _center_clause(
            Side(kinds=frozenset(), filter_field=f.INSTANCE, group_field=f.INSTANCE),
            center,
            aliases,
        )
    )
    peer_field = f.INSTANCE if is_ip else f.FLOW_REMOTE_IP
    filters: list[dict[str, Any]] = [_time(window), _VPCFLOW, mine]
    if remote_cidr:
        filters.append({"term": {f.FLOW_REMOTE_IP: remote_cidr}})
    sums = {
        "bytes_in": {"sum": {"field": f.FLOW_BYTES_IN}},
        "bytes_out": {"sum": {"field": f.FLOW_BYTES_OUT}},
        "rejected": {"filter": _REJECTED},
    }
    composite: dict[str, Any] = {
        "size": rows,
        "sources": [
            {"peer": {"terms": {"field": peer_field, "missing_bucket": True}}},
            {"local_port": {"terms": {"field": f.FLOW_LOCAL_PORT, "missing_bucket": True}}},
            {"remote_port": {"terms": {"field": f.FLOW_REMOTE_PORT, "missing_bucket": True}}},
            {"protocol": {"terms": {"field": f.NETWORK_TRANSPORT, "missing_bucket": True}}},
            {"direction": {"terms": {"field": f.NETWORK_DIRECTION, "missing_bucket": True}}},
        ],
    }
    if after is not None:
        composite["after"] = after
    return {
        "size": 0,
        "track_total_hits": True,
        "query": {"bool": {"filter": filters}},
        "aggs": {
            "rows": {
                "composite": composite,
                "aggs": {
                    **sums,
                    "first": {"min": {"field": f.TIMESTAMP}},
                    "last": {"max": {"field": f.TIMESTAMP}},
                    **(
                        {"series": _histogram(window, interval_seconds, sums, sparse=True)}
                        if row_series
                        else {}
                    ),
                },
            },
            "row_count": {"cardinality": {"field": peer_field, "precision_threshold": 40000}},
            "series": _histogram(window, interval_seconds, sums),
            "totals": {"filter": {"match_all": {}}, "aggs": sums},
            "finding_ips": {
                "global": {},
                "aggs": {
                    "of_entity": {
                        "filter": {
                            "bool": {
                                "filter": [
                                    _time(window),
                                    {"exists": {"field": f.FINDING}},
                                    _mentions(center, aliases),
                                ]
                            }
                        },
                        "aggs": {"ips": {"terms": {"field": f.REMOTE_IP, "size": 500}}},
                    }
                },
            },
        },
    }


def build_aliases_query(center: EntityRef, size: int = 50) -> dict[str, Any]:
    """Network interfaces seen together with an instance (flows with both ids, findings)."""
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"term": {f.RELATED_ENTITY: center.key}},
        "aggs": {
            "keys": {
                "terms": {
                    "field": f.RELATED_ENTITY,
                    "include": f"{EntityKind.NETWORK_INTERFACE.value}:.*",
                    "size": size,
                }
            }
        },
    }


def build_principal_query(kind: EntityKind, principal_id: str) -> dict[str, Any]:
    """The role (or user) key behind a principal id, from the events that carry it.

    Role sessions are keyed ``aws_role_session:<rolePrincipalId>:<name>`` and
    list their role in ``trailhound.actor_chain``; IAM users' events carry the
    principal id in ``user.id``.
    """
    if kind is EntityKind.AWS_ROLE:
        query: dict[str, Any] = {
            "prefix": {f.ACTOR: f"{EntityKind.AWS_ROLE_SESSION.value}:{principal_id}:"}
        }
    else:
        query = {"term": {f.USER_ID: principal_id}}
    return {
        "size": 0,
        "track_total_hits": False,
        "query": query,
        "aggs": {
            "keys": {"terms": {"field": f.ACTOR_CHAIN, "include": f"{kind.value}:.*", "size": 2}}
        },
    }
