"""Entity output: one Trailhound entity flattened into CEF-typed fields.

Trailhound identifies an entity by its GraphQL type and id.  Playbooks chain
on CEF ``contains`` types instead, so the id is also copied into the one field
whose type fits it (an EC2 instance id into ``instance_id``, an IP into ``ip``,
...).  This is presentation only: which field an id goes to follows from the
entity type alone.
"""

from typing import Any

from soar_sdk.action_results import ActionOutput, OutputField

__all__ = [
    "ENTITY_ID_CONTAINS",
    "ENTITY_TYPES",
    "INSTANCE_ID_CONTAINS",
    "EntityDetailOutput",
    "EntityOutput",
    "entity_detail_output",
    "entity_output",
]

# The server's EntityType enum values, as the SDL spells them.
ENTITY_TYPES = [
    "AWS_ACCOUNT",
    "AWS_USER",
    "AWS_ROLE",
    "AWS_ROLE_SESSION",
    "FEDERATED_USER",
    "EC2_INSTANCE",
    "IP_ADDRESS",
    "USER_AGENT",
    "S3_BUCKET",
    "ACCESS_KEY",
    "FINDING",
    "NETWORK_INTERFACE",
]

# EC2 instance ids: the name, and the one the Splunk AWS EC2 app's actions take
# (e.g. "assign instance" to move an instance into a quarantine security group).
INSTANCE_ID_CONTAINS = ["aws ec2 instance id", "aws instance id"]

# What an entity id parameter may contain, so SOAR offers our actions on these values.
ENTITY_ID_CONTAINS = [
    "trailhound entity id",
    "ip",
    "aws ec2 instance id",
    "aws instance id",
    "aws arn",
    "aws access key id",
    "aws account id",
    "aws s3 bucket name",
    "aws role session",
    "aws guardduty finding id",
    "user agent",
]

# entity type -> the CEF-typed field that receives its id.
_ID_FIELD = {
    "AWS_ACCOUNT": "account_id",
    "AWS_USER": "arn",
    "AWS_ROLE": "arn",
    "AWS_ROLE_SESSION": "role_session",
    "EC2_INSTANCE": "instance_id",
    "IP_ADDRESS": "ip",
    "USER_AGENT": "user_agent",
    "S3_BUCKET": "bucket_name",
    "ACCESS_KEY": "access_key_id",
    "FINDING": "finding_id",
}


class EntityOutput(ActionOutput):
    """A Trailhound entity with its id copied into the CEF field that fits it."""

    entity_type: str = OutputField(example_values=["EC2_INSTANCE", "AWS_ROLE_SESSION"])
    entity_id: str = OutputField(
        cef_types=["trailhound entity id"], example_values=["i-0a1b2c3d4e5f60718"]
    )
    display_name: str | None = OutputField(
        example_values=["web-1 (i-0a1b2c3d4e5f60718)"]
    )
    first_seen: str | None = OutputField(example_values=["2026-11-30T08:00:00Z"])
    last_seen: str | None = OutputField(example_values=["2026-12-01T09:00:00Z"])
    ip: str | None = OutputField(cef_types=["ip"], example_values=["198.51.100.23"])
    instance_id: str | None = OutputField(
        cef_types=INSTANCE_ID_CONTAINS, example_values=["i-0a1b2c3d4e5f60718"]
    )
    arn: str | None = OutputField(
        cef_types=["aws arn"], example_values=["arn:aws:iam::123456789012:role/web"]
    )
    access_key_id: str | None = OutputField(
        cef_types=["aws access key id"], example_values=["ASIAEXAMPLE0000000001"]
    )
    account_id: str | None = OutputField(
        cef_types=["aws account id"], example_values=["123456789012"]
    )
    bucket_name: str | None = OutputField(
        cef_types=["aws s3 bucket name"], example_values=["corp-payroll"]
    )
    role_session: str | None = OutputField(
        cef_types=["aws role session"],
        example_values=["AROAEXAMPLE:i-0a1b2c3d4e5f60718"],
    )
    finding_id: str | None = OutputField(
        cef_types=["aws guardduty finding id"], example_values=["8ab2c1f0d9e8"]
    )
    user_agent: str | None = OutputField(
        cef_types=["user agent"], example_values=["aws-cli/2.15"]
    )


def entity_output(node: dict[str, Any]) -> EntityOutput:
    """Flatten one entity selection (``type id displayName firstSeen lastSeen accountId``)."""
    entity_type = str(node.get("type") or "")
    entity_id = str(node.get("id") or "")
    fields: dict[str, Any] = {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "display_name": node.get("displayName"),
        "first_seen": node.get("firstSeen"),
        "last_seen": node.get("lastSeen"),
        "account_id": node.get("accountId"),
    }
    if target := _ID_FIELD.get(entity_type):
        fields[target] = entity_id
    return EntityOutput(**fields)


class EntityDetailOutput(EntityOutput):
    """An entity with its all-time details and its type-specific attributes."""

    key: str = OutputField(
        cef_types=["trailhound entity key"],
        example_values=["ec2_instance:i-0a1b2c3d4e5f60718"],
    )
    event_count: int = OutputField(example_values=[18342])
    country: str | None = OutputField(example_values=["RU"])
    city: str | None = OutputField(example_values=["Moscow"])
    as_number: int | None = OutputField(example_values=[64500])
    as_organization: str | None = OutputField(example_values=["Example Hosting"])
    finding_type: str | None = OutputField(
        example_values=["Backdoor:EC2/C&CActivity.B"]
    )
    title: str | None = OutputField(
        example_values=["EC2 instance is querying a C&C server"]
    )
    severity: int | None = OutputField(example_values=[73])
    description: str | None = OutputField(
        example_values=["i-0a1b... is querying a domain ..."]
    )


def entity_detail_output(node: dict[str, Any]) -> EntityDetailOutput:
    """Flatten a ``GetEntity`` answer."""
    return EntityDetailOutput(
        **entity_output(node).model_dump(),
        key=node["key"],
        event_count=node.get("eventCount") or 0,
        country=node.get("country"),
        city=node.get("city"),
        as_number=node.get("asNumber"),
        as_organization=node.get("asOrganization"),
        finding_type=node.get("findingType"),
        title=node.get("title"),
        severity=node.get("severity"),
        description=node.get("description"),
    )
