"""NEW_ASO: an autonomous system organization absent from the entity's baseline.

From ``source.as.organization.name`` (MaxMind ASN database at ingest).  Risk 20,
or 35 when the whole account never saw it.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, NewAso
from resolvers.scoring.newness import new_values
from trailhound.ecs import fields as F

RISK, RISK_ACCOUNT_NEW = 20.0, 35.0


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The NEW_ASO indicators of the context's entity."""
    out = []
    for v in await new_values(ctx, (F.SOURCE_AS_ORG,)):
        (aso,) = v.key
        out.append(
            Indicator(
                type=IndicatorType.NEW_ASO,
                entity=ctx.subject.entity,
                detail=NewAso(aso=str(aso), is_new_for_entire_account=v.new_for_account),
                risk=RISK_ACCOUNT_NEW if v.new_for_account else RISK,
                summary=f"new ASO {aso}" + (" (new for the account)" if v.new_for_account else ""),
                evidence=ctx.evidence(
                    measure=f"calls from ASO {aso}",
                    scope_count=v.scope_count,
                    baseline_count=v.baseline_count,
                    query=v.scope_query,
                    document_ids=v.document_ids,
                ),
            )
        )
    return out
