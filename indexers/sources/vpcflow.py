"""Amazon VPC Flow Logs, versions 2 to 8, in any field order.

Text records (S3 delivery, ``.log``/``.log.gz``): the header line S3 writes names
the fields; without one the configured format string (``settings.ingest.vpcflow_format``)
or the default v2 format applies.  Space- or comma-separated, ``-`` for absent
values, IPv4/IPv6, ICMP.  ``NODATA``/``SKIPDATA`` rows are counted as skipped.
JSON objects with the same field names (``interface_id`` or ``interface-id``) are
accepted as well.  Field reference:
https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html

Direction (``trailhound.flow.*`` is from the local interface's point of view):

1. ``flow-direction`` (v5+): ``ingress`` means the destination is the interface.
2. Else, once a text file's records pin the interface's own address down (it is on
   one side of every record of that interface; two different peers suffice), the
   side holding that address is the interface.
3. Else, if exactly one of ``srcaddr``/``dstaddr`` is internal (RFC 1918, CGNAT,
   link-local, ULA), that one is the interface.
4. Else (both private or both public) the destination is taken as the interface,
   the reading of AWS's own v2 examples ("traffic to network interface ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from indexers.community_id import community_id
from indexers.ecs import EntityKeys, base_doc, flow_hash, parse_time
from indexers.enrich.enricher import canonical_ip, is_internal_ip
from indexers.records import Broken, EcsDoc, Origin, RawRecord
from indexers.registry import Framed, LogSource, ParseContext
from trailhound.ecs.entities import EntityKind as K
from trailhound.ecs.fields import TimelineKind
from trailhound.errors import ParseError

DATASET = "aws.vpcflow"
V2_FORMAT = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol "
    "packets bytes start end action log-status"
)
_OTHER_FIELDS = (
    "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
    "sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service "
    "flow-direction traffic-path ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn "
    "ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name "
    "ecs-task-definition-arn ecs-task-arn ecs-task-id reject-reason"
)
V2_FIELDS = tuple(V2_FORMAT.split())
KNOWN_FIELDS = frozenset(V2_FIELDS + tuple(_OTHER_FIELDS.split()))
_TRANSPORT = {1: "icmp", 6: "tcp", 17: "udp", 58: "ipv6-icmp", 47: "gre", 50: "esp", 132: "sctp"}
_INT_FIELDS = ("srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "tcp-flags")
_SNIFF_RECORD = re.compile(
    r"^\s*\d{1,2}[ ,](?:\d{12}|-|unknown)[ ,]eni-|^\s*\d{1,2}\s.*\beni-[0-9a-f]"
)
_SNIFF_JSON = re.compile(r'"interface[-_]id"\s*:')
_AWS_KEYS = {
    "version": "version",
    "account-id": "account_id",
    "interface-id": "interface_id",
    "instance-id": "instance_id",
    "action": "action",
    "log-status": "log_status",
    "vpc-id": "vpc_id",
    "subnet-id": "subnet_id",
    "type": "type",
    "flow-direction": "flow_direction",
    "traffic-path": "traffic_path",
    "pkt-src-aws-service": "pkt_src_aws_service",
    "pkt-dst-aws-service": "pkt_dst_aws_service",
    "az-id": "az_id",
    "sublocation-type": "sublocation_type",
    "sublocation-id": "sublocation_id",
    "region": "region",
    "reject-reason": "reject_reason",
}


def _norm(name: str) -> str:
    return name.strip().lower().replace("_", "-").removeprefix("${").removesuffix("}")


def _header_fields(line: str) -> list[str] | None:
    """The field names when ``line`` is a header (every token a known field name)."""
    delim = "," if line.count(",") >= 2 else None
    tokens = [_norm(t) for t in line.split(delim) if t.strip()]
    if tokens and all(t in KNOWN_FIELDS for t in tokens):
        return tokens
    return None


def format_fields(fmt: str) -> list[str]:
    """Field names of a format string (``${version} ${srcaddr} ...`` or plain names)."""
    return [_norm(t) for t in fmt.replace(",", " ").split()]


def sniff(head: str, name: str) -> bool:
    """A flow-log text file (header or record), or flow records as JSON."""
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    if first.lstrip().startswith(("{", "[")):
        return bool(_SNIFF_JSON.search(head))
    return _header_fields(first) is not None or bool(_SNIFF_RECORD.match(first))


def claims(obj: dict[str, Any]) -> bool:
    """A flow record as a JSON object."""
    return ("interface_id" in obj or "interface-id" in obj) and (
        "srcaddr" in obj or "log_status" in obj or "log-status" in obj
    )


def frame_text(stream: IO[bytes], label: str, ctx: ParseContext) -> Iterator[Framed]:
    """Records of a flow-log text file, fields named by its header line or the format."""
    fields: list[str] | None = None
    delim: str | None = None
    interfaces: dict[str, set[str] | str] = {}
    index = 0
    offset = 0
    for line_no, raw in enumerate(stream, start=1):
        start = offset
        offset += len(raw)
        try:
            line = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            yield Broken(
                Origin(label, record=index, line=line_no, offset=start), "non-ASCII bytes", raw
            )
            index += 1
            continue
        if not line:
            continue
        if fields is None:
            header = _header_fields(line)
            delim = "," if line.count(",") >= 2 else None
            if header is not None:
                fields = header
                continue
            fields = format_fields(ctx.flow_format) if ctx.flow_format else list(V2_FIELDS)
        origin = Origin(label, record=index, line=line_no, offset=start)
        index += 1
        parts = line.split(delim)
        if len(parts) != len(fields):
            yield Broken(origin, f"expected {len(fields)} fields, got {len(parts)}", line)
            continue
        payload = dict(zip(fields, parts, strict=True))
        local = _learn_interface_address(interfaces, payload)
        if local is not None:
            payload[LOCAL_HINT] = local
        yield RawRecord(payload, origin, line)


LOCAL_HINT = "_interface_address"  # framing's hint: the address learned for the interface


def _learn_interface_address(
    interfaces: dict[str, set[str] | str], rec: dict[str, str]
) -> str | None:
    """The interface's own address once the file's records pin it down, else None.

    Every record of an interface has the interface's address on one side, so the
    intersection of {srcaddr, dstaddr} over its records shrinks to that address as
    soon as it has talked to two different peers.  An interface with several
    addresses (secondary IPs) never narrows to one and keeps the fallback rules.
    """
    eni, src, dst = rec.get("interface-id"), rec.get("srcaddr"), rec.get("dstaddr")
    if not eni or eni == "-" or not src or src == "-" or not dst or dst == "-":
        return None
    known = interfaces.get(eni)
    if isinstance(known, str):
        if known in (src, dst):
            return known
        interfaces[eni] = {src, dst}  # a second address: start over
        return None
    pair = {src, dst}
    if known is None:
        interfaces[eni] = pair
        return None
    narrowed = known & pair
    if len(narrowed) == 1:
        (address,) = narrowed
        interfaces[eni] = address
        return address
    interfaces[eni] = narrowed or pair
    return None


def _int(rec: dict[str, Any], name: str) -> int | None:
    value = rec.get(name)
    if value is None or value == "-":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ParseError(f"not an integer: {value!r}", field=name) from None


def _str(rec: dict[str, Any], name: str) -> str | None:
    value = rec.get(name)
    if value is None or value == "-" or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _ip(rec: dict[str, Any], name: str) -> str | None:
    text = _str(rec, name)
    if text is None:
        return None
    ip = canonical_ip(text)
    if ip is None:
        raise ParseError(f"not an IP address: {text!r}", field=name)
    return ip


def _direction(rec: dict[str, Any], src: str | None, dst: str | None) -> bool:
    """True when the flow leaves the interface (the source is local); see module docstring."""
    fd = rec.get("flow-direction")
    if fd == "egress":
        return True
    if fd == "ingress":
        return False
    hint = rec.get(LOCAL_HINT)
    if hint is not None:
        return bool(hint == rec.get("srcaddr"))
    if src is not None and dst is not None:
        src_in, dst_in = is_internal_ip(src), is_internal_ip(dst)
        if src_in != dst_in:
            return src_in
    return False


_DELIVERY = re.compile(r"_(\d{8}T\d{4})Z_[^/]*$")


def delivery_time(file_label: str) -> datetime | None:
    """When S3 got a flow-log file, from its object name (``None`` if it has none).

    >>> delivery_time("AWSLogs/1/vpcflowlogs/us-east-1/2021/01/01/1_vpcflowlogs_us-east-1_"
    ...               "fl-0a1b_20210101T0005Z_9f3c.log.gz")
    datetime.datetime(2021, 1, 1, 0, 5, tzinfo=datetime.timezone.utc)
    >>> delivery_time("flows.log") is None
    True
    >>> delivery_time("1_vpcflowlogs_us-east-1_fl-0a1b_20211399T2500Z_9f3c.log") is None
    True
    """
    m = _DELIVERY.search(file_label)
    if m is None:
        return None
    try:
        return datetime.strptime(m[1], "%Y%m%dT%H%M").replace(tzinfo=UTC)
    except ValueError:  # "20211399T2500": not a time, so no delivery time
        return None


def parse(record: RawRecord, ctx: ParseContext) -> EcsDoc | None:
    """One flow record to ECS; NODATA/SKIPDATA records are skipped (None)."""
    rec = record.payload
    if not isinstance(record.raw, str):
        rec = {_norm(str(k)): v for k, v in rec.items()}  # JSON form: underscores, numbers
    status = _str(rec, "log-status")
    if status in ("NODATA", "SKIPDATA"):
        return None
    if status not in (None, "OK"):
        raise ParseError(f"unknown log-status {status!r}", field="log-status")
    ints = {name: _int(rec, name) for name in _INT_FIELDS}
    end, begin = ints["end"], ints["start"]
    delivered: datetime | None = None
    if end is None and begin is None:
        # Custom formats may leave both out (AWS's NAT gateway example): the S3 object
        # name still says when the file was delivered (within ~10 minutes of capture).
        delivered = delivery_time(record.origin.file)
        if delivered is None:
            raise ParseError(
                "record has neither start nor end time, and its file name carries no "
                "delivery time (S3 key ..._YYYYMMDDTHHMMZ_<hash>.log[.gz])",
                field="end",
            )
    if delivered is not None:  # the same sanity bounds as a record's own time
        when = parse_time(delivered.isoformat(), "delivery time", ctx.now)
    else:
        when = parse_time(end if end is not None else begin, "end", ctx.now)
    account = _str(rec, "account-id")
    interface = _str(rec, "interface-id")
    instance_id = _str(rec, "instance-id")
    src, dst = _ip(rec, "srcaddr"), _ip(rec, "dstaddr")
    sport, dport, proto = ints["srcport"], ints["dstport"], ints["protocol"]
    nbytes, npackets = ints["bytes"], ints["packets"]
    action = _str(rec, "action")
    outbound = _direction(rec, src, dst)

    doc = base_doc(DATASET, "event", ctx.now)
    event = doc["event"]
    event["category"] = ["network"]
    event["type"] = ["connection", "denied" if action == "REJECT" else "allowed"]
    if action is not None:
        event["action"] = action.lower()
        event["outcome"] = "failure" if action == "REJECT" else "success"
    if delivered is None:
        event["start"] = parse_time(begin, "start", ctx.now) if begin is not None else when
        event["end"] = when
    doc["@timestamp"] = when
    cloud = doc["cloud"]
    if account is not None:
        cloud["account"] = {"id": account}
    region = _str(rec, "region")
    if region is not None:
        cloud["region"] = region
    az = _str(rec, "az-id")
    if az is not None:
        cloud["availability_zone"] = az
    if instance_id is not None:
        cloud["instance"] = {"id": instance_id}

    entities = EntityKeys()
    th: dict[str, Any] = {}
    related_ip: list[str] = []
    source: dict[str, Any] = {}
    destination: dict[str, Any] = {}
    if src is not None:
        source["ip"] = src
        related_ip.append(src)
    if sport is not None:
        source["port"] = sport
    if dst is not None:
        destination["ip"] = dst
        related_ip.append(dst)
    if dport is not None:
        destination["port"] = dport
    if nbytes is not None:
        source["bytes"] = nbytes
    if npackets is not None:
        source["packets"] = npackets
    if ctx.enricher is not None:
        if src is not None:
            ctx.enricher.endpoint(source, src)
        if dst is not None:
            ctx.enricher.endpoint(destination, dst)
    if source:
        doc["source"] = source
    if destination:
        doc["destination"] = destination
    network: dict[str, Any] = {"direction": "egress" if outbound else "ingress"}
    if proto is not None:
        network["iana_number"] = str(proto)
        network["transport"] = _TRANSPORT.get(proto, str(proto))
    if nbytes is not None:
        network["bytes"] = nbytes
    if npackets is not None:
        network["packets"] = npackets
    if src is not None:
        network["type"] = "ipv6" if ":" in src else "ipv4"
        if dst is not None and proto is not None:
            cid = community_id(src, dst, sport or 0, dport or 0, proto)
            if cid is not None:
                network["community_id"] = cid
    doc["network"] = network

    local_ip, remote_ip = (src, dst) if outbound else (dst, src)
    local_port, remote_port = (sport, dport) if outbound else (dport, sport)
    flow: dict[str, Any] = {}
    if local_ip is not None:
        flow["local_ip"] = local_ip
    if remote_ip is not None:
        flow["remote_ip"] = remote_ip
        th["remote_ip"] = remote_ip
    if local_port is not None:
        flow["local_port"] = local_port
    if remote_port is not None:
        flow["remote_port"] = remote_port
    direction_key = "out" if outbound else "in"
    if nbytes is not None:
        flow[f"bytes_{direction_key}"] = nbytes
        flow["bytes_in" if outbound else "bytes_out"] = 0
    if npackets is not None:
        flow[f"packets_{direction_key}"] = npackets
        flow["packets_in" if outbound else "packets_out"] = 0
    th["flow"] = flow
    kinds = [
        TimelineKind.NETWORK_OUTBOUND.value if outbound else TimelineKind.NETWORK_INBOUND.value
    ]
    if action == "REJECT":
        kinds.append(TimelineKind.NETWORK_REJECTED.value)
    th["kind"] = kinds
    instance_key = entities.add(K.EC2_INSTANCE, instance_id)
    if instance_key is not None:
        th["instance"] = instance_key
    entities.add(K.NETWORK_INTERFACE, interface)
    entities.add(K.IP_ADDRESS, remote_ip)
    entities.add(K.IP_ADDRESS, local_ip)
    entities.add(K.AWS_ACCOUNT, account)
    if delivered is not None:
        th["time_source"] = "delivery"  # @timestamp is the file's, not the record's
    doc["trailhound"] = th
    pkt = (_ip(rec, "pkt-srcaddr"), _ip(rec, "pkt-dstaddr"))
    for ip in pkt:
        if ip is not None and ip not in related_ip:
            related_ip.append(ip)
    doc["related"] = {"entity": entities.keys(), "ip": related_ip}
    doc["aws"] = {"vpcflow": _aws(rec, ints["tcp-flags"], pkt)}
    raw = record.raw if isinstance(record.raw, str) else repr(sorted(rec.items()))
    if delivered is None:
        doc_id = flow_hash(account or "", interface or "", raw)
    else:
        # Time-less lines repeat from file to file: the object name and line keep them
        # apart (and a re-ingest of the same object still finds its duplicates).
        name = record.origin.file.rsplit("/", 1)[-1]
        doc_id = flow_hash(account or "", interface or "", raw, name, str(record.origin.line))
    return EcsDoc(id=doc_id, dataset=DATASET, timestamp=when, body=doc)


_ECS_FIELDS = tuple(sorted(f for f in KNOWN_FIELDS if f.startswith("ecs-")))
_ECS_FIELD_SET = frozenset(_ECS_FIELDS)


def _aws(
    rec: dict[str, Any], tcp_flags: int | None, pkt: tuple[str | None, str | None]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, key in _AWS_KEYS.items():
        value = rec.get(name)
        if value is not None and value != "-" and value != "":
            out[key] = value if isinstance(value, str) else str(value)
    if pkt[0] is not None:
        out["pkt_srcaddr"] = pkt[0]
    if pkt[1] is not None:
        out["pkt_dstaddr"] = pkt[1]
    if tcp_flags is not None:
        out["tcp_flags"] = tcp_flags
    # Only v7+ formats carry the ECS task fields; one set test spares v2-v6 records the loop.
    if not _ECS_FIELD_SET.isdisjoint(rec):
        for name in _ECS_FIELDS:
            value = rec.get(name)
            if value is not None and value != "-" and value != "":
                out[name.replace("-", "_")] = str(value)
    return out


SOURCE = LogSource(
    name="vpcflow",
    dataset=DATASET,
    description="Amazon VPC Flow Logs v2-v8: header-declared or configured field order, JSON",
    sniff=sniff,
    claims=claims,
    parse=parse,
    frame_text=frame_text,
    priority=40,
)
