"""NEW_USER_AGENT: a ``user_agent.original`` absent from the entity's baseline.

Risk 10, or 20 when the whole account never saw it: new SDK versions and
browsers are common, so this mostly corroborates other indicators.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, NewUserAgent
from resolvers.scoring.newness import new_values
from resolvers.scoring.queries import CLOUDTRAIL, dataset
from trailhound.ecs import fields as F

RISK, RISK_ACCOUNT_NEW = 10.0, 20.0


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The NEW_USER_AGENT indicators of the context's entity."""
    out = []
    for v in await new_values(ctx, (F.USER_AGENT_ORIGINAL,), dataset(CLOUDTRAIL)):
        (ua,) = v.key
        out.append(
            Indicator(
                type=IndicatorType.NEW_USER_AGENT,
                entity=ctx.subject.entity,
                detail=NewUserAgent(
                    user_agent=str(ua), is_new_for_entire_account=v.new_for_account
                ),
                risk=RISK_ACCOUNT_NEW if v.new_for_account else RISK,
                summary=f"new user agent {str(ua)[:80]}",
                evidence=ctx.evidence(
                    measure="calls with this user agent",
                    scope_count=v.scope_count,
                    baseline_count=v.baseline_count,
                    query=v.scope_query,
                    document_ids=v.document_ids,
                ),
            )
        )
    return out
