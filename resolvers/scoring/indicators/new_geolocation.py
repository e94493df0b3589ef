"""NEW_GEOLOCATION: a city/country the entity's calls came from, absent from its baseline.

Locations are ``source.geo.country_iso_code`` + ``source.geo.city_name`` as the
indexers wrote them from the MaxMind City database.  Risk 25, or 40 when the
whole account never saw the location.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, NewGeolocation
from resolvers.scoring.newness import new_values
from trailhound.ecs import fields as F

RISK, RISK_ACCOUNT_NEW = 25.0, 40.0


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The NEW_GEOLOCATION indicators of the context's entity."""
    values = await new_values(ctx, (F.SOURCE_GEO_COUNTRY, F.SOURCE_GEO_CITY))
    out = []
    for v in values:
        country, city = v.key
        location = f"{city}, {country}"
        out.append(
            Indicator(
                type=IndicatorType.NEW_GEOLOCATION,
                entity=ctx.subject.entity,
                detail=NewGeolocation(
                    location=location,
                    ip_address=v.sample_ip,
                    is_new_for_entire_account=v.new_for_account,
                ),
                risk=RISK_ACCOUNT_NEW if v.new_for_account else RISK,
                summary=f"new location {location}"
                + (" (new for the account)" if v.new_for_account else ""),
                evidence=ctx.evidence(
                    measure=f"calls from {location}",
                    scope_count=v.scope_count,
                    baseline_count=v.baseline_count,
                    query=v.scope_query,
                    document_ids=v.document_ids,
                ),
            )
        )
    return out
