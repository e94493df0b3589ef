"""``ground_truth.json``: the labelled answer of a simulated corpus.

Schema (``schema_version`` 1)::

    {
      "schema_version": 1, "seed": int, "config": {...},
      "window": {"start": iso, "end": iso}, "baseline": {...}, "attack_day": {...},
      "accounts": [{"id", "name", "region", "flow_logs": [{"id", "format"}]}],
      "identifiers": {kind: "how the id is formed"},   # as trailhound/ecs/entities.py keys them
      "totals": {"cloudtrail_events", "cloudtrail_files", "flow_records" (all lines after the
                 header), "flow_records_ok", "flow_nodata", "flow_skipdata", "flow_files",
                 "findings", "finding_files", "records", "bytes_written",
                 "per_account": {acct: {...}}},
      "threat_intel": {"ip_list": path, "stix_bundle": path, "ips": [...]},
      "geoip": {"city": path, "asn": path},
      "scenarios": [{
        "name", "description", "benign", "start", "end",
        "entities": [{"kind", "id", "key", "role"}],      # role: victim|attacker|target|new|finding
        "compromised_entities": [... the victim entries ...],
        "attacker_ips": [...],
        "malicious_event_ids": [...], "event_counts": {eventName: n},
        "flow_tuples": [{"account", "flow_log_id", "interface_id", "instance_id", "srcaddr",
                         "dstaddr", "srcport", "dstport", "protocol", "action", "direction",
                         "start", "end", "bytes", "packets"}],
        "finding_ids": [...], "findings": [{"id", "type", "severity", "resource", "account"}],
        "expected_indicators": [{"indicator", "entity", ...detail}],
        "facts": {...scenario specific: ips, session id, bucket...}
      }]
    }

Paths are relative to the output directory.  Times are ISO-8601 UTC.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trailhound.simulator.scenarios.base import ScenarioTruth
from trailhound.simulator.writers import Totals

SCHEMA_VERSION = 1
IDENTIFIERS = {
    "aws_account": "12-digit account id",
    "aws_user": "IAM user ARN (root: arn:aws:iam::<acct>:root)",
    "aws_role": "role ARN (sessionContext.sessionIssuer.arn)",
    "aws_role_session": "CloudTrail principalId <role unique id AROA...>:<session name>; "
    "instance-profile sessions are named by the instance id",
    "federated_user": "CloudTrail principalId <acct>:<name>",
    "ec2_instance": "i-...",
    "ip_address": "dotted IPv4",
    "s3_bucket": "bucket name",
    "access_key": "AKIA.../ASIA...",
    "finding": "GuardDuty finding id (32 hex)",
    "network_interface": "eni-...",
}


def iso(ts: float) -> str:
    """ISO-8601 UTC with a ``Z``."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def scenario_json(t: ScenarioTruth) -> dict[str, Any]:
    """One scenario's entry."""
    return {
        "name": t.name,
        "description": t.description,
        "benign": t.benign,
        "start": iso(t.start) if t.event_ids or t.flow_tuples else None,
        "end": iso(t.end) if t.event_ids or t.flow_tuples else None,
        "entities": t.entities,
        "compromised_entities": [e for e in t.entities if e["role"] == "victim"],
        "attacker_ips": t.attacker_ips,
        "malicious_event_ids": [] if t.benign else t.event_ids,
        "event_ids": t.event_ids,
        "event_counts": dict(sorted(t.event_names.items())),
        "flow_tuples": t.flow_tuples,
        "finding_ids": t.finding_ids,
        "findings": t.findings,
        "expected_indicators": t.indicators,
        "facts": t.facts,
    }


def totals_json(t: Totals) -> dict[str, Any]:
    """The totals block."""
    d = dataclasses.asdict(t)
    d["records"] = t.records
    return d


def write(path: Path, doc: dict[str, Any]) -> None:
    """Write the document (sorted keys, stable bytes)."""
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")


def readme(doc: dict[str, Any]) -> str:
    """A short guide to the corpus, written next to it."""
    t = doc["totals"]
    lines = [
        "# Trailhound simulated corpus",
        "",
        f"Window {doc['window']['start']} .. {doc['window']['end']} (baseline until "
        f"{doc['baseline']['end']}, attacks on the last day), seed {doc['seed']}.",
        "",
        "* `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`: CloudTrail, "
        f"{t['cloudtrail_events']:,} events in {t['cloudtrail_files']:,} files",
        "* `AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/*.log.gz`: VPC Flow Logs, "
        f"{t['flow_records']:,} records ({t['flow_nodata']:,} NODATA, "
        f"{t['flow_skipdata']:,} SKIPDATA) in {t['flow_files']:,} files",
        "* `AWSLogs/<account>/GuardDuty/<region>/YYYY/MM/DD/*.jsonl.gz`: GuardDuty findings as "
        f"EventBridge events, {t['findings']:,}",
        f"* `{doc['geoip']['city']}`, `{doc['geoip']['asn']}`: GeoIP for every public address",
        f"* `{doc['threat_intel']['ip_list']}`, `{doc['threat_intel']['stix_bundle']}`: "
        "attacker addresses",
        "* `ground_truth.json`: per scenario the entities, event ids, flow tuples, finding ids "
        "and expected indicators (schema: trailhound/simulator/ground_truth.py)",
        "",
        "Ingest with `trailhound ingest AWSLogs`.",
        "",
        "| scenario | kind | start | end |",
        "|---|---|---|---|",
    ]
    for sc in doc["scenarios"]:
        kind = "benign" if sc["benign"] else "attack"
        lines.append(f"| {sc['name']} | {kind} | {sc['start']} | {sc['end']} |")
    return "\n".join(lines) + "\n"
