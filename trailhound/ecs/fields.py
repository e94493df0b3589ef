"""Field paths of the documents Trailhound writes: ECS, plus our ``trailhound.*`` keys.

Read-side query builders and write-side parsers both use these constants, so a
renamed field breaks loudly in one place.

Our own fields (all keyword unless noted) let reads be plain term aggregations:

* ``related.entity``          every entity key the event touches (``<kind>:<id>``)
* ``trailhound.actor``        key of the acting principal (most specific: session, user, ...)
* ``trailhound.actor_chain``  keys of the actor and what it derives from
                              (session -> role -> account; user -> account)
* ``trailhound.instance``     key of the EC2 instance involved (flow owner, the instance
                              behind an instance-profile session, a finding's resource)
* ``trailhound.access_key``   key of the access key used
* ``trailhound.targets``      keys of resources acted on (buckets, assumed role ARNs,
                              instances, access keys created, ...)
* ``trailhound.kind``         timeline kinds (see :class:`TimelineKind`)
* ``trailhound.remote_ip``    (ip) the remote side: a flow's peer, a call's source IP,
                              a finding's remote IPs
* ``trailhound.flow.*``       a flow from the local interface's point of view:
                              ``local_ip``/``remote_ip`` (ip), ``local_port``/``remote_port``
                              (long), ``bytes_in/out``, ``packets_in/out`` (long)
* ``trailhound.finding``      the finding's own key on finding documents
"""

from __future__ import annotations

from enum import StrEnum

TIMESTAMP = "@timestamp"
EVENT_KIND = "event.kind"
EVENT_CATEGORY = "event.category"
EVENT_TYPE = "event.type"
EVENT_OUTCOME = "event.outcome"
EVENT_ACTION = "event.action"
EVENT_PROVIDER = "event.provider"
EVENT_DATASET = "event.dataset"
EVENT_ID = "event.id"
EVENT_SEVERITY = "event.severity"
EVENT_RISK_SCORE = "event.risk_score"
EVENT_START = "event.start"
EVENT_END = "event.end"
CLOUD_ACCOUNT_ID = "cloud.account.id"
CLOUD_REGION = "cloud.region"
SOURCE_IP = "source.ip"
SOURCE_PORT = "source.port"
SOURCE_GEO_COUNTRY = "source.geo.country_iso_code"
SOURCE_GEO_CITY = "source.geo.city_name"
SOURCE_GEO_LOCATION = "source.geo.location"
SOURCE_AS_NUMBER = "source.as.number"
SOURCE_AS_ORG = "source.as.organization.name"
DESTINATION_IP = "destination.ip"
DESTINATION_PORT = "destination.port"
NETWORK_TRANSPORT = "network.transport"
NETWORK_DIRECTION = "network.direction"
NETWORK_BYTES = "network.bytes"
NETWORK_PACKETS = "network.packets"
NETWORK_COMMUNITY_ID = "network.community_id"
USER_NAME = "user.name"
USER_ID = "user.id"
USER_AGENT_ORIGINAL = "user_agent.original"
RULE_NAME = "rule.name"
RELATED_IP = "related.ip"
RELATED_USER = "related.user"
RELATED_ENTITY = "related.entity"

ACTOR = "trailhound.actor"
ACTOR_CHAIN = "trailhound.actor_chain"
INSTANCE = "trailhound.instance"
ACCESS_KEY = "trailhound.access_key"
TARGETS = "trailhound.targets"
KIND = "trailhound.kind"
TIME_SOURCE = "trailhound.time_source"  # set when @timestamp is not the record's own
REMOTE_IP = "trailhound.remote_ip"
FINDING = "trailhound.finding"
FLOW_LOCAL_IP = "trailhound.flow.local_ip"
FLOW_REMOTE_IP = "trailhound.flow.remote_ip"
FLOW_LOCAL_PORT = "trailhound.flow.local_port"
FLOW_REMOTE_PORT = "trailhound.flow.remote_port"
FLOW_BYTES_IN = "trailhound.flow.bytes_in"
FLOW_BYTES_OUT = "trailhound.flow.bytes_out"
FLOW_PACKETS_IN = "trailhound.flow.packets_in"
FLOW_PACKETS_OUT = "trailhound.flow.packets_out"


class TimelineKind(StrEnum):
    """Values of ``trailhound.kind``: what a behavior timeline filters on."""

    NETWORK_OUTBOUND = "NETWORK_OUTBOUND"
    NETWORK_INBOUND = "NETWORK_INBOUND"
    NETWORK_REJECTED = "NETWORK_REJECTED"
    API_CALL = "API_CALL"
    FAILED_API_CALL = "FAILED_API_CALL"
    ROLE_ASSUMPTION = "ROLE_ASSUMPTION"
    LOGIN = "LOGIN"
    FINDING = "FINDING"
