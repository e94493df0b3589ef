"""Index names and the index template every event index is created from.

Events go to event-time daily indices ``logs-<dataset>-<namespace>-YYYY.MM.DD``
(Kibana's ``logs-*`` finds them).  Daily indices work on the minimal
distribution, which has no data streams; because the index is a function of
the event's own timestamp, a re-ingested event lands in the same index and
its deterministic ``_id`` turns it into a 409 "duplicate".  Our template has a
higher priority than the built-in ``logs-*-*`` data-stream template of a full
distribution, so the same names stay plain indices there too.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

DATASETS = ("aws.cloudtrail", "aws.vpcflow", "aws.guardduty", "aws.securityhub_findings")
_NAMESPACE = re.compile(r"^[a-z0-9_]{1,64}$")
TEMPLATE_PRIORITY = 500


def valid_namespace(namespace: str) -> bool:
    """ECS namespaces: lower-case, no hyphen (it separates the name parts)."""
    return bool(_NAMESPACE.match(namespace))


def event_index(dataset: str, namespace: str, when: datetime) -> str:
    """The daily index an event at ``when`` (UTC) is written to."""
    return f"logs-{dataset}-{namespace}-{when:%Y.%m.%d}"


def dataset_pattern(dataset: str, namespace: str) -> str:
    """Every daily index of one dataset."""
    return f"logs-{dataset}-{namespace}-*"


def events_pattern(namespace: str) -> str:
    """Every event index of a namespace, across datasets."""
    return ",".join(dataset_pattern(d, namespace) for d in DATASETS)


def dead_letter_index(namespace: str) -> str:
    """Where records that could not be indexed are kept with their origin and reason."""
    return f"trailhound-deadletter-{namespace}"


def investigations_index(namespace: str) -> str:
    """Stored investigations."""
    return f"trailhound-investigations-{namespace}"


API_KEYS_INDEX = "trailhound-apikeys"

_KW: dict[str, Any] = {"type": "keyword", "ignore_above": 1024}
_LONG = {"type": "long"}
_IP = {"type": "ip"}
_DATE = {"type": "date"}
_FLAT = {"type": "flattened", "ignore_above": 1024}
_TEXT_KW = {"type": "keyword", "ignore_above": 1024, "fields": {"text": {"type": "text"}}}


def _obj(**props: Any) -> dict[str, Any]:
    return {"properties": props}


def _kws(*names: str) -> dict[str, Any]:
    return {n: _KW for n in names}


_GEO = _obj(
    country_iso_code=_KW,
    country_name=_KW,
    city_name=_KW,
    region_name=_KW,
    location={"type": "geo_point"},
)
_ENDPOINT = _obj(
    ip=_IP,
    port=_LONG,
    address=_KW,
    domain=_KW,
    bytes=_LONG,
    packets=_LONG,
    geo=_GEO,
    **{"as": _obj(number=_LONG, organization=_obj(name=_KW))},
)

EVENT_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "@timestamp": _DATE,
        "message": {"type": "text"},
        "tags": _KW,
        "ecs": _obj(version=_KW),
        "data_stream": _obj(**_kws("type", "dataset", "namespace")),
        "event": _obj(
            **_kws(
                "kind",
                "category",
                "type",
                "outcome",
                "action",
                "provider",
                "dataset",
                "id",
                "module",
                "code",
                "reason",
            ),
            created=_DATE,
            ingested=_DATE,
            start=_DATE,
            end=_DATE,
            severity=_LONG,
            risk_score={"type": "float"},
            duration=_LONG,
            original={"type": "keyword", "index": False, "doc_values": False},
        ),
        "cloud": _obj(
            provider=_KW,
            region=_KW,
            availability_zone=_KW,
            account=_obj(id=_KW, name=_KW),
            instance=_obj(id=_KW),
        ),
        "source": _ENDPOINT,
        "destination": _ENDPOINT,
        "network": _obj(
            **_kws("transport", "type", "direction", "community_id", "iana_number"),
            bytes=_LONG,
            packets=_LONG,
        ),
        "user": _obj(
            **_kws("id", "name", "email", "domain"),
            target=_obj(**_kws("id", "name")),
            changes=_obj(**_kws("name")),
        ),
        "user_agent": _obj(
            original=_TEXT_KW,
            name=_KW,
            version=_KW,
            os=_obj(**_kws("name", "version", "full")),
            device=_obj(name=_KW),
        ),
        "host": _obj(**_kws("id", "name", "hostname")),
        "dns": _obj(question=_obj(**_kws("name", "registered_domain"))),
        "url": _obj(**_kws("domain", "original", "path")),
        "group": _obj(**_kws("id", "name")),
        "rule": _obj(**_kws("id", "name", "category", "ruleset", "description", "reference")),
        "threat": _obj(
            framework=_KW,
            tactic=_obj(**_kws("id", "name", "reference")),
            technique=_obj(
                **_kws("id", "name", "reference"), subtechnique=_obj(**_kws("id", "name"))
            ),
        ),
        "vulnerability": _obj(**_kws("id", "severity"), score=_obj(base={"type": "float"})),
        "related": _obj(ip=_IP, **_kws("user", "hosts", "hash", "entity")),
        "trailhound": _obj(
            **_kws(
                "actor",
                "actor_chain",
                "instance",
                "access_key",
                "targets",
                "kind",
                "finding",
                "time_source",  # "delivery": @timestamp is the file's (no time in the record)
            ),
            remote_ip=_IP,
            flow=_obj(
                local_ip=_IP,
                remote_ip=_IP,
                local_port=_LONG,
                remote_port=_LONG,
                bytes_in=_LONG,
                bytes_out=_LONG,
                packets_in=_LONG,
                packets_out=_LONG,
            ),
        ),
        "aws": _obj(
            cloudtrail=_obj(
                **_kws(
                    "event_type",
                    "event_category",
                    "error_code",
                    "request_id",
                    "recipient_account_id",
                    "event_version",
                    "api_version",
                    "vpc_endpoint_id",
                    "shared_event_id",
                ),
                error_message={"type": "text"},
                read_only={"type": "boolean"},
                management_event={"type": "boolean"},
                user_identity=_obj(
                    **_kws("type", "arn", "access_key_id", "invoked_by", "principal_id"),
                    session_context=_obj(
                        mfa_authenticated={"type": "boolean"},
                        creation_date=_DATE,
                        session_issuer=_obj(**_kws("type", "arn", "principal_id", "account_id")),
                    ),
                ),
                resources=_obj(**_kws("arn", "type", "account_id")),
                request_parameters=_FLAT,
                response_elements=_FLAT,
                additional_eventdata=_FLAT,
            ),
            vpcflow=_obj(
                **_kws(
                    "version",
                    "account_id",
                    "interface_id",
                    "instance_id",
                    "action",
                    "log_status",
                    "vpc_id",
                    "subnet_id",
                    "type",
                    "flow_direction",
                    "traffic_path",
                    "pkt_src_aws_service",
                    "pkt_dst_aws_service",
                    "az_id",
                    "sublocation_type",
                    "sublocation_id",
                    "region",
                    "reject_reason",
                ),
                pkt_srcaddr=_IP,
                pkt_dstaddr=_IP,
                tcp_flags=_LONG,
            ),
            guardduty=_obj(
                **_kws(
                    "id",
                    "arn",
                    "type",
                    "title",
                    "schema_version",
                    "partition",
                    "region",
                    "account_id",
                ),
                severity=_obj(code={"type": "float"}, label=_KW),
                resource=_obj(**_kws("type")),
                service=_FLAT,
                resource_details=_FLAT,
            ),
            securityhub_findings=_obj(
                **_kws(
                    "id",
                    "product_arn",
                    "generator_id",
                    "aws_account_id",
                    "workflow_status",
                    "record_state",
                    "compliance_status",
                    "product_name",
                    "company_name",
                ),
                severity=_obj(label=_KW, normalized=_LONG),
                types=_KW,
                resources=_FLAT,
                product_fields=_FLAT,
            ),
        ),
    },
}

DEAD_LETTER_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "@timestamp": _DATE,
        "source": _KW,
        "origin": _obj(file=_KW, offset=_LONG, record=_LONG, line=_LONG),
        "reason": {"type": "text"},
        "error_type": _KW,
        "raw": {"type": "keyword", "index": False, "doc_values": False},
    },
}


def event_template(namespace: str) -> dict[str, Any]:
    """The composable index template for one namespace's event indices."""
    return {
        "index_patterns": [dataset_pattern(d, namespace) for d in DATASETS],
        "priority": TEMPLATE_PRIORITY,
        "template": {
            "settings": {
                "number_of_shards": 1,
                "number_of_replicas": 0,
                "refresh_interval": "1s",
                "mapping.total_fields.limit": 2000,
            },
            "mappings": EVENT_MAPPINGS,
        },
        "_meta": {"managed_by": "trailhound", "namespace": namespace},
    }
