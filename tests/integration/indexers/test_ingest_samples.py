"""Ingest real sample files end to end and check counts and field values in Elasticsearch."""

from __future__ import annotations

from pathlib import Path

from elasticsearch import Elasticsearch

from indexers.pipeline import ingest_paths
from trailhound.config import Settings
from trailhound.ecs.indices import dataset_pattern

DATA = Path(__file__).resolve().parents[2] / "data"


def test_cloudtrail_files_index_and_reingest_is_all_duplicate(
    es: Elasticsearch, settings: Settings, fresh_namespace: str
) -> None:
    path = str(DATA / "cloudtrail")
    first = ingest_paths([path], settings, namespace=fresh_namespace)
    assert first.balanced
    counts = first.sources["cloudtrail"]
    assert counts.read > 0
    assert counts.indexed + counts.skipped == counts.read
    indexed = es.count(index=dataset_pattern("aws.cloudtrail", fresh_namespace))["count"]
    assert indexed == counts.indexed
    again = ingest_paths([path], settings, namespace=fresh_namespace)
    assert again.sources["cloudtrail"].duplicate == counts.indexed
    assert again.sources["cloudtrail"].indexed == 0
    assert es.count(index=dataset_pattern("aws.cloudtrail", fresh_namespace))["count"] == indexed
