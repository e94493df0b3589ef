from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from resolvers.scoring.travel import (
    Sighting,
    find_travels,
    haversine_km,
    is_commercial_vpn,
    is_infrastructure,
)

T0 = datetime(2024, 5, 1, 9, tzinfo=UTC)
BERLIN = (52.52, 13.405)
NEW_YORK = (40.7128, -74.006)
POTSDAM = (52.39, 13.06)


def _s(
    minutes: float, ip: str, where: tuple[float, float], asn: int | None = 3320, aso: str = "DTAG"
) -> Sighting:
    return Sighting(T0 + timedelta(minutes=minutes), ip, where[0], where[1], ip, asn, aso)


def test_haversine_exact() -> None:
    assert round(haversine_km(*BERLIN, *NEW_YORK), 1) == 6385.0
    assert haversine_km(*BERLIN, *BERLIN) == 0.0


def test_berlin_to_new_york_in_two_hours_is_impossible() -> None:
    travels = find_travels([_s(0, "a", BERLIN), _s(120, "b", NEW_YORK)], 900.0)
    assert len(travels) == 1
    t = travels[0]
    assert (t.start.ip, t.end.ip, t.distance_km, t.hours) == ("a", "b", 6385.0, 2.0)
    assert t.speed_kmh == pytest.approx(3192.5)


def test_slow_or_short_moves_are_not_flagged() -> None:
    assert find_travels([_s(0, "a", BERLIN), _s(60 * 8, "b", NEW_YORK)], 900.0) == []
    assert find_travels([_s(0, "a", BERLIN), _s(1, "b", POTSDAM)], 900.0) == []  # < 500 km


def test_simultaneous_use_counts_as_one_minute() -> None:
    travels = find_travels([_s(0, "a", BERLIN), _s(0, "b", NEW_YORK)], 900.0)
    assert travels[0].hours == pytest.approx(1 / 60, abs=1e-4)
    assert travels[0].speed_kmh == pytest.approx(6385.0 * 60, rel=1e-3)


def test_cloud_and_vpn_networks_are_ignored() -> None:
    assert is_infrastructure(16509, "AMAZON-02")
    assert not is_infrastructure(None, "M247 Europe SRL")  # commercial VPN: kept
    assert is_commercial_vpn(60068, "Datacamp Limited")
    assert is_infrastructure(64500, "ExampleNet", extra_asns=[64500])
    assert not is_infrastructure(3320, "Deutsche Telekom AG")
    via_aws = [
        _s(0, "a", BERLIN),
        _s(30, "ec2", NEW_YORK, 16509, "AMAZON-02"),
        _s(60, "c", POTSDAM),
    ]
    assert find_travels(via_aws, 900.0) == []
    via_vpn = [_s(0, "a", BERLIN), _s(30, "vpn", NEW_YORK, 9009, "M247")]
    assert [t.end.ip for t in find_travels(via_vpn, 900.0)] == ["vpn"]
    corporate = [_s(0, "a", BERLIN), _s(30, "vpn", NEW_YORK, 64512, "Corp VPN")]
    assert find_travels(corporate, 900.0, extra_exempt_asns=[64512]) == []


def test_only_consecutive_pairs_and_fastest_first() -> None:
    sightings = [_s(0, "a", BERLIN), _s(60, "b", NEW_YORK), _s(90, "a", BERLIN)]
    travels = find_travels(sightings, 900.0)
    assert [(t.start.ip, t.end.ip) for t in travels] == [("b", "a"), ("a", "b")]
    assert travels[0].speed_kmh > travels[1].speed_kmh
