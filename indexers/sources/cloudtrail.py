"""AWS CloudTrail events (record format ``eventVersion`` 1.x).

Accepted shapes: S3-delivered log files ``{"Records": [...]}`` (``.json``/``.json.gz``,
key layout ``AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/``), single events as
EventBridge ``detail`` ("AWS API Call via CloudTrail"), CloudTrail Lake exports and
JSON lines.  Digest files (``CloudTrail-Digest``) are recognized and skipped.
Record reference: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from indexers.ecs import (
    EntityKeys,
    as_dict,
    as_list,
    base_doc,
    ensure_str,
    flattened,
    flow_hash,
    parse_time,
)
from indexers.enrich.enricher import canonical_ip
from indexers.records import EcsDoc, RawRecord
from indexers.registry import LogSource, ParseContext
from trailhound.ecs.entities import EntityKind as K
from trailhound.ecs.fields import TimelineKind
from trailhound.errors import ParseError

DATASET = "aws.cloudtrail"
_SNIFF = re.compile(
    r'"(?:eventVersion|digestStartTime|eventJson)"\s*:|"eventSource"\s*:\s*"[a-z0-9.-]+\.amazonaws\.com"'
    r'|"detail-type"\s*:\s*"AWS [^"]*via CloudTrail"'
)
_AUTH_ACTIONS = frozenset(
    {
        "ConsoleLogin",
        "AssumeRole",
        "AssumeRoleWithSAML",
        "AssumeRoleWithWebIdentity",
        "GetSessionToken",
        "GetFederationToken",
        "CheckMfa",
        "SwitchRole",
        "ExitRole",
    }
)
# Plain strings: enum attribute and .value lookups show up per event on the hot path.
_API_CALL = TimelineKind.API_CALL.value
_FAILED = TimelineKind.FAILED_API_CALL.value
_ROLE_ASSUMPTION = TimelineKind.ROLE_ASSUMPTION.value
_LOGIN = TimelineKind.LOGIN.value
_INSTANCE_PREFIX = f"{K.EC2_INSTANCE.value}:"
_INSTANCE_ID = re.compile(r"^i-[0-9a-fA-F]{8,17}$")


def sniff(head: str, name: str) -> bool:
    """A CloudTrail log/digest file, an EventBridge CloudTrail event, or CloudTrail JSON lines."""
    return "CloudTrail-Digest" in name or bool(_SNIFF.search(head))


def claims(obj: dict[str, Any]) -> bool:
    """A CloudTrail record or digest."""
    return (
        "eventVersion" in obj
        or ("eventSource" in obj and "eventName" in obj)
        or ("digestStartTime" in obj and "digestEndTime" in obj)
    )


def _category(action: str, provider: str) -> tuple[list[str], list[str]]:
    """ECS ``event.category``/``event.type`` from the action name (Elastic's conventions)."""
    if action in _AUTH_ACTIONS:
        return ["authentication"], ["info"]
    category = ["iam"] if provider == "iam.amazonaws.com" else ["api"]
    if action.startswith(("Create", "Run", "Register", "Import")):
        return category, ["creation"]
    if action.startswith(("Delete", "Terminate", "Deregister", "Remove")):
        return category, ["deletion"]
    if action.startswith(("Put", "Attach", "Detach", "Update", "Modify", "Add", "Set", "Stop")):
        return category, ["change"]
    return category, ["info"]


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _obj(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    return {"value": value}


def _dict(value: Any, field: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParseError(f"expected an object, got {type(value).__name__}", field=field)
    return value


def _bucket_from_arn(arn: str) -> str | None:
    if arn.startswith("arn:aws") and ":s3:::" in arn:
        name = arn.split(":s3:::", 1)[1].split("/", 1)[0]
        return name or None
    return None


def _principal(ui: dict[str, Any], account: str | None) -> tuple[str | None, list[str], str | None]:
    """(actor key, actor chain, instance key) for a ``userIdentity``."""
    kind = ui.get("type")
    principal_id = ui.get("principalId")
    arn = ui.get("arn")
    acct = ui.get("accountId") or account
    issuer = as_dict(as_dict(ui.get("sessionContext")).get("sessionIssuer"))
    if not isinstance(issuer, dict):
        issuer = {}
    chain = EntityKeys()
    actor: str | None = None
    instance: str | None = None
    if kind == "AssumedRole" and isinstance(principal_id, str):
        actor = chain.add(K.AWS_ROLE_SESSION, principal_id)
        chain.add(K.AWS_ROLE, issuer.get("arn"))
        session_name = principal_id.partition(":")[2]
        if _INSTANCE_ID.match(session_name):
            instance = _INSTANCE_PREFIX + session_name
    elif kind == "IAMUser":
        actor = chain.add(K.AWS_USER, arn)
    elif kind == "Root":
        root = (
            arn if isinstance(arn, str) and arn else (f"arn:aws:iam::{acct}:root" if acct else None)
        )
        actor = chain.add(K.AWS_USER, root)
    elif kind in ("FederatedUser", "SAMLUser", "WebIdentityUser") and isinstance(principal_id, str):
        actor = chain.add(K.FEDERATED_USER, principal_id)
        issuer_kind = K.AWS_ROLE if issuer.get("type") == "Role" else K.AWS_USER
        chain.add(issuer_kind, issuer.get("arn"))
    elif kind == "AWSAccount":
        actor = chain.add(K.AWS_ACCOUNT, acct)
    if actor is not None:
        chain.add(K.AWS_ACCOUNT, acct if isinstance(acct, str) else None)
    return actor, chain.keys(), instance


def _targets(
    action: str, req: dict[str, Any], resp: dict[str, Any], resources: list[Any]
) -> EntityKeys:
    t = EntityKeys()
    t.add(K.S3_BUCKET, req.get("bucketName"))
    for res in resources:
        if isinstance(res, dict) and isinstance(res.get("ARN"), str):
            t.add(K.S3_BUCKET, _bucket_from_arn(res["ARN"]))
            if res.get("type") == "AWS::IAM::Role":
                t.add(K.AWS_ROLE, res["ARN"])
    if action.startswith("AssumeRole"):
        t.add(K.AWS_ROLE, req.get("roleArn"))
        assumed = resp.get("assumedRoleUser")
        if isinstance(assumed, dict):
            t.add(K.AWS_ROLE_SESSION, assumed.get("assumedRoleId"))
    creds = resp.get("credentials")
    if isinstance(creds, dict):
        t.add(K.ACCESS_KEY, creds.get("accessKeyId"))
    key = resp.get("accessKey")
    if isinstance(key, dict):
        t.add(K.ACCESS_KEY, key.get("accessKeyId"))
    for container in (resp.get("user"), resp.get("role")):
        if isinstance(container, dict) and isinstance(container.get("arn"), str):
            arn = container["arn"]
            t.add(K.AWS_ROLE if ":role/" in arn else K.AWS_USER, arn)
    t.add(K.ACCESS_KEY, req.get("accessKeyId"))
    _instance_ids(req, t)
    _instance_ids(resp, t)
    return t


def _instance_ids(params: dict[str, Any], t: EntityKeys) -> None:
    iid = params.get("instanceId")
    if isinstance(iid, str) and _INSTANCE_ID.match(iid):
        t.add(K.EC2_INSTANCE, iid)
    ids = params.get("instanceIds") or params.get("instanceIdSet")
    if isinstance(ids, list):
        for i in ids:
            if isinstance(i, str) and _INSTANCE_ID.match(i):
                t.add(K.EC2_INSTANCE, i)
    for item in as_list(as_dict(params.get("instancesSet")).get("items")):
        if isinstance(item, dict):
            iid = item.get("instanceId")
            if isinstance(iid, str) and _INSTANCE_ID.match(iid):
                t.add(K.EC2_INSTANCE, iid)


def parse(record: RawRecord, ctx: ParseContext) -> EcsDoc | None:
    """One CloudTrail event to ECS; a digest record is skipped (None)."""
    ev = record.payload
    if "digestStartTime" in ev and "eventName" not in ev:
        return None
    # Logstash-shaped exports move eventTime to @timestamp.
    when = parse_time(ev.get("eventTime") or ev.get("@timestamp"), "eventTime", ctx.now)
    insight = ev.get("insightDetails") if ev.get("eventType") == "AwsCloudTrailInsight" else None
    # Insights events name the API they are about inside insightDetails.
    about = insight if isinstance(insight, dict) else ev
    action = ensure_str(about.get("eventName"), "eventName")
    provider = ensure_str(about.get("eventSource"), "eventSource")
    assert action is not None
    assert provider is not None
    event_id = ensure_str(ev.get("eventID"), "eventID", required=False)
    ui = _dict(ev.get("userIdentity"), "userIdentity")
    raw_req = ev.get("requestParameters")
    req: dict[str, Any] = raw_req if isinstance(raw_req, dict) else {}
    raw_resp = ev.get("responseElements")
    resp: dict[str, Any] = raw_resp if isinstance(raw_resp, dict) else {}
    raw_resources = ev.get("resources")
    resources: list[Any] = raw_resources if isinstance(raw_resources, list) else []
    account = ev.get("recipientAccountId") or ui.get("accountId")
    if account is not None and not isinstance(account, str):
        raise ParseError("expected a string", field="recipientAccountId")
    region = ev.get("awsRegion")
    error_code = ev.get("errorCode")

    doc = base_doc(DATASET, "event", ctx.now)
    event = doc["event"]
    event["id"] = event_id
    event["action"] = action
    event["provider"] = provider
    event["created"] = ctx.now
    category, etype = _category(action, provider)
    event["category"] = category
    event["type"] = etype
    failed = bool(error_code) or (
        action == "ConsoleLogin" and resp.get("ConsoleLogin") == "Failure"
    )
    event["outcome"] = "failure" if failed else "success"
    doc["@timestamp"] = when
    cloud = doc["cloud"]
    if account:
        cloud["account"] = {"id": account}
    if isinstance(region, str):
        cloud["region"] = region

    entities = EntityKeys()
    related_ip: list[str] = []
    related_user: list[str] = []
    th: dict[str, Any] = {}

    src_addr = ev.get("sourceIPAddress")
    if isinstance(src_addr, str) and src_addr:
        source: dict[str, Any] = {"address": src_addr}
        ip = canonical_ip(src_addr)
        if ip is not None:
            source["ip"] = ip
            related_ip.append(ip)
            th["remote_ip"] = ip
            entities.add(K.IP_ADDRESS, ip)
            if ctx.enricher is not None:
                ctx.enricher.endpoint(source, ip)
        else:
            source["domain"] = src_addr
        doc["source"] = source
    ua = ev.get("userAgent")
    if isinstance(ua, str) and ua:
        doc["user_agent"] = (
            ctx.enricher.user_agent(ua) if ctx.enricher is not None else {"original": ua}
        )
        entities.add(K.USER_AGENT, ua)

    issuer = as_dict(as_dict(ui.get("sessionContext")).get("sessionIssuer"))
    if not isinstance(issuer, dict):
        issuer = {}
    user: dict[str, Any] = {}
    name = ui.get("userName") or issuer.get("userName")
    if isinstance(name, str) and name:
        user["name"] = name
        related_user.append(name)
    if isinstance(ui.get("principalId"), str) and ui["principalId"]:
        user["id"] = ui["principalId"]
    target_user = req.get("userName")
    if isinstance(target_user, str) and target_user and provider == "iam.amazonaws.com":
        user["target"] = {"name": target_user}
        related_user.append(target_user)
    if user:
        doc["user"] = user

    actor, chain, instance = _principal(ui, account if isinstance(account, str) else None)
    if actor is not None:
        th["actor"] = actor
        th["actor_chain"] = chain
        for key in chain:
            entities.add_key(key)
    if instance is not None:
        th["instance"] = instance
        entities.add_key(instance)
    access_key = entities.add(K.ACCESS_KEY, ui.get("accessKeyId"))
    if access_key is not None:
        th["access_key"] = access_key
    targets = _targets(action, req, resp, resources)
    if targets:
        th["targets"] = targets.keys()
        for key in th["targets"]:
            entities.add_key(key)
    # An Insights event reports unusual call volume; it is not itself a call.
    kinds = [] if insight is not None else [_API_CALL]
    if error_code:
        kinds.append(_FAILED)
    if action.startswith("AssumeRole"):
        kinds.append(_ROLE_ASSUMPTION)
    if action == "ConsoleLogin":
        kinds.append(_LOGIN)
    th["kind"] = kinds
    doc["trailhound"] = th
    related: dict[str, Any] = {"entity": entities.keys()}
    if related_ip:
        related["ip"] = related_ip
    if related_user:
        related["user"] = list(dict.fromkeys(related_user))
    doc["related"] = related
    doc["aws"] = {"cloudtrail": _aws(ev, ui, issuer, req, resp, resources)}
    if event_id is None:
        # Hand-made or truncated exports without eventID: the canonical record is the id.
        event_id = flow_hash(orjson.dumps(ev, option=orjson.OPT_SORT_KEYS))
        event["id"] = event_id
    return EcsDoc(id=event_id, dataset=DATASET, timestamp=when, body=doc)


_SECRETS = frozenset({"sessionToken", "secretAccessKey", "SecretAccessKey", "SessionToken"})


def _redact_credentials(resp: dict[str, Any]) -> dict[str, Any]:
    """``resp`` without STS secrets (some exports keep session tokens in ``credentials``).

    Only the ``credentials`` object of STS responses carries them, so the (often large)
    rest of the response is shared, not copied.
    """
    creds = resp.get("credentials")
    if isinstance(creds, dict) and not _SECRETS.isdisjoint(creds):
        clean = {k: "<redacted>" if k in _SECRETS else v for k, v in creds.items()}
        return {**resp, "credentials": clean}
    return resp


def _aws(
    ev: dict[str, Any],
    ui: dict[str, Any],
    issuer: dict[str, Any],
    req: dict[str, Any],
    resp: dict[str, Any],
    resources: list[Any],
) -> dict[str, Any]:
    ct: dict[str, Any] = {}
    for src, dst in (
        ("eventType", "event_type"),
        ("eventCategory", "event_category"),
        ("errorCode", "error_code"),
        ("errorMessage", "error_message"),
        ("requestID", "request_id"),
        ("recipientAccountId", "recipient_account_id"),
        ("eventVersion", "event_version"),
        ("apiVersion", "api_version"),
        ("vpcEndpointId", "vpc_endpoint_id"),
        ("sharedEventID", "shared_event_id"),
    ):
        value = ev.get(src)
        if value is not None and value != "":
            ct[dst] = value if isinstance(value, str) else str(value)
    for src, dst in (("readOnly", "read_only"), ("managementEvent", "management_event")):
        b = _bool(ev.get(src))
        if b is not None:
            ct[dst] = b
    uid: dict[str, Any] = {}
    for src, dst in (
        ("type", "type"),
        ("arn", "arn"),
        ("accessKeyId", "access_key_id"),
        ("invokedBy", "invoked_by"),
        ("principalId", "principal_id"),
    ):
        if isinstance(ui.get(src), str) and ui[src]:
            uid[dst] = ui[src]
    ctx_obj = ui.get("sessionContext")
    if isinstance(ctx_obj, dict):
        sc: dict[str, Any] = {}
        attrs = ctx_obj.get("attributes") if isinstance(ctx_obj.get("attributes"), dict) else {}
        assert isinstance(attrs, dict)
        mfa = _bool(attrs.get("mfaAuthenticated"))
        if mfa is not None:
            sc["mfa_authenticated"] = mfa
        if isinstance(attrs.get("creationDate"), str):
            sc["creation_date"] = attrs["creationDate"]
        si = {
            dst: issuer[src]
            for src, dst in (
                ("type", "type"),
                ("arn", "arn"),
                ("principalId", "principal_id"),
                ("accountId", "account_id"),
            )
            if isinstance(issuer.get(src), str) and issuer[src]
        }
        if si:
            sc["session_issuer"] = si
        if sc:
            uid["session_context"] = sc
    if uid:
        ct["user_identity"] = uid
    res = [
        {
            k: r[s]
            for s, k in (("ARN", "arn"), ("type", "type"), ("accountId", "account_id"))
            if isinstance(r.get(s), str)
        }
        for r in resources
        if isinstance(r, dict)
    ]
    if res:
        ct["resources"] = res
    if req:
        ct["request_parameters"] = flattened(req)
    if resp:
        ct["response_elements"] = flattened(_redact_credentials(resp))
    extra = _obj(ev.get("additionalEventData"))
    if extra:
        ct["additional_eventdata"] = flattened(extra)
    return ct


SOURCE = LogSource(
    name="cloudtrail",
    dataset=DATASET,
    description="AWS CloudTrail events: S3 log files, EventBridge, Lake exports, JSON lines",
    sniff=sniff,
    claims=claims,
    parse=parse,
    priority=30,
)
