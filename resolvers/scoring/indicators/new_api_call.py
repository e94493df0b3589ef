"""NEW_API_CALL: a (service, API) the entity called in scope but never in its baseline.

Detective's "newly observed API calls" panel as an indicator.  Risk 15, or 25
when no principal of the account made the call in the baseline.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, NewApiCall
from resolvers.scoring.newness import new_values
from resolvers.scoring.queries import CLOUDTRAIL, dataset
from trailhound.ecs import fields as F

RISK, RISK_ACCOUNT_NEW = 15.0, 25.0


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The NEW_API_CALL indicators of the context's entity."""
    out = []
    for v in await new_values(ctx, (F.EVENT_PROVIDER, F.EVENT_ACTION), dataset(CLOUDTRAIL)):
        service, api = (str(k) for k in v.key)
        out.append(
            Indicator(
                type=IndicatorType.NEW_API_CALL,
                entity=ctx.subject.entity,
                detail=NewApiCall(
                    service=service, api_name=api, is_new_for_entire_account=v.new_for_account
                ),
                risk=RISK_ACCOUNT_NEW if v.new_for_account else RISK,
                summary=f"new API call {service}:{api}",
                evidence=ctx.evidence(
                    measure=f"calls of {service}:{api}",
                    scope_count=v.scope_count,
                    baseline_count=v.baseline_count,
                    query=v.scope_query,
                    document_ids=v.document_ids,
                ),
            )
        )
    return out
