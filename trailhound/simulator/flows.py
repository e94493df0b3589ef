"""VPC Flow Log records: the default v2 format and one custom v5 format.

Field lists are the ones AWS documents (``shared/samples/awsdocs/
flow-logs-records-examples.md``); S3 delivery writes the field names as the
first line of each file.  A connection is logged once per direction on each
interface it crosses, per 10-minute aggregation window.
"""

from __future__ import annotations

from typing import NamedTuple

from trailhound.simulator.org import FlowLog, Instance

V2_FIELDS = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status"
)
V5_FIELDS = (
    "version account-id interface-id instance-id vpc-id subnet-id region az-id srcaddr dstaddr "
    "srcport dstport pkt-srcaddr pkt-dstaddr protocol packets bytes start end action tcp-flags "
    "type pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path log-status"
)
_AZ_REGION = {"us-east-1": "use1", "eu-west-1": "euw1", "us-west-2": "usw2"}
HEADERS = {"v2": V2_FIELDS, "v5": V5_FIELDS}
WINDOW = 600  # seconds: the 10-minute maximum aggregation interval


class Flow(NamedTuple):
    """One flow record from the point of view of ``instance``'s interface."""

    src: str
    dst: str
    srcport: int
    dstport: int
    protocol: int
    packets: int
    bytes: int
    start: int
    end: int
    action: str
    egress: bool
    internet: bool = False
    service: str = "-"


def header(flow_log: FlowLog) -> str:
    """The header line S3 delivery writes for this flow log's format."""
    return HEADERS[flow_log.fmt]


def prefix(inst: Instance) -> str:
    """The per-interface start of every record line (fields before ``srcaddr``)."""
    if inst.flow_log.fmt == "v2":
        return f"2 {inst.account} {inst.eni} "
    az_id = f"{_AZ_REGION.get(inst.region, 'use1')}-az{'abc'.index(inst.az[-1]) + 1}"
    return f"5 {inst.account} {inst.eni} {inst.id} {inst.vpc} {inst.subnet} {inst.region} {az_id} "


def parts(
    v5: bool,
    pre: str,
    src: str,
    dst: str,
    action: str,
    egress: bool,
    internet: bool,
    service: str = "-",
    protocol: int = 6,
) -> tuple[str, str, str]:
    """The constant pieces of a record line: before the ports, between ports and counts, after.

    ``service`` names the AWS service behind the remote address (``S3``, ``AMAZON``);
    ``protocol`` is the IANA number (6 TCP, 1 ICMP: ports are then 0).
    """
    head = f"{pre}{src} {dst} "
    if not v5:
        return head, f" {protocol} ", f"{action} OK"
    # tcp-flags: SYN(2)+ACK(16)+FIN(1) for a completed exchange; 2 = a lone rejected SYN
    flags = (19 if action == "ACCEPT" or egress else 2) if protocol == 6 else 0
    if egress:
        tail = f"{action} {flags} IPv4 - {service} egress {'8' if internet else '1'} OK"
    else:
        tail = f"{action} {flags} IPv4 {service} - ingress - OK"
    return head, f" {src} {dst} {protocol} ", tail


def line(
    v5: bool,
    pre: str,
    src: str,
    dst: str,
    sport: int,
    dport: int,
    packets: int,
    nbytes: int,
    start: int,
    end: int,
    action: str,
    egress: bool,
    internet: bool,
    service: str = "-",
) -> str:
    """One TCP record line."""
    head, mid, tail = parts(v5, pre, src, dst, action, egress, internet, service)
    return f"{head}{sport} {dport}{mid}{packets} {nbytes} {start} {end} {tail}"


def render(inst: Instance, f: Flow) -> str:
    """One OK record in the instance's flow-log format."""
    return line(
        inst.flow_log.fmt == "v5",
        prefix(inst),
        f.src,
        f.dst,
        f.srcport,
        f.dstport,
        f.packets,
        f.bytes,
        f.start,
        f.end,
        f.action,
        f.egress,
        f.internet,
        f.service,
    )


def render_status(inst: Instance, start: int, end: int, status: str) -> str:
    """A NODATA or SKIPDATA record for the interface."""
    if inst.flow_log.fmt == "v2":
        return f"2 {inst.account} {inst.eni} - - - - - - - {start} {end} - {status}"
    return f"{prefix(inst)}- - - - - - - - - {start} {end} - - - - - - - {status}"


def tuple_of(inst: Instance, f: Flow) -> dict[str, object]:
    """The ground-truth form of a flow record."""
    return {
        "account": inst.account,
        "flow_log_id": inst.flow_log.id,
        "interface_id": inst.eni,
        "instance_id": inst.id,
        "srcaddr": f.src,
        "dstaddr": f.dst,
        "srcport": f.srcport,
        "dstport": f.dstport,
        "protocol": f.protocol,
        "action": f.action,
        "direction": "egress" if f.egress else "ingress",
        "start": f.start,
        "end": f.end,
        "bytes": f.bytes,
        "packets": f.packets,
    }
