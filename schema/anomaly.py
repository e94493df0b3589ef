"""GraphQL view of anomaly scores: indicators with evidence, contributions, severities.

Indicator details keep Amazon Detective's field names (``ListIndicators``), so
a Detective-shaped consumer can read ``... on TtpObservedDetail { tactic apiName }``.
Finding groups and investigations are in ``schema.anomaly_objects``, the root
fields in ``schema.anomaly_root`` (listed in ``extension_points.PLUGIN_MODULES``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from resolvers.scoring import model as m
from schema.described import described

__all__ = [
    "AnomalyScore",
    "Indicator",
    "IndicatorType",
    "Severity",
    "severity_from_domain",
]

# Register the domain enums as GraphQL enums (strawberry.enum returns the same class).
strawberry.enum(m.IndicatorType, name="IndicatorType")
strawberry.enum(m.Severity, name="Severity")
IndicatorType = m.IndicatorType
Severity = m.Severity


def severity_from_domain(value: m.Severity) -> m.Severity:
    """Identity (the GraphQL enum is the domain enum); kept for symmetry."""
    return value


@strawberry.type(description="MITRE ATT&CK technique observed (Detective TTPDetail).")
class TtpObservedDetail:
    tactic: str
    technique: str
    procedure: str
    ip_address: str | None
    api_name: str
    api_success_count: int
    api_failure_count: int


@strawberry.type(description="Consecutive uses too far apart (Detective ImpossibleTravelDetail).")
class ImpossibleTravelDetail:
    starting_ip_address: str
    ending_ip_address: str
    starting_location: str
    ending_location: str
    hourly_time_delta: int
    distance_km: float
    speed_kmh: float


@strawberry.type(description="An IP listed by a configured feed; reason names the feed.")
class FlaggedIpAddressDetail:
    ip_address: str
    reason: str
    matched: str


@strawberry.type
class NewGeolocationDetail:
    location: str
    ip_address: str | None
    is_new_for_entire_account: bool


@strawberry.type
class NewAsoDetail:
    aso: str
    is_new_for_entire_account: bool


@strawberry.type
class NewUserAgentDetail:
    user_agent: str
    is_new_for_entire_account: bool


@strawberry.type
class RelatedFindingDetail:
    arn: str
    type: str
    ip_address: str | None
    severity: float


@strawberry.type
class RelatedFindingGroupDetail:
    id: str
    title: str
    severity: Severity


@strawberry.type
class NewApiCallDetail:
    service: str
    api_name: str
    is_new_for_entire_account: bool
    target: str | None


@strawberry.type(description="Robust z-score of the scope's peak hour vs the baseline hours.")
class VolumeDeviationDetail:
    measure: str
    api_name: str | None
    scope_peak: float
    scope_total: float
    baseline_median: float
    baseline_mad: float
    z_score: float
    top_remote: str | None


@strawberry.type
class RareApiForAccountDetail:
    service: str
    api_name: str
    principal_count: int
    account_principal_count: int
    prevalence: float


@strawberry.type
class NewRemoteEndpointDetail:
    ip_address: str
    port: int
    connection_count: int
    bytes_out: float
    is_new_for_entire_account: bool


@strawberry.type(description="RITA-style periodicity sub-scores, each 0..1.")
class BeaconingDetail:
    subject: str
    remote: str
    connection_count: int
    score: float
    timestamp_score: float
    data_size_score: float
    histogram_score: float
    duration_score: float
    established: bool


_DETAIL_TYPES: dict[type[Any], type[Any]] = {
    m.TtpObserved: TtpObservedDetail,
    m.ImpossibleTravel: ImpossibleTravelDetail,
    m.FlaggedIpAddress: FlaggedIpAddressDetail,
    m.NewGeolocation: NewGeolocationDetail,
    m.NewAso: NewAsoDetail,
    m.NewUserAgent: NewUserAgentDetail,
    m.RelatedFinding: RelatedFindingDetail,
    m.RelatedFindingGroup: RelatedFindingGroupDetail,
    m.NewApiCall: NewApiCallDetail,
    m.VolumeDeviation: VolumeDeviationDetail,
    m.RareApiForAccount: RareApiForAccountDetail,
    m.NewRemoteEndpoint: NewRemoteEndpointDetail,
    m.Beaconing: BeaconingDetail,
}

IndicatorDetail = Annotated[
    TtpObservedDetail
    | ImpossibleTravelDetail
    | FlaggedIpAddressDetail
    | NewGeolocationDetail
    | NewAsoDetail
    | NewUserAgentDetail
    | RelatedFindingDetail
    | RelatedFindingGroupDetail
    | NewApiCallDetail
    | VolumeDeviationDetail
    | RareApiForAccountDetail
    | NewRemoteEndpointDetail
    | BeaconingDetail,
    strawberry.union("IndicatorDetail"),
]


def _detail(d: m.IndicatorDetail) -> Any:
    cls = _DETAIL_TYPES[type(d)]
    return cls(**{name: getattr(d, name) for name in cls.__annotations__})


@strawberry.type(description="Why an indicator fired: the numbers, the window, the reproduction.")
class Evidence:
    measure: str
    scope_count: float
    baseline_count: float
    baseline_rate: float = strawberry.field(description="Baseline count per hour.")
    scope_start: datetime
    scope_end: datetime
    baseline_start: datetime
    baseline_end: datetime
    index: str = strawberry.field(description="Where to run `query`.")
    query: JSON = strawberry.field(description="The Elasticsearch request body behind the numbers.")
    document_ids: list[str]
    extra: JSON

    @classmethod
    def from_domain(cls, e: m.Evidence) -> Evidence:
        w = e.window
        return cls(
            measure=e.measure,
            scope_count=e.scope_count,
            baseline_count=e.baseline_count,
            baseline_rate=e.baseline_rate,
            scope_start=w.scope_start,
            scope_end=w.scope_end,
            baseline_start=w.baseline_start,
            baseline_end=w.baseline_end,
            index=e.index,
            query=cast(JSON, dict(e.query)),
            document_ids=list(e.document_ids),
            extra=cast(JSON, dict(e.extra)),
        )


@strawberry.type(description="One indicator of compromise with its risk (0-100) and evidence.")
class Indicator:
    type: IndicatorType
    entity_key: str
    risk: float
    summary: str
    detail: IndicatorDetail
    evidence: Evidence

    @classmethod
    def from_domain(cls, i: m.Indicator) -> Indicator:
        return cls(
            type=i.type,
            entity_key=i.entity.key,
            risk=i.risk,
            summary=i.summary,
            detail=_detail(i.detail),
            evidence=Evidence.from_domain(i.evidence),
        )


@strawberry.type(description="One term of the zeta sum: risk / rank^1.5 / 2.5924 = points.")
class Contribution:
    rank: int
    weight: float
    points: float
    indicator: Indicator


@strawberry.type(description="An entity's anomaly score 0-100, severity, and top factors.")
class AnomalyScore:
    entity_key: str
    score: float
    severity: Severity
    method: str
    scope_start: datetime
    scope_end: datetime
    baseline_start: datetime
    baseline_end: datetime
    indicator_list: strawberry.Private[tuple[m.Indicator, ...]]
    contribution_list: strawberry.Private[tuple[m.Contribution, ...]]

    @described("The indicators, optionally of some types only.")
    def indicators(self, types: list[IndicatorType] | None = None) -> list[Indicator]:
        wanted = set(types or [])
        return [
            Indicator.from_domain(i) for i in self.indicator_list if not wanted or i.type in wanted
        ]

    @described("The largest contributions first (Elastic shows 10).")
    def top_factors(self, first: int = 10) -> list[Contribution]:
        return [
            Contribution(
                rank=c.rank,
                weight=c.weight,
                points=c.points,
                indicator=Indicator.from_domain(c.indicator),
            )
            for c in self.contribution_list[: max(0, min(first, 100))]
        ]

    @classmethod
    def from_domain(cls, s: m.AnomalyScore) -> AnomalyScore:
        w = s.window
        return cls(
            entity_key=s.entity.key,
            score=s.score,
            severity=s.severity,
            method=s.method,
            scope_start=w.scope_start,
            scope_end=w.scope_end,
            baseline_start=w.baseline_start,
            baseline_end=w.baseline_end,
            indicator_list=s.indicators,
            contribution_list=s.contributions,
        )
