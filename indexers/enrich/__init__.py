"""Ingest-time enrichment: user-agent parsing and optional GeoIP/ASN lookups."""

from __future__ import annotations

from indexers.enrich.enricher import Enricher

__all__ = ["Enricher"]
