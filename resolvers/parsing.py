"""Pure conversions of Elasticsearch answers into domain values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from resolvers.domain import ApiRef, Edge, EdgeGroup, EntityDetails, NodeRef, PortFlow
from resolvers.edges import EdgeSpec, Family, Side, ValueForm
from resolvers.queries import COUNT_CAP, EXACT_BELOW, group_name
from trailhound.ecs.entities import EntityKind, EntityRef

__all__ = [
    "direction_of",
    "parse_edge_groups",
    "parse_entities",
    "parse_keys",
    "ts_from_millis",
]


def ts_from_millis(value: float | None) -> datetime | None:
    """An aggregation's epoch-millis value as a UTC datetime (``None`` when empty).

    >>> ts_from_millis(0).isoformat()
    '1970-01-01T00:00:00+00:00'
    """
    if value is None:
        return None
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def _ref(side: Side, key: Any) -> EntityRef | None:
    text = str(key)
    if side.form is ValueForm.BARE:
        (kind,) = side.kinds
        return EntityRef(kind, text)
    try:
        return EntityRef.parse(text)
    except ValueError:
        return None  # a key of a kind this version does not know: not ours to show


def _measures(bucket: Mapping[str, Any], spec: EdgeSpec) -> dict[str, float]:
    count = int(bucket["doc_count"])
    if spec.family is Family.NETWORK:
        rejected = int(bucket["rejected"]["doc_count"])
        return {
            "bytesIn": float(bucket["bytes_in"]["value"] or 0),
            "bytesOut": float(bucket["bytes_out"]["value"] or 0),
            "packetsIn": float(bucket["packets_in"]["value"] or 0),
            "packetsOut": float(bucket["packets_out"]["value"] or 0),
            "accepted": float(count - rejected),
            "rejected": float(rejected),
        }
    if spec.family is Family.CALLS:
        failures = int(bucket["failures"]["doc_count"])
        return {"success": float(count - failures), "failure": float(failures)}
    severity = bucket["severity"]["value"]
    return {} if severity is None else {"maxSeverity": float(severity)}


def _labels(bucket: Mapping[str, Any], spec: EdgeSpec) -> dict[str, tuple[str, ...]]:
    return {
        label: tuple(str(b["key"]) for b in bucket[f"label:{label}"]["buckets"])
        for label, _ in spec.labels
    }


def _ports(bucket: Mapping[str, Any]) -> tuple[tuple[PortFlow, ...], int]:
    rows: list[PortFlow] = []
    covered = 0
    for direction, agg in (("OUTBOUND", "ports_out"), ("INBOUND", "ports_in")):
        for port in bucket[agg]["port"]["buckets"]:
            number = None if int(port["key"]) < 0 else int(port["key"])
            for p in port["proto"]["buckets"]:
                covered += int(p["doc_count"])
                rows.append(
                    PortFlow(
                        direction=direction,
                        remote_port=number if direction == "OUTBOUND" else None,
                        local_port=number if direction == "INBOUND" else None,
                        protocol=None if p["key"] == "-" else str(p["key"]),
                        count=int(p["doc_count"]),
                        other_port_count=int(p["other_ports"]["value"]),
                        bytes_in=int(p["bytes_in"]["value"] or 0),
                        bytes_out=int(p["bytes_out"]["value"] or 0),
                        packets_in=int(p["packets_in"]["value"] or 0),
                        packets_out=int(p["packets_out"]["value"] or 0),
                        rejected=int(p["rejected"]["doc_count"]),
                    )
                )
    rows.sort(key=lambda r: (-r.count, r.direction, r.remote_port or 0, r.local_port or 0))
    return tuple(rows), int(bucket["doc_count"]) - covered


def direction_of(value: str) -> str:
    """ECS/flow-log direction spellings to INBOUND/OUTBOUND.

    >>> direction_of("egress"), direction_of("inbound"), direction_of("internal")
    ('OUTBOUND', 'INBOUND', 'UNKNOWN')
    """
    lowered = value.lower()
    if lowered in ("inbound", "ingress"):
        return "INBOUND"
    if lowered in ("outbound", "egress"):
        return "OUTBOUND"
    return "UNKNOWN"


def _edge(
    spec: EdgeSpec, center: EntityRef, peer: NodeRef, center_is_source: bool, b: Mapping[str, Any]
) -> Edge:
    ports, other = _ports(b) if spec.family is Family.NETWORK else ((), 0)
    return Edge(
        type=spec.type,
        source=center if center_is_source else peer,
        target=peer if center_is_source else center,
        count=int(b["doc_count"]),
        first_seen=ts_from_millis(b["first"]["value"]),
        last_seen=ts_from_millis(b["last"]["value"]),
        measures=_measures(b, spec),
        labels=_labels(b, spec),
        ports=ports,
        other_port_flows=other,
    )


def _group(
    spec: EdgeSpec, center: EntityRef, center_is_source: bool, agg: Mapping[str, Any], limit: int
) -> EdgeGroup:
    other = spec.target if center_is_source else spec.source
    edges: list[Edge] = []
    for b in agg["peers"]["buckets"]:
        if other.form is ValueForm.API:
            for p in b["provider"]["buckets"]:
                api = ApiRef(str(p["key"]), str(b["key"]))
                edges.append(_edge(spec, center, api, center_is_source, p))
            continue
        peer = _ref(other, b["key"])
        if peer is not None and peer != center:
            edges.append(_edge(spec, center, peer, center_is_source, b))
    edges.sort(key=lambda e: (-e.weight, _node_key(e.target if center_is_source else e.source)))
    counted = agg["peer_count"]
    approximate = False
    if "value" in counted:  # cardinality
        total = int(counted["value"])
        approximate = total >= EXACT_BELOW
        lower = False
    else:
        total = sum(
            1
            for b in counted["buckets"]
            if other.form is not ValueForm.KEY or b["key"] != center.key
        )
        lower = bool(counted["sum_other_doc_count"]) or len(counted["buckets"]) >= COUNT_CAP
    return EdgeGroup(
        type=spec.type,
        center=center,
        center_is_source=center_is_source,
        edges=tuple(edges[:limit]),
        total=max(total, len(edges)),
        total_is_lower_bound=lower,
        total_is_approximate=approximate,
    )


def _node_key(node: NodeRef) -> str:
    return node.key


def parse_edge_groups(
    response: Mapping[str, Any],
    center: EntityRef,
    specs: Sequence[tuple[EdgeSpec, bool]],
    limit: int,
) -> tuple[EdgeGroup, ...]:
    """Every edge group of a neighborhood answer, in catalogue order."""
    aggs = response.get("aggregations", {})
    return tuple(
        _group(spec, center, is_source, aggs[group_name(spec, is_source)], limit)
        for spec, is_source in specs
        if group_name(spec, is_source) in aggs
    )


_DETAIL_FIELDS = {
    "rule.name": "findingType",
    "event.severity": "severity",
    "message": "description",
    "aws.guardduty.title": "title",
}


def _flatten(source: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in source.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{path}."))
        else:
            out[path] = value
    return out


def _attributes(ref: EntityRef, source: Mapping[str, Any]) -> dict[str, str]:
    flat = _flatten(source)
    wanted = dict(_DETAIL_FIELDS)
    if ref.kind is not EntityKind.FINDING:
        for k in ("rule.name", "event.severity", "message", "aws.guardduty.title"):
            wanted.pop(k)
    return {
        name: str(flat[path])
        for path, name in wanted.items()
        if path in flat and flat[path] not in (None, "")
    }


def parse_entities(response: Mapping[str, Any]) -> dict[str, EntityDetails]:
    """Entity details by key from a :func:`build_entities_query` answer."""
    found: dict[str, EntityDetails] = {}
    geo: dict[str, dict[str, str]] = {}
    for b in response.get("aggregations", {}).get("ip_geo", {}).get("ips", {}).get("buckets", []):
        geo[f"ip_address:{b['key']}"] = {
            name: str(b[name]["buckets"][0]["key"])
            for name in ("country", "city", "asNumber", "asOrganization")
            if b[name]["buckets"]
        }
    for b in response.get("aggregations", {}).get("by_key", {}).get("buckets", []):
        key = str(b["key"])
        try:
            ref = EntityRef.parse(key)
        except ValueError:
            continue
        hits = b["latest"]["hits"]["hits"]
        accounts = b["account"]["buckets"]
        found[key] = EntityDetails(
            ref=ref,
            first_seen=ts_from_millis(b["first"]["value"]),
            last_seen=ts_from_millis(b["last"]["value"]),
            account_id=str(accounts[0]["key"]) if accounts else None,
            event_count=int(b["doc_count"]),
            attributes={
                **(_attributes(ref, hits[0]["_source"]) if hits else {}),
                **geo.get(key, {}),
            },
        )
    return found


def parse_keys(response: Mapping[str, Any]) -> tuple[tuple[str, ...], bool]:
    """Keys of a ``keys`` terms aggregation and whether more exist beyond them."""
    agg = response.get("aggregations", {}).get("keys", {"buckets": [], "sum_other_doc_count": 0})
    return tuple(str(b["key"]) for b in agg["buckets"]), bool(agg.get("sum_other_doc_count"))
