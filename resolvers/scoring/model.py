"""Domain values of the scoring layer: windows, evidence, indicators, scores.

Indicator detail classes use Amazon Detective's field names (``ListIndicators``
``IndicatorDetail``) for the eight Detective types so Detective-shaped consumers
keep working; our own types follow the same style.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from trailhound.ecs.entities import EntityRef


class IndicatorType(StrEnum):
    """Every indicator Trailhound computes (Detective's eight first)."""

    TTP_OBSERVED = "TTP_OBSERVED"
    IMPOSSIBLE_TRAVEL = "IMPOSSIBLE_TRAVEL"
    FLAGGED_IP_ADDRESS = "FLAGGED_IP_ADDRESS"
    NEW_GEOLOCATION = "NEW_GEOLOCATION"
    NEW_ASO = "NEW_ASO"
    NEW_USER_AGENT = "NEW_USER_AGENT"
    RELATED_FINDING = "RELATED_FINDING"
    RELATED_FINDING_GROUP = "RELATED_FINDING_GROUP"
    NEW_API_CALL = "NEW_API_CALL"
    INCREASED_VOLUME = "INCREASED_VOLUME"
    FAILED_CALL_SPIKE = "FAILED_CALL_SPIKE"
    RARE_API_FOR_ACCOUNT = "RARE_API_FOR_ACCOUNT"
    NEW_REMOTE_ENDPOINT = "NEW_REMOTE_ENDPOINT"
    BEACONING = "BEACONING"
    DATA_EXFILTRATION_VOLUME = "DATA_EXFILTRATION_VOLUME"


class Severity(StrEnum):
    """Detective's severity scale, lowest first."""

    INFORMATIONAL = "INFORMATIONAL"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"

    @property
    def rank(self) -> int:
        """0 (INFORMATIONAL) .. 4 (CRITICAL), for max() and sorting."""
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """A scope and the baseline it is compared with (both half-open, UTC)."""

    scope_start: datetime
    scope_end: datetime
    baseline_start: datetime
    baseline_end: datetime

    @classmethod
    def before(cls, scope_start: datetime, scope_end: datetime, baseline_days: int) -> Window:
        """The usual shape: the baseline is the ``baseline_days`` right before the scope."""
        return cls(
            scope_start=scope_start,
            scope_end=scope_end,
            baseline_start=scope_start - timedelta(days=baseline_days),
            baseline_end=scope_start,
        )

    @property
    def scope_hours(self) -> float:
        """Length of the scope in hours."""
        return (self.scope_end - self.scope_start).total_seconds() / 3600

    @property
    def baseline_hours(self) -> float:
        """Length of the baseline in hours."""
        return (self.baseline_end - self.baseline_start).total_seconds() / 3600


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """Why an indicator fired, in numbers, and how to reproduce it.

    ``scope_count`` and ``baseline_count`` count the same measure (``measure``
    says what) in the scope and in the baseline; ``baseline_rate`` is the
    baseline's count per hour.  ``query`` is the Elasticsearch request body that
    produced the numbers (run it on ``index``), ``document_ids`` a few matching
    documents.
    """

    measure: str
    scope_count: float
    baseline_count: float
    baseline_rate: float
    window: Window
    index: str
    query: Mapping[str, Any]
    document_ids: tuple[str, ...] = ()
    extra: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class TtpObserved:
    """A call mapped to a MITRE ATT&CK technique (Detective ``TTPDetail``)."""

    tactic: str
    technique: str
    procedure: str
    ip_address: str | None
    api_name: str
    api_success_count: int
    api_failure_count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ImpossibleTravel:
    """Two consecutive uses too far apart for the time between them."""

    starting_ip_address: str
    ending_ip_address: str
    starting_location: str
    ending_location: str
    hourly_time_delta: int
    distance_km: float
    speed_kmh: float


@dataclass(frozen=True, slots=True, kw_only=True)
class FlaggedIpAddress:
    """An IP listed by a configured threat-intel feed; ``reason`` names the feed."""

    ip_address: str
    reason: str
    matched: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NewGeolocation:
    """A location used in scope but not in the baseline."""

    location: str
    ip_address: str | None
    is_new_for_entire_account: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class NewAso:
    """An autonomous system organization used in scope but not in the baseline."""

    aso: str
    is_new_for_entire_account: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class NewUserAgent:
    """A user agent used in scope but not in the baseline."""

    user_agent: str
    is_new_for_entire_account: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedFinding:
    """A GuardDuty/Security Hub finding that involves the entity."""

    arn: str
    type: str
    ip_address: str | None
    severity: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedFindingGroup:
    """A finding group the entity belongs to."""

    id: str
    title: str
    severity: Severity


@dataclass(frozen=True, slots=True, kw_only=True)
class NewApiCall:
    """An API the entity called in scope but never in the baseline."""

    service: str
    api_name: str
    is_new_for_entire_account: bool
    target: str | None = None  # for AssumeRole*: the role assumed for the first time


@dataclass(frozen=True, slots=True, kw_only=True)
class VolumeDeviation:
    """A robust z-score of the scope's peak hour against the baseline's hours.

    Used by INCREASED_VOLUME (``api_name`` None = all calls), FAILED_CALL_SPIKE
    and DATA_EXFILTRATION_VOLUME (``measure`` says bytes or GetObject calls).
    """

    measure: str
    api_name: str | None
    scope_peak: float
    scope_total: float
    baseline_median: float
    baseline_mad: float
    z_score: float
    top_remote: str | None = None  # exfiltration: the peer that received the most bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class RareApiForAccount:
    """An API few principals of the account ever call."""

    service: str
    api_name: str
    principal_count: int
    account_principal_count: int
    prevalence: float


@dataclass(frozen=True, slots=True, kw_only=True)
class NewRemoteEndpoint:
    """An instance talking to an IP:port it never talked to in the baseline."""

    ip_address: str
    port: int
    connection_count: int
    bytes_out: int
    is_new_for_entire_account: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Beaconing:
    """A RITA-style periodicity score on a flow pair or an access key's API cadence."""

    subject: str
    remote: str
    connection_count: int
    score: float
    timestamp_score: float
    data_size_score: float
    histogram_score: float
    duration_score: float
    established: bool


IndicatorDetail = (
    TtpObserved
    | ImpossibleTravel
    | FlaggedIpAddress
    | NewGeolocation
    | NewAso
    | NewUserAgent
    | RelatedFinding
    | RelatedFindingGroup
    | NewApiCall
    | VolumeDeviation
    | RareApiForAccount
    | NewRemoteEndpoint
    | Beaconing
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    """One indicator of compromise on one entity, with its risk and evidence."""

    type: IndicatorType
    entity: EntityRef
    detail: IndicatorDetail
    risk: float
    summary: str
    evidence: Evidence


@dataclass(frozen=True, slots=True, kw_only=True)
class Contribution:
    """One term of the combined score: an indicator's risk and its decayed weight."""

    indicator: Indicator
    rank: int
    weight: float
    points: float


@dataclass(frozen=True, slots=True, kw_only=True)
class AnomalyScore:
    """An entity's combined score, its severity and what produced it."""

    entity: EntityRef
    window: Window
    score: float
    severity: Severity
    indicators: tuple[Indicator, ...]
    contributions: tuple[Contribution, ...]
    method: str
