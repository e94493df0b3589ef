"""Bad input is dead-lettered with its origin and reason; the good records are still indexed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from elasticsearch import Elasticsearch

from indexers.pipeline import ingest_paths
from trailhound.config import Settings
from trailhound.ecs.indices import dataset_pattern, dead_letter_index

DATA = Path(__file__).resolve().parents[2] / "data"
DAY = DATA / "cloudtrail/AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10"


def _good() -> list[dict[str, object]]:
    return json.loads(
        (DATA / "cloudtrail/misc/aws.persistence.iam-create-admin-user.json").read_text()
    )


def _dead_letters(es: Elasticsearch, namespace: str) -> list[dict[str, object]]:
    hits = es.search(index=dead_letter_index(namespace), size=100, sort=[{"origin.line": "asc"}])
    return [h["_source"] for h in hits["hits"]["hits"]]


def test_bad_json_lines_are_dead_lettered_with_origin(
    es: Elasticsearch, settings: Settings, fresh_namespace: str, tmp_path: Path
) -> None:
    good = _good()
    bad_time = dict(good[0], eventID="bad-time", eventTime="yesterday-ish")
    absurd = dict(good[0], eventID="absurd", eventTime="1970-01-01T00:00:00Z")
    wrong_type = dict(good[0], eventID="wrong-type", userIdentity="arn:aws:iam::1:user/x")
    missing = {k: v for k, v in good[0].items() if k != "eventName"}
    too_long_id = dict(good[0], eventID="x" * 600)  # Elasticsearch refuses ids > 512 bytes
    lines = [
        json.dumps(good[0]),
        json.dumps(bad_time),
        '{"eventVersion": "1.08", "eventName": ',
        json.dumps(good[1]),
        json.dumps(absurd),
        json.dumps(wrong_type),
        json.dumps(missing),
        json.dumps(too_long_id),
        json.dumps(good[2]),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    report = ingest_paths([str(path)], settings, namespace=fresh_namespace)
    counts = report.sources["cloudtrail"]
    assert counts.as_dict() == {
        "read": 9,
        "indexed": 3,
        "duplicate": 0,
        "skipped": 0,
        "dead_lettered": 6,
        "failed": 0,
    }
    assert report.balanced
    assert not report.ok
    assert es.count(index=dataset_pattern("aws.cloudtrail", fresh_namespace))["count"] == 3
    dead = _dead_letters(es, fresh_namespace)
    assert [(d["origin"]["line"], d["origin"]["record"], d["error_type"]) for d in dead] == [
        (2, 1, "parse"),
        (3, 2, "framing"),
        (5, 4, "parse"),
        (6, 5, "parse"),
        (7, 6, "parse"),
        (8, 7, "index"),
    ]
    reasons = [str(d["reason"]) for d in dead]
    assert "not an ISO 8601 timestamp" in reasons[0]
    assert reasons[1].startswith("invalid JSON")
    assert "absurd timestamp" in reasons[2]
    assert "expected an object" in reasons[3]
    assert reasons[4] == "required field missing (field eventName)"
    assert "512-byte limit" in reasons[5]
    assert all(d["origin"]["file"] == str(path) for d in dead)
    assert all(d["source"] == "cloudtrail" for d in dead)
    assert '"eventID": "bad-time"' in str(dead[0]["raw"])
    # Offsets point at the start of each bad line.
    text = path.read_bytes()
    assert all(
        text[int(d["origin"]["offset"]) :].startswith(lines[int(d["origin"]["line"]) - 1].encode())
        for d in dead
        if d["error_type"] != "index"
    )
    # Re-ingesting the same bad file does not multiply dead letters.
    again = ingest_paths([str(path)], settings, namespace=fresh_namespace)
    assert again.sources["cloudtrail"].duplicate == 3
    es.indices.refresh(index=dead_letter_index(fresh_namespace))
    assert es.count(index=dead_letter_index(fresh_namespace))["count"] == 6


def test_truncated_gzip_keeps_the_complete_records(
    es: Elasticsearch, settings: Settings, fresh_namespace: str, tmp_path: Path
) -> None:
    source = DAY / "218007301253_CloudTrail_us-east-1_20230710T1200Z_iLj9fb7yyUG9X4Bf.json.gz"
    records = json.loads(gzip.decompress(source.read_bytes()))["Records"]
    blob = gzip.compress(json.dumps({"Records": records}).encode())
    path = tmp_path / "truncated.json.gz"
    path.write_bytes(blob[: len(blob) // 2])
    report = ingest_paths([str(path)], settings, namespace=fresh_namespace)
    counts = report.sources["cloudtrail"]
    assert report.balanced
    assert 0 < counts.indexed < len(records)
    assert counts.dead_lettered == 2  # the cut record and the decompression error
    dead = _dead_letters(es, fresh_namespace)
    assert {d["error_type"] for d in dead} == {"framing", "decompression"}
    assert all(d["origin"]["file"] == str(path) for d in dead)
    indexed = es.search(
        index=dataset_pattern("aws.cloudtrail", fresh_namespace), size=1000, source=["event.id"]
    )
    ids = {h["_source"]["event"]["id"] for h in indexed["hits"]["hits"]}
    assert ids == {r["eventID"] for r in records[: counts.indexed]}


def test_bad_flow_lines(
    es: Elasticsearch, settings: Settings, fresh_namespace: str, tmp_path: Path
) -> None:
    lines = (DATA / "vpcflow/awsdocs-v2-default.log").read_text().splitlines()
    path = tmp_path / "flows.log"
    path.write_text(
        "\n".join(
            [
                lines[0],
                "2 123456789010 eni-1 10.0.0.1 10.0.0.2 22",  # too few fields
                lines[0].replace(" 20641 ", " port ", 1),  # not an integer
                lines[0].replace("172.31.16.139", "999.1.1.1"),  # not an IP
                lines[2],  # NODATA
            ]
        )
        + "\n"
    )
    report = ingest_paths([str(path)], settings, namespace=fresh_namespace)
    assert report.sources["vpcflow"].as_dict() == {
        "read": 5,
        "indexed": 1,
        "duplicate": 0,
        "skipped": 1,
        "dead_lettered": 3,
        "failed": 0,
    }
    reasons = [d["reason"] for d in _dead_letters(es, fresh_namespace)]
    assert reasons == [
        "expected 14 fields, got 6",
        "not an integer: 'port' (field srcport)",
        "not an IP address: '999.1.1.1' (field srcaddr)",
    ]


def test_item_rejected_by_the_mapping_is_dead_lettered_with_es_reason(
    es: Elasticsearch, settings: Settings, fresh_namespace: str, tmp_path: Path
) -> None:
    records = json.loads(
        (
            DATA / "cloudtrail/misc/aws.credential-access.ec2-steal-instance-credentials.json"
        ).read_text()
    )
    bad = next(i for i, r in enumerate(records) if r["userIdentity"].get("sessionContext"))
    records[bad]["userIdentity"]["sessionContext"]["attributes"]["creationDate"] = "not-a-date"
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps({"Records": records}))
    report = ingest_paths([str(path)], settings, namespace=fresh_namespace)
    counts = report.sources["cloudtrail"]
    assert (counts.indexed, counts.dead_lettered) == (len(records) - 1, 1)
    assert report.bulk_retries == 0  # a rejected item is dead-lettered, not retried
    (dead,) = _dead_letters(es, fresh_namespace)
    assert dead["error_type"] == "index"
    assert dead["origin"]["record"] == bad
    assert "document_parsing_exception" in str(dead["reason"]) or "mapper_parsing" in str(
        dead["reason"]
    )
    assert "creation_date" in str(dead["reason"])
    assert "not-a-date" in str(dead["raw"])
