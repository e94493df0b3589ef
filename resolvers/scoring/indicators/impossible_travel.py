"""IMPOSSIBLE_TRAVEL: consecutive API calls from places too far apart for the time between.

Per source IP of the entity's CloudTrail calls in scope (at most 50 IPs), the
first and last call of every hour it was used plus its location and network
(``source.geo.*`` / ``source.as.*`` written at ingest).  AWS-internal calls
(``invokedBy`` set, or no public IP and so no location) are excluded by the
query; cloud networks and configured corporate VPN ASNs by
:mod:`resolvers.scoring.travel`.  A jump that ends in a network (ASO and city)
at least 3 principals of the account used in the baseline, i.e. one of the
organisation's own offices, keeps its indicator but weighs 20 instead of 70.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import ImpossibleTravel, Indicator, IndicatorType
from resolvers.scoring.queries import CLOUDTRAIL, agg_body, dataset, hit_ids, top_ids
from resolvers.scoring.travel import Sighting, find_travels
from trailhound.ecs import fields as F
from trailhound.ecs.entities import EntityKind

RISK = 70.0
# A jump into a network where many of the account's principals work (an office,
# the corporate egress) is a colleague on the company network, not an attacker.
RISK_CORPORATE = 20.0
CORPORATE_ACTORS = 3
# Identities one person uses.  A role or an account is shared by many people in
# many places, so "travel" between its sessions means nothing.
KINDS = frozenset(
    {
        EntityKind.AWS_USER,
        EntityKind.AWS_ROLE_SESSION,
        EntityKind.FEDERATED_USER,
        EntityKind.ACCESS_KEY,
    }
)
MAX_IPS = 50
INVOKED_BY = "aws.cloudtrail.user_identity.invoked_by"


def location_label(geo: Mapping[str, Any]) -> str:
    """``City, CC`` (or the country alone) from an ECS ``geo`` object."""
    city, country = geo.get("city_name"), geo.get("country_iso_code")
    return ", ".join(str(p) for p in (city, country) if p) or "unknown"


def lat_lon(location: Any) -> tuple[float, float] | None:
    """A geo_point in any of its _source forms (object, [lon, lat], "lat,lon")."""
    if isinstance(location, Mapping) and "lat" in location and "lon" in location:
        return float(location["lat"]), float(location["lon"])
    if isinstance(location, list | tuple) and len(location) == 2:
        return float(location[1]), float(location[0])
    if isinstance(location, str) and "," in location:
        lat, lon = location.split(",", 1)
        return float(lat), float(lon)
    return None


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The IMPOSSIBLE_TRAVEL indicators of the context's entity."""
    if ctx.subject.entity.kind not in KINDS:
        return []
    query = agg_body(
        ctx.subject.in_scope(
            ctx.window, dataset(CLOUDTRAIL), {"exists": {"field": F.SOURCE_GEO_LOCATION}}
        ),
        {
            "ip": {
                "terms": {"field": F.SOURCE_IP, "size": MAX_IPS},
                "aggs": {
                    "ids": top_ids(2),
                    "where": {
                        "top_hits": {
                            "size": 1,
                            "_source": ["source.geo", "source.as"],
                            "sort": [{F.TIMESTAMP: "desc"}],
                        }
                    },
                    "hour": {
                        "date_histogram": {
                            "field": F.TIMESTAMP,
                            "fixed_interval": "1h",
                            "min_doc_count": 1,
                        },
                        "aggs": {
                            "first": {"min": {"field": F.TIMESTAMP}},
                            "last": {"max": {"field": F.TIMESTAMP}},
                        },
                    },
                },
            }
        },
    )
    query["query"]["bool"]["must_not"] = [{"exists": {"field": INVOKED_BY}}]
    resp = await ctx.repo.search(query)
    sightings: list[Sighting] = []
    ids: dict[str, tuple[str, ...]] = {}
    for b in resp.get("aggregations", {}).get("ip", {}).get("buckets", []):
        ids[str(b["key"])] = hit_ids(b["ids"])
        hits = b["where"]["hits"]["hits"]
        src = hits[0]["_source"].get("source", {}) if hits else {}
        geo, asys = src.get("geo", {}), src.get("as", {})
        point = lat_lon(geo.get("location"))
        if point is None:
            continue
        label = location_label(geo)
        asn = asys.get("number")
        aso = asys.get("organization", {}).get("name")
        for h in b["hour"]["buckets"]:
            for edge in ("first", "last"):
                at = datetime.fromtimestamp(h[edge]["value"] / 1000, tz=UTC)
                sightings.append(Sighting(at, str(b["key"]), point[0], point[1], label, asn, aso))
    travels = find_travels(
        sightings,
        ctx.analytics.impossible_travel_kmh,
        extra_exempt_asns=ctx.analytics.known_vpn_asns,
    )
    travels = travels[:5]
    corporate = await _corporate_networks(ctx, {t.end.aso for t in travels if t.end.aso})
    return [
        Indicator(
            type=IndicatorType.IMPOSSIBLE_TRAVEL,
            entity=ctx.subject.entity,
            detail=ImpossibleTravel(
                starting_ip_address=t.start.ip,
                ending_ip_address=t.end.ip,
                starting_location=t.start.location,
                ending_location=t.end.location,
                hourly_time_delta=int(t.hours),
                distance_km=t.distance_km,
                speed_kmh=t.speed_kmh,
            ),
            risk=RISK_CORPORATE if (t.end.aso, t.end.location) in corporate else RISK,
            summary=(
                f"{t.start.location} -> {t.end.location}: {t.distance_km:.0f} km in "
                f"{t.hours * 60:.0f} min ({t.speed_kmh:.0f} km/h)"
                + (
                    " into a network the account's staff use"
                    if (t.end.aso, t.end.location) in corporate
                    else ""
                )
            ),
            evidence=ctx.evidence(
                measure="km/h between consecutive calls (baseline_count: the configured threshold)",
                scope_count=t.speed_kmh,
                baseline_count=ctx.analytics.impossible_travel_kmh,
                query=query,
                document_ids=ids.get(t.start.ip, ()) + ids.get(t.end.ip, ()),
                extra={"distance_km": t.distance_km, "hours": t.hours},
            ),
        )
        for t in travels
    ]


async def _corporate_networks(ctx: IndicatorContext, asos: set[str]) -> set[tuple[str, str]]:
    """(ASO, location) pairs that at least ``CORPORATE_ACTORS`` principals of the account
    used in the baseline: the organisation's own offices and egress points."""
    account_filter = ctx.subject.in_account_baseline(
        ctx.window, dataset(CLOUDTRAIL), {"terms": {F.SOURCE_AS_ORG: sorted(asos)}}
    )
    if account_filter is None or not asos:
        return set()
    query = agg_body(
        account_filter,
        {
            "net": {
                "composite": {
                    "size": 100,
                    "sources": [
                        {"aso": {"terms": {"field": F.SOURCE_AS_ORG}}},
                        {"city": {"terms": {"field": F.SOURCE_GEO_CITY}}},
                        {"cc": {"terms": {"field": F.SOURCE_GEO_COUNTRY}}},
                    ],
                },
                "aggs": {"actors": {"cardinality": {"field": F.ACTOR}}},
            }
        },
    )
    resp = await ctx.repo.search(query)
    out = set()
    for b in resp.get("aggregations", {}).get("net", {}).get("buckets", []):
        if int(b["actors"]["value"]) >= CORPORATE_ACTORS:
            k = b["key"]
            out.add(
                (
                    str(k["aso"]),
                    location_label({"city_name": k["city"], "country_iso_code": k["cc"]}),
                )
            )
    return out
