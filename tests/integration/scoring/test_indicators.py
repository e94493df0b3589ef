"""Every indicator on the hand-built corpus (corpus.py), with exact numbers and evidence."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.scoring.engine import ScoringEngine
from resolvers.scoring.model import (
    Beaconing,
    FlaggedIpAddress,
    ImpossibleTravel,
    Indicator,
    IndicatorType,
    NewApiCall,
    NewAso,
    NewGeolocation,
    NewRemoteEndpoint,
    NewUserAgent,
    RareApiForAccount,
    RelatedFinding,
    Severity,
    TtpObserved,
    VolumeDeviation,
)
from tests.integration.scoring.corpus import ALICE, INSTANCE, SESSION, WINDOW
from trailhound.ecs.entities import EntityRef

pytestmark = pytest.mark.es

T = IndicatorType


async def _of(engine: ScoringEngine, key: str, kind: IndicatorType) -> list[Indicator]:
    found = await engine.indicators(EntityRef.parse(key), WINDOW, {kind})
    assert {i.type for i in found} <= {kind}
    return sorted(found, key=lambda i: i.summary)


async def _reproduce(engine: ScoringEngine, ind: Indicator) -> dict[str, Any]:
    """The evidence query runs as-is on the evidence index."""
    resp = await engine.repo.search(ind.evidence.query)
    assert ind.evidence.index == engine.repo.index
    return dict(resp)


async def test_ttp_observed(engine: ScoringEngine) -> None:
    found = await _of(engine, ALICE, T.TTP_OBSERVED)
    details = {
        i.detail.api_name: (i.detail, i.risk) for i in found if isinstance(i.detail, TtpObserved)
    }
    assert set(details) == {
        "AttachUserPolicy",
        "CreateAccessKey",
        "GetCallerIdentity",
        "ListBuckets",
        "ListUsers",
    }
    attach, risk = details["AttachUserPolicy"]
    assert (attach.tactic, attach.technique, attach.procedure) == (
        "Privilege Escalation",
        "T1098.003 Account Manipulation: Additional Cloud Roles",
        "iam.amazonaws.com:AttachUserPolicy",
    )
    assert (attach.ip_address, attach.api_success_count, attach.api_failure_count, risk) == (
        "203.0.113.50",
        0,
        1,
        60.0,
    )
    # a call the user makes every day is discounted to a quarter
    assert details["GetCallerIdentity"][1] == 2.5
    listing = next(i for i in found if i.detail.api_name == "ListUsers")  # type: ignore[union-attr]
    assert (listing.evidence.scope_count, listing.evidence.baseline_count) == (30, 0)
    assert len(listing.evidence.document_ids) == 3
    resp = await _reproduce(engine, listing)
    assert len(resp["aggregations"]["api"]["buckets"]) == 5


async def test_impossible_travel(engine: ScoringEngine) -> None:
    (ind,) = await _of(engine, ALICE, T.IMPOSSIBLE_TRAVEL)
    d = ind.detail
    assert isinstance(d, ImpossibleTravel)
    assert (d.starting_ip_address, d.ending_ip_address) == ("198.51.100.10", "203.0.113.50")
    assert (d.starting_location, d.ending_location) == ("Berlin, DE", "New York, US")
    # 09:10 in Berlin, 10:00 in New York: 6385 km in 50 minutes
    assert (d.distance_km, d.hourly_time_delta, d.speed_kmh) == (
        6385.0,
        0,
        pytest.approx(7662.0, abs=0.1),
    )
    assert ind.evidence.baseline_count == 900.0
    assert "s0" in ind.evidence.document_ids


async def test_flagged_ip_address_names_the_feed(engine: ScoringEngine) -> None:
    (ind,) = await _of(engine, ALICE, T.FLAGGED_IP_ADDRESS)
    assert ind.detail == FlaggedIpAddress(
        ip_address="203.0.113.50", reason="example-abuse", matched="203.0.113.0/24"
    )
    assert (ind.risk, ind.evidence.scope_count) == (80.0, 33)
    (flow,) = await _of(engine, INSTANCE, T.FLAGGED_IP_ADDRESS)
    assert flow.detail == FlaggedIpAddress(
        ip_address="185.220.101.7", reason="example-abuse", matched="185.220.101.7/32"
    )
    assert flow.evidence.scope_count == 144


async def test_new_geolocation_aso_and_user_agent(engine: ScoringEngine) -> None:
    (geo,) = await _of(engine, ALICE, T.NEW_GEOLOCATION)
    assert geo.detail == NewGeolocation(
        location="New York, US", ip_address="203.0.113.50", is_new_for_entire_account=True
    )
    assert (geo.risk, geo.evidence.scope_count, geo.evidence.baseline_count) == (40.0, 33, 0)
    (aso,) = await _of(engine, ALICE, T.NEW_ASO)
    assert aso.detail == NewAso(aso="ExampleHosting", is_new_for_entire_account=True)
    (ua,) = await _of(engine, ALICE, T.NEW_USER_AGENT)
    assert ua.detail == NewUserAgent(
        user_agent="python-requests/2.31.0", is_new_for_entire_account=True
    )
    assert ua.risk == 20.0
    # the session is compared with its role, whose older session used the same agent
    assert await _of(engine, SESSION, T.NEW_USER_AGENT) == []


async def test_new_api_call_uses_the_role_as_a_sessions_baseline(engine: ScoringEngine) -> None:
    found = await _of(engine, ALICE, T.NEW_API_CALL)
    assert [i.detail for i in found] == [
        NewApiCall(service="iam.amazonaws.com", api_name=a, is_new_for_entire_account=True)
        for a in ("AttachUserPolicy", "CreateAccessKey", "ListUsers")
    ]
    (session,) = await _of(engine, SESSION, T.NEW_API_CALL)
    assert session.detail == NewApiCall(
        service="s3.amazonaws.com", api_name="PutBucketPolicy", is_new_for_entire_account=True
    )
    assert session.evidence.document_ids == ("r11",)


async def test_related_finding(engine: ScoringEngine) -> None:
    (ind,) = await _of(engine, ALICE, T.RELATED_FINDING)
    assert ind.detail == RelatedFinding(
        arn="arn:aws:guardduty:us-east-1:111122223333:detector/d/finding/gd-1",
        type="UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom",
        ip_address="203.0.113.50",
        severity=7.3,
    )
    assert (ind.risk, ind.evidence.document_ids) == (73.0, ("f1",))


async def test_increased_volume_and_failed_call_spike(engine: ScoringEngine) -> None:
    (vol,) = await _of(engine, ALICE, T.INCREASED_VOLUME)
    d = vol.detail
    assert isinstance(d, VolumeDeviation)
    # baseline: 9 days x 3 calls, from the first call (05-01 09:00) = 207 hours, median 0;
    # mean AD 27/207 x 1.2533 < 1, so the spread is the floor of 1 call
    assert (d.scope_peak, d.scope_total, d.baseline_median, d.z_score) == (33.0, 34.0, 0.0, 33.0)
    assert (vol.evidence.scope_count, vol.evidence.baseline_count, vol.risk) == (34.0, 27.0, 50.0)
    assert vol.evidence.baseline_rate == round(27 / (9 * 24), 6)
    resp = await _reproduce(engine, vol)
    assert len(resp["aggregations"]["scope"]["h"]["buckets"]) == 10 * 24
    (failed,) = await _of(engine, ALICE, T.FAILED_CALL_SPIKE)
    assert isinstance(failed.detail, VolumeDeviation)
    assert (failed.detail.scope_peak, failed.detail.z_score, failed.risk) == (31.0, 31.0, 55.0)


async def test_rare_api_for_account(engine: ScoringEngine) -> None:
    found = await _of(engine, ALICE, T.RARE_API_FOR_ACCOUNT)
    # GetCallerIdentity is rare in the account but a habit of alice: not reported
    assert [i.detail for i in found] == [
        RareApiForAccount(
            service="iam.amazonaws.com",
            api_name=a,
            principal_count=1,
            account_principal_count=13,
            prevalence=round(1 / 13, 4),
        )
        for a in ("AttachUserPolicy", "CreateAccessKey", "ListUsers")
    ]


async def test_new_remote_endpoint(engine: ScoringEngine) -> None:
    found = await _of(engine, INSTANCE, T.NEW_REMOTE_ENDPOINT)
    assert [i.detail for i in found] == [
        NewRemoteEndpoint(
            ip_address="185.220.101.7", port=8443, connection_count=144, bytes_out=57_600
        ),
        NewRemoteEndpoint(
            ip_address="185.220.101.8", port=443, connection_count=5, bytes_out=250_000_000
        ),
    ]


async def test_beaconing(engine: ScoringEngine) -> None:
    found = await _of(engine, INSTANCE, T.BEACONING)
    by_remote = {i.detail.remote: i for i in found if isinstance(i.detail, Beaconing)}
    c2 = by_remote["185.220.101.7"]
    assert isinstance(c2.detail, Beaconing)
    assert (c2.detail.connection_count, c2.detail.score, c2.detail.established, c2.risk) == (
        144,
        1.0,
        False,
        75.0,
    )
    # the hourly call to an endpoint known from the baseline is only informational
    known = by_remote["52.94.1.1"]
    assert isinstance(known.detail, Beaconing)
    assert (known.detail.established, known.risk, known.evidence.baseline_count) == (
        True,
        10.0,
        216,
    )


async def test_data_exfiltration_volume(engine: ScoringEngine) -> None:
    (ind,) = await _of(engine, INSTANCE, T.DATA_EXFILTRATION_VOLUME)
    d = ind.detail
    assert isinstance(d, VolumeDeviation)
    # peak hour 14:00: five 50 MB flows + the beacon's 6 x 400 B + the hourly 5000 B
    assert (d.scope_peak, d.baseline_median) == (250_007_400.0, 5000.0)
    assert d.top_remote == "185.220.101.8"
    assert d.z_score == round((250_007_400 - 5000) / 1e6, 3)
    assert (ind.evidence.baseline_count, ind.risk) == (216 * 5000.0, 75.0)


async def test_combined_scores_and_contributions(engine: ScoringEngine) -> None:
    alice = await engine.score(EntityRef.parse(ALICE), WINDOW)
    assert alice.severity is Severity.CRITICAL
    top = [c.indicator.type for c in alice.contributions[:3]]
    assert top == [T.FLAGGED_IP_ADDRESS, T.RELATED_FINDING, T.IMPOSSIBLE_TRAVEL]
    assert sum(c.points for c in alice.contributions) == pytest.approx(alice.score, abs=0.02)
    bob = await engine.score(
        EntityRef.parse("aws_user:arn:aws:iam::111122223333:user/bob3"), WINDOW
    )
    assert (bob.score, bob.severity, bob.indicators) == (0.0, Severity.INFORMATIONAL, ())
    session = await engine.score(EntityRef.parse(SESSION), WINDOW)
    assert session.severity is Severity.MEDIUM
