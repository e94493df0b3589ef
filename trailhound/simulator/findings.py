"""GuardDuty findings as EventBridge delivers them (``detail-type: GuardDuty Finding``).

The ``detail`` is the finding in camelCase, shaped after the GuardDuty finding
format reference and the samples in ``shared/samples`` (``alertchain-guardduty``
has the same findings in the GetFindings PascalCase form,
``panther-analysis-tests/AWS_GuardDuty.tests.jsonl`` in camelCase).
"""

from __future__ import annotations

import time
from typing import Any

from trailhound.simulator import network
from trailhound.simulator.org import Instance, Org

JSON = dict[str, Any]

# the data source GuardDuty analysed for each action type (service.featureName)
FEATURES = {
    "NETWORK_CONNECTION": "FlowLogs",
    "PORT_PROBE": "FlowLogs",
    "DNS_REQUEST": "DnsLogs",
    "AWS_API_CALL": "CloudTrail",
}
PORT_NAMES = {22: "SSH", 80: "HTTP", 443: "HTTPS", 3389: "RDP", 3333: "Unknown", 53: "DNS"}


def gd_time(ts: float) -> str:
    """GuardDuty's timestamp format: ``2026-11-30T13:05:09.000Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts * 1000) % 1000:03d}Z"


def remote_ip_details(ip: str) -> JSON:
    """``remoteIpDetails`` with the place and operator of the simulated range."""
    r = network.range_of(ip)
    if r is None:
        return {"ipAddressV4": ip}
    return {
        "ipAddressV4": ip,
        "organization": {"asn": str(r.asn), "asnOrg": r.as_org, "isp": r.as_org, "org": r.as_org},
        "country": {"countryName": r.place.country},
        "city": {"cityName": r.place.city},
        "geoLocation": {"lat": r.place.latitude, "lon": r.place.longitude},
    }


def instance_resource(inst: Instance) -> JSON:
    """``resource`` of an Instance finding."""
    dns = f"ip-{inst.private_ip.replace('.', '-')}.ec2.internal"
    return {
        "resourceType": "Instance",
        "instanceDetails": {
            "instanceId": inst.id,
            "instanceType": inst.instance_type,
            "launchTime": "2026-01-05T10:12:44.000Z",
            "platform": None,
            "productCodes": [],
            "iamInstanceProfile": {
                "arn": f"arn:aws:iam::{inst.account}:instance-profile/{inst.role.name}",
                "id": "AIPA" + inst.role.principal_id[4:],
            },
            "networkInterfaces": [
                {
                    "ipv6Addresses": [],
                    "networkInterfaceId": inst.eni,
                    "privateDnsName": dns,
                    "privateIpAddress": inst.private_ip,
                    "privateIpAddresses": [
                        {
                            "privateDnsName": dns,
                            "privateIpAddress": inst.private_ip,
                        }
                    ],
                    "publicDnsName": "",
                    "publicIp": inst.public_ip or "",
                    "securityGroups": [
                        {"groupId": "sg-" + inst.eni[4:], "groupName": f"{inst.tier}-sg"}
                    ],
                    "subnetId": inst.subnet,
                    "vpcId": inst.vpc,
                }
            ],
            "outpostArn": None,
            "tags": [{"key": "Name", "value": f"{inst.tier}-{inst.id[-4:]}"}],
            "instanceState": "running",
            "availabilityZone": inst.az,
            "imageId": inst.image_id,
            "imageDescription": "Amazon Linux 2023 AMI",
        },
    }


def access_key_resource(key: str, principal_id: str, user_name: str, user_type: str) -> JSON:
    """``resource`` of an AccessKey finding (IAM user or assumed-role credentials)."""
    return {
        "resourceType": "AccessKey",
        "accessKeyDetails": {
            "accessKeyId": key,
            "principalId": principal_id,
            "userName": user_name,
            "userType": user_type,
        },
    }


def network_connection(
    local_ip: str, local_port: int, remote_ip: str, remote_port: int, direction: str = "OUTBOUND"
) -> JSON:
    """``service.action`` for a NETWORK_CONNECTION finding."""
    return {
        "actionType": "NETWORK_CONNECTION",
        "networkConnectionAction": {
            "connectionDirection": direction,
            "remoteIpDetails": remote_ip_details(remote_ip),
            "remotePortDetails": {
                "port": remote_port,
                "portName": PORT_NAMES.get(remote_port, "Unknown"),
            },
            "localPortDetails": {
                "port": local_port,
                "portName": PORT_NAMES.get(local_port, "Unknown"),
            },
            "protocol": "TCP",
            "blocked": False,
            "localIpDetails": {"ipAddressV4": local_ip},
        },
    }


def dns_request(domain: str) -> JSON:
    """``service.action`` for a DNS_REQUEST finding."""
    return {
        "actionType": "DNS_REQUEST",
        "dnsRequestAction": {"domain": domain, "protocol": "UDP", "blocked": False},
    }


def aws_api_call(api: str, service: str, remote_ip: str, error: str | None = None) -> JSON:
    """``service.action`` for an AWS_API_CALL finding."""
    action: JSON = {
        "api": api,
        "serviceName": service,
        "callerType": "Remote IP",
        "remoteIpDetails": remote_ip_details(remote_ip),
        "affectedResources": {},
    }
    if error:
        action["errorCode"] = error
    return {"actionType": "AWS_API_CALL", "awsApiCallAction": action}


def port_probe(local_ip: str, local_port: int, remote_ips: list[str]) -> JSON:
    """``service.action`` for a PORT_PROBE finding."""
    return {
        "actionType": "PORT_PROBE",
        "portProbeAction": {
            "blocked": False,
            "portProbeDetails": [
                {
                    "localPortDetails": {
                        "port": local_port,
                        "portName": PORT_NAMES.get(local_port, "Unknown"),
                    },
                    "localIpDetails": {"ipAddressV4": local_ip},
                    "remoteIpDetails": remote_ip_details(ip),
                }
                for ip in remote_ips
            ],
        },
    }


def event(
    org: Org,
    *,
    finding_id: str,
    event_uuid: str,
    account: str,
    region: str,
    type_: str,
    severity: float,
    title: str,
    description: str,
    resource: JSON,
    action: JSON,
    first_seen: float,
    last_seen: float,
    count: int = 1,
    resource_role: str = "TARGET",
    threat_list: str | None = None,
) -> JSON:
    """The EventBridge event carrying one finding."""
    detector = org.detector_ids[account]
    service: JSON = {
        "serviceName": "guardduty",
        "detectorId": detector,
        "action": action,
        "resourceRole": resource_role,
        "additionalInfo": {"value": "{}", "type": "default"},
        "eventFirstSeen": gd_time(first_seen),
        "eventLastSeen": gd_time(last_seen),
        "featureName": FEATURES.get(action.get("actionType", ""), "CloudTrail"),
        "archived": False,
        "count": count,
    }
    if threat_list:
        service["evidence"] = {
            "threatIntelligenceDetails": [{"threatListName": threat_list, "threatNames": []}]
        }
    detail = {
        "schemaVersion": "2.0",
        "accountId": account,
        "region": region,
        "partition": "aws",
        "id": finding_id,
        "arn": f"arn:aws:guardduty:{region}:{account}:detector/{detector}/finding/{finding_id}",
        "type": type_,
        "resource": resource,
        "service": service,
        "severity": severity,
        "createdAt": gd_time(first_seen + 300),
        "updatedAt": gd_time(last_seen + 300),
        "title": title,
        "description": description,
    }
    return {
        "version": "0",
        "id": event_uuid,
        "detail-type": "GuardDuty Finding",
        "source": "aws.guardduty",
        "account": account,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(last_seen + 300)),
        "region": region,
        "resources": [],
        "detail": detail,
    }
