"""Hourly series of one measure over the baseline and the scope, in one request.

A ``date_histogram`` with 1-hour buckets and ``extended_bounds`` over
``[baseline_start, scope_end)`` (``min_doc_count`` 0, so quiet hours count as
zeros; the baseline starts at its first non-empty hour), either of document
counts or of the sum of a numeric field.  The scope hours come from the
entity's own activity, the baseline hours from its baseline subject, selected
by two ``filter`` sub-aggregations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.queries import Body, Clause, agg_body, any_of, between, filtered, iso
from resolvers.scoring.robust import OUTLIER_Z, median, robust_sigma
from trailhound.ecs import fields as F


@dataclass(frozen=True, slots=True)
class HourlySeries:
    """The baseline hours, the scope hours, and the request."""

    baseline: tuple[float, ...]
    scope: tuple[float, ...]
    query: Body

    @property
    def peak(self) -> float:
        """The largest scope hour."""
        return max(self.scope, default=0.0)

    @property
    def scope_total(self) -> float:
        """Sum over the scope."""
        return float(sum(self.scope))

    @property
    def baseline_total(self) -> float:
        """Sum over the baseline."""
        return float(sum(self.baseline))

    def z(self, floor: float = 1.0) -> float:
        """Robust z of the scope's peak hour against the baseline hours."""
        return round((self.peak - median(self.baseline)) / robust_sigma(self.baseline, floor), 3)

    def spiking(self, min_peak: float, floor: float = 1.0) -> bool:
        """An outlier (z above 3.5) that is also big enough to matter."""
        return self.peak >= min_peak and self.z(floor) >= OUTLIER_Z


def _histogram(ctx: IndicatorContext, sum_field: str | None) -> dict[str, object]:
    w = ctx.window
    hist: dict[str, object] = {
        "date_histogram": {
            "field": F.TIMESTAMP,
            "fixed_interval": "1h",
            "min_doc_count": 0,
            "extended_bounds": {
                "min": iso(w.baseline_start),
                "max": iso(w.scope_end - timedelta(hours=1)),
            },
        }
    }
    if sum_field:
        hist["aggs"] = {"v": {"sum": {"field": sum_field}}}
    return hist


async def hourly(
    ctx: IndicatorContext, *extra: Clause, sum_field: str | None = None
) -> HourlySeries:
    """Counts (or sums of ``sum_field``) per hour for the baseline and the scope."""
    w, s = ctx.window, ctx.subject
    scope_part = filtered(s.scope_filter, between(w.scope_start, w.scope_end))
    base_part = filtered(s.baseline_filter, between(w.baseline_start, w.baseline_end))
    query = agg_body(
        filtered(any_of(scope_part, base_part), *extra),
        {
            "scope": {"filter": scope_part, "aggs": {"h": _histogram(ctx, sum_field)}},
            "baseline": {"filter": base_part, "aggs": {"h": _histogram(ctx, sum_field)}},
        },
    )
    resp = await ctx.repo.search(query)
    aggs = resp.get("aggregations", {})
    start_ms = w.scope_start.timestamp() * 1000

    def values(name: str, in_scope: bool) -> tuple[float, ...]:
        buckets = aggs.get(name, {}).get("h", {}).get("buckets", [])
        return tuple(
            float(b["v"]["value"] if sum_field else b["doc_count"])
            for b in buckets
            if (b["key"] >= start_ms) == in_scope
        )

    baseline = values("baseline", False)
    # Hours before the baseline subject first appears are "no data yet", not quiet hours.
    first = next((i for i, v in enumerate(baseline) if v > 0), len(baseline))
    return HourlySeries(baseline[first:], values("scope", True), query)
