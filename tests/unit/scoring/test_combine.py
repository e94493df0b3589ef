from __future__ import annotations

from datetime import UTC, datetime

import pytest

from resolvers.scoring.combine import combine, severity_for, zeta_score
from resolvers.scoring.model import (
    Evidence,
    Indicator,
    IndicatorType,
    NewUserAgent,
    Severity,
    Window,
)
from trailhound.ecs.entities import EntityRef

WINDOW = Window.before(datetime(2024, 5, 2, tzinfo=UTC), datetime(2024, 5, 3, tzinfo=UTC), 45)


def _indicator(risk: float, name: str) -> Indicator:
    return Indicator(
        type=IndicatorType.NEW_USER_AGENT,
        entity=EntityRef.parse("aws_user:arn:aws:iam::1:user/a"),
        detail=NewUserAgent(user_agent=name, is_new_for_entire_account=False),
        risk=risk,
        summary=name,
        evidence=Evidence(
            measure="calls",
            scope_count=1,
            baseline_count=0,
            baseline_rate=0,
            window=WINDOW,
            index="logs-*",
            query={},
        ),
    )


def test_zeta_sum_exact() -> None:
    assert zeta_score([]) == 0.0
    assert zeta_score([100.0]) == 38.57
    # 80 + 60/2^1.5 + 40/3^1.5 = 108.911 -> / 2.5924
    assert zeta_score([40.0, 80.0, 60.0]) == 42.01
    assert zeta_score([150.0]) == 38.57  # risks are clamped to 100


def test_many_weak_indicators_stay_below_high() -> None:
    assert zeta_score([20.0] * 20) == 16.75
    assert severity_for(zeta_score([30.0] * 50)).rank < Severity.HIGH.rank


def test_severity_bands() -> None:
    assert [severity_for(s) for s in (0, 7.99, 8, 20, 40, 55, 100)] == [
        Severity.INFORMATIONAL,
        Severity.INFORMATIONAL,
        Severity.LOW,
        Severity.MEDIUM,
        Severity.HIGH,
        Severity.CRITICAL,
        Severity.CRITICAL,
    ]


def test_contributions_are_ranked_and_sum_to_score() -> None:
    score, severity, contributions = combine(
        [_indicator(40, "c"), _indicator(80, "a"), _indicator(60, "b")]
    )
    assert (score, severity) == (42.01, Severity.HIGH)
    assert [c.indicator.summary for c in contributions] == ["a", "b", "c"]
    assert [c.rank for c in contributions] == [1, 2, 3]
    assert contributions[1].weight == pytest.approx(2**-1.5, abs=1e-6)
    assert sum(c.points for c in contributions) == pytest.approx(score, abs=0.01)
