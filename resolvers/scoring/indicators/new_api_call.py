"""NEW_API_CALL: a (service, API) the entity called in scope but never in its baseline.

Detective's "newly observed API calls" panel as an indicator.  Risk 15, or 25
when no principal of the account made the call in the baseline.  Role
assumption is judged by its target too: an ``AssumeRole*`` into a role the
entity never assumed in the baseline is new even when AssumeRole itself is a
habit (the step of a role chain), risk 25, or 35 when nobody in the account
assumed that role before.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, NewApiCall
from resolvers.scoring.newness import new_values
from resolvers.scoring.queries import CLOUDTRAIL, dataset
from trailhound.ecs import fields as F

RISK, RISK_ACCOUNT_NEW = 15.0, 25.0
ROLE_RISK, ROLE_RISK_ACCOUNT_NEW = 25.0, 35.0


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
    assumptions = await new_values(
        ctx,
        (F.EVENT_ACTION, F.TARGETS),
        dataset(CLOUDTRAIL),
        {"prefix": {F.EVENT_ACTION: "AssumeRole"}},
        {"prefix": {F.TARGETS: "aws_role:"}},
    )
    for v in assumptions:
        api, target = (str(k) for k in v.key)
        if not target.startswith("aws_role:") or (api, target) in seen_pairs(out):
            continue
        out.append(
            Indicator(
                type=IndicatorType.NEW_API_CALL,
                entity=ctx.subject.entity,
                detail=NewApiCall(
                    service="sts.amazonaws.com",
                    api_name=api,
                    is_new_for_entire_account=v.new_for_account,
                    target=target,
                ),
                risk=ROLE_RISK_ACCOUNT_NEW if v.new_for_account else ROLE_RISK,
                summary=f"first {api} into {target.removeprefix('aws_role:')}",
                evidence=ctx.evidence(
                    measure=f"{api} calls targeting {target}",
                    scope_count=v.scope_count,
                    baseline_count=v.baseline_count,
                    query=v.scope_query,
                    document_ids=v.document_ids,
                ),
            )
        )
    return out


def seen_pairs(found: list[Indicator]) -> set[tuple[str, str]]:
    """(api, target) pairs already reported."""
    return {
        (i.detail.api_name, i.detail.target)
        for i in found
        if isinstance(i.detail, NewApiCall) and i.detail.target is not None
    }
