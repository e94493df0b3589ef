"""Indicators to and from stored JSON (investigation documents).

Detail classes are named by the ``detail_type`` key; windows are ISO strings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from resolvers.scoring import model as m
from trailhound.ecs.entities import EntityRef

_DETAILS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        m.TtpObserved,
        m.ImpossibleTravel,
        m.FlaggedIpAddress,
        m.NewGeolocation,
        m.NewAso,
        m.NewUserAgent,
        m.RelatedFinding,
        m.RelatedFindingGroup,
        m.NewApiCall,
        m.VolumeDeviation,
        m.RareApiForAccount,
        m.NewRemoteEndpoint,
        m.Beaconing,
    )
}


def window_to_doc(w: m.Window) -> dict[str, str]:
    """A window as ISO strings."""
    return {f.name: getattr(w, f.name).isoformat() for f in dataclasses.fields(w)}


def window_from_doc(doc: Mapping[str, str]) -> m.Window:
    """Inverse of :func:`window_to_doc`."""
    return m.Window(**{k: datetime.fromisoformat(v) for k, v in doc.items()})


def indicator_to_doc(ind: m.Indicator) -> dict[str, Any]:
    """An indicator as plain JSON."""
    detail = {
        f.name: (v.value if isinstance(v := getattr(ind.detail, f.name), m.Severity) else v)
        for f in dataclasses.fields(ind.detail)
    }
    ev = ind.evidence
    return {
        "type": ind.type.value,
        "entity": ind.entity.key,
        "risk": ind.risk,
        "summary": ind.summary,
        "detail_type": type(ind.detail).__name__,
        "detail": detail,
        "evidence": {
            "measure": ev.measure,
            "scope_count": ev.scope_count,
            "baseline_count": ev.baseline_count,
            "baseline_rate": ev.baseline_rate,
            "window": window_to_doc(ev.window),
            "index": ev.index,
            "query": dict(ev.query),
            "document_ids": list(ev.document_ids),
            "extra": dict(ev.extra),
        },
    }


def indicator_from_doc(doc: Mapping[str, Any]) -> m.Indicator:
    """Inverse of :func:`indicator_to_doc`."""
    cls = _DETAILS[doc["detail_type"]]
    detail = dict(doc["detail"])
    if cls is m.RelatedFindingGroup:
        detail["severity"] = m.Severity(detail["severity"])
    ev = doc["evidence"]
    return m.Indicator(
        type=m.IndicatorType(doc["type"]),
        entity=EntityRef.parse(doc["entity"]),
        detail=cls(**detail),
        risk=float(doc["risk"]),
        summary=str(doc["summary"]),
        evidence=m.Evidence(
            measure=ev["measure"],
            scope_count=ev["scope_count"],
            baseline_count=ev["baseline_count"],
            baseline_rate=ev["baseline_rate"],
            window=window_from_doc(ev["window"]),
            index=ev["index"],
            query=ev["query"],
            document_ids=tuple(ev["document_ids"]),
            extra=ev.get("extra", {}),
        ),
    )
