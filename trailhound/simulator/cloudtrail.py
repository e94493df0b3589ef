"""CloudTrail records: the full builder (scenarios) and fast templates (baseline).

:func:`build_record` lays fields out in the order CloudTrail writes them
(compare ``shared/samples/invictus-aws-dataset``).  The baseline emits millions
of records, so :class:`Template` serializes a record once with placeholders for
the fields that change per call (time, request id, event id) and renders each
event by joining byte slices.
"""

from __future__ import annotations

import random
import time
from typing import Any

import orjson

from trailhound.simulator import ids
from trailhound.simulator.catalog import Call
from trailhound.simulator.identities import Identity

EVENT_VERSION = "1.09"
_T, _R, _E, _I = "@@T@@", "@@R@@", "@@E@@", "@@I@@"


def iso(ts: float) -> str:
    """CloudTrail's time format: ``2026-11-30T13:05:09Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def build_record(
    identity: Identity | str,
    call: Call,
    *,
    event_time: str,
    event_id: str,
    request_id: str,
    region: str,
    recipient: str,
    source_ip: str,
    user_agent: str,
    error: tuple[str, str] | None = None,
    vpc_endpoint: str | None = None,
    event_type: str = "AwsApiCall",
    shared_event_id: str | None = None,
) -> dict[str, Any]:
    """One CloudTrail record (the dict that goes into ``Records``)."""
    rec: dict[str, Any] = {
        "eventVersion": EVENT_VERSION,
        "userIdentity": identity,
        "eventTime": event_time,
        "eventSource": call.event_source,
        "eventName": call.event_name,
        "awsRegion": "us-east-1" if call.global_service else region,
        "sourceIPAddress": source_ip,
        "userAgent": user_agent,
    }
    if error is not None:
        rec["errorCode"], rec["errorMessage"] = error
    rec["requestParameters"] = call.request
    rec["responseElements"] = None if error is not None else call.response
    if call.additional is not None:
        rec["additionalEventData"] = call.additional
    rec["requestID"] = request_id
    rec["eventID"] = event_id
    rec["readOnly"] = call.read_only
    if call.resources:
        rec["resources"] = list(call.resources)
    rec["eventType"] = event_type
    rec["managementEvent"] = not call.data_event
    rec["recipientAccountId"] = recipient
    if shared_event_id is not None:
        rec["sharedEventID"] = shared_event_id
    if vpc_endpoint is not None:
        rec["vpcEndpointId"] = vpc_endpoint
        rec["vpcEndpointAccountId"] = recipient
    rec["eventCategory"] = "Data" if call.data_event else "Management"
    if call.host is not None or call.event_source.endswith(".amazonaws.com"):
        host = call.host or f"{call.event_source.split('.')[0]}.{rec['awsRegion']}.amazonaws.com"
        if call.global_service:
            host = f"{call.event_source.split('.')[0]}.amazonaws.com"
        rec["tlsDetails"] = {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": host,
        }
    return rec


def new_ids(rng: random.Random, call: Call) -> tuple[str, str]:
    """(eventID, requestID); S3 request ids are 16 upper-case characters."""
    rid = ids.s3_request_id(rng) if call.event_source == "s3.amazonaws.com" else ids.uuid4(rng)
    return ids.uuid4(rng), rid


class Template:
    """A pre-serialized record minus identity, time and ids.

    :meth:`render` splices in the serialized identity (one per session, shared by
    every template the session uses), the time and fresh ids.
    """

    __slots__ = ("_a", "_b", "_c", "_d", "_e", "region", "s3")

    def __init__(self, call: Call, **kwargs: Any) -> None:
        rec = build_record(_I, call, event_time=_T, event_id=_E, request_id=_R, **kwargs)
        self.region: str = rec["awsRegion"]
        raw = orjson.dumps(rec)
        a, rest = raw.split(b'"' + _I.encode() + b'"', 1)
        b, rest = rest.split(_T.encode(), 1)
        c, rest = rest.split(_R.encode(), 1)
        d, e = rest.split(_E.encode(), 1)
        self._a, self._b, self._c, self._d, self._e = a, b, c, d, e
        self.s3 = call.event_source == "s3.amazonaws.com"

    def render(self, identity: bytes, ts: float, rng: random.Random) -> bytes:
        """The record's JSON bytes for ``identity`` (``orjson.dumps`` of it) at ``ts``."""
        rid = ids.s3_request_id(rng) if self.s3 else ids.uuid4(rng)
        return b"".join(
            (
                self._a,
                identity,
                self._b,
                iso_bytes(ts),
                self._c,
                rid.encode(),
                self._d,
                ids.uuid4(rng).encode(),
                self._e,
            )
        )


_HOUR_PREFIX: dict[int, str] = {}


def iso_bytes(ts: float) -> bytes:
    """:func:`iso` as bytes, with the hour prefix cached (the hot path formats millions)."""
    sec = int(ts)
    hour = sec - sec % 3600
    prefix = _HOUR_PREFIX.get(hour)
    if prefix is None:
        if len(_HOUR_PREFIX) > 4096:
            _HOUR_PREFIX.clear()
        prefix = _HOUR_PREFIX[hour] = time.strftime("%Y-%m-%dT%H:", time.gmtime(hour))
    m, s = divmod(sec - hour, 60)
    return f"{prefix}{m:02d}:{s:02d}Z".encode()
