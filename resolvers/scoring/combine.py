"""Combine indicator risks into one 0-100 entity score and a severity.

Method (Elastic's entity risk score, peers.md §6): sort the indicator risks
(each 0-100) in descending order and sum ``risk_i / i**1.5``, a Riemann-zeta
series with s = 1.5, so each further indicator adds less; divide by Elastic's
normaliser 2.5924 (the sum of ``1 / i**1.5`` over 10,000 terms) so the score
stays in 0-100.  One indicator of risk 100 alone gives 38.6; reaching HIGH
takes either several strong indicators or one strong one with corroboration,
and any number of weak "new behaviour" indicators stays below HIGH because the
series converges (twenty risk-20 indicators score 16.75).

Severity bands on the score (ours, chosen for that normaliser and checked in
bench/detection_eval): INFORMATIONAL < 8 <= LOW < 20 <= MEDIUM < 40 <= HIGH <
55 <= CRITICAL.  HIGH starts at 40 so that one never-before-seen but routine
admin burst (an ops user creating a colleague: CreateUser, AddUserToGroup,
CreateAccessKey, about 37) stays MEDIUM, while every attacked entity of the
bundled scenarios (48 and above) is HIGH; one risk-100 indicator alone (38.6)
is not HIGH without corroboration.
"""

from __future__ import annotations

from collections.abc import Sequence

from resolvers.scoring.model import Contribution, Indicator, Severity

ZETA_EXPONENT = 1.5
ZETA_NORMALISER = 2.5924
SEVERITY_BANDS: tuple[tuple[float, Severity], ...] = (
    (55.0, Severity.CRITICAL),
    (40.0, Severity.HIGH),
    (20.0, Severity.MEDIUM),
    (8.0, Severity.LOW),
)
METHOD = (
    "zeta-sum: score = sum(risk_i / i^1.5 over risks sorted descending) / 2.5924; "
    "severity bands LOW>=8 MEDIUM>=20 HIGH>=40 CRITICAL>=55"
)


def severity_for(score: float) -> Severity:
    """Map a 0-100 score to a severity band.

    >>> severity_for(40.0), severity_for(39.99)
    (<Severity.HIGH: 'HIGH'>, <Severity.MEDIUM: 'MEDIUM'>)
    """
    for floor, severity in SEVERITY_BANDS:
        if score >= floor:
            return severity
    return Severity.INFORMATIONAL


def zeta_score(risks: Sequence[float]) -> float:
    """The combined score of a bag of risks, rounded to 2 decimals.

    >>> zeta_score([100.0])
    38.57
    >>> zeta_score([80.0, 60.0, 40.0])
    42.01
    """
    ordered = sorted((min(100.0, max(0.0, r)) for r in risks), reverse=True)
    total = sum(r / (i**ZETA_EXPONENT) for i, r in enumerate(ordered, start=1))
    return round(min(100.0, float(total) / ZETA_NORMALISER), 2)


def combine(indicators: Sequence[Indicator]) -> tuple[float, Severity, tuple[Contribution, ...]]:
    """Score, severity and the contributions (largest first) of a set of indicators."""
    ordered = sorted(indicators, key=lambda ind: (-ind.risk, ind.type.value, ind.summary))
    contributions = tuple(
        Contribution(
            indicator=ind,
            rank=i,
            weight=round(1 / i**ZETA_EXPONENT, 6),
            points=round(min(100.0, max(0.0, ind.risk)) / i**ZETA_EXPONENT / ZETA_NORMALISER, 4),
        )
        for i, ind in enumerate(ordered, start=1)
    )
    score = zeta_score([ind.risk for ind in indicators])
    return score, severity_for(score), contributions
