"""One module per indicator, each exposing ``compute(ctx) -> list[Indicator]``.

The registry is an explicit table (style guide A: cheap to read, one test runs
over everything registered); its order is the order indicators are computed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.indicators import (
    beaconing,
    data_exfiltration_volume,
    failed_call_spike,
    flagged_ip_address,
    impossible_travel,
    increased_volume,
    new_api_call,
    new_aso,
    new_geolocation,
    new_remote_endpoint,
    new_user_agent,
    rare_api_for_account,
    related_finding,
    ttp_observed,
)
from resolvers.scoring.model import Indicator, IndicatorType

Compute = Callable[[IndicatorContext], Awaitable[list[Indicator]]]

# RELATED_FINDING_GROUP needs the finding groups and is added by the engine.
REGISTRY: Mapping[IndicatorType, Compute] = MappingProxyType(
    {
        IndicatorType.TTP_OBSERVED: ttp_observed.compute,
        IndicatorType.IMPOSSIBLE_TRAVEL: impossible_travel.compute,
        IndicatorType.FLAGGED_IP_ADDRESS: flagged_ip_address.compute,
        IndicatorType.NEW_GEOLOCATION: new_geolocation.compute,
        IndicatorType.NEW_ASO: new_aso.compute,
        IndicatorType.NEW_USER_AGENT: new_user_agent.compute,
        IndicatorType.RELATED_FINDING: related_finding.compute,
        IndicatorType.NEW_API_CALL: new_api_call.compute,
        IndicatorType.INCREASED_VOLUME: increased_volume.compute,
        IndicatorType.FAILED_CALL_SPIKE: failed_call_spike.compute,
        IndicatorType.RARE_API_FOR_ACCOUNT: rare_api_for_account.compute,
        IndicatorType.NEW_REMOTE_ENDPOINT: new_remote_endpoint.compute,
        IndicatorType.BEACONING: beaconing.compute,
        IndicatorType.DATA_EXFILTRATION_VOLUME: data_exfiltration_volume.compute,
    }
)
