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
