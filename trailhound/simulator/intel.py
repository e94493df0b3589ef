"""The threat-intel feed of attacker addresses: a plain IP list and a STIX 2.1 bundle."""

from __future__ import annotations

import json
import random
from pathlib import Path

from trailhound.simulator import ids

FEED_NAME = "Trailhound simulated threat intel"


def write_feed(directory: Path, ips: list[str], created: str, seed: int) -> tuple[Path, Path]:
    """Write ``attacker_ips.txt`` and ``attacker_ips.stix.json``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed * 31 + 17)
    plain = directory / "attacker_ips.txt"
    plain.write_text(f"# {FEED_NAME}\n" + "".join(f"{ip}\n" for ip in ips))
    identity = f"identity--{ids.uuid4(rng)}"
    objects: list[dict[str, object]] = [
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": identity,
            "created": created,
            "modified": created,
            "name": FEED_NAME,
            "identity_class": "organization",
        }
    ]
    for ip in ips:
        objects.append(
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": f"indicator--{ids.uuid4(rng)}",
                "created_by_ref": identity,
                "created": created,
                "modified": created,
                "name": f"Malicious IP {ip}",
                "indicator_types": ["malicious-activity"],
                "pattern": f"[ipv4-addr:value = '{ip}']",
                "pattern_type": "stix",
                "valid_from": created,
            }
        )
    bundle = {"type": "bundle", "id": f"bundle--{ids.uuid4(rng)}", "objects": objects}
    stix = directory / "attacker_ips.stix.json"
    stix.write_text(json.dumps(bundle, indent=2) + "\n")
    return plain, stix
